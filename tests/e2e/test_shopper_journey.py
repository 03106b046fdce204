"""A shopper on a phone and on a desktop: home → product group → product → add to basket → basket."""
from pathlib import Path

import pytest

from catalogue.product_import import _category_for
from marketplace.cms.models import FeaturedProduct
from tests.factories import create_product, create_vendor

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path("test-results") / "screenshots"


def visible_text(page):
    return page.inner_text("body").replace("\xa0", " ")


@pytest.fixture
def shop(transactional_db, home_page):
    vendor = create_vendor(name="HTX Kẹo cu đơ Đức Thọ", commune_code="18073")
    other = create_vendor(name="Cơ sở Thu Hùng", commune_code="18754")
    candy = create_product(vendor=vendor, title="Kẹo cu đơ Thành Đạt", price=150000, stars=4, ocop_code="I.3.b")
    sauce = create_product(vendor=other, title="Nước mắm Cẩm Nhượng", price=95000, stars=3, ocop_code="I.4.a")
    wine = create_product(vendor=other, title="Rượu nếp cái Hà Mai", price=120000, ocop_code="II.1.a")
    for product in (candy, sauce, wine):
        product.categories.add(_category_for(product.ocop_classification))
    FeaturedProduct.objects.create(page=home_page, product=candy, sort_order=0)
    return {"candy": candy}


VIEWPORTS = [(390, 844, "phone"), (1280, 900, "desktop")]


def test_home_to_basket_on_phone_and_desktop(browser, live_server, shop):
    """One live-server test drives both widths (each in a fresh browser context: its own basket)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width, height, label in VIEWPORTS:
        context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN",
                                      timezone_id="Asia/Ho_Chi_Minh")
        try:
            journey(context.new_page(), live_server, shop, label)
        finally:
            context.close()


def journey(page, live_server, shop, label):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.screenshot(path=str(SCREENSHOTS / f"{label}-1-home.png"), full_page=True)

    # Suggestions appear under the search box from the second character, without diacritics.
    page.fill("#site-search-q", "keo cu")
    page.wait_for_selector(".suggest-box__item")
    assert "Kẹo cu đơ Thành Đạt" in page.inner_text(".suggest-box")
    page.keyboard.press("Escape")

    # Product group "Thực phẩm" (food) from the home page's group tiles or the navigation.
    page.locator("a[href='/catalogue/?group=I']").first.click()
    page.wait_for_url("**/catalogue/?group=I")
    assert page.get_by_text("Kẹo cu đơ Thành Đạt").first.is_visible()
    assert page.get_by_text("Rượu nếp cái Hà Mai").count() == 0
    page.screenshot(path=str(SCREENSHOTS / f"{label}-2-group.png"), full_page=True)

    page.get_by_role("link", name="Kẹo cu đơ Thành Đạt").first.click()
    page.wait_for_url(f"**{shop['candy'].get_absolute_url()}")
    assert page.locator(".ocop-badge").first.is_visible()
    assert "150.000 ₫" in visible_text(page)
    page.screenshot(path=str(SCREENSHOTS / f"{label}-3-product.png"), full_page=True)

    page.locator("#add_to_basket_form button[type=submit], form[action*='/basket/add/'] button[type=submit]").first.click()
    page.wait_for_load_state()
    page.goto(live_server.url + "/basket/")
    content = visible_text(page)
    assert "Kẹo cu đơ Thành Đạt" in content
    assert "150.000 ₫" in content
    page.screenshot(path=str(SCREENSHOTS / f"{label}-4-basket.png"), full_page=True)
    assert errors == []
