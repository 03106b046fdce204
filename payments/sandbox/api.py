"""The merchant API (`POST …/merchant_webapi/api/transaction`): querydr and refund, spec §5.

Checks in order: JSON object and command (03), fields present and well-formed (03), terminal (02),
checksum (97), duplicate vnp_RequestId within 5 minutes (94), then the command's own rules.
Every answer is HTTP 200 JSON signed with the command's response field order."""

import re
import uuid
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from payments.vnpay import signing

from . import conf
from .models import SandboxApiRequest, SandboxRefund, SandboxTransaction
from .services import new_transaction_no

DUPLICATE_WINDOW = timedelta(minutes=5)
_DATE = re.compile(r"\d{14}")
_COMMON = {
    "vnp_RequestId": re.compile(r"[A-Za-z0-9]{1,32}"),
    "vnp_Version": re.compile(r"2\.1\.0"),
    "vnp_Command": re.compile(r"querydr|refund"),
    "vnp_TmnCode": re.compile(r"[A-Za-z0-9]{8}"),
    "vnp_TxnRef": re.compile(r"[A-Za-z0-9._-]{1,100}"),
    "vnp_TransactionDate": _DATE,
    "vnp_CreateDate": _DATE,
    "vnp_IpAddr": re.compile(r"[0-9A-Fa-f.:]{7,45}"),
    "vnp_OrderInfo": re.compile(r"[^|]{1,255}"),
    "vnp_SecureHash": re.compile(r"[0-9A-Fa-f]{128}"),
}
REQUIRED = {
    "querydr": _COMMON,
    "refund": {
        **_COMMON,
        "vnp_TransactionType": re.compile(r"0[23]"),
        "vnp_Amount": re.compile(r"\d{1,12}"),
        "vnp_CreateBy": re.compile(r"[^|]{1,255}"),
    },
}
OPTIONAL = {"vnp_TransactionNo": re.compile(r"\d{1,15}")}


class ApiAnswer(Exception):
    """Ends the request with `code` (and optional fields) before the command succeeded."""

    def __init__(self, code, message, **fields):
        super().__init__(message)
        self.code, self.message, self.fields = code, message, fields


def handle(data):
    """The signed JSON answer to one API request body (already decoded, may be anything)."""
    command = data.get("vnp_Command") if isinstance(data, dict) else None
    echo = {"vnp_Command": command if command in REQUIRED else ""}
    try:
        if command not in REQUIRED:
            raise ApiAnswer("03", "Invalid vnp_Command or request body is not a JSON object")
        values = _clean(data, command)
        echo.update(vnp_TmnCode=values["vnp_TmnCode"], vnp_TxnRef=values["vnp_TxnRef"])
        _authenticate(values, command)
        fields = _run(values, command)
        return _answer(command, "00", _success_message(command), {**echo, **fields})
    except ApiAnswer as answer:
        return _answer(command, answer.code, answer.message, {**echo, **answer.fields})


def _clean(data, command):
    """Field values as text; missing, empty, non-scalar or malformed ones are answered with 03."""
    values = {}
    for name, regex in {**REQUIRED[command], **OPTIONAL}.items():
        value = data.get(name)
        if value is None and name in OPTIONAL:
            continue
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise ApiAnswer("03", f"Missing or invalid field {name}")
        text = str(value)
        if not regex.fullmatch(text):
            raise ApiAnswer("03", f"Invalid format of {name}")
        values[name] = text
    for name in ("vnp_TransactionDate", "vnp_CreateDate"):
        try:
            signing.parse_date(values[name])
        except ValueError:
            raise ApiAnswer("03", f"Invalid date in {name}") from None
    return values


def _authenticate(values, command):
    tmn_code, secret = conf.terminal()
    if values["vnp_TmnCode"] != tmn_code:
        raise ApiAnswer("02", "Invalid vnp_TmnCode")
    expected = signing.sign_fields(values, signing.REQUEST_FIELDS[command], secret)
    if not signing.hashes_equal(expected, values["vnp_SecureHash"]):
        raise ApiAnswer("97", "Invalid checksum")
    recent = timezone.now() - DUPLICATE_WINDOW
    seen = SandboxApiRequest.objects.filter(tmn_code=tmn_code, request_id=values["vnp_RequestId"], created__gte=recent)
    if seen.exists():
        raise ApiAnswer("94", "Duplicate request (vnp_RequestId already used)")
    SandboxApiRequest.objects.create(tmn_code=tmn_code, request_id=values["vnp_RequestId"], command=command)


def _run(values, command):
    with transaction.atomic():
        txn = _find(values)
        fields = _querydr(txn) if command == "querydr" else _refund(txn, values)
    return fields


def _find(values):
    """The payment, matched on TxnRef, TransactionDate (= its vnp_CreateDate) and TransactionNo if given."""
    tmn_code, _ = conf.terminal()
    txn = (SandboxTransaction.objects.select_for_update()
           .filter(tmn_code=tmn_code, txn_ref=values["vnp_TxnRef"]).first())
    number = values.get("vnp_TransactionNo", "0")
    if txn is None or txn.create_date != values["vnp_TransactionDate"] or number not in ("0", txn.transaction_no):
        raise ApiAnswer("91", "Transaction not found")
    return txn


def _querydr(txn):
    return {
        "vnp_Amount": str(txn.amount * 100), "vnp_OrderInfo": txn.order_info, "vnp_BankCode": txn.bank_code,
        "vnp_PayDate": signing.format_date(txn.pay_date), "vnp_TransactionNo": txn.transaction_no,
        "vnp_TransactionType": "01", "vnp_TransactionStatus": txn.transaction_status,
    }


def _refund(txn, values):
    """Refund rules: paid only (95), amount in whole đồng ≤ remaining (93), full only before any partial (04)."""
    raw_amount, kind = int(values["vnp_Amount"]), values["vnp_TransactionType"]
    if not txn.paid:
        raise ApiAnswer("95", "Transaction is not successful at VNPay; refund refused")
    if raw_amount == 0 or raw_amount % 100:
        raise ApiAnswer("93", "Invalid refund amount")
    amount, refunded = raw_amount // 100, txn.refunded_amount
    if kind == "02" and refunded:
        raise ApiAnswer("04", "Full refund not allowed after a partial refund")
    if kind == "02" and amount != txn.amount:
        raise ApiAnswer("93", "Invalid refund amount: a full refund must equal the paid amount")
    if amount > txn.amount - refunded:
        raise ApiAnswer("93", f"Invalid refund amount: at most {txn.amount - refunded} VND remain refundable")
    refund = SandboxRefund.objects.create(
        transaction=txn, request_id=values["vnp_RequestId"], transaction_type=kind, amount=amount,
        transaction_no=new_transaction_no(SandboxRefund), created_by=values["vnp_CreateBy"],
        order_info=values["vnp_OrderInfo"],
    )
    return {
        "vnp_Amount": values["vnp_Amount"], "vnp_OrderInfo": refund.order_info, "vnp_BankCode": txn.bank_code,
        "vnp_PayDate": signing.format_date(timezone.now()), "vnp_TransactionNo": refund.transaction_no,
        "vnp_TransactionType": kind, "vnp_TransactionStatus": "05",
    }


def _success_message(command):
    return "QueryDR Success" if command == "querydr" else "Refund success"


def _answer(command, code, message, fields):
    """Build and sign the response (an unknown command signs with the querydr order)."""
    _, secret = conf.terminal()
    body = {"vnp_ResponseId": uuid.uuid4().hex, "vnp_Command": fields.pop("vnp_Command", ""),
            "vnp_ResponseCode": code, "vnp_Message": message, **fields}
    order = signing.RESPONSE_FIELDS.get(command, signing.QUERYDR_RESPONSE_FIELDS)
    body["vnp_SecureHash"] = signing.sign_fields(body, order, secret)
    return body
