"""The clients against request/answer examples in the carriers' documented shapes (SPEC-NOTES.md), through a
recording transport: what is sent (path, headers, body) and how each answer is read; webhook checks."""
import json

import pytest
import requests

from carriers.client import (
    GHN, Address, APIConnectionError, InvalidRequestError, Parcel, SignatureVerificationError,
    VNPost,
)
from carriers.client.remittance import construct_statement
from carriers.client.signing import hmac_hex

SENDER = Address("HTX Mật ong", "0912345678", "Thôn 3", "18184", "Xã Sơn Kim 1", "42", "Tỉnh Hà Tĩnh")
RECEIVER = Address("Lan", "0987654321", "12 Lê Lợi", "26734", "Phường Sài Gòn", "79", "Thành phố Hồ Chí Minh")
PARCEL = Parcel(1000, 20, 15, 20, value=360000, content="2 × Mật ong")


class Recorder(requests.Session):
    """Answers each request with the next recorded (status, JSON) pair and keeps what was sent."""

    def __init__(self, answers):
        super().__init__()
        self.answers, self.sent = list(answers), []

    def request(self, method, url, json=None, params=None, headers=None, timeout=None, **kwargs):
        self.sent.append({"method": method, "url": url, "json": json, "headers": headers, "timeout": timeout})
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        status, body = answer
        response = requests.Response()
        response.status_code = status
        response._content = globals()["json"].dumps(body).encode()
        return response


def ghn(answers, **kwargs):
    session = Recorder(answers)
    return GHN(api_url="https://dev-online-gateway.ghn.vn/shiip/public-api", token="tok", shop_id="885",
               webhook_secret="s3cret", session=session, sleep=lambda s: None, **kwargs), session


def test_ghn_quote_sends_token_shop_and_reads_total_and_leadtime():
    client, session = ghn([(200, {"code": 200, "message": "Success", "data": {"total": 36500, "service_fee": 36500}}),
                           (200, {"code": 200, "message": "Success",
                                  "data": {"leadtime": 1593187200, "order_date": 1592981718}})])
    quote = client.quote(sender=SENDER, receiver=RECEIVER, parcel=PARCEL)
    assert (quote.fee, quote.min_days, quote.max_days) == (36500, 3, 4)
    first = session.sent[0]
    assert first["url"].endswith("/shiip/public-api/v2/shipping-order/fee")
    assert first["headers"]["Token"] == "tok" and first["headers"]["ShopId"] == "885"
    assert first["json"]["service_type_id"] == 2 and first["json"]["to_ward_code"] == "26734"
    assert first["json"]["weight"] == 1000 and first["json"]["insurance_value"] == 360000
    assert session.sent[1]["url"].endswith("v2/shipping-order/leadtime")


def test_ghn_quote_retries_a_safe_read_after_a_5xx_and_a_timeout():
    client, session = ghn([(502, {}), requests.Timeout(),
                           (200, {"code": 200, "data": {"total": 20000}}),
                           (200, {"code": 200, "data": {"leadtime": 200000, "order_date": 100000}})], max_retries=2)
    assert client.quote(sender=SENDER, receiver=RECEIVER, parcel=PARCEL).fee == 20000
    assert len(session.sent) == 4


def test_ghn_booking_is_never_resent_blindly():
    client, session = ghn([requests.ConnectionError()], max_retries=3)
    with pytest.raises(APIConnectionError):
        client.create(client_order_code="100123-1", sender=SENDER, receiver=RECEIVER, parcel=PARCEL)
    assert len(session.sent) == 1


def test_ghn_create_body_and_answer():
    client, session = ghn([(200, {"code": 200, "message": "Success", "data": {
        "order_code": "FFFNL9HH", "sort_code": "19-70-04", "trans_type": "truck", "total_fee": 33000,
        "expected_delivery_time": "2020-06-03T16:00:00Z"}})])
    booking = client.create(client_order_code="100123-1", sender=SENDER, receiver=RECEIVER, parcel=PARCEL,
                            cod_amount=396000, items=[("Mật ong", 2, 500)])
    assert (booking.tracking_code, booking.fee, booking.expected_delivery, booking.replayed) == (
        "FFFNL9HH", 33000, "2020-06-03", False)
    body = session.sent[0]["json"]
    assert body["client_order_code"] == "100123-1" and body["cod_amount"] == 396000
    assert body["payment_type_id"] == 1 and body["required_note"] == "CHOXEMHANGKHONGTHU"
    assert body["to_ward_name"] == "Phường Sài Gòn" and body["items"] == [{"name": "Mật ong", "quantity": 2,
                                                                          "weight": 500}]


def test_ghn_duplicate_client_order_code_returns_the_first_booking():
    client, _session = ghn([
        (400, {"code": 400, "message": "client_order_code đã tồn tại", "code_message": "DUPLICATE_CLIENT_ORDER_CODE"}),
        (200, {"code": 200, "data": {"order_code": "FFFNL9HH", "client_order_code": "100123-1", "total_fee": 33000,
                                     "status": "ready_to_pick", "log": []}})])
    booking = client.create(client_order_code="100123-1", sender=SENDER, receiver=RECEIVER, parcel=PARCEL)
    assert booking.replayed and booking.tracking_code == "FFFNL9HH"


def test_ghn_webhook_needs_the_secret_token_and_reads_the_callback():
    client, _ = ghn([])
    body = json.dumps({"CODAmount": 396000, "ClientOrderCode": "100123-1", "OrderCode": "FFFNL9HH",
                       "Status": "delivered", "Time": "2026-12-07T10:15:00.000Z", "Type": "switch_status",
                       "ShopID": 885, "Description": "Giao hàng thành công"}).encode()
    event = client.construct_event(body, "s3cret")
    assert (event.status, event.tracking_code, event.cod_amount) == ("delivered", "FFFNL9HH", 396000)
    with pytest.raises(SignatureVerificationError):
        client.construct_event(body, "guess")
    with pytest.raises(InvalidRequestError):
        client.construct_event(b'{"OrderCode": "X", "Status": "teleported", "Time": "2026-12-07T10:15:00Z"}', "s3cret")


def test_vnpost_create_charge_and_signed_webhook():
    session = Recorder([
        (200, [{"serviceCode": "ETN011", "totalFee": 36000, "deliveryTime": 96}]),
        (200, {"originalID": "VNP00000001", "itemCode": "EB000000001VN", "totalFee": 36000, "status": "2"}),
    ])
    client = VNPost(api_url="https://my.vnpost.vn/MYVNP_API/", token="tok", webhook_secret="s3cret",
                    session=session, sleep=lambda s: None)
    quote = client.quote(sender=SENDER, receiver=RECEIVER, parcel=PARCEL)
    assert (quote.fee, quote.min_days) == (36000, 4)
    booking = client.create(client_order_code="100123-1", sender=SENDER, receiver=RECEIVER, parcel=PARCEL,
                            cod_amount=396000, pickup=False)
    assert booking.tracking_code == "EB000000001VN"
    sent = session.sent[1]
    assert sent["headers"]["token"] == "tok" and sent["url"].endswith("customer-partner/CreateOrder")
    info = sent["json"]["informationOrder"]
    assert info["saleOrderCode"] == "100123-1" and info["sendType"] == "2"
    assert info["addonService"] == [{"code": "GTG021", "propValue": "PROP0018:396000"}]
    body = json.dumps({"ItemCode": "EB000000001VN", "SaleOrderCode": "100123-1", "Status": "7",
                       "StatusDate": "2026-12-07T09:00:00+07:00", "Note": "Không liên lạc được"}).encode()
    event = client.construct_event(body, hmac_hex("s3cret", body))
    assert event.status == "delivery_failed" and event.description == "Không liên lạc được"
    with pytest.raises(SignatureVerificationError):
        client.construct_event(body, hmac_hex("other", body))
    with pytest.raises(SignatureVerificationError):
        client.construct_event(body + b" ", hmac_hex("s3cret", body))


def test_remittance_statement_is_signed_and_whole_dong():
    statement = {"carrier": "ghn", "reference": "DS-1", "remitted_on": "2026-12-07", "total": 363000,
                 "lines": [{"tracking_code": "FFFNL9HH", "cod_amount": 396000, "fee": 33000}]}
    body = json.dumps(statement).encode()
    parsed = construct_statement(body, hmac_hex("s3cret", body), secret="s3cret")
    assert parsed.lines[0].cod_amount == 396000 and parsed.total == 363000
    with pytest.raises(SignatureVerificationError):
        construct_statement(body, "00", secret="s3cret")
    bad = json.dumps({**statement, "lines": [{"tracking_code": "X", "cod_amount": 1.5}]}).encode()
    with pytest.raises(InvalidRequestError):
        construct_statement(bad, hmac_hex("s3cret", bad), secret="s3cret")


def test_barcode_table_is_code128():
    from carriers.barcode import PATTERNS, code128_values

    assert len(set(PATTERNS)) == 107 and all(sum(map(int, p)) == 11 for p in PATTERNS[:106])
    assert all(sum(int(p[i]) for i in (0, 2, 4)) % 2 == 0 for p in PATTERNS[:106])  # bars even, spaces odd
    values = code128_values("PJJ123C")
    assert values[:8] == [104, 48, 42, 42, 17, 18, 19, 35] and values[-1] == 106
    assert values[8] == (104 + sum(i * v for i, v in enumerate(values[1:8], start=1))) % 103

