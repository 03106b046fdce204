"""The basket page grouped by seller, its quantity stepper without JavaScript, stock problems on the line, and
the product page's quantity and "Mua ngay" (buy now), all through HTTP as a browser without JavaScript sends it."""
import re

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from tests.factories import create_product, create_vendor

pytestmark = pytest.mark.django_db

StockRecord = get_model("partner", "StockRecord")
NBSP = "\xa0"
BASKET_BUDGET = 30


def vnd(amount):
    return f"{amount:,}".replace(",", ".") + NBSP + "₫"


@pytest.fixture
def shops():
    """Three sellers with three shipping rules: free above 300.000, never free, free above 100.000."""
    candy_shop = create_vendor(name="HTX Kẹo cu đơ Đức Thọ", code="T-KEO")
    honey_shop = create_vendor(name="Hộ kinh doanh Mật ong Hương Sơn", code="T-MATONG", commune_code="18133")
    sauce_shop = create_vendor(name="Cơ sở Nước mắm Cẩm Nhượng", code="T-MAM")
    for vendor, fee, free_over in ((candy_shop, 30000, 300000), (honey_shop, 25000, None), (sauce_shop, 20000, 100000)):
        vendor.shipping_fee, vendor.free_shipping_over = fee, free_over
        vendor.save(update_fields=["shipping_fee", "free_shipping_over"])
    return {
        "candy_shop": candy_shop, "honey_shop": honey_shop, "sauce_shop": sauce_shop,
        "candy": create_product(vendor=candy_shop, title="Kẹo cu đơ Thành Đạt", price=65000, stock=5),
        "ginger": create_product(vendor=candy_shop, title="Kẹo gừng Đức Thọ", price=40000, stock=8),
        "honey": create_product(vendor=honey_shop, title="Mật ong rừng Hương Sơn", price=180000, stock=3),
        "sauce": create_product(vendor=sauce_shop, title="Nước mắm Cẩm Nhượng", price=120000, stock=4),
    }


def add(client, product, quantity=1, **extra):
    return client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity, **extra})


def page(client, language=None):
    response = client.get(reverse("basket:summary"))
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def text(node):
    return " ".join(node.get_text(" ").replace(NBSP, " ").split())


def group(soup, vendor):
    link = soup.find("a", class_="seller-cart__name", string=vendor.name)
    assert link is not None, f"no group for {vendor.name}"
    return link.find_parent("section", class_="seller-cart")


def line_of(soup, product):
    name = soup.find("a", class_="cart-line__name", string=re.compile(re.escape(product.get_title())))
    return name.find_parent("li", class_="cart-line")


def click(client, soup, button):
    """What a browser without JavaScript posts: the form's fields in page order, then the clicked button."""
    form = soup.find("form", id="basket_formset")
    data = []
    for field in form.find_all("input"):
        if field.get("name") and field.get("type") != "checkbox":
            data.append((field["name"], field.get("value", "")))
    if button is not None and button.get("name"):
        data.append((button["name"], button["value"]))
    payload = {}
    for key, value in data:
        payload.setdefault(key, []).append(value)
    return client.post(form.get("action") or reverse("basket:summary"), payload, follow=True)


def test_basket_groups_lines_by_seller_with_each_fee_hint_and_subtotal(client, shops):
    add(client, shops["candy"], 2)
    add(client, shops["honey"])
    add(client, shops["ginger"])
    add(client, shops["sauce"])
    soup = page(client)

    sections = soup.find_all("section", class_="seller-cart")
    assert [text(s.find(class_="seller-cart__name")) for s in sections] == [
        "HTX Kẹo cu đơ Đức Thọ", "Hộ kinh doanh Mật ong Hương Sơn", "Cơ sở Nước mắm Cẩm Nhượng"]

    candy = group(soup, shops["candy_shop"])
    assert candy.find("a", class_="seller-cart__name")["href"] == shops["candy_shop"].get_absolute_url()
    assert [text(a) for a in candy.find_all("a", class_="cart-line__name")] == ["Kẹo cu đơ Thành Đạt", "Kẹo gừng Đức Thọ"]
    assert candy.find("img") is not None or candy.find(class_="pcard__placeholder") is not None
    candy_line = line_of(candy, shops["candy"])
    assert "65.000 ₫ / hộp" in text(candy_line) and "130.000 ₫" in text(candy_line)
    # 170.000 of goods, 30.000 shipping, free from 300.000: 130.000 more to go
    assert "Mua thêm 130.000 ₫ từ shop này để được miễn phí vận chuyển" in text(candy)
    assert "Phí vận chuyển 30.000 ₫" in text(candy) and "Tổng tiền của shop 200.000 ₫" in text(candy)

    honey = group(soup, shops["honey_shop"])
    assert "Phí vận chuyển 25.000 ₫" in text(honey) and "Tổng tiền của shop 205.000 ₫" in text(honey)
    assert "miễn phí" not in text(honey).lower()  # this seller never ships free

    sauce = group(soup, shops["sauce_shop"])
    assert "Miễn phí vận chuyển cho đơn từ 100.000 ₫" in text(sauce)
    assert "Phí vận chuyển Miễn phí" in text(sauce) and "Tổng tiền của shop 120.000 ₫" in text(sauce)

    summary = text(soup.find("aside", class_="cart__summary"))
    assert "Tiền hàng (5 sản phẩm) 470.000 ₫" in summary
    assert "Phí vận chuyển (3 shop) 55.000 ₫" in summary
    assert "Tổng thanh toán 525.000 ₫" in summary
    assert soup.find("a", id="proceed-to-checkout")["href"] == reverse("checkout:index")
    # the header keeps counting the basket
    assert text(soup.select_one(".action-link--basket .action-link__count")) == "5"


def test_free_shipping_hint_turns_into_free_once_the_threshold_is_reached(client, shops):
    add(client, shops["candy"], 4)  # 260.000: 40.000 short of 300.000
    assert "Mua thêm 40.000 ₫ từ shop này" in text(group(page(client), shops["candy_shop"]))
    add(client, shops["ginger"])  # 300.000
    candy = group(page(client), shops["candy_shop"])
    assert "Miễn phí vận chuyển cho đơn từ 300.000 ₫" in text(candy)
    assert "Phí vận chuyển Miễn phí" in text(candy) and "Tổng tiền của shop 300.000 ₫" in text(candy)


def test_stepper_plus_minus_and_remove_work_without_javascript(client, shops):
    add(client, shops["candy"], 2)
    add(client, shops["honey"])
    soup = page(client)

    plus = line_of(soup, shops["candy"]).find("button", class_="stepper__btn--plus")
    response = click(client, soup, plus)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    assert line_of(soup, shops["candy"]).find("input", class_="stepper__input")["value"] == "3"
    assert "195.000 ₫" in text(line_of(soup, shops["candy"]))

    minus = line_of(soup, shops["candy"]).find("button", class_="stepper__btn--minus")
    soup = BeautifulSoup(click(client, soup, minus).content.decode(), "html.parser")
    assert line_of(soup, shops["candy"]).find("input", class_="stepper__input")["value"] == "2"
    # at one item the minus is off (removing is its own button); at the stock the plus is off
    assert line_of(soup, shops["honey"]).find("button", class_="stepper__btn--minus").has_attr("disabled")

    # typing a number and pressing Enter saves it (the form's first, hidden submit button)
    form_input = line_of(soup, shops["candy"]).find("input", class_="stepper__input")
    form_input["value"] = "5"
    soup = BeautifulSoup(click(client, soup, None).content.decode(), "html.parser")
    candy = line_of(soup, shops["candy"])
    assert candy.find("input", class_="stepper__input")["value"] == "5"
    assert candy.find("button", class_="stepper__btn--plus").has_attr("disabled")  # 5 in stock

    remove = line_of(soup, shops["honey"]).find("button", class_="cart-line__remove")
    soup = BeautifulSoup(click(client, soup, remove).content.decode(), "html.parser")
    assert soup.find("a", class_="seller-cart__name", string=shops["honey_shop"].name) is None
    assert len(soup.find_all("li", class_="cart-line")) == 1

    remove = line_of(soup, shops["candy"]).find("button", class_="cart-line__remove")
    soup = BeautifulSoup(click(client, soup, remove).content.decode(), "html.parser")
    assert "Giỏ hàng của bạn đang trống" in text(soup.find(id="basket-content"))
    assert text(soup.select_one(".action-link--basket .action-link__count")) == "0"


def test_more_than_the_stock_is_refused_on_the_line_in_vietnamese(client, shops):
    add(client, shops["honey"], 2)
    soup = page(client)
    honey = line_of(soup, shops["honey"])
    honey.find("input", class_="stepper__input")["value"] = "7"
    response = click(client, soup, None)
    body = response.content.decode()
    soup = BeautifulSoup(body, "html.parser")
    line = line_of(soup, shops["honey"])
    assert "has-problem" in line["class"]
    assert "Chỉ còn 3 sản phẩm, bạn không thể mua nhiều hơn" in text(line.find(class_="cart-line__problem"))
    assert "Một số sản phẩm trong giỏ chưa đặt được" in text(soup)
    assert "Your basket" not in body and "maximum" not in body
    assert StockRecord.objects.get(product=shops["honey"]).product.basket_lines.get().quantity == 2

    # adding more than the stock from the product page: a Vietnamese message, the basket unchanged
    response = add(client, shops["honey"], 5, next=reverse("basket:summary"))
    soup = BeautifulSoup(client.get(response["Location"]).content.decode(), "html.parser")
    assert "Chỉ còn 3 sản phẩm, bạn không thể mua nhiều hơn" in text(soup)


def test_stock_that_fell_after_adding_is_flagged_on_the_line_and_blocks_the_order(client, shops):
    add(client, shops["candy"], 4)
    add(client, shops["sauce"], 2)
    StockRecord.objects.filter(product=shops["candy"]).update(num_in_stock=2)
    StockRecord.objects.filter(product=shops["sauce"]).update(num_in_stock=0)
    soup = page(client)
    candy, sauce = line_of(soup, shops["candy"]), line_of(soup, shops["sauce"])
    assert "Chỉ còn 2 sản phẩm, bạn không thể mua nhiều hơn" in text(candy.find(class_="cart-line__problem"))
    assert "Sản phẩm đã hết hàng, hãy xóa khỏi giỏ để đặt hàng" in text(sauce.find(class_="cart-line__problem"))
    assert soup.find(id="proceed-to-checkout") is None
    assert "Hãy sửa các sản phẩm được đánh dấu đỏ để tiếp tục" in text(soup)

    # the minus brings the line straight down to the stock
    minus = candy.find("button", class_="stepper__btn--minus")
    assert minus["value"] == "2" and not minus.has_attr("disabled")
    soup = BeautifulSoup(click(client, soup, minus).content.decode(), "html.parser")
    assert line_of(soup, shops["candy"]).find(class_="cart-line__problem") is None
    remove = line_of(soup, shops["sauce"]).find("button", class_="cart-line__remove")
    soup = BeautifulSoup(click(client, soup, remove).content.decode(), "html.parser")
    assert soup.find(id="proceed-to-checkout") is not None


def test_stepper_update_answers_javascript_with_the_new_basket(client, shops):
    add(client, shops["candy"], 1)
    soup = page(client)
    form = soup.find("form", id="basket_formset")
    data = {field["name"]: field.get("value", "") for field in form.find_all("input") if field.get("name")}
    quantity_name = line_of(soup, shops["candy"]).find("input", class_="stepper__input")["name"]
    data[quantity_name] = "3"
    response = client.post(reverse("basket:summary"), data, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 200
    fresh = BeautifulSoup(response.json()["content_html"], "html.parser")
    assert fresh.find(id="basket-content")["data-basket-count"] == "3"
    assert "195.000 ₫" in text(line_of(fresh, shops["candy"]))


def test_english_basket_is_complete(client, shops):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    add(client, shops["candy"], 2)
    add(client, shops["sauce"])
    soup = page(client)
    body = text(soup.find("main"))
    for phrase in ("Buy 170.000 ₫ more from this shop for free shipping", "Free shipping for orders from 100.000 ₫",
                   "Shipping fee 30.000 ₫", "Shop total 160.000 ₫", "Goods (3 items) 250.000 ₫",
                   "Shipping (2 shops) 30.000 ₫", "Total to pay 280.000 ₫", "Check out (3)", "Remove"):
        assert phrase in body, phrase
    for vietnamese in ("Phí vận chuyển", "Tổng", "Xóa", "Mua"):
        assert vietnamese not in body.replace("Mật", ""), vietnamese
    product = BeautifulSoup(client.get(shops["candy"].get_absolute_url()).content.decode(), "html.parser")
    buttons = [text(b) for b in product.find("form", id="add_to_basket_form").find_all("button")]
    assert buttons[0] in ("Add to basket", "Add to cart") and buttons[1] == "Buy now"  # Oscar's en_US says cart
    assert product.find("span", attrs={"data-qty-stepper": True})["data-label-plus"] == "Increase quantity"


def test_basket_page_queries_do_not_grow_with_lines_or_sellers(client, shops, django_assert_max_num_queries):
    add(client, shops["candy"])
    add(client, shops["honey"])
    client.get(reverse("basket:summary"))  # thumbnails made once, as on a running server
    with django_assert_max_num_queries(BASKET_BUDGET) as small:
        page(client)
    two_sellers = len(small.captured_queries)
    others = [create_product(vendor=create_vendor(), price=10000 + i) for i in range(3)]
    for product in [shops["ginger"], shops["sauce"], *others]:
        add(client, product)
    client.get(reverse("basket:summary"))
    with django_assert_max_num_queries(BASKET_BUDGET) as large:
        soup = page(client)
    assert len(soup.find_all("section", class_="seller-cart")) == 6
    assert len(large.captured_queries) == two_sellers


def test_product_page_quantity_is_bounded_by_the_stock_and_offers_buy_now(client, shops):
    soup = BeautifulSoup(client.get(shops["honey"].get_absolute_url()).content.decode(), "html.parser")
    form = soup.find("form", id="add_to_basket_form")
    quantity = form.find("input", attrs={"name": "quantity"})
    assert (quantity["type"], quantity["min"], quantity["max"], quantity["value"]) == ("number", "1", "3", "1")
    assert text(form.find("button", id="add-to-basket")) == "Thêm vào giỏ hàng"
    buy_now = form.find("button", id="buy-now")
    assert text(buy_now) == "Mua ngay" and buy_now["name"] == "next" and buy_now["value"] == reverse("checkout:index")


def test_buy_now_from_a_cached_product_page_puts_the_quantity_in_the_basket_and_opens_checkout(settings, shops):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    url = shops["candy"].get_absolute_url()
    assert Client().get(url)["X-Page-Cache"] == "miss"
    shopper = Client(enforce_csrf_checks=True)
    cached = shopper.get(url)
    assert cached["X-Page-Cache"] == "hit"
    soup = BeautifulSoup(cached.content.decode(), "html.parser")
    form = soup.find("form", id="add_to_basket_form")
    buy_now = form.find("button", id="buy-now")
    data = {field["name"]: field.get("value", "") for field in form.find_all("input") if field.get("name")}
    data.update({"quantity": "3", buy_now["name"]: buy_now["value"]})
    response = shopper.post(form["action"], data)
    assert response.status_code == 302 and response["Location"] == reverse("checkout:index")
    soup = BeautifulSoup(shopper.get(reverse("basket:summary")).content.decode(), "html.parser")
    assert line_of(soup, shops["candy"]).find("input", class_="stepper__input")["value"] == "3"
    cache.clear()


def test_basket_size_limit_is_explained_in_vietnamese(client, shops):
    StockRecord.objects.filter(product=shops["ginger"]).update(num_in_stock=20000)
    response = add(client, shops["ginger"], 10001)
    soup = BeautifulSoup(client.get(response["Location"]).content.decode(), "html.parser")
    assert "Mỗi đơn hàng chỉ đặt được tối đa 10000 sản phẩm; giỏ hàng của bạn đang có 0 sản phẩm." in text(soup)
    assert "nhiều hơn10000" not in text(soup) and "Due to" not in text(soup)
