"""The IPN endpoint: only a correctly signed notification for the right order and amount changes anything.

Each case checks VNPay's answer code and that money, order status and stock are left exactly as they
were. The notifications are the exact query strings VNPay sends (spec §4.1), signed with the SDK.
"""
import pytest
from django.conf import settings
from django.test import Client
from oscar.core.loading import get_model

from marketplace.order import statuses
from payments.models import Payment, PaymentEvent
from payments.vnpay import signing
from tests.checkout import place_order
from tests.factories import create_product, create_vendor

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


def ipn_params(payment, **overrides):
    params = {
        "vnp_Amount": str(payment.amount * 100), "vnp_BankCode": "NCB", "vnp_BankTranNo": "VNP14226112",
        "vnp_CardType": "ATM", "vnp_OrderInfo": f"Thanh toan don hang {payment.order.number}",
        "vnp_PayDate": "20261127103000", "vnp_ResponseCode": "00", "vnp_TmnCode": settings.VNPAY_TMN_CODE,
        "vnp_TransactionNo": "14226112", "vnp_TransactionStatus": "00", "vnp_TxnRef": payment.txn_ref,
    }
    params.update(overrides)
    query, secure_hash = signing.sign_params(params, settings.VNPAY_HASH_SECRET)
    return f"{query}&vnp_SecureHash={secure_hash}"


def ipn(client, query):
    response = client.get(f"/payments/vnpay/ipn/?{query}")
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def pending(client):
    vendor = create_vendor()
    product = create_product(vendor=vendor, price=150000, stock=10)
    order, _ = place_order(client, [(product, 2)], "vnpay")
    return order, Payment.objects.get(order=order), product


def state(order, product):
    order.refresh_from_db()
    payment = Payment.objects.get(order=order)
    record = StockRecord.objects.get(product=product)
    return (order.status, payment.status, payment.amount_refunded, record.num_in_stock, record.num_allocated,
            payment.events.count(), order.status_changes.count())


def test_valid_ipn_marks_paid_once_and_repeats_answer_02(pending):
    order, payment, product = pending
    client = Client()
    assert ipn(client, ipn_params(payment)) == {"RspCode": "00", "Message": "Confirm Success"}
    paid = state(order, product)
    assert paid[:2] == (statuses.PAID, Payment.PAID)
    assert ipn(client, ipn_params(payment)) == {"RspCode": "02", "Message": "Order already confirmed"}
    assert state(order, product) == paid


def test_tampered_signature_is_97_and_changes_nothing(pending):
    order, payment, product = pending
    before = state(order, product)
    query = ipn_params(payment).replace("vnp_ResponseCode=00", "vnp_ResponseCode=24")
    assert ipn(Client(), query)["RspCode"] == "97"
    missing = ipn_params(payment).split("&vnp_SecureHash=")[0]
    assert ipn(Client(), missing)["RspCode"] == "97"
    wrong_terminal = ipn_params(payment, vnp_TmnCode="OTHER001")
    assert ipn(Client(), wrong_terminal)["RspCode"] == "97"
    assert state(order, product) == before


def test_unknown_order_is_01(pending):
    order, payment, product = pending
    before = state(order, product)
    assert ipn(Client(), ipn_params(payment, vnp_TxnRef="999999"))["RspCode"] == "01"
    assert state(order, product) == before


def test_wrong_amount_is_04(pending):
    order, payment, product = pending
    before = state(order, product)
    assert ipn(Client(), ipn_params(payment, vnp_Amount=str((payment.amount - 1000) * 100)))["RspCode"] == "04"
    assert state(order, product) == before


def test_no_parameters_is_99_or_97_never_500(pending):
    response = Client().get("/payments/vnpay/ipn/")
    assert response.status_code == 200 and response.json()["RspCode"] in {"97", "99"}
    assert Client().post("/payments/vnpay/ipn/").status_code == 405


@pytest.mark.parametrize("digits", [
    "²", "٣٠٠٠٠٠٠٠", "۳۰۰۰۰۰۰۰", "３００００００００", " 30000000", "30000000\n", "+30000000", "3e7", "30_000_000",
])
def test_signed_amount_in_other_digits_is_refused_never_500_never_paid(pending, digits):
    # A correctly signed IPN whose vnp_Amount is not ASCII digits: "²" used to raise a 500, Arabic-Indic
    # digits were read as the right number and marked the order paid.
    order, payment, product = pending
    before = state(order, product)
    if digits[0] in "٣۳３":  # the right amount, written in another script's digits
        digits = str(payment.amount * 100).translate(str.maketrans("0123456789", {"٣": "٠١٢٣٤٥٦٧٨٩",
                                                                             "۳": "۰۱۲۳۴۵۶۷۸۹",
                                                                             "３": "０１２３４５６７８９"}[digits[0]]))
    assert ipn(Client(), ipn_params(payment, vnp_Amount=digits))["RspCode"] in {"99", "04"}
    assert state(order, product) == before
    payment.refresh_from_db()
    assert payment.status == Payment.PENDING


def test_signed_pay_date_in_other_digits_is_refused(pending):
    order, payment, product = pending
    before = state(order, product)
    arabic = "20261127103000".translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert ipn(Client(), ipn_params(payment, vnp_PayDate=arabic))["RspCode"] in {"99", "04"}
    assert state(order, product) == before
