"""An order waiting for its VNPay payment holds stock that may never be paid for: how much one such order
can hold, how many one client can place in a row, and how soon expired ones give their stock back
(issue 15, point 5)."""
import datetime

import pytest
from oscar.core.loading import get_model

from payments.models import Payment
from payments.services import payments_reconcile
from tests.checkout import place_order, prepare_checkout
from tests.factories import create_product, create_vendor

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


@pytest.fixture
def honey():
    return create_product(vendor=create_vendor(name="HTX Mật ong Vũ Quang"), title="Mật ong rừng Vũ Quang",
                          price=250000, stock=9)


def reserved(product):
    record = StockRecord.objects.get(product=product)
    return record.num_allocated or 0


def test_one_unpaid_order_cannot_take_a_sellers_whole_stock(client, honey):
    data = prepare_checkout(client, [(honey, 9)], "vnpay")
    response = client.post("/checkout/", data, HTTP_ACCEPT_LANGUAGE="vi", follow=True)
    page = response.content.decode()
    assert "tối đa 4" in page and "Mật ong rừng Vũ Quang" in page and "thanh toán khi nhận hàng" in page
    assert Order.objects.count() == 0 and reserved(honey) == 0

    # Half of what is left (4 of 9) may wait for VNPay; the next unpaid order gets half of the rest.
    client.cookies.clear()  # another shopper
    place_order(client, [(honey, 4)], "vnpay", email="a@example.com")
    assert reserved(honey) == 4
    client.cookies.clear()
    response = client.post("/checkout/", prepare_checkout(client, [(honey, 4)], "vnpay", "b@example.com"), follow=True)
    assert "tối đa 3" in response.content.decode() and reserved(honey) == 4  # 3 items are always allowed
    client.cookies.clear()
    place_order(client, [(honey, 3)], "vnpay", email="b@example.com")
    assert reserved(honey) == 7


def test_cash_on_delivery_may_take_everything_left(client, honey):
    """A COD order goes straight to the seller, who sees it and can cancel it: it is not bounded."""
    order, _ = place_order(client, [(honey, 9)], "cod")
    assert reserved(honey) == 9 and order.lines.get().quantity == 9


def test_small_stocks_can_still_be_bought_whole_online(client):
    jar = create_product(vendor=create_vendor(name="Cơ sở Kẹo Thành Đạt"), price=45000, stock=3)
    place_order(client, [(jar, 3)], "vnpay")
    assert reserved(jar) == 3


def test_one_client_address_may_place_only_a_few_unpaid_orders_in_a_row(client, honey, settings):
    settings.RATELIMIT_ENABLE = True  # as in production
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "unpaid_orders": "2/15m"}
    for n in range(2):
        client.cookies.clear()
        place_order(client, [(honey, 1)], "vnpay", email=f"khach{n}@example.com")
    client.cookies.clear()
    response = client.post("/checkout/", prepare_checkout(client, [(honey, 1)], "vnpay", "khach9@example.com"),
                           HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 429
    assert "chọn thanh toán khi nhận hàng" in response.content.decode()
    assert Order.objects.count() == 2 and reserved(honey) == 2
    # The same shopper can still buy, paying on delivery.
    response = client.post("/checkout/", prepare_checkout(client, [], "cod", "khach9@example.com"))
    assert response.status_code == 302 and reserved(honey) == 3


def test_an_expired_payment_gives_its_stock_back_on_the_next_minutely_run(client, honey, settings, live_server):
    settings.VNPAY_PAYMENT_URL = live_server.url + "/sandbox/vnpay/paymentv2/vpcpay.html"
    settings.VNPAY_API_URL = live_server.url + "/sandbox/vnpay/merchant_webapi/api/transaction"
    order, _ = place_order(client, [(honey, 4)], "vnpay")
    payment = Payment.objects.get(order=order)
    assert settings.CELERY_BEAT_SCHEDULE["reconcile-vnpay-payments"]["schedule"] <= 60
    grace = datetime.timedelta(minutes=settings.VNPAY_RECONCILE_GRACE_MINUTES)
    assert grace <= datetime.timedelta(minutes=2)

    early = payments_reconcile(now=payment.expires_at + grace - datetime.timedelta(seconds=1))
    assert early == {"paid": 0, "expired": 0, "unreachable": 0} and reserved(honey) == 4
    payments_reconcile(now=payment.expires_at + grace)
    payment.refresh_from_db()
    assert payment.status == Payment.EXPIRED and reserved(honey) == 0
