"""A shopper on a phone buys from two sellers, pays on the VNPay sandbox page and sees the paid order."""
from pathlib import Path

import pytest

from marketplace.order import statuses
from payments.models import Payment
from tests.factories import create_product, create_vendor

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path("test-results") / "screenshots"


def test_buy_from_two_sellers_and_pay_with_vnpay(browser, live_server, settings):
    settings.VNPAY_PAYMENT_URL = live_server.url + "/sandbox/vnpay/paymentv2/vpcpay.html"
    settings.VNPAY_API_URL = live_server.url + "/sandbox/vnpay/merchant_webapi/api/transaction"
    settings.VNPAY_SANDBOX_IPN_BACKGROUND = False
    candy = create_product(vendor=create_vendor(name="HTX Kẹo cu đơ Đức Thọ"), title="Kẹo cu đơ Thành Đạt",
                           price=65000, stock=10)
    sauce = create_product(vendor=create_vendor(name="Cơ sở Nước mắm Thu Hùng", commune_code="18754"),
                           title="Nước mắm Thu Hùng", price=120000, stock=10, ocop_code="I.4.a")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    page = context.new_page()
    try:
        for product in (candy, sauce):
            page.goto(live_server.url + product.get_absolute_url())
            page.locator("form[action*='/basket/add/'] button[type=submit]").first.click()
            page.wait_for_load_state()
        page.goto(live_server.url + "/basket/")
        assert "Kẹo cu đơ Thành Đạt" in page.content() and "Nước mắm Thu Hùng" in page.content()

        page.goto(live_server.url + "/checkout/")
        page.fill("input[name=username]", "khach@example.com")
        page.check("input[name=options][value=anonymous]")
        page.locator("form button[type=submit]").first.click()
        page.wait_for_url("**/checkout/shipping-address/")
        page.fill("input[name=first_name]", "Lan")
        page.fill("input[name=last_name]", "Nguyễn")
        page.fill("input[name=line1]", "12 Trần Phú")
        page.fill("input[name=line4]", "Phường Thành Sen")
        page.fill("input[name=phone_number]", "0912345678")
        page.locator("#new_shipping_address button[type=submit], form button[type=submit]").last.click()
        page.wait_for_url("**/checkout/payment-details/")
        page.check("input[name=method][value=vnpay]")
        page.screenshot(path=str(SCREENSHOTS / "checkout-1-payment-method.png"), full_page=True)
        page.click("#view_preview")
        page.wait_for_url("**/checkout/preview/")
        page.screenshot(path=str(SCREENSHOTS / "checkout-2-preview.png"), full_page=True)
        page.click("#place-order")
        page.wait_for_url("**/sandbox/vnpay/paymentv2/vpcpay.html*")
        # 65.000 + 120.000 of goods and 2 × 30.000 of shipping, one fee per seller
        assert "245.000" in page.inner_text("body").replace("\xa0", " ")
        page.screenshot(path=str(SCREENSHOTS / "checkout-3-vnpay-sandbox.png"), full_page=True)
        page.click("button[name=outcome][value=success]")
        page.wait_for_url("**/payments/vnpay/return/*")
        assert page.locator("[data-outcome=paid]").is_visible()
        page.screenshot(path=str(SCREENSHOTS / "checkout-4-paid.png"), full_page=True)
        page.click("text=Xem đơn hàng")
        page.fill("input[name=email]", "khach@example.com")
        page.locator("form button[type=submit]").last.click()
        page.wait_for_selector("#order-parts")
        text = page.inner_text("#order-parts")
        assert "HTX Kẹo cu đơ Đức Thọ" in text and "Cơ sở Nước mắm Thu Hùng" in text
        assert "Đã thanh toán" in text
        page.screenshot(path=str(SCREENSHOTS / "checkout-5-order.png"), full_page=True)
    finally:
        context.close()
    payment = Payment.objects.get()
    assert payment.status == Payment.PAID and payment.order.status == statuses.PAID
