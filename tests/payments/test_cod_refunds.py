"""Cash-on-delivery refunds give back at most the cash collected (issue 15 point 7)."""
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from payments.models import Payment
from payments.services import refund_create
from tests.checkout import place_order
from tests.factories import create_product, create_vendor
from vendors.models import Fulfilment
from vendors.services import fulfilment_set_status

pytestmark = pytest.mark.django_db


def deliver(part):
    for status in (Fulfilment.CONFIRMED, Fulfilment.SHIPPED, Fulfilment.DELIVERED):
        fulfilment_set_status(fulfilment=part, status=status, tracking_code="VN1")


def test_partial_refund_leaves_the_rest_of_the_cash_refundable(client):
    product = create_product(vendor=create_vendor(), price=65000, stock=20)
    order, _ = place_order(client, [(product, 2)], "cod")  # 2 × 65.000 + 30.000 shipping
    payment = Payment.objects.get(order=order)
    assert payment.refundable == 0  # nothing collected yet: nothing to give back
    with pytest.raises(ValueError, match="At most 0"):
        refund_create(payment=payment, amount=65000, actor=None, reason="chưa giao")
    deliver(order.fulfilments.get())
    payment.refresh_from_db()
    assert payment.refundable == 160000

    out = StringIO()
    call_command("refund_payment", order.number, "--line", str(order.lines.get().pk), "--quantity", "1",
                 "--reason", "một hộp bị móp", stdout=out)
    assert "Refunded 65000 đồng" in out.getvalue() and "95000 đồng still refundable" in out.getvalue()
    with pytest.raises(CommandError, match="At most 95.000"):
        call_command("refund_payment", order.number, "--amount", "95001", "--reason", "x", stdout=StringIO())
    call_command("refund_payment", order.number, "--amount", "95000", "--reason", "khách trả hết", stdout=out)
    payment.refresh_from_db()
    assert payment.amount_refunded == 160000 and payment.refundable == 0
