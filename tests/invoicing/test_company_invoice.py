"""A shopper can ask for an invoice made out to a company; the tax code is checked."""
import pytest

from invoicing.models import BuyerInvoiceDetails
from tests.checkout import ADDRESS
from tests.factories import create_product, create_vendor

pytestmark = pytest.mark.django_db


def start(client):
    product = create_product(vendor=create_vendor(), price=100000, stock=5)
    client.post(f"/basket/add/{product.pk}/", {"quantity": 1})
    client.post("/checkout/", {"username": "ketoan@example.com", "options": "anonymous"})
    client.post("/checkout/shipping-address/", ADDRESS)
    client.get("/checkout/shipping-method/")


def test_company_details_reach_the_order(client):
    start(client)
    bad = client.post("/checkout/preview/", {"method": "cod", "company_invoice": "on", "invoice_name": "Cty A",
                                              "invoice_tax_code": "0100109107", "invoice_address": ""})
    assert bad.status_code == 200 and bad.context["invoice_form"].errors  # tax code check digit, address
    assert "invoice_tax_code" in bad.context["invoice_form"].errors
    preview = client.post("/checkout/preview/", {
        "method": "cod", "company_invoice": "on", "invoice_name": "Công ty TNHH Hồng Lam",
        "invoice_tax_code": "0100109106", "invoice_address": "Số 1 Trần Phú, Hà Tĩnh",
        "invoice_email": "ketoan@example.com"})
    assert "Công ty TNHH Hồng Lam" in preview.content.decode()
    response = client.post("/checkout/preview/", {"action": "place_order"})
    assert response.status_code == 302
    details = BuyerInvoiceDetails.objects.get()
    assert details.tax_code == "0100109106" and details.name == "Công ty TNHH Hồng Lam"


def test_individuals_need_nothing(client):
    start(client)
    client.post("/checkout/preview/", {"method": "cod"})
    assert client.post("/checkout/preview/", {"action": "place_order"}).status_code == 302
    assert not BuyerInvoiceDetails.objects.exists()
