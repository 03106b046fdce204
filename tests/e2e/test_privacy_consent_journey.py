"""On a 390 px phone, the one checkout page asks for consent to the personal data notice: unticked, in
Vietnamese, next to the "Place order" button, with the notice one tap away; without it the order is refused
with the message beside the box, with it the order is placed and the consent recorded."""
import pytest

from privacy.models import ConsentRecord
from tests.factories import create_product, create_vendor

from .helpers import PHONE, add_to_basket, new_page, shot, visible_text

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_checkout_consent_on_a_phone(browser, live_server):
    product = create_product(vendor=create_vendor(name="HTX Kẹo cu đơ", code="T-RIENG"), title="Kẹo cu đơ",
                             price=65000, stock=5)
    context, page = new_page(browser, PHONE)
    try:
        page.goto(live_server.url + product.get_absolute_url())
        add_to_basket(page)
        page.goto(live_server.url + "/checkout/")
        box = page.locator("input[name=privacy_consent]")
        assert box.is_visible() and not box.is_checked()
        text = visible_text(page, "#field-privacy_consent")
        assert "Tôi đã đọc thông báo xử lý dữ liệu cá nhân" in text and "phiên bản 1.0" in text
        # the box and its label fit the phone's width
        width = page.evaluate("document.querySelector('#field-privacy_consent').getBoundingClientRect().right")
        assert width <= PHONE["width"]
        page.fill("input[name=full_name]", "Nguyễn Thị Lan")
        page.fill("input[name=phone]", "0912345678")
        page.select_option("select[name=province]", "42")
        page.locator("select[name=ward] option[value='18073']").wait_for(state="attached")
        page.select_option("select[name=ward]", "18073")
        page.fill("input[name=street]", "12 Trần Phú")
        page.check("input[name=method][value=cod]")
        page.click("#place-order")
        page.wait_for_selector("#error-privacy_consent")
        assert "Vui lòng đánh dấu đồng ý" in visible_text(page, "#field-privacy_consent")
        page.locator("#field-privacy_consent").scroll_into_view_if_needed()
        shot(page, "privacy-checkout-consent-390-refused")
        page.check("input[name=privacy_consent]")
        page.click("#place-order")
        page.wait_for_url("**/checkout/thank-you/")
        assert page.js_errors == []
    finally:
        context.close()
    consent = ConsentRecord.objects.get()
    assert consent.purpose == ConsentRecord.ORDER and consent.notice_version == "1.0" and consent.order is not None
