"""A shopper can ask for an invoice made out to a company; the tax code is checked."""
import pytest

from invoicing.models import BuyerInvoiceDetails
from tests.checkout import checkout_data
from tests.factories import create_product, create_vendor

pytestmark = pytest.mark.django_db


def start(client):
    product = create_product(vendor=create_vendor(), price=100000, stock=5)
    client.post(f"/basket/add/{product.pk}/", {"quantity": 1})


def test_company_details_reach_the_order(client):
    start(client)
    bad = client.post("/checkout/", checkout_data("cod", company_invoice="on", invoice_name="Cty A",
                                                  invoice_tax_code="0100109107", invoice_address=""))
    assert bad.status_code == 200 and bad.context["invoice_form"].errors  # tax code check digit, address
    assert "invoice_tax_code" in bad.context["invoice_form"].errors
    assert "Tôi cần hóa đơn công ty" in bad.content.decode()
    assert 'id="error-invoice_tax_code"' in bad.content.decode()  # next to the field
    response = client.post("/checkout/", checkout_data(
        "cod", company_invoice="on", invoice_name="Công ty TNHH Hồng Lam", invoice_tax_code="0100109106",
        invoice_address="Số 1 Trần Phú, Hà Tĩnh", invoice_email="ketoan@example.com"))
    assert response.status_code == 302
    details = BuyerInvoiceDetails.objects.get()
    assert details.tax_code == "0100109106" and details.name == "Công ty TNHH Hồng Lam"


def test_individuals_need_nothing(client):
    start(client)
    assert client.post("/checkout/", checkout_data("cod")).status_code == 302
    assert not BuyerInvoiceDetails.objects.exists()
