"""Resources hung off the client (Stripe style): payment_intents, refunds, webhooks."""

import logging
import re
from datetime import datetime, timedelta
from urllib.parse import parse_qsl

from . import codes, signing
from . import validation as check
from .errors import APIError, InvalidRequestError, SignatureVerificationError, VNPayError
from .objects import Event, PaymentIntent, Refund, Transaction

logger = logging.getLogger("payments.vnpay")
VERSION = "2.1.0"
DEFAULT_EXPIRY = timedelta(minutes=15)


class _Resource:
    def __init__(self, client):
        self._client = client

    def _api_call(self, body, *, fields, response_fields, retry, table):
        """Sign `body`, POST it, check the response code, then the response checksum."""
        client = self._client
        body["vnp_SecureHash"] = signing.sign_fields(body, fields, client._hash_secret)
        logger.info("VNPay %s txn_ref=%s request_id=%s", body["vnp_Command"], body["vnp_TxnRef"], body["vnp_RequestId"])
        data = client._post(body, retry=retry)
        _raise_for_code(data, body, table)
        expected = signing.sign_fields(data, response_fields, client._hash_secret)
        if not signing.hashes_equal(expected, data.get("vnp_SecureHash")):
            raise SignatureVerificationError(
                f"VNPay {body['vnp_Command']} response checksum does not verify (request {body['vnp_RequestId']})",
                request_id=body["vnp_RequestId"], json_body=data,
            )
        if str(data.get("vnp_TxnRef", "")) != body["vnp_TxnRef"]:
            raise APIError(f"VNPay answered about txn_ref {data.get('vnp_TxnRef')!r}, not {body['vnp_TxnRef']!r}",
                           code="00", json_body=data, request_id=body["vnp_RequestId"])
        return data

    def _common(self, command, *, txn_ref, transaction_date, order_info, ip_addr, request_id, created_at):
        """Fields shared by querydr and refund, validated."""
        client = self._client
        return {
            "vnp_RequestId": check.request_id(request_id or client.new_request_id()),
            "vnp_Version": VERSION,
            "vnp_Command": command,
            "vnp_TmnCode": client.tmn_code,
            "vnp_TxnRef": check.txn_ref(txn_ref),
            "vnp_TransactionDate": check.vnp_date(transaction_date, param="transaction_date"),
            "vnp_CreateDate": signing.format_date(check.aware(created_at or _now(), param="created_at")),
            "vnp_IpAddr": check.ip_addr(ip_addr or client.server_ip),
            "vnp_OrderInfo": check.text(order_info, param="order_info"),
        }


class PaymentIntents(_Resource):
    def create(self, *, amount, txn_ref, order_info, return_url, ip_addr, order_type="other", locale="vn",
               bank_code=None, currency="VND", created_at=None, expires_at=None):
        """Build the signed pay URL (nothing is sent: the browser goes there).

        `amount` is integer đồng; `expires_at` defaults to 15 minutes after `created_at` (now).
        """
        created_at = check.aware(created_at or _now(), param="created_at")
        expires_at = check.aware(expires_at or created_at + DEFAULT_EXPIRY, param="expires_at")
        if expires_at <= created_at:
            raise InvalidRequestError("expires_at must be after created_at", param="expires_at")
        params = {
            "vnp_Version": VERSION,
            "vnp_Command": "pay",
            "vnp_TmnCode": self._client.tmn_code,
            "vnp_Amount": str(check.amount(amount) * 100),
            "vnp_CurrCode": check.choice(currency, {"VND"}, param="currency"),
            "vnp_TxnRef": check.txn_ref(txn_ref),
            "vnp_OrderInfo": check.text(order_info, param="order_info"),
            "vnp_OrderType": check.order_type(order_type),
            "vnp_Locale": check.choice(locale, {"vn", "en"}, param="locale"),
            "vnp_ReturnUrl": check.return_url(return_url),
            "vnp_IpAddr": check.ip_addr(ip_addr),
            "vnp_CreateDate": signing.format_date(created_at),
            "vnp_ExpireDate": signing.format_date(expires_at),
        }
        if bank_code is not None:
            params["vnp_BankCode"] = check.bank_code(bank_code)
        query, secure_hash = signing.sign_params(params, self._client._hash_secret)
        base = self._client.payment_url
        url = f"{base}{'&' if '?' in base else '?'}{query}&vnp_SecureHash={secure_hash}"
        return PaymentIntent(
            txn_ref=txn_ref, amount=amount, currency=currency, order_info=params["vnp_OrderInfo"], url=url,
            created_at=created_at, expires_at=expires_at, create_date=params["vnp_CreateDate"],
            expire_date=params["vnp_ExpireDate"], params={**params, "vnp_SecureHash": secure_hash},
        )

    def retrieve(self, *, txn_ref, transaction_date, transaction_no=None, order_info=None, ip_addr=None,
                 request_id=None, created_at=None):
        """querydr: the payment's status at VNPay. Read-only, so network failures are retried."""
        body = self._common("querydr", txn_ref=txn_ref, transaction_date=transaction_date,
                            order_info=order_info or f"Truy van giao dich {txn_ref}", ip_addr=ip_addr,
                            request_id=request_id, created_at=created_at)
        if transaction_no is not None:
            body["vnp_TransactionNo"] = check.transaction_no(transaction_no)
        data = self._api_call(body, fields=signing.QUERYDR_REQUEST_FIELDS,
                              response_fields=signing.QUERYDR_RESPONSE_FIELDS, retry="always",
                              table=codes.QUERYDR_RESPONSE_CODES)
        return Transaction(
            request_id=body["vnp_RequestId"], promotion_code=_text(data, "vnp_PromotionCode"),
            promotion_amount=_vnd(data, "vnp_PromotionAmount"), **_api_result(data),
        )


class Refunds(_Resource):
    def create(self, *, txn_ref, amount, transaction_date, created_by, full=False, transaction_no=None,
               order_info=None, ip_addr=None, request_id=None, created_at=None):
        """Refund `amount` đồng of a paid transaction: type 02 (full) or 03 (partial).

        Resent automatically only if the connection never opened, with the same vnp_RequestId;
        otherwise an APIConnectionError carries the request id (VNPay answers 94 to a duplicate).
        """
        body = self._common("refund", txn_ref=txn_ref, transaction_date=transaction_date,
                            order_info=order_info or f"Hoan tien giao dich {txn_ref}", ip_addr=ip_addr,
                            request_id=request_id, created_at=created_at)
        body.update({
            "vnp_TransactionType": codes.FULL_REFUND if full else codes.PARTIAL_REFUND,
            "vnp_Amount": str(check.amount(amount, minimum=1) * 100),
            "vnp_TransactionNo": check.transaction_no(transaction_no),
            "vnp_CreateBy": check.created_by(created_by),
        })
        data = self._api_call(body, fields=signing.REFUND_REQUEST_FIELDS,
                              response_fields=signing.REFUND_RESPONSE_FIELDS, retry="if-unsent",
                              table=codes.REFUND_RESPONSE_CODES)
        return Refund(request_id=body["vnp_RequestId"], full=bool(full), **_api_result(data))


class Webhooks(_Resource):
    def construct_event(self, params):
        """Verify a Return-URL or IPN callback (a mapping or the raw query string) and type it.

        The checksum is checked before anything is read; a missing, wrong or stale hash, or any
        altered, added or removed vnp_* field raises SignatureVerificationError.
        """
        data = _callback_params(params)
        received = data.pop("vnp_SecureHash", None)
        data.pop("vnp_SecureHashType", None)
        if not received:
            raise SignatureVerificationError("The callback carries no vnp_SecureHash")
        raw = params.decode("utf-8", "replace") if isinstance(params, bytes) else params
        variant = signing.matching_variant(data, self._client._hash_secret, received,
                                           query_string=raw if isinstance(raw, str) else None)
        if variant is None:
            raise SignatureVerificationError("The callback's vnp_SecureHash does not match its parameters")
        if variant != "canonical":
            logger.warning("VNPay callback for %s verified with the %s encoding", data.get("vnp_TxnRef"), variant)
        if data.get("vnp_TmnCode") != self._client.tmn_code:
            raise SignatureVerificationError(f"The callback is for terminal {data.get('vnp_TmnCode')!r}, not ours")
        return _event(data, variant)


def _callback_params(params):
    """vnp_* parameters as a plain dict; a repeated name is refused (which value was signed?)."""
    if isinstance(params, (str, bytes)):
        text = params.decode("utf-8") if isinstance(params, bytes) else params
        pairs = parse_qsl(text.lstrip("?"), keep_blank_values=True)
    elif hasattr(params, "lists"):  # Django's QueryDict keeps every value of a repeated name
        pairs = [(k, v) for k, values in params.lists() for v in values]
    else:
        pairs = list(params.items())
    data = {}
    for key, value in pairs:
        if not str(key).startswith("vnp_"):
            continue
        if key in data or isinstance(value, (list, tuple)):
            raise SignatureVerificationError(f"The callback repeats parameter {key}")
        data[key] = "" if value is None else str(value)
    return data


def _event(data, variant):
    for required in ("vnp_TxnRef", "vnp_Amount", "vnp_ResponseCode"):
        if not data.get(required):
            raise InvalidRequestError(f"The callback lacks {required}", param=required)
    return Event(
        txn_ref=data["vnp_TxnRef"], amount=_vnd(data, "vnp_Amount"), tmn_code=data["vnp_TmnCode"],
        response_code=data["vnp_ResponseCode"], transaction_status=data.get("vnp_TransactionStatus", ""),
        transaction_no=data.get("vnp_TransactionNo", ""), bank_code=data.get("vnp_BankCode", ""),
        bank_tran_no=data.get("vnp_BankTranNo", ""), card_type=data.get("vnp_CardType", ""),
        order_info=data.get("vnp_OrderInfo", ""), pay_date=_date(data, "vnp_PayDate"), data=data,
        signature_variant=variant,
    )


def _raise_for_code(data, body, table):
    """A non-00 answer is an APIError; its checksum is not required (VNPay omits fields then)."""
    code = _text(data, "vnp_ResponseCode")
    if code == "00":
        return
    meaning = codes.describe(table, code)
    message = f"VNPay {body['vnp_Command']} for {body['vnp_TxnRef']} failed with code {code}: {meaning}"
    if data.get("vnp_Message"):
        message += f" (VNPay says: {data['vnp_Message']})"
    logger.warning(message)
    raise APIError(message, code=code or None, json_body=data, request_id=body["vnp_RequestId"])


def _api_result(data):
    return {
        "response_id": _text(data, "vnp_ResponseId"), "txn_ref": _text(data, "vnp_TxnRef"),
        "amount": _vnd(data, "vnp_Amount"), "message": _text(data, "vnp_Message"),
        "transaction_no": _text(data, "vnp_TransactionNo"), "transaction_type": _text(data, "vnp_TransactionType"),
        "transaction_status": _text(data, "vnp_TransactionStatus"), "bank_code": _text(data, "vnp_BankCode"),
        "order_info": _text(data, "vnp_OrderInfo"), "pay_date": _date(data, "vnp_PayDate"), "raw": data,
    }


def _text(data, key):
    value = data.get(key)
    return "" if value is None else str(value)


def _vnd(data, key):
    """vnp_Amount ÷ 100 as integer đồng, after verification; a fraction of a đồng is refused.

    ASCII digits only: ``str.isdigit`` and ``int`` also take "²" (then fail) and Arabic-Indic digits."""
    raw = _text(data, key)
    if raw == "":
        return None
    if not re.fullmatch(r"[0-9]{1,20}", raw) or int(raw) % 100:
        raise VNPayError(f"{key} is not a whole number of VND ×100: {raw!r}")
    return int(raw) // 100


def _date(data, key):
    raw = _text(data, key)
    if not raw:
        return None
    try:
        return signing.parse_date(raw)
    except ValueError:
        raise VNPayError(f"{key} is not a yyyyMMddHHmmss date: {raw!r}") from None


def _now():
    return datetime.now(signing.VN_TZ)
