"""SQL queries per page stay bounded and do not grow with the number of products shown."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import create_product, create_vendor

pytestmark = pytest.mark.django_db

CATALOGUE_BUDGET = 20
PRODUCT_PAGE_BUDGET = 30


def build(n):
    vendors = [create_vendor(), create_vendor(commune_code="18754")]
    return [create_product(vendor=vendors[i % 2], stars=3 + i % 2 if i % 3 else None,
                           ocop_code=["I.3.b", "I.4.a", "II.1.a"][i % 3]) for i in range(n)]


def count_queries(client, url):
    client.get(url)  # warm caches (thumbnails, site settings) as a running server has them
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("url", ["/catalogue/", "/catalogue/?group=I&stars=3", "/search/?q=san+pham"])
def test_listing_queries_do_not_grow_with_products_shown(client, settings, url):
    settings.OSCAR_PRODUCTS_PER_PAGE = 500  # every product on one page
    products = build(20)
    small, response = count_queries(client, url)
    assert response.context["paginator"].count >= 3
    products += build(180)
    large, response = count_queries(client, url)
    assert response.context["paginator"].count >= 30
    assert large == small
    assert large <= CATALOGUE_BUDGET


def test_product_page_queries_are_bounded(client, django_assert_max_num_queries):
    products = build(20)
    client.get(products[1].get_absolute_url())
    with django_assert_max_num_queries(PRODUCT_PAGE_BUDGET):
        assert client.get(products[1].get_absolute_url()).status_code == 200
    build(180)
    with django_assert_max_num_queries(PRODUCT_PAGE_BUDGET):
        assert client.get(products[1].get_absolute_url()).status_code == 200


def test_seller_page_and_home_are_bounded(client, home_page, django_assert_max_num_queries):
    products = build(40)
    vendor = products[0].vendor
    client.get(vendor.get_absolute_url())
    with django_assert_max_num_queries(CATALOGUE_BUDGET):
        assert client.get(vendor.get_absolute_url()).status_code == 200
    client.get("/")
    with django_assert_max_num_queries(CATALOGUE_BUDGET + 10):
        assert client.get("/").status_code == 200
