"""Listing facet counts are cached for everyone (signed-in shoppers too) and recomputed after a change."""
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import create_product, create_vendor

pytestmark = pytest.mark.django_db


@pytest.fixture
def shopper_client(client, django_user_model, settings):
    settings.SEARCH_FACET_CACHE_SECONDS = 300
    cache.clear()
    client.force_login(django_user_model.objects.create_user("an", "an@example.com", "Mat-Khau-Dai-2026"))
    yield client
    cache.clear()


def test_facets_are_computed_once_then_after_each_change(shopper_client, django_capture_on_commit_callbacks):
    vendor = create_vendor()
    create_product(vendor=vendor, title="Kẹo cu đơ Thành Đạt", stock=5)
    sold_out = create_product(vendor=vendor, title="Kẹo cu đơ gừng", stock=3)
    with CaptureQueriesContext(connection) as first:
        page = shopper_client.get("/search/", {"q": "keo cu do"})
    assert page.status_code == 200 and page.context["paginator"].count == 2
    with CaptureQueriesContext(connection) as second:
        again = shopper_client.get("/search/", {"q": "keo cu do"})
    assert len(second) < len(first)  # the facet queries are not run again
    assert again.context["facets"] == page.context["facets"]

    with django_capture_on_commit_callbacks(execute=True):  # a stock change invalidates the counts
        record = sold_out.stockrecords.get()
        record.num_in_stock = 0
        record.save()
    with CaptureQueriesContext(connection) as third:
        fresh = shopper_client.get("/search/", {"q": "keo cu do"})
    assert len(third) > len(second)  # computed again
    assert fresh.context["facets"] != page.context["facets"]


def test_the_filters_names_are_kept_with_the_counts_and_follow_a_rename(shopper_client,
                                                                         django_capture_on_commit_callbacks):
    """The groups, former districts and sub-categories beside the products come from the cache with the
    counts (no query for them on the next visit) and follow a rename of a district."""
    from places.models import FormerDistrict

    create_product(vendor=create_vendor(), title="Kẹo cu đơ Thành Đạt", stock=5)
    shopper_client.get("/search/", {"q": "keo cu do"})
    with CaptureQueriesContext(connection) as ctx:
        page = shopper_client.get("/search/", {"q": "keo cu do"})
    assert page.status_code == 200 and page.context["facets"]["districts"]
    assert not any('FROM "places_formerdistrict"' in q["sql"] for q in ctx.captured_queries)
    district = FormerDistrict.objects.order_by("code").first()
    with django_capture_on_commit_callbacks(execute=True):
        district.name = "Huyện Đổi Tên Thử"
        district.save()
    page = shopper_client.get("/search/", {"q": "keo cu do"})
    assert "Huyện Đổi Tên Thử" in [d.name for d, _n in page.context["facets"]["districts"]]
