"""Journey 1 — a shopper on a phone finds two sellers' products by typing without diacritics, narrows the
results with facets, pays both with one VNPay payment on the sandbox, follows the order while the sellers
confirm, ship and deliver their parcels, and downloads each seller's e-invoice from the order page."""
import re

import pytest

from invoicing.models import Invoice
from marketplace.order import statuses
from payments.models import Payment
from places.models import Commune
from tests.factories import create_product, create_vendor
from vendors.models import Fulfilment, Vendor

from .helpers import (
    DESKTOP, PHONE, add_to_basket, checkout_as_guest, download, fulfil_in_browser, fulfil_over_http, invoicing_profile,
    log_in, make_user, new_page, open_guest_order, order_part, pay_on_vnpay_sandbox, shot, use_sandboxes,
    visible_text,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "khach.lan@example.com"
CANDY_SELLER = "HTX Kẹo cu đơ Đức Thọ"
HONEY_SELLER = "Hộ kinh doanh Mật ong Hương Sơn"


@pytest.fixture
def market(transactional_db, home_page):
    """Three sellers; two of them signed the e-invoicing authorisation (the third is only a search rival)."""
    candy_seller = create_vendor(name=CANDY_SELLER, code="T-KEO", commune_code="18073", tax_code="3001234567")
    honey_seller = create_vendor(name=HONEY_SELLER, code="T-MATONG", commune_code="18133",
                                 seller_type=Vendor.TYPE_HOUSEHOLD, tax_code="042185000123")
    rival = create_vendor(name="Công ty Đặc sản Hồng Lĩnh", code="T-HL", seller_type=Vendor.TYPE_ENTERPRISE)
    for vendor in (candy_seller, honey_seller):
        vendor.street_address = "Thôn 5"
        vendor.save(update_fields=["street_address"])
    invoicing_profile(candy_seller, vat=True)
    invoicing_profile(honey_seller, vat=False)
    candy = create_product(vendor=candy_seller, title="Kẹo cu đơ Thành Đạt", price=65000, stars=4, ocop_code="I.3.b")
    create_product(vendor=rival, title="Kẹo cu đơ gừng Hồng Lĩnh", price=45000, stars=3, ocop_code="I.3.b")
    honey = create_product(vendor=honey_seller, title="Mật ong rừng Hương Sơn", price=180000, stars=3,
                           ocop_code="I.2.b")
    create_product(vendor=rival, title="Mật ong hoa nhãn Hồng Lĩnh", price=150000, ocop_code="I.2.b")
    return {"candy": candy, "honey": honey, "candy_seller": candy_seller, "honey_seller": honey_seller,
            "honey_district": Commune.objects.get(code="18133").former_district}


def test_search_facets_two_sellers_vnpay_delivery_and_invoices(browser, live_server, settings, market):
    use_sandboxes(settings, live_server)
    candy_user = make_user("ban-keo", "ban.keo@example.com")
    market["candy_seller"].partner.users.add(candy_user)
    honey_user = make_user("ban-mat-ong", "ban.matong@example.com")
    market["honey_seller"].partner.users.add(honey_user)

    shopper_context, shopper = new_page(browser, PHONE)
    seller_context, seller = new_page(browser, DESKTOP)
    try:
        find_and_basket(shopper, live_server, market)
        checkout_as_guest(shopper, live_server, EMAIL, prefix="shopper-05")
        # 65.000 + 180.000 of goods and 2 × 30.000 of shipping, one fee per seller
        assert "305.000" in visible_text(shopper)
        pay_on_vnpay_sandbox(shopper, prefix="shopper-06")
        shot(shopper, "shopper-07-paid")
        open_guest_order(shopper, EMAIL)
        parts = visible_text(shopper, "#order-parts")
        assert CANDY_SELLER in parts and HONEY_SELLER in parts and "Đã thanh toán" in parts
        assert "Hóa đơn điện tử" not in parts  # nothing delivered yet, nothing invoiced
        shot(shopper, "shopper-08-order-paid")
        order_url = shopper.url

        # The candy seller works in its workspace (desktop); the honey household posts the same pages.
        candy_part = Fulfilment.objects.get(vendor=market["candy_seller"])
        honey_part = Fulfilment.objects.get(vendor=market["honey_seller"])
        log_in(seller, live_server, "ban.keo@example.com", "/ban-hang/don-hang/")
        fulfil_in_browser(seller, live_server, candy_part.number, "VTP123456789", prefix="shopper-09-seller")
        fulfil_over_http(honey_user, honey_part.number, "EV987654321VN")

        shopper.goto(order_url)
        candy = order_part(shopper, CANDY_SELLER)
        honey = order_part(shopper, HONEY_SELLER)
        for part, tracking in ((candy, "VTP123456789"), (honey, "EV987654321VN")):
            assert part.get_attribute("data-status") == "delivered"
            assert tracking in part.inner_text() and "Đã giao" in part.inner_text()
        shot(shopper, "shopper-10-order-delivered")

        for part, vendor in ((candy, market["candy_seller"]), (honey, market["honey_seller"])):
            invoice = Invoice.objects.get(fulfilment__vendor=vendor, relation=Invoice.ORIGINAL)
            link = part.get_by_role("link", name=re.compile("Hóa đơn điện tử"))
            assert f"{invoice.symbol}-{invoice.number}" in link.inner_text()
            name, body = download(shopper, link.click)
            assert name == f"{invoice.file_stem}.pdf", name
            assert name.startswith(f"{vendor.tax_code}_{invoice.template_number}{invoice.symbol}_")
            assert body.startswith(b"%PDF") and len(body) > 2000
        for page in (shopper, seller):
            assert page.js_errors == [], page.js_errors
    finally:
        shopper_context.close()
        seller_context.close()

    payment = Payment.objects.get()
    assert payment.status == Payment.PAID and payment.order.status in {statuses.PAID, statuses.COMPLETED}
    invoices = Invoice.objects.filter(relation=Invoice.ORIGINAL).order_by("template_number")
    assert [(str(i.template_number), i.total_payable) for i in invoices] == [("1", 95000), ("2", 210000)]
    assert all(i.provider_status == Invoice.PROVIDER_ACCEPTED and i.tax_authority_code for i in invoices)


def find_and_basket(page, live_server, market):
    """Header search without diacritics → a facet → the product → basket; twice, for two sellers."""
    page.goto(live_server.url + "/")
    shot(page, "shopper-01-home")

    # "keo cu do" finds both candies; the 4-star facet keeps the certified 4★ one.
    page.fill("#site-search-q", "keo cu do")
    page.press("#site-search-q", "Enter")
    page.wait_for_url("**/search/?q=keo+cu+do*")
    results = visible_text(page, "main")
    assert "Kẹo cu đơ Thành Đạt" in results and "Kẹo cu đơ gừng Hồng Lĩnh" in results
    assert "Mật ong" not in results and "Tìm thấy 2 sản phẩm" in results
    page.click(".filter-toggle")  # on a phone the facets fold under "Bộ lọc"
    page.locator("#filters.collapse.show").wait_for()  # opened, not mid-animation: a click then navigates
    star_facet = page.locator(".listing__filters a.chip[href*='stars=4']")
    star_facet.wait_for(state="visible")
    star_facet.click()
    page.wait_for_url(re.compile(r".*/search/\?.*stars=4"))
    results = visible_text(page, ".listing__results")
    assert "Kẹo cu đơ Thành Đạt" in results and "Hồng Lĩnh" not in results
    assert "Tìm thấy 1 sản phẩm" in visible_text(page, "main")
    shot(page, "shopper-02-search-stars")

    page.get_by_role("link", name="Kẹo cu đơ Thành Đạt").first.click()
    page.wait_for_url(f"**{market['candy'].get_absolute_url()}")
    assert page.locator(".ocop-badge").first.is_visible()
    assert "65.000 ₫" in visible_text(page)
    shot(page, "shopper-03-product")
    add_to_basket(page)

    # "mat ong" finds both honeys; the former-district facet keeps the one from Hương Sơn.
    page.fill("#site-search-q", "mat ong")
    page.press("#site-search-q", "Enter")
    page.wait_for_url("**/search/?q=mat+ong*")
    results = visible_text(page, "main")
    assert "Mật ong rừng Hương Sơn" in results and "Mật ong hoa nhãn Hồng Lĩnh" in results
    page.click(".filter-toggle")
    page.locator("#filters.collapse.show").wait_for()  # opened, not mid-animation: a click then navigates
    district = page.locator(f".listing__filters a.chip[href*='district={market['honey_district'].slug}']")
    district.wait_for(state="visible")
    district.click()
    page.wait_for_url(re.compile(rf".*district={market['honey_district'].slug}"))
    results = visible_text(page, ".listing__results")
    assert "Mật ong rừng Hương Sơn" in results and "Mật ong hoa nhãn" not in results
    page.get_by_role("link", name="Mật ong rừng Hương Sơn").first.click()
    page.wait_for_url(f"**{market['honey'].get_absolute_url()}")
    add_to_basket(page)

    page.goto(live_server.url + "/basket/")
    basket = visible_text(page, "main")
    assert "Kẹo cu đơ Thành Đạt" in basket and "Mật ong rừng Hương Sơn" in basket
    shot(page, "shopper-04-basket")
