"""A shopper on a 390 px phone: product → basket → the one checkout page → VNPay sandbox → paid, and the
same with cash on delivery and two sellers. Counts the pages from "add to basket" to "paid" (target: one
checkout page plus the payment page) and saves screenshots."""
import pytest

from marketplace.order import statuses
from payments.models import Payment
from tests.factories import create_product, create_vendor

from .helpers import DESKTOP, PHONE, add_to_basket, fill_checkout, new_page, shot, use_sandboxes, visible_text

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def products(transactional_db):
    return [create_product(vendor=create_vendor(name="HTX Kẹo cu đơ Đức Thọ", code="T-KEO"), title="Kẹo cu đơ Thành Đạt",
                           price=65000, stock=5),
            create_product(vendor=create_vendor(name="Cơ sở Nước mắm Thu Hùng", code="T-MAM"),
                           title="Nước mắm Thu Hùng", price=120000, stock=5)]


def watch_pages(page):
    """Every document the main frame loads, in order (a page is a page, whatever the taps)."""
    loaded = []
    page.on("framenavigated", lambda frame: loaded.append(frame.url) if frame == page.main_frame else None)
    return loaded


def to_checkout(page, live_server, products):
    for product in products:
        page.goto(live_server.url + product.get_absolute_url())
        add_to_basket(page)
    loaded = watch_pages(page)
    page.goto(live_server.url + "/basket/")
    return loaded


def test_vnpay_one_page_then_the_payment_page(browser, live_server, settings, products):
    use_sandboxes(settings, live_server)
    context, page = new_page(browser, PHONE)
    try:
        loaded = to_checkout(page, live_server, products[:1])
        fill_checkout(page, live_server, "khach@example.com", "vnpay", prefix="checkout-vnpay-01")
        page.wait_for_url("**/sandbox/vnpay/paymentv2/vpcpay.html*")
        assert "95.000" in visible_text(page)  # 65.000 + 30.000 shipping, as VNPay was asked
        shot(page, "checkout-vnpay-02-sandbox")
        page.click("button[name=outcome][value=success]")
        page.wait_for_url("**/payments/vnpay/return/*")
        assert page.locator("[data-outcome=paid]").is_visible()
        text = visible_text(page)
        assert "Đã thanh toán qua VNPay" in text and "HTX Kẹo cu đơ Đức Thọ" in text
        shot(page, "checkout-vnpay-03-paid")
        pages = [url.split("?")[0].replace(live_server.url, "") for url in loaded]
        # basket → the one checkout page → VNPay's payment page → paid
        assert pages == ["/basket/", "/checkout/", "/sandbox/vnpay/paymentv2/vpcpay.html",
                         "/payments/vnpay/return/"], pages
        assert page.js_errors == []
    finally:
        context.close()
    assert Payment.objects.get().status == Payment.PAID


def test_cash_on_delivery_two_sellers_and_the_no_js_ward_picker(browser, live_server, settings, products):
    use_sandboxes(settings, live_server)
    context, page = new_page(browser, PHONE)
    try:
        loaded = to_checkout(page, live_server, products)
        page.goto(live_server.url + "/checkout/")
        # Errors appear next to their fields, in Vietnamese.
        page.click("#place-order")
        page.wait_for_selector("#error-full_name")
        assert "Vui lòng nhập họ và tên người nhận." in visible_text(page, "#field-full_name")
        shot(page, "checkout-cod-01-errors")
        page.set_viewport_size(DESKTOP)
        shot(page, "checkout-cod-01-errors-desktop")
        page.set_viewport_size(PHONE)
        fill_checkout(page, live_server, "", "cod", prefix="checkout-cod-02")
        page.wait_for_url("**/checkout/thank-you/")
        text = visible_text(page)
        for part in ("HTX Kẹo cu đơ Đức Thọ", "Cơ sở Nước mắm Thu Hùng", "Số tiền trả khi nhận hàng", "245.000",
                     "0912 345 678"):
            assert part in text, part
        shot(page, "checkout-cod-03-confirmation")
        # The print button works under the CSP (a static script, no inline handler).
        page.evaluate("window.print = function () { window.printed = true; }")
        page.click("[data-print]")
        assert page.evaluate("window.printed") is True
        pages = [url.split("?")[0].replace(live_server.url, "") for url in loaded]
        assert pages.count("/checkout/thank-you/") == 1
        assert page.js_errors == []
    finally:
        context.close()
    assert Payment.objects.get().order.status == statuses.CASH_ON_DELIVERY
