"""Sellers download only their own invoices; shoppers only their order's PDF (owner or anonymous hash)."""
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from invoicing.services import invoice_issue_for_fulfilment
from invoicing.validation import xml_errors

from .factories import create_delivered_part, create_invoicing_vendor, products

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.invoicing.urls")]
User = get_user_model()


@pytest.fixture
def market():
    data = {}
    for key, vat in (("a", False), ("b", True)):
        vendor = create_invoicing_vendor(vat=vat)
        user = User.objects.create_user(username=f"seller-{key}", email=f"{key}@example.com", password="pw-Seller-123")
        vendor.partner.users.add(user)
        (product,) = products(vendor, 55000)
        shopper = User.objects.create_user(username=f"shopper-{key}", email=f"s{key}@example.com", password="x")
        part = create_delivered_part(vendor=vendor, items=[(product, 2, 55000, 0)], user=shopper if key == "a" else None)
        data[key] = {"vendor": vendor, "user": user, "shopper": shopper, "part": part,
                     "invoice": invoice_issue_for_fulfilment(fulfilment=part)}
    return data


def test_seller_lists_and_downloads_only_its_own_invoices(client, market):
    own, other = market["a"]["invoice"], market["b"]["invoice"]
    client.force_login(market["a"]["user"])
    listing = client.get(reverse("invoices:list"))
    assert listing.status_code == 200
    assert own.fulfilment.number in listing.content.decode() and other.fulfilment.number not in listing.content.decode()
    xml = client.get(reverse("invoices:xml", kwargs={"pk": own.pk}))
    assert xml.status_code == 200 and xml["Content-Type"].startswith("application/xml")
    assert f'filename="{own.file_stem}.xml"' in xml["Content-Disposition"]
    assert xml.content == bytes(own.xml) and xml_errors(xml.content) == []
    pdf = client.get(reverse("invoices:pdf", kwargs={"pk": own.pk}))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    for name in ("invoices:xml", "invoices:pdf"):
        assert client.get(reverse(name, kwargs={"pk": other.pk})).status_code == 404


def test_non_sellers_are_refused(client, market):
    response = client.get(reverse("invoices:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(market["a"]["shopper"])
    assert client.get(reverse("invoices:list")).status_code == 403
    assert client.get(reverse("invoices:xml", kwargs={"pk": market["a"]["invoice"].pk})).status_code == 403


def test_shopper_downloads_the_pdf_of_its_own_order(client, market):
    invoice = market["a"]["invoice"]
    order = invoice.fulfilment.order
    url = reverse("shop-invoices:pdf", kwargs={"order_number": order.number, "pk": invoice.pk})
    assert client.get(url).status_code == 404  # anonymous, no hash
    client.force_login(market["b"]["shopper"])
    assert client.get(url).status_code == 404  # someone else's order
    client.force_login(market["a"]["shopper"])
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    other = market["b"]["invoice"]
    assert client.get(reverse("shop-invoices:pdf", kwargs={"order_number": order.number, "pk": other.pk})).status_code == 404


def test_guest_downloads_with_the_order_hash(client, market):
    invoice = market["b"]["invoice"]
    order = invoice.fulfilment.order
    good = reverse("shop-invoices:anon-pdf", kwargs={"order_number": order.number, "hash": order.verification_hash(),
                                                     "pk": invoice.pk})
    bad = reverse("shop-invoices:anon-pdf", kwargs={"order_number": order.number, "hash": "0" * 64, "pk": invoice.pk})
    assert client.get(bad).status_code == 404
    response = client.get(good)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
