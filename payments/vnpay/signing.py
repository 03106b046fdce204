"""VNPay 2.1.0 checksums (spec §3, §5): pure functions shared by the client and the local sandbox.

Two schemes exist: the pay URL / Return / IPN sign the sorted, form-urlencoded query string; the merchant
API (querydr, refund) signs raw values joined with "|" in a fixed order per message.
"""

import hashlib
import hmac
import re
import unicodedata
from datetime import datetime, timedelta, timezone
from urllib.parse import quote, quote_plus

#: Vietnam time has no DST, so a fixed offset needs no tz database.
VN_TZ = timezone(timedelta(hours=7), "GMT+7")
DATE_FORMAT = "%Y%m%d%H%M%S"

#: Never part of the signed data (§3.1).
HASH_PARAMS = frozenset({"vnp_SecureHash", "vnp_SecureHashType"})

QUERYDR_REQUEST_FIELDS = (
    "vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TxnRef",
    "vnp_TransactionDate", "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo",
)
REFUND_REQUEST_FIELDS = (
    "vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TransactionType", "vnp_TxnRef",
    "vnp_Amount", "vnp_TransactionNo", "vnp_TransactionDate", "vnp_CreateBy", "vnp_CreateDate",
    "vnp_IpAddr", "vnp_OrderInfo",
)
#: vnp_OrderInfo sits after vnp_TransactionStatus, and absent promotion fields sign as "" (§5.1).
QUERYDR_RESPONSE_FIELDS = (
    "vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode", "vnp_TxnRef",
    "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo", "vnp_TransactionType",
    "vnp_TransactionStatus", "vnp_OrderInfo", "vnp_PromotionCode", "vnp_PromotionAmount",
)
REFUND_RESPONSE_FIELDS = (
    "vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode", "vnp_TxnRef",
    "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo", "vnp_TransactionType",
    "vnp_TransactionStatus", "vnp_OrderInfo",
)
REQUEST_FIELDS = {"querydr": QUERYDR_REQUEST_FIELDS, "refund": REFUND_REQUEST_FIELDS}
RESPONSE_FIELDS = {"querydr": QUERYDR_RESPONSE_FIELDS, "refund": REFUND_RESPONSE_FIELDS}

#: Characters every official encoder agrees on (§3.3); anything else in free text is replaced by a space.
_UNSAFE_TEXT = re.compile(r"[^A-Za-z0-9 \-_.,:/#]")
#: En and em dashes, hyphens and minus signs read as "-", as VNPay's own examples write them.
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
                         "\u2015": "-", "\u2212": "-"})


# --- dates -------------------------------------------------------------------------------------
def format_date(value):
    """yyyyMMddHHmmss in GMT+7 from an aware datetime (a naive one is ambiguous on a UTC server)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("VNPay dates need an aware datetime (naive datetimes are ambiguous)")
    return value.astimezone(VN_TZ).strftime(DATE_FORMAT)


def parse_date(value):
    """Aware datetime from VNPay's yyyyMMddHHmmss (GMT+7); ValueError on anything else."""
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{14}", value):
        raise ValueError(f"not a yyyyMMddHHmmss date: {value!r}")
    return datetime.strptime(value, DATE_FORMAT).replace(tzinfo=VN_TZ)


# --- free text ---------------------------------------------------------------------------------
def fold_text(text):
    """Vietnamese without diacritics and without the characters the encoders disagree on (§3.3)."""
    text = str(text).replace("đ", "d").replace("Đ", "D").translate(_DASHES)
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_UNSAFE_TEXT.sub(" ", text).split())


# --- query-string scheme (pay URL, Return URL, IPN) ----------------------------------------------
def _signable_items(params, keep_empty):
    items = ((str(k), "" if v is None else str(v)) for k, v in params.items())
    return sorted((k, v) for k, v in items if k not in HASH_PARAMS and (keep_empty or v != ""))


def canonical_query(params, *, keep_empty=False, quote_fn=quote_plus):
    """The signed string: names sorted by code point, values form-urlencoded (space → +, upper-case %XX).

    `keep_empty` and `quote_fn` reproduce other implementations' variants (tolerant verification, tests).
    """
    return "&".join(f"{quote_fn(k, safe='')}={quote_fn(v, safe='')}" for k, v in _signable_items(params, keep_empty))


def hmac_sha512(secret, data):
    """Lower-case hex HMAC-SHA512, the 2.1.0 checksum for both schemes."""
    return hmac.new(secret.encode("utf-8"), data.encode("utf-8"), hashlib.sha512).hexdigest()


def sign_params(params, secret):
    """(query string, vnp_SecureHash) for a pay URL or a callback; empty values are left out."""
    query = canonical_query(params)
    return query, hmac_sha512(secret, query)


def build_url(base_url, params, secret):
    """The full signed URL as a string: exactly the bytes that were signed, never re-encoded (§3.5)."""
    query, secure_hash = sign_params(params, secret)
    separator = "&" if "?" in base_url else "?"
    return f"{base_url}{separator}{query}&vnp_SecureHash={secure_hash}"


def hashes_equal(expected, received):
    """Constant-time, case-insensitive comparison of two hex checksums."""
    if not isinstance(received, str):
        return False
    return hmac.compare_digest(expected.lower().encode("ascii"), received.strip().lower().encode("ascii", "replace"))


# The encoders of the other official demos and libraries (spec §3.2): they agree with ``quote_plus`` on
# letters, digits, ``-_.``, space and UTF-8, and disagree only on ``! ' ( ) * ~``.
def quote_php(value, safe=""):
    """PHP ``urlencode`` (the PHP demo): ``~`` is escaped too."""
    return quote_plus(value, safe="").replace("~", "%7E")


def quote_node(value, safe=""):
    """The Node demo: ``encodeURIComponent`` (keeps ``! ' ( ) * ~``) with ``%20`` → ``+``."""
    return quote(value, safe="!'()*~").replace("%20", "+")


def quote_dotnet(value, safe=""):
    """.NET ``WebUtility.UrlEncode`` (the .NET demo): keeps ``! ( ) *``, escapes ``'`` and ``~``."""
    return quote_plus(value, safe="!()*").replace("~", "%7E")


def quote_whatwg(value, safe=""):
    """WHATWG ``URLSearchParams`` (lehuygiang28/vnpay) and Java's ``URLEncoder`` over UTF-8: keeps ``*`` only."""
    return quote_plus(value, safe="*").replace("~", "%7E")


#: Tried in order when verifying a callback: the canonical rule, then the python/php/node demos' rule
#: that signs empty values (§8: "when verifying, try both"), then each other official encoder, with and
#: without empty values. Every variant still needs the secret. %20-for-space is refused, as the official
#: Python demo refuses it (§7, R1 negative vector).
VERIFY_VARIANTS = (
    ("canonical", {}),
    ("keep-empty", {"keep_empty": True}),
    ("php", {"quote_fn": quote_php}),
    ("php-keep-empty", {"quote_fn": quote_php, "keep_empty": True}),
    ("node", {"quote_fn": quote_node}),
    ("node-keep-empty", {"quote_fn": quote_node, "keep_empty": True}),
    ("dotnet", {"quote_fn": quote_dotnet}),
    ("whatwg", {"quote_fn": quote_whatwg}),
)


def raw_signed_data(query_string):
    """The signed string as the sender wrote it: its own ``vnp_*`` pairs, still encoded, sorted by name.

    Whatever encoder the sender used, the bytes it signed are the bytes it sent (spec §3.3 (a))."""
    pairs = []
    for pair in query_string.lstrip("?").split("&"):
        name = pair.split("=", 1)[0]
        if name.startswith("vnp_") and name not in HASH_PARAMS and pair.partition("=")[2] != "":
            pairs.append((name, pair))
    return "&".join(pair for _, pair in sorted(pairs))


def matching_variant(params, secret, received_hash, *, query_string=None):
    """Name of the encoding variant whose checksum equals `received_hash`, or None."""
    seen = set()
    candidates = [(name, canonical_query(params, **options)) for name, options in VERIFY_VARIANTS]
    if query_string is not None:
        candidates.append(("as-received", raw_signed_data(query_string)))
    for name, data in candidates:
        if data in seen:
            continue
        seen.add(data)
        if hashes_equal(hmac_sha512(secret, data), received_hash):
            return name
    return None


def verify_params(params, secret):
    """True when params carry a vnp_SecureHash that matches one of the accepted variants."""
    return matching_variant(params, secret, params.get("vnp_SecureHash")) is not None


# --- pipe scheme (merchant API) --------------------------------------------------------------------
def pipe_data(values, fields):
    """Raw values joined by "|" in the message's fixed order; an absent field signs as ""."""
    return "|".join(_as_text(values.get(field)) for field in fields)


def sign_fields(values, fields, secret):
    """vnp_SecureHash of a querydr/refund request or response."""
    return hmac_sha512(secret, pipe_data(values, fields))


def _as_text(value):
    """JSON may carry numbers (LHG sends them); sign their decimal text, never a float repr."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)
