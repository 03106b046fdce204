"""The payment page's checks, in VNPay's order: terminal (72), checksum (70), format (03), amount (32),
expiry (15), duplicate reference (01). Error codes 70/72/32 are VNPay's; 03/15/01 are the sandbox's
labels for VNPay's matching messages."""

import re
from datetime import datetime
from urllib.parse import parse_qsl

from payments.vnpay import signing

from . import conf
from .models import SandboxTransaction

PAGE_ERRORS = {
    "01": "Giao dịch đã tồn tại (vnp_TxnRef đã được dùng)",
    "03": "Dữ liệu gửi sang không đúng định dạng",
    "15": "Giao dịch đã quá thời gian chờ thanh toán",
    "32": "Số tiền không hợp lệ. Số tiền hợp lệ từ 5,000 đến dưới 1 tỷ đồng",
    "70": "Sai chữ ký",
    "72": "Không tìm thấy website (vnp_TmnCode không tồn tại)",
}
MIN_AMOUNT, MAX_AMOUNT = 5_000, 999_999_999
ALPHANUMERIC = re.compile(r"[A-Za-z0-9]+")
#: (name, regex) of the required pay parameters, 2.1.0 table (spec §2).
REQUIRED = (
    ("vnp_Version", re.compile(r"2\.1\.0")),
    ("vnp_Command", re.compile(r"pay")),
    ("vnp_Amount", re.compile(r"\d{1,12}")),
    ("vnp_CreateDate", re.compile(r"\d{14}")),
    ("vnp_ExpireDate", re.compile(r"\d{14}")),
    ("vnp_CurrCode", re.compile(r"VND")),
    ("vnp_IpAddr", re.compile(r"[0-9A-Fa-f.:]{7,45}")),
    ("vnp_Locale", re.compile(r"vn|en")),
    ("vnp_OrderInfo", re.compile(r"[\x20-\x7e]{1,255}")),
    ("vnp_OrderType", re.compile(r"[A-Za-z0-9_]{1,100}")),
    ("vnp_ReturnUrl", re.compile(r"https?://\S{3,247}")),
    ("vnp_TxnRef", re.compile(r"[A-Za-z0-9._-]{1,100}")),
)
OPTIONAL = (("vnp_BankCode", re.compile(r"[A-Za-z0-9]{3,20}")),)


class PageError(Exception):
    """Shown as VNPay's error page (HTTP 400) with `code`."""

    def __init__(self, code, detail=""):
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.message = PAGE_ERRORS[code]
        self.detail = detail


def parse_pay_request(query_string, *, now):
    """The verified vnp_* parameters of a pay URL, or PageError."""
    params = _params(query_string)
    tmn_code, secret = conf.terminal()
    if params.get("vnp_TmnCode") != tmn_code:
        raise PageError("72", f"vnp_TmnCode={params.get('vnp_TmnCode', '')!r}")
    empty = sorted(k for k, v in params.items() if v == "")
    if empty:
        raise PageError("03", f"tham số rỗng: {', '.join(empty)} (không gửi tham số rỗng)")
    received = params.pop("vnp_SecureHash", "")
    params.pop("vnp_SecureHashType", None)
    expected = signing.hmac_sha512(secret, signing.canonical_query(params))
    if not received or not signing.hashes_equal(expected, received):
        raise PageError("70", "vnp_SecureHash không khớp với dữ liệu")
    _check_formats(params)
    _check_amount(params["vnp_Amount"])
    _check_dates(params, now)
    if SandboxTransaction.objects.filter(tmn_code=tmn_code, txn_ref=params["vnp_TxnRef"]).exists():
        raise PageError("01", f"vnp_TxnRef={params['vnp_TxnRef']}")
    return params


def _params(query_string):
    params = {}
    for key, value in parse_qsl(query_string, keep_blank_values=True):
        if not key.startswith("vnp_"):
            continue
        if key in params:
            raise PageError("03", f"tham số lặp lại: {key}")
        params[key] = value
    return params


def _check_formats(params):
    for name, regex in REQUIRED:
        if name not in params:
            raise PageError("03", f"thiếu tham số {name}")
        if not regex.fullmatch(params[name]):
            raise PageError("03", f"{name} sai định dạng")
    for name, regex in OPTIONAL:
        if name in params and not regex.fullmatch(params[name]):
            raise PageError("03", f"{name} sai định dạng")


def _check_amount(raw):
    """×100 on the wire, so it must end in 00; then VNPay's 5.000 ≤ amount < 1 tỷ rule."""
    value = int(raw)
    if value % 100 or not MIN_AMOUNT <= value // 100 <= MAX_AMOUNT:
        raise PageError("32", f"vnp_Amount={raw}")


def _check_dates(params, now):
    try:
        created = signing.parse_date(params["vnp_CreateDate"])
        expires = signing.parse_date(params["vnp_ExpireDate"])
    except ValueError:
        raise PageError("03", "vnp_CreateDate/vnp_ExpireDate không phải ngày giờ hợp lệ") from None
    if expires <= created:
        raise PageError("03", "vnp_ExpireDate phải sau vnp_CreateDate")
    if now > expires:
        raise PageError("15", f"hết hạn lúc {expires:%H:%M:%S %d/%m/%Y} (GMT+7)")


def amount_vnd(params):
    return int(params["vnp_Amount"]) // 100


def now_vn():
    return datetime.now(signing.VN_TZ)
