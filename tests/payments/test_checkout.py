"""Buying from several sellers in one basket, paid through the local VNPay sandbox over real HTTP.

The sandbox calls the IPN on the live server exactly as VNPay would; only the IPN marks an order
paid. Cash on delivery goes straight to the sellers.
"""
import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from marketplace.order import statuses
from payments.models import Payment, PaymentEvent
from tests.factories import create_product, create_vendor
from vendors.models import Fulfilment

from bench.http_shopper import Shopper

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def vnpay_live(settings, live_server):
    settings.VNPAY_PAYMENT_URL = live_server.url + "/sandbox/vnpay/paymentv2/vpcpay.html"
    settings.VNPAY_API_URL = live_server.url + "/sandbox/vnpay/merchant_webapi/api/transaction"
    settings.VNPAY_SANDBOX_IPN_BACKGROUND = False
    return live_server


@pytest.fixture
def three_sellers():
    vendors = [
        create_vendor(name="HTX Kẹo cu đơ Đức Thọ"),
        create_vendor(name="Cơ sở Nước mắm Thu Hùng", commune_code="18754", seller_type="household_business"),
        create_vendor(name="HTX Mật ong Hương Sơn", commune_code="18184"),
    ]
    vendors[2].free_shipping_over = 300000
    vendors[2].save()
    products = [
        create_product(vendor=vendors[0], title="Kẹo cu đơ Thành Đạt", price=65000, stock=5),
        create_product(vendor=vendors[1], title="Nước mắm Thu Hùng", price=120000, stock=5, ocop_code="I.4.a"),
        create_product(vendor=vendors[2], title="Mật ong Cường Nga", price=350000, stock=5, ocop_code="I.2.b"),
    ]
    return vendors, products


def stock(product):
    record = StockRecord.objects.get(product=product)
    return record.num_in_stock, record.num_allocated or 0


def test_vnpay_purchase_from_three_sellers(vnpay_live, three_sellers, mailoutbox):
    vendors, products = three_sellers
    shopper = Shopper(vnpay_live.url)
    shopper.add_to_basket(products[0], 2)
    shopper.add_to_basket(products[1], 1)
    shopper.add_to_basket(products[2], 1)
    payment_page = shopper.checkout("vnpay")
    assert payment_page.status_code == 200
    assert "660.000" in payment_page.text  # the sandbox shows the amount VNPay was asked for

    order = Order.objects.get()
    assert order.status == statuses.AWAITING_PAYMENT
    # items 130.000 + 120.000 + 350.000; shipping 30.000 + 30.000 + 0 (free from 300.000)
    assert int(order.total_incl_tax) == 600000 + 60000
    assert [stock(p) for p in products] == [(5, 2), (5, 1), (5, 1)]  # reserved, not yet consumed
    assert not Fulfilment.objects.filter(is_released=True).exists()  # sellers wait for the payment

    result = shopper.pay_on_sandbox(payment_page, "success")
    assert result.status_code == 200
    assert "/payments/vnpay/return/" in result.url
    assert 'data-outcome="paid"' in result.text

    order.refresh_from_db()
    assert order.status == statuses.PAID
    payment = Payment.objects.get(order=order)
    assert payment.status == Payment.PAID and payment.amount == 660000 and payment.transaction_no
    parts = {f.vendor_id: f for f in order.fulfilments.all()}
    assert len(parts) == 3 and all(f.is_released and f.status == Fulfilment.NEW for f in parts.values())
    assert (parts[vendors[0].pk].items_total, parts[vendors[0].pk].shipping_fee) == (130000, 30000)
    assert (parts[vendors[2].pk].items_total, parts[vendors[2].pk].shipping_fee) == (350000, 0)
    assert list(order.status_changes.values_list("old_status", "new_status")) == [
        (statuses.AWAITING_PAYMENT, statuses.PAID)]
    assert [e.kind for e in payment.events.all()] == [PaymentEvent.CREATED, PaymentEvent.IPN]
    assert order.sources.get().amount_debited == 660000
    # The confirmation e-mail goes out once paid, with each seller's part.
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert order.number in body and "660.000" in body
    assert all(vendor.name in body for vendor in vendors)

    # The shopper's order page shows each seller's part.
    kwargs = {"order_number": order.number, "hash": order.verification_hash()}
    shopper.post(reverse("customer:anon-order-form", kwargs=kwargs), {"email": "khach@example.com"})
    page = shopper.get(reverse("customer:anon-order", kwargs=kwargs))
    assert page.status_code == 200 and "order-parts" in page.text
    for vendor in vendors:
        assert vendor.name in page.text


@pytest.mark.parametrize("outcome, code", [("cancel", "24"), ("insufficient_funds", "51")])
def test_failed_vnpay_payment_cancels_the_order_and_releases_stock(vnpay_live, three_sellers, outcome, code):
    _, products = three_sellers
    shopper = Shopper(vnpay_live.url)
    shopper.add_to_basket(products[0], 3)
    payment_page = shopper.checkout("vnpay")
    assert stock(products[0]) == (5, 3)
    result = shopper.pay_on_sandbox(payment_page, outcome)
    assert 'data-outcome="failed"' in result.text

    order = Order.objects.get()
    payment = Payment.objects.get(order=order)
    assert order.status == statuses.CANCELLED
    assert payment.status == Payment.FAILED and payment.response_code == code
    assert stock(products[0]) == (5, 0)
    assert set(order.fulfilments.values_list("status", flat=True)) == {Fulfilment.CANCELLED}
    assert not order.sources.exists() or order.sources.get().amount_debited == 0


def test_abandoned_vnpay_payment_expires_and_releases_stock(vnpay_live, three_sellers):
    _, products = three_sellers
    shopper = Shopper(vnpay_live.url)
    shopper.add_to_basket(products[1], 2)
    payment_page = shopper.checkout("vnpay")
    assert payment_page.status_code == 200  # the shopper never pays
    order = Order.objects.get()
    Payment.objects.filter(order=order).update(expires_at=timezone.now() - datetime.timedelta(minutes=30))

    call_command("reconcile_payments")

    order.refresh_from_db()
    assert order.status == statuses.CANCELLED
    assert Payment.objects.get(order=order).status == Payment.EXPIRED
    assert stock(products[1]) == (5, 0)


def test_cash_on_delivery_goes_to_sellers_at_once(vnpay_live, three_sellers, mailoutbox):
    vendors, products = three_sellers
    shopper = Shopper(vnpay_live.url)
    shopper.add_to_basket(products[0], 1)
    shopper.add_to_basket(products[1], 1)
    thank_you = shopper.checkout("cod")
    assert thank_you.status_code == 200 and "/checkout/thank-you/" in thank_you.url
    order = Order.objects.get()
    assert order.status == statuses.CASH_ON_DELIVERY
    assert Payment.objects.get(order=order).status == Payment.COD_PENDING
    assert order.fulfilments.filter(is_released=True).count() == 2
    assert vendors[0].name in thank_you.text and vendors[1].name in thank_you.text
    assert len(mailoutbox) == 1 and vendors[1].name in mailoutbox[0].body


def paid_order(live, products_and_quantities):
    shopper = Shopper(live.url)
    for product, quantity in products_and_quantities:
        shopper.add_to_basket(product, quantity)
    result = shopper.pay_on_sandbox(shopper.checkout("vnpay"), "success")
    assert 'data-outcome="paid"' in result.text
    order = Order.objects.latest("pk")
    return order, Payment.objects.get(order=order)


def test_refunds_full_and_partial_through_the_sandbox(vnpay_live, three_sellers):
    from payments.sandbox.models import SandboxTransaction
    from payments.services import refund_create

    vendors, products = three_sellers
    order, payment = paid_order(vnpay_live, [(products[0], 2), (products[1], 1)])  # 130k+30k + 120k+30k
    assert payment.amount == 310000

    partial = refund_create(payment=payment, amount=65000, actor=None, reason="một hộp bị móp")
    assert partial.status == "succeeded" and partial.transaction_no
    payment.refresh_from_db()
    assert payment.amount_refunded == 65000 and payment.refundable == 245000
    with pytest.raises(ValueError):
        refund_create(payment=payment, amount=245001, actor=None, reason="quá số tiền còn lại")
    rest = refund_create(payment=payment, amount=245000, actor=None, reason="khách hủy phần còn lại")
    assert rest.status == "succeeded"
    payment.refresh_from_db()
    assert payment.refundable == 0
    assert order.sources.get().amount_refunded == 310000
    sandbox = SandboxTransaction.objects.get(txn_ref=payment.txn_ref)
    assert sum(r.amount for r in sandbox.refunds.all()) == 310000

    # Replaying VNPay's original notification after the refunds changes nothing.
    before = (payment.status, payment.amount_refunded, payment.events.count(), order.status_changes.count())
    answer = Shopper(vnpay_live.url).get(f"/payments/vnpay/ipn/?{sandbox.callback_query}").json()
    assert answer["RspCode"] == "02"
    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded, payment.events.count(),
            order.status_changes.count()) == before


def test_seller_cancelling_a_paid_part_refunds_it(vnpay_live, three_sellers):
    from vendors.services import fulfilment_set_status

    vendors, products = three_sellers
    order, payment = paid_order(vnpay_live, [(products[0], 1), (products[1], 1)])
    part = order.fulfilments.get(vendor=vendors[1])
    fulfilment_set_status(fulfilment=part, status=Fulfilment.CANCELLED, reason="hết hàng")
    payment.refresh_from_db()
    assert payment.amount_refunded == 120000 + 30000
    assert stock(products[1]) == (5, 0)
    assert payment.refunds.get().fulfilment == part


def test_department_refunds_a_line_with_the_command(vnpay_live, three_sellers):
    from io import StringIO

    from django.core.management import CommandError

    vendors, products = three_sellers
    order, payment = paid_order(vnpay_live, [(products[0], 2)])  # 2 × 65.000 + 30.000
    line = order.lines.get()
    out = StringIO()
    call_command("refund_payment", order.number, "--line", str(line.pk), "--quantity", "1",
                 "--reason", "một hộp bị vỡ", stdout=out)
    assert "Refunded 65000 đồng" in out.getvalue()
    payment.refresh_from_db()
    assert payment.amount_refunded == 65000
    call_command("refund_payment", order.number, "--line", str(line.pk), "--quantity", "2", "--reason", "x",
                 stdout=StringIO())  # only the one item left is refunded
    payment.refresh_from_db()
    assert payment.amount_refunded == 130000
    with pytest.raises(CommandError, match="already been refunded"):
        call_command("refund_payment", order.number, "--line", str(line.pk), "--reason", "x", stdout=StringIO())
    with pytest.raises(CommandError, match="No order"):
        call_command("refund_payment", "999999", "--amount", "1000", "--reason", "x", stdout=StringIO())


def test_celery_task_reconciles_like_the_command(vnpay_live, three_sellers):
    from payments.tasks import reconcile_payments

    _, products = three_sellers
    shopper = Shopper(vnpay_live.url)
    shopper.add_to_basket(products[2], 1)
    shopper.checkout("vnpay")
    Payment.objects.update(expires_at=timezone.now() - datetime.timedelta(hours=1))
    # Eager without a broker (no REDIS_URL). Celery's "never join inside a task" flag is process-wide, and
    # the live server's thread may be running an eager task of its own at this moment: don't consult it.
    summary = reconcile_payments.delay().get(disable_sync_subtasks=False)
    assert summary == {"paid": 0, "expired": 1, "unreachable": 0}
    assert stock(products[2]) == (5, 0)


def test_lost_ipn_is_recovered_by_querydr(vnpay_live, three_sellers, settings):
    """VNPay took the money but its IPN never arrived: reconciliation asks querydr and confirms the order."""
    settings.VNPAY_SANDBOX_IPN_URL = "http://127.0.0.1:9/payments/vnpay/ipn/"  # nothing listens there
    settings.VNPAY_SANDBOX_IPN_RETRIES = 1
    _, products = three_sellers
    shopper = Shopper(vnpay_live.url)
    shopper.add_to_basket(products[0], 1)
    result = shopper.pay_on_sandbox(shopper.checkout("vnpay"), "success")
    assert 'data-outcome="processing"' in result.text  # the browser came back before any IPN
    order = Order.objects.get()
    assert order.status == statuses.AWAITING_PAYMENT

    Payment.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=30))
    call_command("reconcile_payments")

    order.refresh_from_db()
    payment = Payment.objects.get(order=order)
    assert order.status == statuses.PAID and payment.status == Payment.PAID
    assert payment.events.last().kind == PaymentEvent.QUERYDR
    assert stock(products[0]) == (5, 1)  # still reserved for the paid order
