"""WCAG 2.1 AA in the browser (issue 21): axe-core finds nothing on the pages a shopper, a seller and the
department use, in Vietnamese and English, on a phone (390 px) and a desktop (1280 px); and a shopper who
only uses the keyboard searches, opens a product, adds it and reaches checkout, always seeing where focus is.
"""
import pytest

from catalogue.product_import import _category_for
from marketplace.cms.models import FeaturedProduct
from marketplace.roles import DEPARTMENT_GROUP
from tests.reports.fixtures import build_marketplace

from .accessibility import assert_accessible, axe_violations
from .helpers import DESKTOP, PHONE, log_in, make_user, new_page, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OFFICER = "a11y.so@example.com"


@pytest.fixture
def market(transactional_db, home_page):
    market = build_marketplace()
    for product in market["products"].values():
        product.categories.add(_category_for(product.ocop_classification))
    FeaturedProduct.objects.create(page=home_page, product=market["products"]["a1"], sort_order=0)
    make_user("a11y-so", OFFICER, DEPARTMENT_GROUP)
    return market


def public_paths(market):
    product = market["products"]["a1"]
    category = product.categories.first()
    return ["/", "/catalogue/", category.get_absolute_url(), product.get_absolute_url(), "/search/?q=keo",
            "/basket/", "/accounts/login/", "/accounts/register/"]


@pytest.mark.parametrize("viewport,width", [(PHONE, "390"), (DESKTOP, "1280")])
@pytest.mark.parametrize("language", ["vi", "en"])
def test_pages_pass_axe_in_both_languages_and_widths(browser, live_server, market, viewport, width, language):
    context, page = new_page(browser, viewport)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    found = []
    try:
        def check(path, name=None):
            page.goto(live_server.url + path)
            assert page.locator("html").get_attribute("lang") == language, path
            found.extend(axe_violations(page))
            if name:
                shot(page, f"a11y-{language}-{width}-{name}")

        check("/", "home")
        check(market["products"]["a1"].get_absolute_url(), "product")

        for path in public_paths(market):
            check(path)
        # A basket with a line, then the one checkout page; its errors are announced too.
        page.goto(live_server.url + market["products"]["a1"].get_absolute_url())
        page.locator("#add-to-basket").click()
        page.wait_for_load_state()
        found.extend(axe_violations(page))  # the message after adding
        check("/basket/")
        check("/checkout/", "checkout")
        page.click("#place-order")
        page.wait_for_load_state()
        assert page.locator("[aria-invalid=true]").count() > 0
        found.extend(axe_violations(page))
        page.goto(live_server.url + "/accounts/register/")
        page.locator("form#register_form button[type=submit], form[action*=register] button[type=submit]").first.click()
        page.wait_for_load_state()
        found.extend(axe_violations(page))

        log_in(page, live_server, "a@example.com", "/ban-hang/", password="x")
        check("/ban-hang/")
        page.context.clear_cookies()
        context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        log_in(page, live_server, OFFICER, "/so-cong-thuong/")
        check("/so-cong-thuong/")
    finally:
        context.close()
    assert not found, "axe-core (WCAG 2.1 A/AA) violations:\n" + "\n".join(found)


FOCUS_VISIBLE = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const width = parseFloat(style.outlineWidth) || 0;
    return {tag: el.tagName, name: el.getAttribute('name'), text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 40),
            outline: style.outlineStyle !== 'none' && width >= 2, shadow: style.boxShadow !== 'none',
            colour: style.outlineColor};
}"""


def focused(page):
    state = page.evaluate(FOCUS_VISIBLE)
    assert state is not None, "focus was lost (on the body)"
    assert state["outline"], f"focus not visible on {state}"
    return state


def tab_to(page, predicate, limit=80):
    """Press Tab until the focused element satisfies ``predicate``; check focus is visible at every stop."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = focused(page)
        if predicate(state):
            return state
    raise AssertionError("never reached by Tab")


@pytest.mark.parametrize("viewport,name", [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_keyboard_only_search_product_basket_checkout(browser, live_server, market, viewport, name):
    context, page = new_page(browser, viewport)
    try:
        page.goto(live_server.url + "/")
        # The search box is reached by Tab, typed into and sent with Enter.
        tab_to(page, lambda s: s["tag"] == "INPUT")
        page.keyboard.type("keo cu do")
        page.keyboard.press("Enter")
        page.wait_for_url("**/search/?q=keo*")
        assert_accessible(page)
        # The skip links come first; the second lands on the results, before the filters.
        page.keyboard.press("Tab")
        assert focused(page)["text"] == "Chuyển đến nội dung chính"
        page.keyboard.press("Tab")
        assert focused(page)["text"] == "Chuyển đến danh sách sản phẩm"
        page.keyboard.press("Enter")
        tab_to(page, lambda s: s["tag"] == "A" and "Kẹo cu đơ A1" in s["text"], limit=5)
        page.keyboard.press("Enter")
        page.wait_for_url(f"**{market['products']['a1'].get_absolute_url()}")
        tab_to(page, lambda s: s["tag"] == "BUTTON" and ("giỏ" in s["text"].lower()))
        with page.expect_navigation():
            page.keyboard.press("Enter")
        # Focus is not lost after adding: it is on the announced message.
        state = focused(page)
        assert page.locator("[role=status], [aria-live]").first.inner_text()
        shot(page, f"a11y-keyboard-{name}-added")
        # The message's own "Thanh toán ngay" (check out now) link.
        tab_to(page, lambda s: s["tag"] == "A" and "thanh toán" in s["text"].lower())
        with page.expect_navigation(url="**/checkout/"):
            page.keyboard.press("Enter")
        assert_accessible(page)
        page.keyboard.press("Tab")  # the skip link, then straight to the form
        page.keyboard.press("Enter")
        tab_to(page, lambda s: s["name"] == "full_name")
        page.keyboard.type("Nguyễn Thị Lan")
        assert page.locator("input[name=full_name]").input_value() == "Nguyễn Thị Lan"
        assert state
    finally:
        context.close()
