"""A seller chooses how its sales are invoiced; the marketplace issues only after the authorisation is accepted."""
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from invoicing.models import Invoice, SellerInvoicingProfile
from tests.checkout import place_order
from tests.factories import create_product, create_vendor
from vendors.models import Fulfilment, Vendor
from vendors.services import fulfilment_set_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller(client):
    vendor = create_vendor(name="Hộ Mật ong", seller_type=Vendor.TYPE_HOUSEHOLD, tax_code="042185000777")
    user = get_user_model().objects.create_user(username="mo", email="mo@example.com", password="x")
    vendor.partner.users.add(user)
    client.force_login(user)
    return vendor, user


def form_data(**overrides):
    data = {"mode": "authorised", "vat_method": "direct", "with_tax_authority_code": "on", "management_code": "HN",
            "default_vat_rate": "KCT", "shipping_vat_rate": "10%", "note_line": "", "provider_tax_code": "",
            "bank_account": "", "bank_name": ""}
    data.update(overrides)
    return data


def test_authorisation_is_required_and_recorded(client, seller, django_capture_on_commit_callbacks):
    vendor, user = seller
    url = reverse("invoices:settings")
    assert client.get(url).status_code == 200
    assert client.post(url, form_data()).status_code == 400  # the authorisation was not accepted
    assert client.post(url, form_data(vat_method="credit", accept_authorisation="on")).status_code == 400
    assert client.post(url, form_data(management_code="x!", accept_authorisation="on")).status_code == 400
    assert client.post(url, form_data(accept_authorisation="on")).status_code == 302
    profile = SellerInvoicingProfile.objects.get(vendor=vendor)
    assert profile.authorised_by == user and profile.authorised_at and profile.authorisation_scope

    product = create_product(vendor=vendor, price=100000, stock=5)
    client.logout()
    order, _ = place_order(client, [(product, 1)], "cod")
    part = order.fulfilments.get()
    with django_capture_on_commit_callbacks(execute=True):
        for status in (Fulfilment.CONFIRMED, Fulfilment.SHIPPED, Fulfilment.DELIVERED):
            fulfilment_set_status(fulfilment=part, status=status, tracking_code="VN1")
    invoice = Invoice.objects.get(fulfilment=part)
    assert invoice.symbol.endswith("THN") and invoice.number == 1


def test_other_users_cannot_open_the_settings(client, seller):
    client.logout()
    assert client.get(reverse("invoices:settings")).status_code == 302
    shopper = get_user_model().objects.create_user(username="s", email="s@example.com", password="x")
    client.force_login(shopper)
    assert client.get(reverse("invoices:settings")).status_code == 403


def test_authorisation_is_shown_on_the_shop_page(client, seller):
    vendor, user = seller
    client.post(reverse("invoices:settings"), form_data(accept_authorisation="on"))
    page = client.get(vendor.get_absolute_url()).content.decode()
    assert "ủy nhiệm" in page or "authorisation" in page


def test_workspace_export_button(client, seller, django_capture_on_commit_callbacks):
    import io
    import zipfile

    vendor, user = seller
    client.post(reverse("invoices:settings"), form_data(accept_authorisation="on"))
    product = create_product(vendor=vendor, price=100000, stock=5)
    client.logout()
    order, _ = place_order(client, [(product, 1)], "cod")
    with django_capture_on_commit_callbacks(execute=True):
        for status in (Fulfilment.CONFIRMED, Fulfilment.SHIPPED, Fulfilment.DELIVERED):
            fulfilment_set_status(fulfilment=order.fulfilments.get(), status=status, tracking_code="VN1")
    client.force_login(user)
    response = client.get(reverse("invoices:export"), {"from": "01/01/2020", "to": "31/12/2030"})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert any(n.endswith(".xml") for n in names) and any(n.endswith(".csv") for n in names)
    other = create_vendor(name="Khác")
    assert Invoice.objects.filter(vendor=other).count() == 0


def test_own_provider_needs_the_providers_tax_code(client, seller):
    url = reverse("invoices:settings")
    response = client.post(url, form_data(mode="own_provider"))
    assert response.status_code == 400
    assert "Nhập mã số thuế của nhà cung cấp hóa đơn điện tử của bạn." in response.content.decode()
    assert client.post(url, form_data(mode="own_provider", provider_tax_code="0100109106")).status_code == 302
    assert SellerInvoicingProfile.objects.get(vendor=seller[0]).provider_tax_code == "0100109106"
