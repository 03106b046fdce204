"""The client over real HTTP (a tiny server on 127.0.0.1), input validation, callbacks, retries, logs."""

import json
import logging
import threading
import time
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from payments.vnpay import (
    APIConnectionError,
    APIError,
    InvalidRequestError,
    SignatureVerificationError,
    VNPay,
    VNPayError,
    signing,
)
from tests.payments.test_vnpay_signing import (
    QUERYDR_REQUEST,
    QUERYDR_REQUEST_HASH,
    QUERYDR_RESPONSE,
    R1,
    R1_HASH,
    REFUND_REQUEST,
    REFUND_REQUEST_HASH,
    SECRET,
)
from tests.payments.vnpay_helpers import CLOSE, RecordingServer, free_port

NOW = datetime.fromisoformat("2025-01-01T10:30:00+07:00")
PAY = {"amount": 150_000, "txn_ref": "ORD1", "order_info": "Thanh toan ORD1",
       "return_url": "https://cho-ocop.example.vn/payments/vnpay/return/", "ip_addr": "203.0.113.7"}


class Sleeps(list):
    """Records backoff delays instead of sleeping."""

    def __call__(self, seconds):
        self.append(seconds)


def client_for(url, **kwargs):
    options = {"tmn_code": "TESTTMN1", "hash_secret": SECRET, "payment_url": "https://pay.example/vpcpay.html",
               "api_url": url, "timeout": 2, "server_ip": "203.0.113.10", "sleep": Sleeps()}
    return VNPay(**{**options, **kwargs})


def signed_response(fields_order, **values):
    body = dict(values)
    body["vnp_SecureHash"] = signing.sign_fields(body, fields_order, SECRET)
    return body


def refund_response(**overrides):
    values = {"vnp_ResponseId": "r1", "vnp_Command": "refund", "vnp_ResponseCode": "00",
              "vnp_Message": "Refund success", "vnp_TmnCode": "TESTTMN1", "vnp_TxnRef": "ORD20250101-0001",
              "vnp_Amount": "5000000", "vnp_BankCode": "NCB", "vnp_PayDate": "20250102091501",
              "vnp_TransactionNo": "14226999", "vnp_TransactionType": "03", "vnp_TransactionStatus": "05",
              "vnp_OrderInfo": "Hoan tien mot phan don ORD20250101-0001", **overrides}
    return signed_response(signing.REFUND_RESPONSE_FIELDS, **values)


def querydr(client, **kwargs):
    return client.payment_intents.retrieve(
        txn_ref="ORD20250101-0001", transaction_date="20250101103000", request_id="REQ20250102090000001",
        created_at=datetime.fromisoformat("2025-01-02T09:00:00+07:00"),
        order_info="Truy van giao dich ORD20250101-0001", **kwargs)


def refund(client, **kwargs):
    options = dict(txn_ref="ORD20250101-0001", amount=50_000, transaction_date="20250101103000",
                   transaction_no="14226112", created_by="admin@cho-ocop.example.vn", request_id="RFD20250102091500001",
                   created_at=datetime.fromisoformat("2025-01-02T09:15:00+07:00"),
                   order_info="Hoan tien mot phan don ORD20250101-0001")
    return client.refunds.create(**{**options, **kwargs})


# --- payment_intents.create ------------------------------------------------------------------------
def test_create_folds_vietnamese_order_info_and_signs_it():
    intent = client_for("http://x").payment_intents.create(**{**PAY, "order_info": "Thanh toán đơn hàng (Kẹo cu đơ)!"},
                                                           created_at=NOW)
    assert intent.order_info == "Thanh toan don hang Keo cu do"
    assert "vnp_OrderInfo=Thanh+toan+don+hang+Keo+cu+do&" in intent.url
    assert "vnp_Amount=15000000&" in intent.url and intent.amount == 150_000
    assert intent.expires_at - intent.created_at == timedelta(minutes=15)
    params = dict(p.split("=", 1) for p in intent.url.split("?", 1)[1].split("&"))
    assert signing.verify_params(intent.params, SECRET) and params["vnp_SecureHash"] == intent.params["vnp_SecureHash"]


@pytest.mark.parametrize("change, param", [
    ({"amount": 150_000.0}, "amount"), ({"amount": Decimal("150000")}, "amount"), ({"amount": True}, "amount"),
    ({"amount": 4_999}, "amount"), ({"amount": 1_000_000_000}, "amount"), ({"amount": "150000"}, "amount"),
    ({"txn_ref": ""}, "txn_ref"), ({"txn_ref": "ORD 1"}, "txn_ref"), ({"txn_ref": "x" * 101}, "txn_ref"),
    ({"order_info": "!!! ~~~"}, "order_info"), ({"order_info": ""}, "order_info"), ({"order_info": "a" * 256}, "order_info"),
    ({"return_url": "/relative/"}, "return_url"), ({"ip_addr": "not-an-ip"}, "ip_addr"),
    ({"locale": "fr"}, "locale"), ({"bank_code": ""}, "bank_code"), ({"currency": "USD"}, "currency"),
    ({"created_at": datetime(2025, 1, 1, 10, 30)}, "created_at"),
    ({"created_at": NOW, "expires_at": NOW}, "expires_at"),
])
def test_create_refuses_bad_input_with_a_clear_message(change, param):
    with pytest.raises(InvalidRequestError) as error:
        client_for("http://x").payment_intents.create(**{**PAY, **change})
    assert error.value.param == param and param.split("_")[0] in str(error.value)


def test_create_accepts_the_limits():
    client = client_for("http://x")
    assert client.payment_intents.create(**{**PAY, "amount": 5_000}).params["vnp_Amount"] == "500000"
    assert client.payment_intents.create(**{**PAY, "amount": 999_999_999}).params["vnp_Amount"] == "99999999900"


# --- webhooks.construct_event -------------------------------------------------------------------------
@pytest.mark.parametrize("params", [
    R1,  # no hash
    {**R1, "vnp_SecureHash": ""},
    {**R1, "vnp_SecureHash": "0" * 128},
    {**R1, "vnp_SecureHash": R1_HASH, "vnp_ResponseCode": "24"},
    {**R1, "vnp_SecureHash": R1_HASH, "vnp_PromotionCode": "FREE"},
    {k: v for k, v in {**R1, "vnp_SecureHash": R1_HASH}.items() if k != "vnp_BankTranNo"},
])
def test_construct_event_rejects_missing_wrong_or_tampered(params):
    with pytest.raises(SignatureVerificationError):
        client_for("http://x").webhooks.construct_event(params)


def test_construct_event_rejects_another_terminal_and_repeated_params():
    other = signing.sign_params({**R1, "vnp_TmnCode": "OTHERTMN"}, SECRET)
    with pytest.raises(SignatureVerificationError, match="terminal"):
        client_for("http://x").webhooks.construct_event(f"{other[0]}&vnp_SecureHash={other[1]}")
    query, secure_hash = signing.sign_params(R1, SECRET)
    with pytest.raises(SignatureVerificationError, match="repeats"):
        client_for("http://x").webhooks.construct_event(f"{query}&vnp_Amount=1&vnp_SecureHash={secure_hash}")


def test_construct_event_types_a_failed_payment_and_ignores_foreign_params():
    cancelled = {**R1, "vnp_ResponseCode": "24", "vnp_TransactionStatus": "02", "vnp_TransactionNo": "0"}
    cancelled.pop("vnp_BankTranNo")
    params = {**cancelled, "vnp_SecureHash": signing.sign_params(cancelled, SECRET)[1], "lang": "vi"}
    event = client_for("http://x").webhooks.construct_event(params)
    assert not event.paid and event.type == "payment_intent.payment_failed"
    assert event.response_message == "Customer cancelled the transaction" and event.amount == 150_000


# --- querydr / refund over HTTP ------------------------------------------------------------------------
def test_retrieve_sends_the_spec_vector_and_verifies_the_response():
    with RecordingServer(lambda n, m, p, b: (200, QUERYDR_RESPONSE)) as server:
        txn = querydr(client_for(server.url + "/merchant_webapi/api/transaction"))
    assert server.json_bodies() == [{**QUERYDR_REQUEST, "vnp_SecureHash": QUERYDR_REQUEST_HASH}]
    assert server.requests[0]["headers"]["Content-Type"] == "application/json"
    assert txn.paid and txn.amount == 150_000 and txn.transaction_no == "14226112"
    assert txn.pay_date == datetime.fromisoformat("2025-01-01T10:35:12+07:00") and txn.promotion_amount is None


def test_retrieve_refuses_a_response_with_a_bad_checksum():
    tampered = {**QUERYDR_RESPONSE, "vnp_TransactionStatus": "01"}
    with RecordingServer(lambda *a: (200, tampered)) as server, pytest.raises(SignatureVerificationError):
        querydr(client_for(server.url))


@pytest.mark.parametrize("code, message", [("91", "Transaction not found"), ("97", "Invalid checksum")])
def test_retrieve_raises_api_error_with_the_code(code, message):
    answer = {"vnp_ResponseId": "x", "vnp_Command": "querydr", "vnp_ResponseCode": code, "vnp_Message": "nope"}
    with RecordingServer(lambda *a: (200, answer)) as server, pytest.raises(APIError) as error:
        querydr(client_for(server.url))
    assert error.value.code == code and message in str(error.value)
    assert error.value.request_id == "REQ20250102090000001"


def test_refund_partial_sends_the_spec_vector():
    with RecordingServer(lambda *a: (200, refund_response())) as server:
        result = refund(client_for(server.url))
    assert server.json_bodies() == [{**REFUND_REQUEST, "vnp_SecureHash": REFUND_REQUEST_HASH}]
    assert result.amount == 50_000 and result.transaction_type == "03" and result.status == "pending"
    assert result.id == "RFD20250102091500001"


def test_refund_full_uses_type_02_and_transaction_no_0_when_unknown():
    answer = refund_response(vnp_TransactionType="02", vnp_Amount="15000000")
    with RecordingServer(lambda *a: (200, answer)) as server:
        result = refund(client_for(server.url), full=True, amount=150_000, transaction_no=None, request_id=None)
    body = server.json_bodies()[0]
    assert body["vnp_TransactionType"] == "02" and body["vnp_Amount"] == "15000000"
    assert body["vnp_TransactionNo"] == "0" and len(body["vnp_RequestId"]) <= 32
    assert body["vnp_SecureHash"] == signing.sign_fields(body, signing.REFUND_REQUEST_FIELDS, SECRET)
    assert result.full and result.amount == 150_000


def test_refund_response_with_bad_checksum_and_error_codes():
    with RecordingServer(lambda *a: (200, {**refund_response(), "vnp_Amount": "15000000"})) as server:
        with pytest.raises(SignatureVerificationError):
            refund(client_for(server.url))
    answer = {"vnp_ResponseCode": "93", "vnp_Message": "Invalid amount"}
    with RecordingServer(lambda *a: (200, answer)) as server, pytest.raises(APIError) as error:
        refund(client_for(server.url))
    assert error.value.code == "93" and "Invalid refund amount" in str(error.value)


def test_request_ids_are_unique_and_short():
    with RecordingServer(lambda *a: (200, {"vnp_ResponseCode": "91"})) as server:
        client = client_for(server.url)
        for _ in range(3):
            with pytest.raises(APIError):
                client.payment_intents.retrieve(txn_ref="ORD1", transaction_date=NOW)
    ids = [body["vnp_RequestId"] for body in server.json_bodies()]
    assert len(set(ids)) == 3 and all(len(i) <= 32 and i.isalnum() for i in ids)
    assert {body["vnp_TransactionDate"] for body in server.json_bodies()} == {"20250101103000"}


@pytest.mark.parametrize("answer", [(500, {"error": "boom"}), (200, b"<html>not json</html>"), (200, [1, 2])])
def test_http_errors_and_non_json_are_api_errors_and_not_retried(answer):
    with RecordingServer(lambda *a: answer) as server, pytest.raises(APIError):
        querydr(client_for(server.url))
    assert len(server.requests) == 1


# --- retries ---------------------------------------------------------------------------------------------
def failing(times, then):
    return lambda n, *a: CLOSE if n <= times else then


def test_querydr_is_retried_with_exponential_backoff_after_dropped_connections():
    sleeps = Sleeps()
    with RecordingServer(failing(2, (200, QUERYDR_RESPONSE))) as server:
        txn = querydr(client_for(server.url, max_retries=3, sleep=sleeps, backoff_factor=0.5))
    assert txn.paid and len(server.requests) == 3
    assert len({body["vnp_RequestId"] for body in server.json_bodies()}) == 1
    assert len(sleeps) == 2 and 0.25 <= sleeps[0] <= 0.5 and 0.5 <= sleeps[1] <= 1.0


def test_querydr_gives_up_after_max_retries():
    sleeps = Sleeps()
    with RecordingServer(failing(99, None)) as server, pytest.raises(APIConnectionError) as error:
        querydr(client_for(server.url, max_retries=2, sleep=sleeps))
    assert len(server.requests) == 3 and len(sleeps) == 2 and error.value.should_retry


def test_querydr_is_retried_after_a_read_timeout():
    # The first answer is held until the retry arrives, so the client's read timeout always expires first
    # (no sleep racing the timeout); the retry is answered at once, well within the timeout on a busy machine.
    retried = threading.Event()

    def held_until_retried(n, *a):
        if n == 1:
            retried.wait(30)
        else:
            retried.set()
        return 200, QUERYDR_RESPONSE

    with RecordingServer(held_until_retried) as server:
        assert querydr(client_for(server.url, timeout=2, max_retries=1)).paid
    assert len(server.requests) == 2


def test_backoff_is_capped():
    client = client_for("http://x", backoff_factor=0.5, max_backoff=2.0)
    assert all(1.0 <= client.backoff_delay(n) <= 2.0 for n in range(3, 10))


def test_refund_is_not_resent_when_it_may_have_reached_vnpay():
    sleeps = Sleeps()
    with RecordingServer(failing(1, (200, refund_response()))) as server, pytest.raises(APIConnectionError) as error:
        refund(client_for(server.url, max_retries=3, sleep=sleeps))
    assert len(server.requests) == 1 and sleeps == [] and not error.value.should_retry
    assert error.value.request_id == "RFD20250102091500001"


def test_refund_is_resent_with_the_same_request_id_when_the_connection_never_opened():
    sleeps = Sleeps()
    with pytest.raises(APIConnectionError) as error:
        refund(client_for(f"http://127.0.0.1:{free_port()}/api", max_retries=2, sleep=sleeps))
    assert len(sleeps) == 2 and error.value.should_retry


# --- errors and secrets ---------------------------------------------------------------------------------------
def test_error_hierarchy():
    for cls in (SignatureVerificationError, APIConnectionError, InvalidRequestError, APIError):
        assert issubclass(cls, VNPayError)


def test_the_hash_secret_is_never_logged_nor_shown(caplog):
    caplog.set_level(logging.DEBUG)
    sleeps = Sleeps()
    client = client_for("http://x", sleep=sleeps)
    errors = []
    client.payment_intents.create(**PAY)
    for params in ({**R1, "vnp_SecureHash": "bad"}, {**R1, "vnp_SecureHash": R1_HASH}):
        try:
            client.webhooks.construct_event(params)
        except VNPayError as error:
            errors.append(error)
    with RecordingServer(failing(1, (200, {"vnp_ResponseCode": "99"}))) as server:
        client.api_url = server.url
        with pytest.raises(APIError) as error:
            querydr(client)
        errors.append(error.value)
        with pytest.raises(APIConnectionError) as error:
            client.api_url = f"http://127.0.0.1:{free_port()}/"
            refund(client)
        errors.append(error.value)
    assert caplog.records, "the client logs its calls"
    logged = caplog.text + " ".join(json.dumps(r.args, default=str) for r in caplog.records)
    assert SECRET not in logged
    assert SECRET not in repr(client) and all(SECRET not in str(e) and SECRET not in repr(e) for e in errors)
