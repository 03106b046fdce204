"""The issue's example through the shop's pages: a 7 % offer over two sellers, paid and invoiced to the đồng."""
from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from invoicing.models import Invoice
from payments.models import Payment
from payments.services import refund_line
from tests.checkout import place_order
from tests.factories import create_product
from tests.invoicing.factories import create_invoicing_vendor
from vendors.models import Fulfilment, LedgerEntry
from vendors.services import fulfilment_set_status

pytestmark = pytest.mark.django_db

Range = get_model("offer", "Range")
Condition = get_model("offer", "Condition")
Benefit = get_model("offer", "Benefit")
ConditionalOffer = get_model("offer", "ConditionalOffer")


def offer_on(products, *, kind, value, name="Tuần lễ OCOP"):
    product_range = Range.objects.create(name=name)
    for product in products:
        product_range.add_product(product)
    return ConditionalOffer.objects.create(
        name=name, offer_type=ConditionalOffer.SITE,
        condition=Condition.objects.create(range=product_range, type=Condition.COUNT, value=1),
        benefit=Benefit.objects.create(range=product_range, type=kind, value=Decimal(value)))


@pytest.fixture
def two_sellers():
    vat = create_invoicing_vendor(vat=True, code="VAT-1", default_vat_rate="8%")
    household = create_invoicing_vendor(vat=False, code="HKD-1")
    for vendor in (vat, household):
        vendor.shipping_fee, vendor.free_shipping_over = 30000, 150000
        vendor.save()
    # 7 % of 80.580 ₫ is 5.640,60 ₫: Oscar alone leaves 74.939,40 ₫ lines
    return [create_product(vendor=vat, price=80580, stock=20), create_product(vendor=vat, price=80580, stock=20),
            create_product(vendor=household, price=80580, stock=20)]


def test_basket_page_shows_whole_dong_after_a_percentage_offer(client, two_sellers):
    offer_on(two_sellers, kind=Benefit.PERCENTAGE, value=7)
    for product in two_sellers:
        client.post(f"/basket/add/{product.pk}/", {"quantity": 1})
    basket = client.get("/basket/").context["basket"]
    prices = [line.line_price_incl_tax_incl_discounts for line in basket.all_lines()]
    assert all(p == int(p) for p in prices)
    # 3 × 5.640,60 = 16.921,80 → 16.922 ₫, shared 5.641 + 5.641 + 5.640 (largest remainder, then order)
    assert basket.total_discount == 16922
    assert sorted(prices) == [74939, 74939, 74940]
    assert basket.total_incl_tax == 3 * 80580 - 16922


@pytest.mark.parametrize("method", ["cod", "vnpay"])
def test_charged_equals_parts_invoices_and_ledger(client, two_sellers, method, django_capture_on_commit_callbacks):
    from tests.payments.test_ipn import ipn, ipn_params

    offer_on(two_sellers, kind=Benefit.PERCENTAGE, value=7)
    order, _ = place_order(client, [(p, 1) for p in two_sellers], method)
    payment = Payment.objects.get(order=order)
    if method == "vnpay":
        assert ipn(client, ipn_params(payment))["RspCode"] == "00"
    parts = list(order.fulfilments.order_by("number"))
    # seller 1: 2 × 80.580 − (5.641 + 5.641) = 149.878: below its 150.000 free-shipping threshold once the
    # offer applies (the threshold is on what the shopper pays for the goods); seller 2: 74.940 + 30.000
    assert [(p.items_total, p.discount_total, p.shipping_fee) for p in parts] == [
        (149878, 11282, 30000), (74940, 5640, 30000)]
    assert payment.amount == sum(p.total for p in parts) == order.total_incl_tax == 284818
    with django_capture_on_commit_callbacks(execute=True):
        for part in parts:
            for status in (Fulfilment.CONFIRMED, Fulfilment.SHIPPED, Fulfilment.DELIVERED):
                fulfilment_set_status(fulfilment=part, status=status, tracking_code="VN1")
    invoices = {i.fulfilment_id: i for i in Invoice.objects.filter(relation=Invoice.ORIGINAL)}
    assert sum(i.total_payable for i in invoices.values()) == payment.amount
    vat_invoice = invoices[parts[0].pk]
    # 8 % goods: 149.878 → ThTien 138.776, TThue round_half_up(11.102,08) = 11.102; 10 % shipping: 30.000 →
    # 27.273 + 2.727
    assert vat_invoice.rate_totals == [{"rate": "8%", "net": 138776, "vat": 11102},
                                       {"rate": "10%", "net": 27273, "vat": 2727}]
    for part in parts:
        assert LedgerEntry.objects.get(fulfilment=part, kind=LedgerEntry.SALE).amount == part.items_total


def test_line_refunded_item_by_item_gives_back_what_was_paid(client, two_sellers, django_capture_on_commit_callbacks):
    offer_on(two_sellers[:1], kind=Benefit.FIXED, value=10000)  # 10.000 ₫ off a line of 3: 3.333,33 each
    order, _ = place_order(client, [(two_sellers[0], 3)], "cod")
    line = order.lines.get()
    assert line.line_price_incl_tax == 3 * 80580 - 10000
    with django_capture_on_commit_callbacks(execute=True):
        for status in (Fulfilment.CONFIRMED, Fulfilment.SHIPPED, Fulfilment.DELIVERED):
            fulfilment_set_status(fulfilment=order.fulfilments.get(), status=status, tracking_code="VN1")
    with django_capture_on_commit_callbacks(execute=True):
        amounts = [refund_line(line=line, quantity=1, actor=None, reason="trả hàng").amount for _ in range(3)]
    # 231.740 ÷ 3 = 77.246,67: running total rounded half up → 77.247, 77.246, 77.247
    assert amounts == [77247, 77246, 77247] and sum(amounts) == line.line_price_incl_tax
    with pytest.raises(ValueError):
        refund_line(line=line, quantity=1, actor=None, reason="lần nữa")
    part = order.fulfilments.get()
    assert sum(LedgerEntry.objects.filter(fulfilment=part).values_list("amount", flat=True)) == 0  # nothing left
    adjustments = Invoice.objects.filter(fulfilment=part, relation=Invoice.ADJUSTMENT)
    assert sorted(-i.total_payable for i in adjustments) == sorted(amounts)
    for adjustment in adjustments:  # each names the returned item, one at a time
        (returned,) = adjustment.lines.all()
        assert returned.quantity == -1 and returned.name.endswith("hàng trả lại")
