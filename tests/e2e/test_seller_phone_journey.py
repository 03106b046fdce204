"""A household seller works on a 390 px phone: signs in and lands in its workspace, finds a cash-on-delivery
order as a card that says how much to collect, confirms, hands it to the carrier, marks it delivered, finds
the invoice (PDF and XML on screen) and the sale in its statement; the same pages at 1280 px. No page of the
journey shows English or a raw field name in Vietnamese."""
import re

import pytest

from invoicing.models import Invoice
from vendors.models import Fulfilment

from .helpers import (
    DESKTOP, PHONE, download, invoicing_profile, make_user, new_page, shot, use_sandboxes, visible_text,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "ho.lethibinh@example.com"
#: English words that have no place on a Vietnamese page (brand and format names such as VNPay, COD, PDF,
#: XML, CSV, XLSX and OCOP are Vietnamese usage too).
ENGLISH = re.compile(
    r"\b(the|and|of|your|order|orders|status|new|confirmed|shipped|delivered|cancelled|payment|invoice|invoices|"
    r"total|shipping|statement|balance|refund|commission|cash|seller|buyer|download|kind|original|date|number|"
    r"placed|history|collected|nothing|mark|carrier|tracking|sales|products?|payouts?|entries|note)\b", re.I)
RAW_FIELD = re.compile(r"\b[a-z]+_[a-z_]+\b|\b(True|False|None)\b")


def assert_no_english(page):
    """The page's visible text has no English word and no raw field name (e.g. ``ocop_code``, ``False``)."""
    text = visible_text(page)
    english = sorted({m.group(0) for m in ENGLISH.finditer(text)})
    raw = sorted({m.group(0) for m in RAW_FIELD.finditer(text)})
    assert not english and not raw, (page.url, english, raw)


def both_widths(page, name):
    shot(page, f"seller-phone-{name}-390")
    page.set_viewport_size(DESKTOP)
    shot(page, f"seller-phone-{name}-1280")
    assert_no_english(page)
    page.set_viewport_size(PHONE)


def on_screen(page, locator):
    """The element is inside the viewport's width (nothing to scroll sideways for)."""
    box = locator.bounding_box()
    width = page.viewport_size["width"]
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


@pytest.fixture
def household(settings, live_server, client):
    from django.test import Client

    from tests.checkout import place_order
    from tests.factories import create_product, create_vendor
    from vendors.models import Vendor

    use_sandboxes(settings, live_server)
    vendor = create_vendor(name="Hộ kinh doanh Lê Thị Bình", seller_type=Vendor.TYPE_HOUSEHOLD,
                           tax_code="042185054321")
    vendor.street_address = "Thôn 5"
    vendor.save(update_fields=["street_address"])
    invoicing_profile(vendor, vat=False)
    user = make_user("lethibinh", EMAIL)
    vendor.partner.users.add(user)
    product = create_product(vendor=vendor, title="Mật ong rừng Vũ Quang", price=250000, stock=20)
    order, _ = place_order(Client(), [(product, 2)], "cod")
    return {"vendor": vendor, "part": order.fulfilments.get()}


def test_household_seller_works_on_a_phone(browser, live_server, household):
    number = household["part"].number
    context, page = new_page(browser, PHONE)
    try:
        # Sign in with no "next": a seller lands in its workspace.
        page.goto(live_server.url + "/accounts/login/")
        page.fill("input[name=login-username]", EMAIL)
        page.fill("input[name=login-password]", "Pw-e2e-journey-2025")
        page.click("button[name=login_submit]")
        page.wait_for_url("**/ban-hang/")
        both_widths(page, "01-workspace")

        page.click("a[href='/ban-hang/don-hang/']")
        page.wait_for_url("**/ban-hang/don-hang/")
        card = page.locator(f"#order-cards .work-card[data-number='{number}']")
        text = card.inner_text().replace("\xa0", " ")
        assert "Thanh toán khi nhận hàng (COD)" in text and "530.000 ₫" in text and "Mới" in text
        assert "Phường Thành Sen" in text
        button = card.get_by_role("button", name="Xác nhận")
        assert on_screen(page, card.locator(".status")) and on_screen(page, button)
        both_widths(page, "02-orders")

        button.click()  # the card's next step
        page.wait_for_url(f"**/ban-hang/don-hang/{number}/")
        page.wait_for_selector(".status--confirmed")
        assert "Đơn vị vận chuyển thu của người mua 530.000 ₫." in visible_text(page, "#order-payment")
        form = page.locator("form#ship")
        form.locator("input[name=carrier]").fill("Viettel Post")
        form.locator("input[name=tracking_code]").fill("VTP2026000123")
        form.locator("button[type=submit]").click()
        page.wait_for_selector(".status--shipped")
        page.locator("form:has(input[name=action][value=deliver]) button[type=submit]").click()
        page.wait_for_selector(".status--delivered")
        history = visible_text(page, "#history")
        for words in ("Đơn hàng được đặt", "Đã xác nhận", "Đã giao cho đơn vị vận chuyển", "Đã giao đến người mua"):
            assert words in history, history
        assert "→" not in history
        both_widths(page, "03-order-delivered")

        page.goto(live_server.url + "/ban-hang/hoa-don/")
        invoice = Invoice.objects.get(fulfilment__number=number)
        card = page.locator("#invoice-cards .work-card", has=page.get_by_role("link", name=number))
        assert "Hóa đơn gốc" in card.inner_text()
        for label in ("Tải PDF", "Tải XML"):
            assert on_screen(page, card.get_by_role("link", name=label)), label
        name, pdf = download(page, card.get_by_role("link", name="Tải PDF").click)
        assert name == f"{invoice.file_stem}.pdf" and pdf.startswith(b"%PDF")
        name, xml = download(page, card.get_by_role("link", name="Tải XML").click)
        assert xml.startswith(b"<?xml")
        page.set_viewport_size(DESKTOP)
        for label in ("Tải PDF", "Tải XML"):
            assert on_screen(page, card.get_by_role("link", name=label)), label
        page.set_viewport_size(PHONE)
        both_widths(page, "04-invoices")

        page.goto(live_server.url + "/ban-hang/doi-soat/")
        summary = visible_text(page, "#statement-summary")
        assert "Doanh thu bán hàng" in summary and "500.000 ₫" in summary and "−0 ₫" not in summary
        entries = visible_text(page, "#statement-entries")
        assert number in entries and "bạn đã thu tiền mặt của người mua" in entries
        both_widths(page, "05-statement")

        page.goto(live_server.url + "/ban-hang/thong-ke/")
        both_widths(page, "06-statistics")
        assert page.js_errors == [], page.js_errors
    finally:
        context.close()
    assert Fulfilment.objects.get(number=number).status == Fulfilment.DELIVERED
