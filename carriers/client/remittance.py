"""COD remittance statements (đối soát COD), one shape for every carrier, by webhook or file.

Carriers send their statements as spreadsheets or through account managers; none of the public documentation
gives a machine format (``SPEC-NOTES.md``). The marketplace therefore accepts one JSON shape, HMAC-signed with
the carrier's webhook secret: ``{"carrier", "reference", "remitted_on", "total", "lines": [{"tracking_code",
"client_order_code", "cod_amount", "fee"}]}`` under ``X-Carrier-Signature``; a file import builds the same
object from CSV rows.
"""
from .base import Remittance, RemittanceLine, loads
from .errors import InvalidRequestError
from .signing import verify_hmac

SIGNATURE_HEADER = "X-Carrier-Signature"


def parse_statement(data):
    """A statement dict → ``Remittance``; InvalidRequestError on anything malformed."""
    try:
        lines = tuple(RemittanceLine(tracking_code=str(row["tracking_code"]).strip(),
                                     client_order_code=str(row.get("client_order_code") or "").strip(),
                                     cod_amount=_dong(row["cod_amount"]), fee=_dong(row.get("fee") or 0))
                      for row in data["lines"])
        statement = Remittance(carrier=str(data["carrier"]), reference=str(data["reference"]).strip(),
                               remitted_on=str(data["remitted_on"])[:10], total=_dong(data["total"]), lines=lines)
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidRequestError(f"Malformed remittance statement: {exc}") from None
    if not statement.reference or not statement.lines:
        raise InvalidRequestError("A remittance statement needs a reference and at least one line")
    return statement


def _dong(value):
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise ValueError(f"{value!r} is not a whole number of đồng")
    number = int(value)
    if number < 0:
        raise ValueError(f"{value!r} is negative")
    return number


def construct_statement(payload, signature, *, secret):
    verify_hmac(secret, payload, signature)
    return parse_statement(loads(payload))
