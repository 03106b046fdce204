"""The spec's §7 vectors, reproduced exactly, and property tests of the checksum (plain pytest, no DB)."""

from datetime import datetime
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from payments.vnpay import SignatureVerificationError, VNPay, signing

SECRET = "TESTSECRET0123456789"
BASE = "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"

P1 = {
    "vnp_Version": "2.1.0", "vnp_Command": "pay", "vnp_TmnCode": "TESTTMN1", "vnp_Amount": "15000000",
    "vnp_CurrCode": "VND", "vnp_TxnRef": "ORD20250101-0001", "vnp_OrderInfo": "Thanh toan don hang ORD20250101-0001",
    "vnp_OrderType": "other", "vnp_Locale": "vn", "vnp_ReturnUrl": "https://cho-ocop.example.vn/payments/vnpay/return/",
    "vnp_IpAddr": "203.0.113.7", "vnp_CreateDate": "20250101103000", "vnp_ExpireDate": "20250101104500",
}
P1_DATA = (
    "vnp_Amount=15000000&vnp_Command=pay&vnp_CreateDate=20250101103000&vnp_CurrCode=VND&vnp_ExpireDate=20250101104500"
    "&vnp_IpAddr=203.0.113.7&vnp_Locale=vn&vnp_OrderInfo=Thanh+toan+don+hang+ORD20250101-0001&vnp_OrderType=other"
    "&vnp_ReturnUrl=https%3A%2F%2Fcho-ocop.example.vn%2Fpayments%2Fvnpay%2Freturn%2F&vnp_TmnCode=TESTTMN1"
    "&vnp_TxnRef=ORD20250101-0001&vnp_Version=2.1.0"
)
P1_HASH = ("e8a6cd1f6b90737564f39290855645c345a0b5ed2f3337dc0216d8912b208d8b27012288f6041f8bd91fc1042d91589e"
           "99c176a8b944c259b6d5f77afaa64bc6")
P1_HTTPUTILITY_HASH = ("77a1e176db90023c94854acc172b35e69b2d7c1132c9c58807a9e92933868385b60758ead009e2f93f80c71fe1e6"
                       "8007b2dfdd90a7978e3558b4166870cb35e3")

P4 = {
    "vnp_Version": "2.1.0", "vnp_Command": "pay", "vnp_TmnCode": "TESTTMN1", "vnp_Amount": "10000000",
    "vnp_CurrCode": "VND", "vnp_TxnRef": "ORD-43", "vnp_OrderInfo": "Nap tien 100000 VND", "vnp_OrderType": "other",
    "vnp_Locale": "vn", "vnp_BankCode": "", "vnp_ReturnUrl": "https://cho-ocop.example.vn/payments/vnpay/return/",
    "vnp_IpAddr": "203.0.113.7", "vnp_CreateDate": "20250601000000", "vnp_ExpireDate": "20250601001500",
}
P4_DATA = (
    "vnp_Amount=10000000&vnp_Command=pay&vnp_CreateDate=20250601000000&vnp_CurrCode=VND&vnp_ExpireDate=20250601001500"
    "&vnp_IpAddr=203.0.113.7&vnp_Locale=vn&vnp_OrderInfo=Nap+tien+100000+VND&vnp_OrderType=other"
    "&vnp_ReturnUrl=https%3A%2F%2Fcho-ocop.example.vn%2Fpayments%2Fvnpay%2Freturn%2F&vnp_TmnCode=TESTTMN1"
    "&vnp_TxnRef=ORD-43&vnp_Version=2.1.0"
)
P4_HASH = ("60972a4c338aacb12d9fc655e5165e0547417d66273f278ec03fde9b807e41d5d9b182c258f2617e3d3ffc5c26d37a72da4a"
           "73c5e29379f83f8fbb35a782b288")
P4_DEMO_HASH = ("77bd2609c63e6e43fd456ec6add9aee3cd211f4b12ab5ff81d4b993cf213249600afc991def8ec96bcd946fe75f94167"
                "4a785e26b7841a6e125714d7d349cfd8")

R1 = {
    "vnp_Amount": "15000000", "vnp_BankCode": "NCB", "vnp_BankTranNo": "VNP14226112", "vnp_CardType": "ATM",
    "vnp_OrderInfo": "Thanh toan don hang ORD20250101-0001", "vnp_PayDate": "20250101103512",
    "vnp_ResponseCode": "00", "vnp_TmnCode": "TESTTMN1", "vnp_TransactionNo": "14226112",
    "vnp_TransactionStatus": "00", "vnp_TxnRef": "ORD20250101-0001",
}
R1_HASH = ("3ce5572bdb9dfcbaaeb41319fdc3ccbe718551a8404ad05ffcb7ce55ed645461de9c81ddbebc21771cc062c488db9fecc3b5"
           "303f6219c65065f3d2fce4cde3ae")
R1_QUERY = (
    "vnp_Amount=15000000&vnp_BankCode=NCB&vnp_BankTranNo=VNP14226112&vnp_CardType=ATM"
    "&vnp_OrderInfo=Thanh+toan+don+hang+ORD20250101-0001&vnp_PayDate=20250101103512&vnp_ResponseCode=00"
    "&vnp_TmnCode=TESTTMN1&vnp_TransactionNo=14226112&vnp_TransactionStatus=00&vnp_TxnRef=ORD20250101-0001"
)
R1_PERCENT20_HASH = ("f7cd9e5f80ff47b611f09e59b9798bb568a4a83426810759e168b0bf5b340661e43cf462a7dfb958f142d733b41a13"
                     "1600c985117ceb20099a9533dc57b98bb2")

QUERYDR_REQUEST = {
    "vnp_RequestId": "REQ20250102090000001", "vnp_Version": "2.1.0", "vnp_Command": "querydr",
    "vnp_TmnCode": "TESTTMN1", "vnp_TxnRef": "ORD20250101-0001", "vnp_TransactionDate": "20250101103000",
    "vnp_CreateDate": "20250102090000", "vnp_IpAddr": "203.0.113.10",
    "vnp_OrderInfo": "Truy van giao dich ORD20250101-0001",
}
QUERYDR_REQUEST_DATA = ("REQ20250102090000001|2.1.0|querydr|TESTTMN1|ORD20250101-0001|20250101103000|20250102090000"
                        "|203.0.113.10|Truy van giao dich ORD20250101-0001")
QUERYDR_REQUEST_HASH = ("446a51ee3fc1e1b2ec9930567bbd835ee13b364a769f83a00d1021c1ae1365f2800c3c4e3e3051889deefc1e0e2a"
                        "b755deaa92a9686d6cfacc14022351d0741e")

REFUND_REQUEST = {
    "vnp_RequestId": "RFD20250102091500001", "vnp_Version": "2.1.0", "vnp_Command": "refund",
    "vnp_TmnCode": "TESTTMN1", "vnp_TransactionType": "03", "vnp_TxnRef": "ORD20250101-0001",
    "vnp_Amount": "5000000", "vnp_TransactionNo": "14226112", "vnp_TransactionDate": "20250101103000",
    "vnp_CreateBy": "admin@cho-ocop.example.vn", "vnp_CreateDate": "20250102091500", "vnp_IpAddr": "203.0.113.10",
    "vnp_OrderInfo": "Hoan tien mot phan don ORD20250101-0001",
}
REFUND_REQUEST_DATA = ("RFD20250102091500001|2.1.0|refund|TESTTMN1|03|ORD20250101-0001|5000000|14226112|20250101103000"
                       "|admin@cho-ocop.example.vn|20250102091500|203.0.113.10|Hoan tien mot phan don ORD20250101-0001")
REFUND_REQUEST_HASH = ("54903fb89977de2de0d8fb35e82f3192779eaf19007da8bf2a39b5d9910efc106142e9d267cf4f5fa861b587412a"
                       "7baa506b9aebf0eba8664fa5d4b51b776e91")

QUERYDR_RESPONSE = {
    "vnp_ResponseId": "b5b2d3a4e5f60718293a4b5c6d7e8f90", "vnp_Command": "querydr", "vnp_ResponseCode": "00",
    "vnp_Message": "QueryDR Success", "vnp_TmnCode": "TESTTMN1", "vnp_TxnRef": "ORD20250101-0001",
    "vnp_Amount": "15000000", "vnp_OrderInfo": "Thanh toan don hang ORD20250101-0001", "vnp_BankCode": "NCB",
    "vnp_PayDate": "20250101103512", "vnp_TransactionNo": "14226112", "vnp_TransactionType": "01",
    "vnp_TransactionStatus": "00",
    "vnp_SecureHash": ("f87c43b3041881c7f99d58a02cbe4cc1581d279e06642524f54a3a4f80cf831ede25adbc164044247f8b2dc09fc80a6f"
                       "6ee2d5ecc14089e7fc4f509dab393e8e"),
}
QUERYDR_RESPONSE_DATA = ("b5b2d3a4e5f60718293a4b5c6d7e8f90|querydr|00|QueryDR Success|TESTTMN1|ORD20250101-0001|15000000"
                         "|NCB|20250101103512|14226112|01|00|Thanh toan don hang ORD20250101-0001||")


def make_client(**kwargs):
    options = {"tmn_code": "TESTTMN1", "hash_secret": SECRET, "payment_url": BASE, "api_url": "http://127.0.0.1:9/"}
    return VNPay(**{**options, **kwargs})


# --- §7 vectors ----------------------------------------------------------------------------------
def test_p1_signed_data_hash_and_url():
    assert signing.canonical_query(P1) == P1_DATA
    assert signing.sign_params(P1, SECRET) == (P1_DATA, P1_HASH)
    assert signing.build_url(BASE, P1, SECRET) == f"{BASE}?{P1_DATA}&vnp_SecureHash={P1_HASH}"


def test_p1_lower_case_hex_escapes_give_the_httputility_hash_not_ours():
    lower = P1_DATA.replace("%3A%2F%2F", "%3a%2f%2f").replace("%2F", "%2f")
    assert signing.hmac_sha512(SECRET, lower) == P1_HTTPUTILITY_HASH != P1_HASH


def test_p1_through_payment_intents_create():
    intent = make_client().payment_intents.create(
        amount=150_000, txn_ref="ORD20250101-0001", order_info="Thanh toan don hang ORD20250101-0001",
        return_url="https://cho-ocop.example.vn/payments/vnpay/return/", ip_addr="203.0.113.7",
        created_at=datetime.fromisoformat("2025-01-01T03:30:00+00:00"),  # a UTC clock: 10:30 in Vietnam
    )
    assert intent.url == f"{BASE}?{P1_DATA}&vnp_SecureHash={P1_HASH}"
    assert intent.amount == 150_000 and intent.create_date == "20250101103000"
    assert intent.expire_date == "20250101104500"
    assert intent.next_action["redirect_to_url"]["url"] == intent.url


def test_p4_empty_bank_code_is_dropped_canonically():
    assert signing.sign_params(P4, SECRET) == (P4_DATA, P4_HASH)
    assert signing.hmac_sha512(SECRET, signing.canonical_query(P4, keep_empty=True)) == P4_DEMO_HASH


@pytest.mark.parametrize("secure_hash", [P4_HASH, P4_DEMO_HASH, P4_DEMO_HASH.upper()])
def test_p4_callback_verifies_under_both_empty_value_rules(secure_hash):
    assert signing.verify_params({**P4, "vnp_SecureHash": secure_hash}, SECRET)


def test_r1_success_callback():
    assert signing.sign_params(R1, SECRET) == (R1_QUERY, R1_HASH)
    event = make_client().webhooks.construct_event(f"{R1_QUERY}&vnp_SecureHash={R1_HASH}")
    assert event.paid and event.amount == 150_000 and event.transaction_no == "14226112"
    assert event.pay_date == datetime.fromisoformat("2025-01-01T10:35:12+07:00")
    assert event.response_message == "Transaction successful"
    assert event.transaction_status_message == "Successful"


def test_r1_with_hash_type_still_verifies():
    params = {**R1, "vnp_SecureHash": R1_HASH, "vnp_SecureHashType": "HmacSHA512"}
    assert make_client().webhooks.construct_event(params).paid


def test_r1_percent20_negative_vector():
    percent20 = signing.canonical_query(R1, quote_fn=quote)
    assert signing.hmac_sha512(SECRET, percent20) == R1_PERCENT20_HASH
    with pytest.raises(SignatureVerificationError):
        make_client().webhooks.construct_event({**R1, "vnp_SecureHash": R1_PERCENT20_HASH})


def test_r1_amount_plus_100_is_rejected():
    with pytest.raises(SignatureVerificationError):
        make_client().webhooks.construct_event({**R1, "vnp_Amount": "15000100", "vnp_SecureHash": R1_HASH})


def test_querydr_request_vector():
    assert signing.pipe_data(QUERYDR_REQUEST, signing.QUERYDR_REQUEST_FIELDS) == QUERYDR_REQUEST_DATA
    assert signing.sign_fields(QUERYDR_REQUEST, signing.QUERYDR_REQUEST_FIELDS, SECRET) == QUERYDR_REQUEST_HASH


def test_refund_request_vector():
    assert signing.pipe_data(REFUND_REQUEST, signing.REFUND_REQUEST_FIELDS) == REFUND_REQUEST_DATA
    assert signing.sign_fields(REFUND_REQUEST, signing.REFUND_REQUEST_FIELDS, SECRET) == REFUND_REQUEST_HASH


def test_querydr_response_vector():
    assert signing.pipe_data(QUERYDR_RESPONSE, signing.QUERYDR_RESPONSE_FIELDS) == QUERYDR_RESPONSE_DATA
    expected = signing.sign_fields(QUERYDR_RESPONSE, signing.QUERYDR_RESPONSE_FIELDS, SECRET)
    assert expected == QUERYDR_RESPONSE["vnp_SecureHash"]


def test_pipe_fields_sign_json_numbers_as_their_digits():
    as_numbers = {**REFUND_REQUEST, "vnp_Amount": 5000000, "vnp_TransactionNo": 14226112}
    assert signing.sign_fields(as_numbers, signing.REFUND_REQUEST_FIELDS, SECRET) == REFUND_REQUEST_HASH


# --- encoding rules --------------------------------------------------------------------------------
def test_encoding_is_form_style_with_upper_case_escapes():
    assert signing.canonical_query({"vnp_X": "a b/c:d~é"}) == "vnp_X=a+b%2Fc%3Ad~%C3%A9"


def test_dates_are_gmt7_and_naive_datetimes_are_refused():
    assert signing.format_date(datetime.fromisoformat("2025-01-01T17:00:00+00:00")) == "20250102000000"
    with pytest.raises(ValueError):
        signing.format_date(datetime(2025, 1, 1))
    assert signing.parse_date("20250101103512").utcoffset().total_seconds() == 7 * 3600


def test_fold_text_removes_diacritics_and_unsafe_characters():
    assert signing.fold_text("Thanh toán đơn hàng #12 (Kẹo cu đơ) ~ 100% & x=1!") == \
        "Thanh toan don hang #12 Keo cu do 100 x 1"
    assert signing.fold_text("ĐẶC SẢN Hà Tĩnh") == "DAC SAN Ha Tinh"


# --- properties --------------------------------------------------------------------------------------
NAMES = st.from_regex(r"vnp_[A-Za-z]{1,12}", fullmatch=True).filter(lambda n: n not in signing.HASH_PARAMS)
VALUES = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=30)
PARAMS = st.dictionaries(NAMES, VALUES, min_size=1, max_size=12)


def _signed(params):
    return {**params, "vnp_SecureHash": signing.sign_params(params, SECRET)[1]}


@settings(max_examples=200)
@given(PARAMS)
def test_property_untouched_params_verify(params):
    assert signing.verify_params(_signed(params), SECRET)


@settings(max_examples=200)
@given(PARAMS, st.data())
def test_property_changing_any_value_breaks_verification(params, data):
    name = data.draw(st.sampled_from(sorted(params)))
    new_value = data.draw(VALUES.filter(lambda v: v != params[name]))
    assert not signing.verify_params({**_signed(params), name: new_value}, SECRET)


@settings(max_examples=200)
@given(PARAMS, st.data())
def test_property_adding_a_param_breaks_verification(params, data):
    name = data.draw(NAMES.filter(lambda n: n not in params))
    value = data.draw(VALUES)
    assert not signing.verify_params({**_signed(params), name: value}, SECRET)


@settings(max_examples=200)
@given(PARAMS.filter(lambda p: len(p) > 1), st.data())
def test_property_removing_a_param_breaks_verification(params, data):
    name = data.draw(st.sampled_from(sorted(params)))
    signed = _signed(params)
    del signed[name]
    assert not signing.verify_params(signed, SECRET)


@settings(max_examples=100)
@given(PARAMS, st.data())
def test_property_construct_event_rejects_any_change(params, data):
    """The same through the public API, on a realistic callback."""
    client = make_client()
    callback = _signed({**R1, **params})
    name = data.draw(st.sampled_from(sorted(set(callback) - {"vnp_SecureHash"})))
    changed = {**callback, name: data.draw(VALUES.filter(lambda v: v != callback[name]))}
    with pytest.raises(SignatureVerificationError):
        client.webhooks.construct_event(changed)


@settings(max_examples=100)
@given(st.fixed_dictionaries({k: st.just(v) for k, v in QUERYDR_RESPONSE.items() if k != "vnp_SecureHash"}),
       st.sampled_from(signing.QUERYDR_RESPONSE_FIELDS), VALUES)
def test_property_changing_a_signed_response_field_breaks_its_checksum(response, name, value):
    if str(response.get(name, "")) == value:
        return
    changed = {**response, name: value}
    assert signing.sign_fields(changed, signing.QUERYDR_RESPONSE_FIELDS, SECRET) != QUERYDR_RESPONSE["vnp_SecureHash"]
