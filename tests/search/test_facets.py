"""Facets combine, and their counts equal counts computed directly in the database."""
import pytest
from oscar.core.loading import get_model

from catalogue.models import Product
from tests.factories import create_product, create_vendor
from vendors.models import Vendor

StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf():
    coop = create_vendor(name="HTX A", seller_type=Vendor.TYPE_COOPERATIVE)
    home = create_vendor(name="Hộ B", seller_type=Vendor.TYPE_HOUSEHOLD, commune_code="18754")
    return [
        create_product(vendor=coop, title="Kẹo cu đơ A", price=50000, stock=5),
        create_product(vendor=coop, title="Mật ong A", price=250000, stock=0, ocop_code="I.2.b"),
        create_product(vendor=home, title="Nước mắm B", price=120000, stock=3, ocop_code="I.4.a"),
        create_product(vendor=home, title="Nhung hươu B", price=2500000, stock=1, ocop_code="III.1", stars=4),
    ]


def facets(client, query=""):
    response = client.get(f"/catalogue/?{query}")
    assert response.status_code == 200
    return response.context["facets"], [p.title for p in response.context["products"]]


def test_facet_counts_match_the_database(client, shelf):
    data, titles = facets(client)
    types = {code: n for code, _, n in data["seller_types"]}
    for code, _label in Vendor.TYPE_CHOICES:
        expected = Product.objects.filter(stockrecords__partner__vendor__seller_type=code).distinct().count()
        assert types[code] == expected
    prices = {key: n for key, _, _, n in data["prices"]}
    assert prices == {"duoi-100k": 1, "100k-300k": 2, "300k-1tr": 0, "tren-1tr": 1}
    in_stock = StockRecord.objects.filter(num_in_stock__gt=0).count()
    assert data["in_stock"] == in_stock == 3
    communes = {code: n for code, _, n in data["communes"]}
    assert communes == {"18073": 2, "18754": 2}


@pytest.mark.parametrize("query, expected", [
    ("seller_type=household_business", {"Nước mắm B", "Nhung hươu B"}),
    ("price=100k-300k", {"Mật ong A", "Nước mắm B"}),
    ("in_stock=1", {"Kẹo cu đơ A", "Nước mắm B", "Nhung hươu B"}),
    ("commune=18754&price=tren-1tr", {"Nhung hươu B"}),
    ("seller_type=cooperative&in_stock=1", {"Kẹo cu đơ A"}),
    ("seller_type=bogus&price=cheap&commune=x&in_stock=maybe", None),  # unknown values: a normal page
])
def test_facets_combine(client, shelf, query, expected):
    data, titles = facets(client, query)
    if expected is not None:
        assert set(titles) == expected
        # counts are for the current filters
        assert sum(n for _, _, n in data["seller_types"]) >= len(expected)
        assert data["in_stock"] == len([t for t in titles if t != "Mật ong A"])


def test_stars_sort(client, shelf):
    _, titles = facets(client, "sort=stars")
    assert titles[0] == "Nhung hươu B"


def test_suggestions_after_two_characters(client, shelf):
    assert client.get("/search/suggest/", {"q": "k"}).json() == {"products": [], "sellers": [], "groups": []}
    data = client.get("/search/suggest/", {"q": "keo cu"}).json()
    assert [p["title"] for p in data["products"]] == ["Kẹo cu đơ A"]
    data = client.get("/search/suggest/", {"q": "HTX"}).json()
    assert [s["title"] for s in data["sellers"]] == ["HTX A"]
    data = client.get("/search/suggest/", {"q": "thuc pham"}).json()
    assert any(g["url"] == "/catalogue/?group=I" for g in data["groups"])
    data = client.get("/search/suggest/", {"q": "mật ong"}).json()
    assert [p["title"] for p in data["products"]] == ["Mật ong A"]
    assert client.get("/search/suggest/", {"q": "<script>" * 200}).status_code == 200
