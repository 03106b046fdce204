"""The storefront through HTTP: home, catalogue filters, product page, seller page, basket, language."""
import datetime

import pytest
from django.urls import reverse

from marketplace.cms.models import FeaturedProduct
from tests.factories import create_product, create_vendor

pytestmark = pytest.mark.django_db

NBSP_DONG = "\xa0₫"


@pytest.fixture
def catalogue(vendor):
    other = create_vendor(name="Cơ sở Thu Hùng", commune_code="18754", seller_type="household_business")
    return {
        "candy": create_product(vendor=vendor, title="Kẹo cu đơ Thành Đạt", price=150000, stars=3,
                                ocop_code="I.3.b", upc="T-CANDY"),
        "sauce": create_product(vendor=other, title="Nước mắm Cẩm Nhượng", price=95000, stars=4, ocop_code="I.4.a",
                                upc="T-SAUCE"),
        "expired": create_product(vendor=vendor, title="Mật ong hết hạn chứng nhận", price=250000, stars=3,
                                  expired=True, ocop_code="I.2.b", upc="T-HONEY"),
        "wine": create_product(vendor=other, title="Rượu nếp cái Hà Mai", price=120000, ocop_code="II.1.a",
                               specialty=False, upc="T-WINE"),
        "other": other,
    }


def text_of(response):
    return response.content.decode()


def test_home_page_shows_hero_featured_products_groups_and_news(client, home_page, catalogue):
    FeaturedProduct.objects.create(page=home_page, product=catalogue["candy"], sort_order=0)
    response = client.get("/")
    assert response.status_code == 200
    html = text_of(response)
    assert '<html lang="vi"' in html
    assert home_page.hero_title in html
    assert "Kẹo cu đơ Thành Đạt" in html
    assert "150.000" + NBSP_DONG in html
    assert "Dược liệu và sản phẩm từ dược liệu" in html  # one of the six OCOP product groups
    assert "/catalogue/?group=I" in html
    assert "Nước mắm Cẩm Nhượng giữ nghề truyền thống" in html  # the latest news article
    assert "Sở Công Thương tỉnh Hà Tĩnh" in html  # footer contact


def test_catalogue_lists_products_with_price_stars_and_seller_commune(client, catalogue):
    response = client.get(reverse("catalogue:index"))
    assert response.status_code == 200
    html = text_of(response)
    for product in ("Kẹo cu đơ Thành Đạt", "Nước mắm Cẩm Nhượng", "Rượu nếp cái Hà Mai"):
        assert product in html
    assert "95.000" + NBSP_DONG in html
    assert catalogue["candy"].stockrecords.get().partner.vendor.commune.short_name in html


@pytest.mark.parametrize("query, shown, hidden", [
    ("group=II", ["Rượu nếp cái Hà Mai"], ["Kẹo cu đơ Thành Đạt", "Nước mắm Cẩm Nhượng"]),
    ("stars=4", ["Nước mắm Cẩm Nhượng"], ["Kẹo cu đơ Thành Đạt", "Mật ong hết hạn chứng nhận"]),
    ("stars=3", ["Kẹo cu đơ Thành Đạt"], ["Mật ong hết hạn chứng nhận", "Nước mắm Cẩm Nhượng"]),
    ("specialty=1", ["Kẹo cu đơ Thành Đạt"], ["Rượu nếp cái Hà Mai"]),
    ("stars=9&group=ZZ&district=khong-co&sort=bogus&page=999", [], []),  # bad values: a normal page
])
def test_catalogue_filters(client, catalogue, query, shown, hidden):
    response = client.get(f"/catalogue/?{query}")
    assert response.status_code == 200
    html = text_of(response)
    for title in shown:
        assert title in html
    for title in hidden:
        assert title not in html


def test_catalogue_filters_by_former_district(client, catalogue):
    district = catalogue["other"].commune.former_district
    response = client.get(f"/catalogue/?district={district.slug}")
    html = text_of(response)
    assert "Nước mắm Cẩm Nhượng" in html and "Kẹo cu đơ Thành Đạt" not in html


def test_category_page_lists_its_products(client, catalogue):
    from catalogue.product_import import _category_for

    candy = catalogue["candy"]
    category = _category_for(candy.ocop_classification)
    candy.categories.add(category)
    response = client.get(category.get_absolute_url())
    assert response.status_code == 200
    assert "Kẹo cu đơ Thành Đạt" in text_of(response)
    assert "Rượu nếp cái Hà Mai" not in text_of(response)
    assert "u0111" not in category.get_absolute_url()


def test_product_page_shows_price_badge_certificate_origin_and_seller(client, catalogue):
    sauce = catalogue["sauce"]
    cert = sauce.certificates.get()
    response = client.get(sauce.get_absolute_url())
    assert response.status_code == 200
    html = text_of(response)
    assert "95.000" + NBSP_DONG in html
    assert "ocop-badge" in html and "★★★★" in html
    assert cert.number in html
    assert f"{cert.issue_date:%d/%m/%Y}" in html and f"{cert.expiry_date:%d/%m/%Y}" in html
    assert sauce.origin_commune.name in html
    assert sauce.origin_former_district.name in html
    assert catalogue["other"].get_absolute_url() in html
    assert "Nước mắm Cẩm Nhượng" in html


def test_expired_certificate_shows_no_badge(client, catalogue):
    honey = catalogue["expired"]
    assert honey.certificates.get().expiry_date < datetime.date.today()
    response = client.get(honey.get_absolute_url())
    assert response.status_code == 200
    html = text_of(response)
    assert "ocop-badge" not in html
    assert honey.certificates.get().number not in html
    listing = text_of(client.get("/catalogue/?q=mat+ong+het+han"))
    assert "Mật ong hết hạn chứng nhận" in listing and "ocop-badge" not in listing


def test_seller_storefront_lists_only_its_products(client, catalogue, vendor):
    response = client.get(vendor.get_absolute_url())
    assert response.status_code == 200
    html = text_of(response)
    assert vendor.name in html
    assert "Kẹo cu đơ Thành Đạt" in html
    assert "Nước mắm Cẩm Nhượng" not in html
    assert vendor.phone not in html  # personal data is masked
    assert client.get("/nguoi-ban/khong-ton-tai/").status_code == 404
    assert vendor.name in text_of(client.get("/nguoi-ban/"))


def test_add_to_basket_and_see_items_and_total(client, catalogue):
    candy = catalogue["candy"]
    response = client.post(reverse("basket:add", kwargs={"pk": candy.pk}), {"quantity": 2}, follow=True)
    assert response.status_code == 200
    message = text_of(response)
    assert "Đã thêm <strong>2 × Kẹo cu đơ Thành Đạt</strong> vào giỏ hàng." in message
    assert "Tổng giỏ hàng hiện là <strong>300.000" + NBSP_DONG in message
    response = client.get(reverse("basket:summary"))
    assert response.status_code == 200
    html = text_of(response)
    assert "Kẹo cu đơ Thành Đạt" in html
    assert "300.000" + NBSP_DONG in html
    assert "Giỏ hàng" in html


def test_vietnamese_by_default_and_english_on_request(client, catalogue):
    html = text_of(client.get("/catalogue/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"))
    assert '<html lang="vi"' in html  # the browser's language does not switch the shop to English
    response = client.post(reverse("set_language"), {"language": "en", "next": "/catalogue/"})
    assert response.status_code == 302
    html = text_of(client.get("/catalogue/"))
    assert '<html lang="en"' in html
    assert "All products" in html and "Log in" in html
    assert "150.000" + NBSP_DONG in html  # prices stay in the Vietnamese format


@pytest.mark.parametrize("query", ["keo cu do", "KẸO CU ĐƠ", "Kẹo cu đơ", "keo  cu   do thanh dat"])
def test_search_folds_diacritics_and_case(client, catalogue, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert "Kẹo cu đơ Thành Đạt" in text_of(response)
    assert "Nước mắm Cẩm Nhượng" not in text_of(response)


@pytest.mark.parametrize("query", ["", "x" * 1000, "' OR 1=1 --", "title:(a AND b) ~ * ?", "%_%"])
def test_search_bad_input_is_a_normal_page(client, catalogue, query):
    assert client.get("/search/", {"q": query}).status_code == 200


def test_department_editor_edits_cms_and_admin_uses_dashboard(client, home_page, django_user_model):
    from io import StringIO

    from marketplace.demo.users import DEMO_USERS, load_users

    load_users(home_page, create_vendor())
    assert client.get("/cms/").status_code == 302  # login required
    email, password, _ = DEMO_USERS["department"]
    assert client.login(username=email, password=password)
    assert client.get("/cms/").status_code == 200
    assert client.get(f"/cms/pages/{home_page.pk}/edit/").status_code == 200
    client.logout()
    email, password, _ = DEMO_USERS["admin"]
    assert client.login(username=email, password=password)
    assert client.get("/dashboard/").status_code == 200
    assert client.get("/cms/").status_code == 200
    StringIO()


def test_default_order_puts_best_certified_products_first(client, catalogue):
    response = client.get("/catalogue/")
    titles = [p.title for p in response.context["products"]]
    assert titles.index("Nước mắm Cẩm Nhượng") < titles.index("Kẹo cu đơ Thành Đạt")  # 4★ before 3★
    assert titles.index("Kẹo cu đơ Thành Đạt") < titles.index("Mật ong hết hạn chứng nhận")  # expired: no rank
    assert titles.index("Kẹo cu đơ Thành Đạt") < titles.index("Rượu nếp cái Hà Mai")


def test_price_sort(client, catalogue):
    response = client.get("/catalogue/?sort=price_asc")
    prices = [p.stockrecords.all()[0].price for p in response.context["products"]]
    assert prices == sorted(prices)
    response = client.get("/catalogue/?sort=price_desc")
    prices = [p.stockrecords.all()[0].price for p in response.context["products"]]
    assert prices == sorted(prices, reverse=True)


@pytest.mark.parametrize("url, text", [
    ("/tin-tuc/", "Kẹo cu đơ: món quà xứ Nghệ"),
    ("/tin-tuc/keo-cu-do-mon-qua-xu-nghe/", "Từ mật mía, lạc rang và bánh đa"),
    ("/huong-dan/", "Hướng dẫn bán hàng trên sàn"),
    ("/huong-dan/huong-dan-ban-hang-tren-san/", "Sở Công Thương xét duyệt hồ sơ"),
    ("/gioi-thieu/", "sàn thương mại điện tử của tỉnh"),
])
def test_content_pages(client, home_page, url, text):
    response = client.get(url)
    assert response.status_code == 200
    assert text in text_of(response)
    assert "breadcrumb" in text_of(response)
