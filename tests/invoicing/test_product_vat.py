"""A seller issuing VAT invoices sets each product's VAT rate on its product form; others never see the field."""
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from catalogue.models import Product
from invoicing.models import ProductVatRate, SellerInvoicingProfile
from invoicing.services import invoice_issue_for_fulfilment

from .factories import create_delivered_part, create_invoicing_vendor, products

pytestmark = pytest.mark.django_db


def form(**overrides):
    data = {"title": "Kẹo cu đơ hộp 500 g", "description": "Kẹo mật mía, lạc rang", "ocop_code": "I.3.b",
            "sales_unit": "hộp", "price": "45000", "stock": "30"}
    data.update(overrides)
    return data


def log_in(client, vendor, name="u"):
    user = get_user_model().objects.create_user(username=name, email=f"{name}@example.com", password="x")
    vendor.partner.users.add(user)
    client.force_login(user)


def test_vat_seller_chooses_the_rate_and_it_reaches_the_invoice(client):
    vendor = create_invoicing_vendor(vat=True, default_vat_rate="8%")
    log_in(client, vendor)
    page = client.get(reverse("seller:product-create"))
    field = page.context["form"].fields["vat_rate"]
    assert field.initial == "8%" and ("KCT", "Không chịu thuế GTGT (KCT)") in [(k, str(v)) for k, v in field.choices]

    assert client.post(reverse("seller:product-create"), form(vat_rate="5%")).status_code == 302
    product = Product.objects.get(title="Kẹo cu đơ hộp 500 g")
    assert ProductVatRate.objects.get(product=product).rate == "5%"

    edit = reverse("seller:product-edit", kwargs={"pk": product.pk})
    assert client.get(edit).context["form"].fields["vat_rate"].initial == "5%"
    assert client.post(edit, form(vat_rate="KCT")).status_code == 302
    assert ProductVatRate.objects.get(product=product).rate == "KCT"

    response = client.post(edit, form(vat_rate="7%"))
    assert response.status_code == 400 and ProductVatRate.objects.get(product=product).rate == "KCT"


def test_the_rate_is_used_on_the_vat_invoice(client):
    vendor = create_invoicing_vendor(vat=True, default_vat_rate="10%")
    (product,) = products(vendor, 42000)
    log_in(client, vendor)
    client.post(reverse("seller:product-edit", kwargs={"pk": product.pk}),
                form(title=product.title, price="42000", vat_rate="5%"))
    part = create_delivered_part(vendor=vendor, items=[(product, 30, 42000, 0)], shipping_fee=0)
    invoice = invoice_issue_for_fulfilment(fulfilment=part)
    assert [line.vat_rate for line in invoice.lines.all()] == ["5%"]
    assert invoice.rate_totals == [{"rate": "5%", "net": 1200000, "vat": 60000}]


@pytest.mark.parametrize("kind", ["household", "direct_enterprise", "no_invoicing"])
def test_sellers_without_vat_invoices_do_not_see_the_field(client, kind):
    if kind == "household":
        vendor = create_invoicing_vendor(vat=False)
    else:
        vendor = create_invoicing_vendor(vat=True)
        profile = vendor.invoicing_profile
        if kind == "direct_enterprise":
            profile.vat_method = SellerInvoicingProfile.METHOD_DIRECT
        else:
            profile.mode = SellerInvoicingProfile.MODE_NONE
        profile.save()
    log_in(client, vendor)
    assert "vat_rate" not in client.get(reverse("seller:product-create")).context["form"].fields
    assert client.post(reverse("seller:product-create"), form(vat_rate="5%")).status_code == 302
    assert not ProductVatRate.objects.exists()
