"""The invoice follows the shop: a delivered part is invoiced, a later refund adjusts it, the shopper downloads it."""
import pytest
from django.urls import reverse

from invoicing.models import Invoice
from payments.models import Payment
from payments.services import refund_line
from tests.checkout import place_order
from tests.factories import create_product
from vendors.models import Fulfilment
from vendors.services import fulfilment_set_status

from .factories import create_invoicing_vendor

pytestmark = pytest.mark.django_db


def test_delivery_issues_the_invoice_and_a_refund_adjusts_it(client, django_capture_on_commit_callbacks):
    vendor = create_invoicing_vendor()
    product = create_product(vendor=vendor, title="Mật ong Hương Sơn", price=200000, stock=10, ocop_code="I.2.b")
    order, _ = place_order(client, [(product, 2)], "cod")
    part = order.fulfilments.get()
    with django_capture_on_commit_callbacks(execute=True):
        for status in (Fulfilment.CONFIRMED, Fulfilment.SHIPPED, Fulfilment.DELIVERED):
            fulfilment_set_status(fulfilment=part, status=status, tracking_code="VN1")
    invoice = Invoice.objects.get(fulfilment=part, relation=Invoice.ORIGINAL)
    assert invoice.number == 1 and invoice.status != Invoice.DRAFT

    # The shopper's order page links the PDF, and the PDF downloads.
    kwargs = {"order_number": order.number, "hash": order.verification_hash()}
    client.post(reverse("customer:anon-order-form", kwargs=kwargs), {"email": "khach@example.com"})
    page = client.get(reverse("customer:anon-order", kwargs=kwargs)).content.decode()
    pdf_url = reverse("shop-invoices:anon-pdf", kwargs={**kwargs, "pk": invoice.pk})
    assert pdf_url in page
    response = client.get(pdf_url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")

    # A refund after delivery gets an adjustment invoice; the original stays as issued.
    with django_capture_on_commit_callbacks(execute=True):
        refund_line(line=order.lines.get(), quantity=1, actor=None, reason="một chai bị vỡ")
    assert Invoice.objects.filter(fulfilment=part, relation=Invoice.ADJUSTMENT).count() == 1
    assert Payment.objects.get(order=order).amount_refunded == 200000
