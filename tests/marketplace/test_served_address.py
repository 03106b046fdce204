"""The local sandboxes follow the address the site is served on (issue 14.3): nothing about VNPay or the
e-invoice provider is configured here, and the live server listens on a random port, not 8000."""
import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from bench.http_shopper import Shopper
from invoicing.models import Invoice
from marketplace import served
from marketplace.order import statuses
from payments.models import Payment
from tests.factories import create_product
from tests.invoicing.factories import create_invoicing_vendor
from vendors.models import Fulfilment

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def nothing_configured(settings, monkeypatch):
    monkeypatch.delenv(served.ENV, raising=False)
    assert (settings.VNPAY_PAYMENT_URL, settings.VNPAY_API_URL, settings.EINVOICE_PROVIDER_URL) == ("", "", "")
    assert settings.VNPAY_SANDBOX_ENABLED and settings.EINVOICE_SANDBOX_ENABLED


def signed_in(base_url, user):
    """A requests session carrying ``user``'s session cookie, for the live server."""
    client = Client()
    client.force_login(user)
    browser = Shopper(base_url)
    browser.http.cookies.set("sessionid", client.cookies["sessionid"].value)
    return browser


def test_on_another_port_pay_on_the_sandbox_deliver_and_get_a_coded_invoice(nothing_configured, live_server,
                                                                           django_user_model):
    port = urlsplit(live_server.url).port
    assert port != 8000
    vendor = create_invoicing_vendor(vat=False)
    seller = django_user_model.objects.create_user(username="seller", email="seller@example.com",
                                                   password="pw-Seller-12345")
    vendor.partner.users.add(seller)
    product = create_product(vendor=vendor, title="Kẹo cu đơ Thành Đạt", price=45000, stock=5)

    shopper = Shopper(live_server.url)
    shopper.add_to_basket(product, 2)
    payment_page = shopper.checkout("vnpay")
    # The browser was sent to this server's own sandbox, on the host and port it is using.
    redirect = payment_page.history[0]
    assert redirect.status_code == 302
    assert redirect.headers["Location"].startswith(f"{live_server.url}/sandbox/vnpay/paymentv2/vpcpay.html?")
    assert payment_page.status_code == 200 and "120.000" in payment_page.text
    # The checkout page's CSP lets its form lead there ('self': the sandbox is this very origin).
    form_action = re.search(r"form-action ([^;]*)", shopper.get("/checkout/preview/").headers.get(
        "Content-Security-Policy", "")) or re.search(r"form-action ([^;]*)", payment_page.headers.get(
            "Content-Security-Policy", ""))
    assert form_action and form_action.group(1).split() == ["'self'"]

    result = shopper.pay_on_sandbox(payment_page, "success")
    assert result.url.startswith(f"{live_server.url}/payments/vnpay/return/")
    assert 'data-outcome="paid"' in result.text
    order = Order.objects.get()
    assert order.status == statuses.PAID  # the sandbox's IPN reached this server
    assert Payment.objects.get(order=order).status == Payment.PAID

    seller_browser = signed_in(live_server.url, seller)
    part = order.fulfilments.get()
    url = reverse("seller:fulfilment", kwargs={"number": part.number})
    for data in ({"action": "confirm"}, {"action": "ship", "tracking_code": "VNPOST123", "carrier": "VNPost"},
                 {"action": "deliver"}):
        response = seller_browser.post(url, data, allow_redirects=False)
        assert response.status_code == 302, (data, response.status_code)
    part.refresh_from_db()
    assert part.status == Fulfilment.DELIVERED

    # Delivery issued the invoice and sent it, server to server, to the emulator on this same port.
    invoice = Invoice.objects.get(fulfilment=part)
    assert invoice.provider_status == Invoice.PROVIDER_ACCEPTED, invoice.provider_reason
    assert len(invoice.tax_authority_code) == 34 and invoice.signed_xml


def test_without_a_request_the_sandboxes_are_called_where_the_server_listens(nothing_configured, live_server,
                                                                          monkeypatch):
    """Tasks and commands (no request) use SERVED_URL, which `manage.py serve` records at start-up."""
    monkeypatch.setenv(served.ENV, live_server.url)
    assert served.vnpay_api_url() == f"{live_server.url}/sandbox/vnpay/merchant_webapi/api/transaction"
    assert served.einvoice_provider_url() == f"{live_server.url}/sandbox/einvoice/api/"
    assert served.listen_url("0.0.0.0", "8011") == "http://127.0.0.1:8011"
    assert served.listen_url("::", "8011", ipv6=True) == "http://[::1]:8011"
