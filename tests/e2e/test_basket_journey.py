"""A shopper on a 390 px phone: quantity stepper and "Mua ngay" on the product page, then the basket grouped by
seller, changed with the stepper (saved without reloading the page) and emptied with "Xóa"."""
import pytest

from tests.factories import create_product, create_vendor

from .helpers import PHONE, new_page, shot, visible_text

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_shops(transactional_db, home_page):
    candy_shop = create_vendor(name="HTX Kẹo cu đơ Đức Thọ", code="E-KEO")
    sauce_shop = create_vendor(name="Cơ sở Nước mắm Cẩm Nhượng", code="E-MAM")
    candy_shop.free_shipping_over = 300000
    candy_shop.save(update_fields=["free_shipping_over"])
    return {"candy": create_product(vendor=candy_shop, title="Kẹo cu đơ Thành Đạt", price=65000, stock=4),
            "sauce": create_product(vendor=sauce_shop, title="Nước mắm Cẩm Nhượng", price=120000, stock=9),
            "candy_shop": candy_shop, "sauce_shop": sauce_shop}


def no_sideways_scroll(page):
    return page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]


def test_stepper_buy_now_and_basket_on_a_phone(browser, live_server, two_shops):
    context, page = new_page(browser, PHONE)
    try:
        page.goto(live_server.url + two_shops["sauce"].get_absolute_url())
        page.click("#add-to-basket")
        page.wait_for_load_state()

        page.goto(live_server.url + two_shops["candy"].get_absolute_url())
        quantity = page.locator("#add_to_basket_form input[name=quantity]")
        plus = page.locator("#add_to_basket_form .stepper__btn--plus")
        for _ in range(4):  # the stock is 4: the plus stops there
            if plus.is_enabled():
                plus.click()
        assert quantity.input_value() == "4" and plus.is_disabled()
        page.locator("#add_to_basket_form .stepper__btn--minus").click()
        assert quantity.input_value() == "3"
        assert no_sideways_scroll(page)
        shot(page, "basket-01-product-stepper")
        page.click("#buy-now")
        page.wait_for_url("**/checkout/")

        page.goto(live_server.url + "/basket/")
        groups = page.locator(".seller-cart")
        assert groups.count() == 2
        candy = groups.filter(has_text="HTX Kẹo cu đơ Đức Thọ")
        assert candy.locator(".stepper__input").input_value() == "3"
        assert "Mua thêm 105.000 ₫ từ shop này để được miễn phí vận chuyển" in visible_text(page, "main")
        assert page.locator(".cart__summary").is_visible() and no_sideways_scroll(page)
        shot(page, "basket-02-basket")

        # the plus saves without reloading: the header count and the shop's hint follow
        candy.locator(".stepper__btn--plus").click()
        page.locator("#basket-content[data-basket-count='5']").wait_for(state="attached")
        assert page.locator(".action-link--basket .action-link__count").inner_text() == "5"
        assert "Mua thêm 40.000 ₫ từ shop này" in visible_text(page, "main")
        page.reload()
        assert page.locator(".seller-cart", has_text="HTX Kẹo cu đơ Đức Thọ").locator(
            ".stepper__input").input_value() == "4"
        shot(page, "basket-03-after-plus")

        page.locator(".seller-cart", has_text="Cơ sở Nước mắm Cẩm Nhượng").locator(".cart-line__remove").click()
        page.locator("#basket-content[data-basket-count='4']").wait_for(state="attached")
        assert page.locator(".seller-cart").count() == 1
        page.locator(".cart-line__remove").click()
        page.locator(".cart-empty").wait_for()
        assert "Giỏ hàng của bạn đang trống" in visible_text(page, "main")
        assert page.locator(".action-link--basket .action-link__count").inner_text() == "0"
        shot(page, "basket-04-empty")
        assert page.js_errors == [], page.js_errors
    finally:
        context.close()
