"""Input checks run before anything is signed or sent: a bad value fails here with a clear message
rather than as VNPay's opaque "code=03" or "sai chữ ký" later (spec §2, §3.3, §5)."""

import ipaddress
import re
from datetime import datetime

from . import signing
from .errors import InvalidRequestError

#: "Số tiền hợp lệ từ 5,000 đến dưới 1 tỷ đồng" (spec §2, community-attested limits).
MIN_PAYMENT_VND = 5_000
MAX_PAYMENT_VND = 999_999_999
_TXN_REF = re.compile(r"[A-Za-z0-9._-]{1,100}")
_BANK_CODE = re.compile(r"[A-Za-z0-9]{3,20}")
_ORDER_TYPE = re.compile(r"[A-Za-z0-9_]{1,100}")
_DIGITS_14 = re.compile(r"[0-9]{14}")


def amount(value, *, param="amount", minimum=MIN_PAYMENT_VND, maximum=MAX_PAYMENT_VND):
    """Integer đồng within VNPay's limits; floats and Decimals are refused (no rounding surprises)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidRequestError(f"{param} must be an integer number of VND, got {value!r}", param=param)
    if not minimum <= value <= maximum:
        raise InvalidRequestError(
            f"{param} must be between {minimum:,} and {maximum:,} VND, got {value:,}", param=param
        )
    return value


def text(value, *, param, max_length=255):
    """Free text folded to ASCII without the characters encoders disagree on; never empty."""
    if not isinstance(value, str):
        raise InvalidRequestError(f"{param} must be a string", param=param)
    folded = signing.fold_text(value)
    if not folded:
        raise InvalidRequestError(f"{param} is empty once diacritics and special characters are removed", param=param)
    if len(folded) > max_length:
        raise InvalidRequestError(f"{param} is longer than {max_length} characters", param=param)
    return folded


def txn_ref(value, *, param="txn_ref"):
    """The merchant reference: 1–100 letters, digits, '.', '_' or '-' (unique per day at VNPay)."""
    if not isinstance(value, str) or not _TXN_REF.fullmatch(value):
        raise InvalidRequestError(
            f"{param} must be 1-100 characters among letters, digits, '.', '_' and '-', got {value!r}", param=param
        )
    return value


def return_url(value):
    """An absolute http(s) URL of 10–255 characters, as VNPay's table requires."""
    if not isinstance(value, str) or not re.match(r"https?://[^\s/]+", value) or not 10 <= len(value) <= 255:
        raise InvalidRequestError(f"return_url must be an absolute http(s) URL of 10-255 characters, got {value!r}",
                                  param="return_url")
    return value


def ip_addr(value, *, param="ip_addr"):
    """An IPv4/IPv6 address (VNPay: 7–45 characters)."""
    try:
        return str(ipaddress.ip_address(str(value).strip()))
    except ValueError:
        raise InvalidRequestError(f"{param} must be an IP address, got {value!r}", param=param) from None


def choice(value, allowed, *, param):
    if value not in allowed:
        raise InvalidRequestError(f"{param} must be one of {sorted(allowed)}, got {value!r}", param=param)
    return value


def pattern(value, regex, *, param, description):
    if not isinstance(value, str) or not regex.fullmatch(value):
        raise InvalidRequestError(f"{param} must be {description}, got {value!r}", param=param)
    return value


def bank_code(value):
    return pattern(value, _BANK_CODE, param="bank_code", description="3-20 letters or digits")


def order_type(value):
    return pattern(value, _ORDER_TYPE, param="order_type", description="a VNPay goods category code such as 'other'")


def aware(value, *, param):
    """An aware datetime: a naive one would be read as GMT+7 on one server and UTC on another."""
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise InvalidRequestError(f"{param} must be a timezone-aware datetime", param=param)
    return value


def vnp_date(value, *, param):
    """A yyyyMMddHHmmss string (kept exactly as sent) or an aware datetime converted to GMT+7."""
    if isinstance(value, str):
        try:
            signing.parse_date(value)
        except ValueError:
            raise InvalidRequestError(f"{param} must be yyyyMMddHHmmss (GMT+7), got {value!r}", param=param) from None
        return value
    return signing.format_date(aware(value, param=param))


def transaction_no(value):
    """VNPay's numeric transaction number; "0" stands for "unknown", as in VNPay's demos."""
    text_value = "0" if value is None else str(value)
    if isinstance(value, bool) or not re.fullmatch(r"[0-9]{1,15}", text_value):
        raise InvalidRequestError(f"transaction_no must be 1-15 digits, got {value!r}", param="transaction_no")
    return text_value


def request_id(value):
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9]{1,32}", value):
        raise InvalidRequestError(f"request_id must be 1-32 letters or digits, got {value!r}", param="request_id")
    return value


def created_by(value):
    if not isinstance(value, str) or not value.strip() or "|" in value or len(value) > 255:
        raise InvalidRequestError("created_by must be a non-empty name or e-mail without '|'", param="created_by")
    return value.strip()
