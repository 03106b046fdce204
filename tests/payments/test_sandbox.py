"""The local VNPay sandbox over HTTP: payment page, outcomes, IPN delivery and retries, merchant API."""

import json
import re
import time
import uuid
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
import requests
from django.core.management import call_command
from django.test import Client

from payments.sandbox.models import SandboxIpnDelivery, SandboxTransaction
from payments.vnpay import APIError, VNPay, signing
from tests.payments.vnpay_helpers import RecordingServer

PAY_PATH = "/sandbox/vnpay/paymentv2/vpcpay.html"
API_PATH = "/sandbox/vnpay/merchant_webapi/api/transaction"
RETURN_URL = "https://cho-ocop.example.vn/payments/vnpay/return/"


@pytest.fixture
def sdk(settings):
    return VNPay(tmn_code=settings.VNPAY_TMN_CODE, hash_secret=settings.VNPAY_HASH_SECRET,
                 payment_url=f"http://testserver{PAY_PATH}", api_url=f"http://testserver{API_PATH}")


@pytest.fixture
def merchant(settings):
    """The merchant's IPN endpoint: records calls and answers `merchant.rsp_codes` in turn (last one repeats)."""
    state = {"rsp_codes": ["00"]}

    def answer(number, method, path, body):
        codes = state["rsp_codes"]
        code = codes[min(number, len(codes)) - 1]
        return (500, b"oops") if code == "500" else (200, {"RspCode": code, "Message": "test"})

    with RecordingServer(answer) as server:
        server.state = state
        settings.VNPAY_SANDBOX_IPN_URL = f"{server.url}/payments/vnpay/ipn/"
        settings.VNPAY_SANDBOX_IPN_RETRIES = 3
        settings.VNPAY_SANDBOX_IPN_RETRY_DELAY = 0
        settings.VNPAY_SANDBOX_IPN_TIMEOUT = 2
        settings.VNPAY_SANDBOX_IPN_BACKGROUND = False
        yield server


def new_intent(sdk, amount=150_000, **kwargs):
    options = {"amount": amount, "txn_ref": f"T{uuid.uuid4().hex[:12]}", "order_info": "Thanh toan don hang thu",
               "return_url": RETURN_URL, "ip_addr": "203.0.113.7", **kwargs}
    return sdk.payment_intents.create(**options)


def query_of(url):
    return urlsplit(url).query


def pay(client, intent, outcome, otp="123456"):
    return client.post(PAY_PATH, {"query": query_of(intent.url), "outcome": outcome, "otp": otp})


def error_code(response):
    return re.search(r'data-code="(\d+)"', response.content.decode()).group(1)


def signed_url(settings, **overrides):
    now = datetime.now(signing.VN_TZ)
    params = {"vnp_Version": "2.1.0", "vnp_Command": "pay", "vnp_TmnCode": settings.VNPAY_TMN_CODE,
              "vnp_Amount": "15000000", "vnp_CurrCode": "VND", "vnp_TxnRef": "RAW1", "vnp_OrderInfo": "Don hang",
              "vnp_OrderType": "other", "vnp_Locale": "vn", "vnp_ReturnUrl": RETURN_URL, "vnp_IpAddr": "203.0.113.7",
              "vnp_CreateDate": signing.format_date(now),
              "vnp_ExpireDate": signing.format_date(now + timedelta(minutes=15)), **overrides}
    params = {k: v for k, v in params.items() if v is not None}
    query = signing.canonical_query(params, keep_empty=True)
    return f"{PAY_PATH}?{query}&vnp_SecureHash={signing.hmac_sha512(settings.VNPAY_HASH_SECRET, query)}"


# --- payment page ----------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_signed_payment_url_opens_the_vietnamese_page(client, sdk):
    response = client.get(new_intent(sdk).url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "VNPay sandbox — môi trường thử nghiệm" in html and "Thanh toan don hang thu" in html
    assert "150.000\xa0₫" in html
    for value in ("9704198526191432198", "NGUYEN VAN A", "07/15", "123456", "csrfmiddlewaretoken"):
        assert value in html
    for outcome in ("success", "cancel", "insufficient_funds", "timeout"):
        assert f'value="{outcome}"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("tamper", [
    lambda url: url.replace("vnp_Amount=15000000", "vnp_Amount=1500000"),
    lambda url: url.replace("Thanh+toan", "Thanh+toan+lai"),
    lambda url: url[:-4] + "abcd",
    lambda url: url.split("&vnp_SecureHash=")[0],
    lambda url: url.replace("&vnp_SecureHash", "&vnp_BankCode=NCB&vnp_SecureHash"),
])
def test_tampered_pay_url_is_refused_with_code_70(client, sdk, tamper):
    response = client.get(tamper(new_intent(sdk).url))
    assert response.status_code == 400 and error_code(response) == "70" and "Sai chữ ký" in response.content.decode()


@pytest.mark.django_db
def test_unknown_terminal_is_refused_with_code_72(client, settings):
    other = VNPay(tmn_code="UNKNOWN1", hash_secret=settings.VNPAY_HASH_SECRET, payment_url=PAY_PATH, api_url="x")
    response = client.get(new_intent(other).url)
    assert response.status_code == 400 and error_code(response) == "72"


@pytest.mark.django_db
@pytest.mark.parametrize("overrides, code", [
    ({"vnp_Amount": "100000"}, "32"),  # 1.000 VND
    ({"vnp_Amount": "100000000000"}, "32"),  # 1 tỷ
    ({"vnp_Amount": "15000050"}, "32"),  # half a đồng
    ({"vnp_BankCode": ""}, "03"),
    ({"vnp_ExpireDate": None}, "03"),
    ({"vnp_Version": "2.0.1"}, "03"),
    ({"vnp_CreateDate": "20250101000000", "vnp_ExpireDate": "20250101001500"}, "15"),
])
def test_malformed_pay_requests_are_refused(client, settings, overrides, code):
    response = client.get(signed_url(settings, **overrides))
    assert response.status_code == 400 and error_code(response) == code


# --- outcomes, return redirect and IPN ------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("outcome, response_code, status", [
    ("success", "00", "00"), ("cancel", "24", "02"), ("insufficient_funds", "51", "02"), ("timeout", "11", "02"),
])
def test_each_outcome_redirects_with_a_signed_result_and_calls_the_ipn(client, sdk, merchant, outcome,
                                                                       response_code, status):
    intent = new_intent(sdk)
    response = pay(client, intent, outcome)
    assert response.status_code == 302 and response["Location"].startswith(RETURN_URL + "?")
    event = sdk.webhooks.construct_event(query_of(response["Location"]))
    assert (event.txn_ref, event.amount, event.response_code, event.transaction_status) == \
        (intent.txn_ref, 150_000, response_code, status)
    assert event.paid is (outcome == "success") and event.order_info == intent.order_info
    [ipn] = merchant.requests
    assert ipn["method"] == "GET" and ipn["path"].startswith("/payments/vnpay/ipn/?")
    assert sdk.webhooks.construct_event(query_of(ipn["path"])).data == event.data
    txn = SandboxTransaction.objects.get(txn_ref=intent.txn_ref)
    assert txn.response_code == response_code and txn.ipn.status == SandboxIpnDelivery.DELIVERED


@pytest.mark.django_db
def test_paying_needs_the_csrf_token(sdk, merchant):
    browser = Client(enforce_csrf_checks=True)
    intent = new_intent(sdk)
    assert pay(browser, intent, "success").status_code == 403
    page = browser.get(intent.url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = browser.post(PAY_PATH, {"query": query_of(intent.url), "outcome": "success", "otp": "123456",
                                       "csrfmiddlewaretoken": token})
    assert response.status_code == 302


@pytest.mark.django_db
def test_wrong_otp_and_reused_txn_ref(client, sdk, merchant):
    intent = new_intent(sdk)
    assert pay(client, intent, "success", otp="000000").status_code == 400
    assert pay(client, intent, "success").status_code == 302
    again = client.get(intent.url)
    assert again.status_code == 400 and error_code(again) == "01"
    assert len(merchant.requests) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("answers, calls, final", [
    (["99"], 3, SandboxIpnDelivery.FAILED),
    (["97", "500", "00"], 3, SandboxIpnDelivery.DELIVERED),
    (["01", "02"], 2, SandboxIpnDelivery.DELIVERED),
    (["02"], 1, SandboxIpnDelivery.DELIVERED),
])
def test_ipn_is_retried_until_00_or_02_and_every_attempt_recorded(client, sdk, merchant, answers, calls, final):
    merchant.state["rsp_codes"] = answers
    intent = new_intent(sdk)
    pay(client, intent, "success")
    call_command("vnpay_sandbox_deliver_ipn", "--wait", stdout=open("/dev/null", "w"))
    delivery = SandboxIpnDelivery.objects.get(transaction__txn_ref=intent.txn_ref)
    assert len(merchant.requests) == calls and delivery.status == final
    assert [a.rsp_code or str(a.http_status) for a in delivery.attempts.all()] == \
        [answers[min(i, len(answers) - 1)] for i in range(calls)]
    assert len({r["path"] for r in merchant.requests}) == 1  # the same signed call each time


@pytest.mark.django_db(transaction=True)
def test_ipn_retries_run_in_a_background_thread(client, sdk, merchant, settings):
    settings.VNPAY_SANDBOX_IPN_BACKGROUND = True
    settings.VNPAY_SANDBOX_IPN_RETRY_DELAY = 0.05
    merchant.state["rsp_codes"] = ["99", "04", "00"]
    pay(client, new_intent(sdk), "success")
    deadline = time.monotonic() + 60  # bounds a failure only: the loop ends as soon as the third answer is in
    while time.monotonic() < deadline and (len(merchant.requests) < 3 or
                                           SandboxIpnDelivery.objects.get().status != SandboxIpnDelivery.DELIVERED):
        time.sleep(0.05)
    assert len(merchant.requests) == 3 and SandboxIpnDelivery.objects.get().status == SandboxIpnDelivery.DELIVERED


# --- merchant API through the SDK (live server) ----------------------------------------------------------------
def browser_pay(live_server, intent, outcome):
    """Pay on the sandbox page like a browser: GET the page, POST the form with its CSRF token."""
    session = requests.Session()
    page = session.get(intent.url)
    assert page.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(f"{live_server.url}{PAY_PATH}", allow_redirects=False, headers={"Referer": intent.url},
                            data={"query": query_of(intent.url), "outcome": outcome, "otp": "123456",
                                  "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    return response.headers["Location"]


@pytest.fixture
def live_sdk(live_server, settings):
    return VNPay(tmn_code=settings.VNPAY_TMN_CODE, hash_secret=settings.VNPAY_HASH_SECRET,
                 payment_url=f"{live_server.url}{PAY_PATH}", api_url=f"{live_server.url}{API_PATH}", max_retries=0)


def test_querydr_and_refunds_over_http(live_server, live_sdk, merchant):
    intent = new_intent(live_sdk, amount=200_000)
    location = browser_pay(live_server, intent, "success")
    event = live_sdk.webhooks.construct_event(query_of(location))

    txn = live_sdk.payment_intents.retrieve(txn_ref=intent.txn_ref, transaction_date=intent.create_date,
                                            transaction_no=event.transaction_no)
    assert txn.paid and txn.amount == 200_000 and txn.transaction_no == event.transaction_no

    refund = dict(txn_ref=intent.txn_ref, transaction_date=intent.create_date, transaction_no=event.transaction_no,
                  created_by="admin@cho-ocop.example.vn")
    partial = live_sdk.refunds.create(amount=50_000, **refund)
    assert partial.amount == 50_000 and partial.transaction_type == "03" and partial.transaction_status == "05"
    with pytest.raises(APIError) as too_much:
        live_sdk.refunds.create(amount=150_001, **refund)
    assert too_much.value.code == "93"
    with pytest.raises(APIError) as full_after_partial:
        live_sdk.refunds.create(amount=200_000, full=True, **refund)
    assert full_after_partial.value.code == "04"
    assert live_sdk.refunds.create(amount=150_000, **refund).amount == 150_000
    with pytest.raises(APIError) as nothing_left:
        live_sdk.refunds.create(amount=1_000, **refund)
    assert nothing_left.value.code == "93"

    with pytest.raises(APIError) as unknown:
        live_sdk.payment_intents.retrieve(txn_ref="NOPE1", transaction_date=intent.create_date)
    assert unknown.value.code == "91"


def test_full_refund_and_refund_of_a_cancelled_payment(live_server, live_sdk, merchant):
    paid, cancelled = new_intent(live_sdk), new_intent(live_sdk)
    browser_pay(live_server, paid, "success")
    browser_pay(live_server, cancelled, "cancel")
    assert not live_sdk.payment_intents.retrieve(txn_ref=cancelled.txn_ref,
                                                 transaction_date=cancelled.create_date).paid
    full = live_sdk.refunds.create(txn_ref=paid.txn_ref, amount=150_000, transaction_date=paid.create_date,
                                   full=True, created_by="admin")
    assert full.full and full.transaction_type == "02" and full.amount == 150_000
    with pytest.raises(APIError) as refused:
        live_sdk.refunds.create(txn_ref=cancelled.txn_ref, amount=150_000, transaction_date=cancelled.create_date,
                                created_by="admin")
    assert refused.value.code == "95"


# --- merchant API edge cases (Django client) ---------------------------------------------------------------------
@pytest.fixture
def paid_txn(client, sdk, merchant):
    intent = new_intent(sdk)
    location = pay(client, intent, "success")["Location"]
    return intent, sdk.webhooks.construct_event(query_of(location))


def api_body(settings, command, intent, **overrides):
    body = {"vnp_RequestId": uuid.uuid4().hex, "vnp_Version": "2.1.0", "vnp_Command": command,
            "vnp_TmnCode": settings.VNPAY_TMN_CODE, "vnp_TxnRef": intent.txn_ref,
            "vnp_TransactionDate": intent.create_date, "vnp_CreateDate": signing.format_date(datetime.now(signing.VN_TZ)),
            "vnp_IpAddr": "127.0.0.1", "vnp_OrderInfo": "Kiem tra"}
    if command == "refund":
        body.update(vnp_TransactionType="03", vnp_Amount="1000000", vnp_TransactionNo="0", vnp_CreateBy="admin")
    body.update(overrides)
    body["vnp_SecureHash"] = signing.sign_fields(body, signing.REQUEST_FIELDS.get(command, ()),
                                                 settings.VNPAY_HASH_SECRET)
    return body


def post_api(client, payload, settings):
    raw = payload if isinstance(payload, (str, bytes)) else json.dumps(payload)
    response = client.post(API_PATH, raw, content_type="application/json")
    assert response.status_code == 200
    data = response.json()
    order = signing.RESPONSE_FIELDS.get(data["vnp_Command"], signing.QUERYDR_RESPONSE_FIELDS)
    assert data["vnp_SecureHash"] == signing.sign_fields(data, order, settings.VNPAY_HASH_SECRET)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("payload", ["{not json", b"\xff\xfe", "[1, 2]", "null", json.dumps({"vnp_Command": "pay"})])
def test_malformed_api_json_is_answered_03(client, settings, payload):
    assert post_api(client, payload, settings)["vnp_ResponseCode"] == "03"


@pytest.mark.django_db
@pytest.mark.parametrize("mutate, code", [
    (lambda b: b.pop("vnp_RequestId"), "03"),
    (lambda b: b.update(vnp_TransactionDate="2025-01-01"), "03"),
    (lambda b: b.update(vnp_IpAddr=["1.2.3.4"]), "03"),
    (lambda b: b.update(vnp_OrderInfo="Truy van lai"), "97"),
    (lambda b: b.update(vnp_SecureHash="0" * 128), "97"),
])
def test_querydr_request_checks(client, settings, paid_txn, mutate, code):
    body = api_body(settings, "querydr", paid_txn[0])
    mutate(body)
    assert post_api(client, body, settings)["vnp_ResponseCode"] == code


@pytest.mark.django_db
def test_querydr_answers(client, settings, paid_txn):
    intent, event = paid_txn
    found = post_api(client, api_body(settings, "querydr", intent), settings)
    assert (found["vnp_ResponseCode"], found["vnp_TransactionStatus"], found["vnp_Amount"]) == ("00", "00", "15000000")
    other_tmn = api_body(settings, "querydr", intent, vnp_TmnCode="OTHERTMN")
    assert post_api(client, other_tmn, settings)["vnp_ResponseCode"] == "02"
    wrong_date = api_body(settings, "querydr", intent, vnp_TransactionDate="20200101000000")
    assert post_api(client, wrong_date, settings)["vnp_ResponseCode"] == "91"
    body = api_body(settings, "querydr", intent)
    assert post_api(client, body, settings)["vnp_ResponseCode"] == "00"
    assert post_api(client, body, settings)["vnp_ResponseCode"] == "94"


@pytest.mark.django_db
@pytest.mark.parametrize("overrides, code", [
    ({"vnp_Amount": "1000050"}, "93"),
    ({"vnp_Amount": "0"}, "93"),
    ({"vnp_Amount": "15000100"}, "93"),
    ({"vnp_TransactionType": "02", "vnp_Amount": "1000000"}, "93"),
    ({"vnp_TransactionType": "04"}, "03"),
    ({"vnp_CreateBy": ""}, "03"),
    ({"vnp_TransactionNo": "12345"}, "91"),
    ({"vnp_Amount": 1000000}, "00"),  # numbers are accepted, as LHG sends them
])
def test_refund_request_checks(client, settings, paid_txn, overrides, code):
    assert post_api(client, api_body(settings, "refund", paid_txn[0], **overrides), settings)["vnp_ResponseCode"] == code


@pytest.mark.django_db
def test_api_refuses_get(client):
    assert client.get(API_PATH).status_code == 405
