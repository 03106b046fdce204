"""The anonymous page cache: shared pages, per-visitor CSRF token and CSP nonce, instant invalidation."""
import re

import pytest
from django.core.cache import cache
from django.test import Client

from tests.factories import create_product, create_vendor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def product():
    return create_product(vendor=create_vendor(), title="Kẹo cu đơ Thành Đạt", price=150000)


def token_of(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_second_visit_is_served_from_the_cache_without_a_query(product, django_assert_num_queries):
    first = Client().get("/catalogue/")
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = Client().get("/catalogue/")
    assert second["X-Page-Cache"] == "hit"
    assert "Kẹo cu đơ Thành Đạt" in second.content.decode()
    assert "__PAGECACHE" not in second.content.decode()


def test_each_visitor_gets_a_working_csrf_token_and_its_own_nonce(product):
    Client().get("/catalogue/")  # fills the cache
    visitor = Client(enforce_csrf_checks=True)
    hit = visitor.get("/catalogue/")
    assert hit["X-Page-Cache"] == "hit"
    html = hit.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", hit["Content-Security-Policy"]).group(1)
    assert f'<script nonce="{nonce}">' in html
    # The token in the cached page belongs to this visitor: the language switcher's POST is accepted.
    switched = visitor.post("/i18n/setlang/", {"csrfmiddlewaretoken": token_of(html), "language": "en", "next": "/"})
    assert switched.status_code == 302
    stranger = Client(enforce_csrf_checks=True)
    stranger.get("/")
    assert stranger.post("/i18n/setlang/", {"csrfmiddlewaretoken": token_of(html), "language": "en"}
                         ).status_code == 403


def test_a_price_change_is_visible_at_once(product, django_capture_on_commit_callbacks):
    Client().get("/catalogue/")
    assert "150.000" in Client().get("/catalogue/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        record = product.stockrecords.get()
        record.price = 175000
        record.save()
    fresh = Client().get("/catalogue/")
    assert fresh["X-Page-Cache"] == "miss"
    assert "175.000" in fresh.content.decode() and "150.000" not in fresh.content.decode()


def test_signed_in_visitors_and_shoppers_with_a_basket_never_share_pages(product, django_user_model):
    Client().get("/catalogue/")
    member = Client()
    member.force_login(django_user_model.objects.create_user("an", "an@example.com", "Mat-Khau-Dai-2026"))
    assert "X-Page-Cache" not in member.get("/catalogue/")
    with_basket = Client()
    with_basket.cookies["oscar_open_basket"] = "1:abc"
    assert "X-Page-Cache" not in with_basket.get("/catalogue/")


def test_product_page_hits_still_record_the_view_and_the_history(product, django_assert_max_num_queries):
    from oscar.apps.analytics.models import ProductRecord

    first = Client().get(product.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    visitor = Client()
    visitor.cookies["oscar_history"] = "[999]"
    with django_assert_max_num_queries(1):  # the view counter's UPDATE
        hit = visitor.get(product.get_absolute_url())
    assert hit["X-Page-Cache"] == "hit"
    assert hit.cookies["oscar_history"].value == f"[999, {product.pk}]"
    assert ProductRecord.objects.get(product=product).num_views == 2
    # The per-visitor part is not in the shared page but fetched by its script.
    html = hit.content.decode()
    assert f'data-fragment="/catalogue/recently-viewed/?exclude={product.pk}"' in html
    assert "Sản phẩm bạn đã xem gần đây" not in html


def test_recently_viewed_fragment_lists_the_visitors_own_history(product):
    other = create_product(vendor=create_vendor(name="Cơ sở Thu Hùng"), title="Nước mắm Cẩm Nhượng")
    visitor = Client()
    visitor.cookies["oscar_history"] = f"[{other.pk}, {product.pk}]"
    fragment = visitor.get(f"/catalogue/recently-viewed/?exclude={product.pk}")
    assert fragment.status_code == 200
    assert fragment["Cache-Control"] == "private, no-cache"
    html = fragment.content.decode()
    assert "Sản phẩm bạn đã xem gần đây" in html
    assert "Nước mắm Cẩm Nhượng" in html and "Kẹo cu đơ Thành Đạt" not in html
    assert Client().get("/catalogue/recently-viewed/?exclude=abc").status_code == 200  # no history, bad id
    for cookie in ('["x", {"a": 1}]', "not json", f'[true, "{other.pk}", {other.pk}]'):
        tampered = Client()
        tampered.cookies["oscar_history"] = cookie
        response = tampered.get("/catalogue/recently-viewed/")
        assert response.status_code == 200, cookie
    assert "Nước mắm Cẩm Nhượng" in response.content.decode()  # the one real id of the last cookie


def test_product_page_miss_runs_a_bounded_number_of_queries(product, django_assert_max_num_queries):
    Client().get(product.get_absolute_url())  # thumbnails and site settings warm
    from marketplace.pagecache import bump_version

    bump_version()
    with django_assert_max_num_queries(15):
        page = Client().get(product.get_absolute_url())
    assert page["X-Page-Cache"] == "miss"


def test_each_language_has_its_own_page(product):
    Client().get("/catalogue/")
    english = Client()
    english.cookies["django_language"] = "en"
    page = english.get("/catalogue/")
    assert page["X-Page-Cache"] == "miss"
    assert '<html lang="en"' in page.content.decode()


def test_home_group_counts_are_shared_by_everyone_and_follow_changes(home_page, django_user_model, settings,
                                                                      django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.SEARCH_FACET_CACHE_SECONDS = 300
    vendor = create_vendor()
    create_product(vendor=vendor, title="Kẹo cu đơ Thành Đạt", ocop_code="I.3.b")
    member = Client()
    member.force_login(django_user_model.objects.create_user("an", "an@example.com", "Mat-Khau-Dai-2026"))
    with CaptureQueriesContext(connection) as computed:
        first = member.get("/")
    assert any("GROUP BY" in q["sql"] for q in computed.captured_queries)
    assert sum(n for _node, n in first.context["product_groups"]) == 1
    with CaptureQueriesContext(connection) as again:
        second = member.get("/")
    assert "X-Page-Cache" not in second  # signed in: the page itself is never shared
    assert second.context["product_groups"] == first.context["product_groups"]
    assert not any("GROUP BY" in q["sql"] for q in again.captured_queries)  # the counts came from the cache
    with django_capture_on_commit_callbacks(execute=True):
        create_product(vendor=vendor, title="Kẹo cu đơ gừng", ocop_code="I.3.b")
    counts = dict((node.code, n) for node, n in member.get("/").context["product_groups"])
    assert sum(counts.values()) == 2


def test_an_address_whose_answer_is_never_stored_is_not_looked_up_again(product, monkeypatch):
    """The page cache costs a request it cannot serve one round trip to the cache; an address whose answer
    it could not store (here JSON) skips even that for PAGE_CACHE_SECONDS, and is answered all the same."""
    looked_up = []
    get_many = cache.get_many
    def spy(keys, *args, **kwargs):
        keys = list(keys)
        if any(key.startswith("pagecache:page:") for key in keys):  # a page looked up (not a version read)
            looked_up.append(keys)
        return get_many(keys, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", spy)
    wards = "/dia-chi/phuong-xa/42.json"
    first = Client().get(wards)
    assert len(looked_up) == 1 and "X-Page-Cache" not in first
    looked_up.clear()
    second = Client().get(wards)
    assert looked_up == [] and second.status_code == first.status_code and second.content == first.content
    # a page that is stored is still looked up, and served from the cache
    Client().get("/catalogue/")
    looked_up.clear()
    assert Client().get("/catalogue/")["X-Page-Cache"] == "hit" and len(looked_up) == 1
