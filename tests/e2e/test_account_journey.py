"""A shopper on a phone and a desktop, with lockouts on: sign up with a mobile number from a product page and
come back to it; a guest follows an order by its number and phone."""
from pathlib import Path

import pytest
from django.test import Client

from tests.checkout import place_order
from tests.factories import create_product, create_vendor

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path("test-results") / "screenshots"
VIEWPORTS = [(390, 844, "phone"), (1280, 900, "desktop")]
PASSWORD = "Nuoc-Mam-Cam-Nhuong-7"


@pytest.fixture
def world(transactional_db, settings):
    settings.AXES_ENABLED = True
    vendor = create_vendor(name="HTX Kẹo cu đơ Đức Thọ")
    product = create_product(vendor=vendor, title="Kẹo cu đơ Thành Đạt", price=150000, stars=4)
    order, _ = place_order(Client(), [(product, 2)], "cod")
    return {"product": product, "order": order}


def test_phone_sign_up_returns_to_the_product_and_a_guest_follows_an_order(browser, live_server, world):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for index, (width, height, label) in enumerate(VIEWPORTS):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN",
                                      timezone_id="Asia/Ho_Chi_Minh")
        try:
            journey(context.new_page(), live_server, world, label, phone=f"098765432{index}")
        finally:
            context.close()


def journey(page, live_server, world, label, phone):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    product_url = live_server.url + world["product"].get_absolute_url()
    page.goto(product_url)
    page.click("#login_link")
    assert page.input_value("#id_registration-redirect_url") == world["product"].get_absolute_url()
    page.screenshot(path=str(SCREENSHOTS / f"{label}-account-1-login.png"), full_page=True)
    page.fill("#id_registration-phone", f"{phone[:4]} {phone[4:7]} {phone[7:]}")
    page.fill("#id_registration-password1", PASSWORD)
    page.fill("#id_registration-password2", PASSWORD)
    page.check("#id_registration-privacy_consent")
    page.click("button[name=registration_submit]")
    page.wait_for_url(product_url)
    page.goto(live_server.url + "/accounts/profile/")
    assert f"{phone[:4]} {phone[4:7]} {phone[7:]}" in page.inner_text("body")
    page.goto(live_server.url + "/accounts/logout/")  # a GET only asks…
    page.click("main form[action='/accounts/logout/'] button[type=submit]")  # …the POST signs out
    page.wait_for_load_state()

    # A guest: the footer's "Tra cứu đơn hàng", number + phone, the order.
    page.goto(live_server.url + "/don-hang/tra-cuu/")
    page.fill("#id_number", world["order"].number)
    page.fill("#id_contact", "0987 000 000")
    page.click("form.order-lookup-form button[type=submit]")
    assert "Không tìm thấy đơn hàng nào" in page.inner_text(".alert-danger")
    page.screenshot(path=str(SCREENSHOTS / f"{label}-account-2-lookup-not-found.png"), full_page=True)
    page.fill("#id_contact", "0912 345 678")
    page.click("form.order-lookup-form button[type=submit]")
    page.wait_for_url(f"**/accounts/order-status/{world['order'].number}/**")
    text = page.inner_text("body")
    assert "Kẹo cu đơ Thành Đạt" in text and "300.000" in text
    page.screenshot(path=str(SCREENSHOTS / f"{label}-account-3-order.png"), full_page=True)
    assert not errors
