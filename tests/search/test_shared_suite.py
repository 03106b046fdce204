"""The same shoppers' queries against every available backend, on the demo catalogue (544 products).

The database backend always runs (PostgreSQL full-text on PostgreSQL, the folded columns on SQLite);
the Elasticsearch backend runs when ELASTICSEARCH_URL points at a cluster.
"""
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from oscar.core.loading import get_model

from catalogue.models import OcopCertificate, Product
from search.folding import fold

from .conftest import ELASTICSEARCH_URL, needs_cluster

StockRecord = get_model("partner", "StockRecord")
Category = get_model("catalogue", "Category")

BACKENDS = [pytest.param("database", id="database"),
            pytest.param("elasticsearch", id="elasticsearch", marks=needs_cluster)]
_indexed = set()


@pytest.fixture(params=BACKENDS)
def backend(request, settings, demo_catalogue, db):
    settings.SEARCH_BACKEND = request.param
    if request.param == "elasticsearch":
        settings.ELASTICSEARCH_URL = ELASTICSEARCH_URL
        settings.ELASTICSEARCH_INDEX = "ocop-test-products"
        if "elasticsearch" not in _indexed:
            call_command("search_index", "--rebuild", stdout=StringIO())
            _indexed.add("elasticsearch")
    return request.param


def top(client, query, n=5, **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return list(response.context["products"])[:n]


def seller_of(product):
    return fold(product.stockrecords.all()[0].partner.name)


# (query, what the first n results' names contain (folded), n)
NAME_QUERIES = [
    ("keo cu do", "keo cu do", 5),
    ("kẹo cu đơ", "keo cu do", 5),
    ("KẸO CU ĐƠ", "keo cu do", 5),
    ("buoi phuc trach", "buoi phuc trach", 2),  # the demo has two of them
    ("bưởi Phúc Trạch", "buoi phuc trach", 2),
    ("cam bu huong son", "cam bu", 3),
    ("nhung huou", "nhung huou", 5),
    ("nuoc mam", "nuoc mam", 10),
    ("NƯỚC MẮM", "nuoc mam", 10),
    ("mat ong", "mat ong", 10),
    ("che xanh", "che xanh", 5),
    ("tinh dau buoi", "tinh dau buoi", 1),
    ("gio me", "gio me", 3),
    ("non la", "non la", 3),
    ("banh da vung", "banh da vung", 3),
    ("ruou nep cai", "ruou nep cai", 3),
]
# (query, GSO code of the former district of the first results, what their names contain, n)
PLACE_QUERIES = [
    ("mat ong huong son", "439", "mat ong", 3),
    ("mật ong Hương Sơn", "439", "mat ong", 3),
    ("nuoc mam cam nhuong", "446", "nuoc mam", 3),
    ("nước mắm Cẩm Nhượng", "446", "nuoc mam", 3),
    ("buoi huong khe", "444", "buoi", 2),
]
# (query, the seller of the first n results (folded), n)
SELLER_QUERIES = [
    ("dong chau cua sot", "htx che bien, xuat khau hai san dong chau cua sot", 1),
    ("Cơ sở Thanh Hải", "co so thanh hai", 5),
    ("htx tien dien", "htx tien dien", 5),
]
# Misspelt queries: one edit in a word of 5+ letters
TYPO_QUERIES = [
    ("buoii phuc trach", "buoi phuc trach", 2),
    ("buoi phuuc trach", "buoi phuc trach", 2),
    ("nhung huouu", "huou", 3),
]


@pytest.mark.parametrize("query, expected, n", NAME_QUERIES)
def test_product_names_come_first(client, backend, query, expected, n):
    results = top(client, query, n)
    assert len(results) == n
    assert all(expected in fold(p.title) for p in results), [p.title for p in results]


@pytest.mark.parametrize("query, district, kind, n", PLACE_QUERIES)
def test_place_names_narrow_to_the_place(client, backend, query, district, kind, n):
    results = top(client, query, n)
    assert len(results) == n
    assert all(p.origin_former_district.code == district and kind in fold(p.title) for p in results), \
        [(p.title, p.origin_former_district.code) for p in results]


@pytest.mark.parametrize("query, seller, n", SELLER_QUERIES)
def test_seller_names_find_their_products(client, backend, query, seller, n):
    results = top(client, query, n)
    assert len(results) == n
    assert all(seller_of(p) == seller for p in results), [(p.title, seller_of(p)) for p in results]


@pytest.mark.parametrize("query, expected, n", TYPO_QUERIES)
def test_one_typo_is_tolerated(client, backend, query, expected, n):
    results = top(client, query, n)
    assert len(results) == n
    assert all(expected in fold(p.title) for p in results), [p.title for p in results]


def test_name_matches_come_before_other_matches(client, backend):
    for query, name in [("mat ong", "mat ong"), ("huong son", "huong son"), ("nhung huou", "nhung huou")]:
        results = top(client, query, 60)
        names = [name in fold(p.title) for p in results]
        assert names == sorted(names, reverse=True), (query, [p.title for p in results])


def test_same_words_same_results_with_or_without_diacritics(client, backend):
    for plain, marked in [("keo cu do", "Kẹo Cu Đơ"), ("nuoc mam cam nhuong", "nước mắm cẩm nhượng"),
                          ("buoi phuc trach", "BƯỞI PHÚC TRẠCH")]:
        assert [p.pk for p in top(client, plain, 24)] == [p.pk for p in top(client, marked, 24)]


@pytest.mark.parametrize("sort, key", [
    ("price_asc", lambda p: min(r.price for r in p.stockrecords.all())),
    ("price_desc", lambda p: -min(r.price for r in p.stockrecords.all())),
    ("newest", lambda p: (-p.date_created.timestamp(), -p.pk)),
])
def test_sorts(client, backend, sort, key):
    results = top(client, "mat ong", 24, sort=sort)
    assert len(results) > 3
    assert results == sorted(results, key=key)


def test_pagination(client, backend, settings):
    settings.OSCAR_PRODUCTS_PER_PAGE = 5
    first = client.get("/search/", {"q": "mat ong"}).context
    second = client.get("/search/", {"q": "mat ong", "page": 2}).context
    assert first["paginator"].count == second["paginator"].count > 10
    assert not {p.pk for p in first["products"]} & {p.pk for p in second["products"]}
    last = client.get("/search/", {"q": "mat ong", "page": 999}).context
    assert last["page_obj"].number == first["paginator"].num_pages


# --- facets: counts equal plain ORM counts ------------------------------------------------------
def browsable():
    return Product.objects.filter(is_public=True, parent=None, stockrecords__isnull=False).distinct()


def orm_counts(ids):
    """Every facet count for the products ``ids``, with plain ORM queries."""
    today = timezone.localdate()
    products = Product.objects.filter(pk__in=ids)
    valid = OcopCertificate.objects.filter(status="verified", issue_date__lte=today, expiry_date__gte=today)
    counts = {
        "groups": {code: products.filter(ocop_group_code=code).count()
                   for code in set(products.values_list("ocop_group_code", flat=True))},
        "districts": {slug: products.filter(origin_former_district__slug=slug).count()
                      for slug in set(products.values_list("origin_former_district__slug", flat=True))},
        "stars": {s: products.filter(pk__in=valid.filter(stars=s).values("product")).count() for s in (3, 4, 5)},
        "seller_types": {t: products.filter(stockrecords__partner__vendor__seller_type=t).distinct().count()
                         for t in set(products.values_list("stockrecords__partner__vendor__seller_type", flat=True))},
        "communes": {c: products.filter(origin_commune__code=c).count()
                     for c in set(products.values_list("origin_commune__code", flat=True))},
        "in_stock": products.filter(Exists(StockRecord.objects.filter(
            product=OuterRef("pk"), num_in_stock__gt=Coalesce(F("num_allocated"), 0)))).count(),
        "prices": {
            "duoi-100k": products.filter(stockrecords__price__lt=100_000).distinct().count(),
            "100k-300k": products.filter(stockrecords__price__gte=100_000, stockrecords__price__lt=300_000)
            .distinct().count(),
            "300k-1tr": products.filter(stockrecords__price__gte=300_000, stockrecords__price__lt=1_000_000)
            .distinct().count(),
            "tren-1tr": products.filter(stockrecords__price__gte=1_000_000).distinct().count(),
        },
        "categories": {c.pk: products.filter(categories__in=Category.get_tree(c)).distinct().count()
                       for c in Category.objects.all()},
    }
    counts["stars"] = {s: n for s, n in counts["stars"].items() if n}
    counts["categories"] = {pk: n for pk, n in counts["categories"].items() if n}
    return counts


def shown_counts(context):
    """The raw counts behind the page (every commune and category, not only those shown)."""
    raw = context["view"].result.facets
    return {
        "groups": raw["groups"], "districts": raw["districts"], "stars": raw["stars"],
        "seller_types": raw["seller_types"], "communes": {code: n for code, _name, n in raw["communes"]},
        "in_stock": raw["in_stock"], "prices": raw["prices"], "categories": raw["categories"],
    }


IN_STOCK = Q(Exists(StockRecord.objects.filter(product=OuterRef("pk"),
                                               num_in_stock__gt=Coalesce(F("num_allocated"), 0))))


@pytest.mark.parametrize("params, orm_filter", [
    ({}, Q()),
    ({"group": "I", "price": "100k-300k"}, Q(ocop_group_code="I", stockrecords__price__gte=100_000,
                                             stockrecords__price__lt=300_000)),
    ({"district": "huyen-huong-son", "in_stock": "1"}, Q(origin_former_district__slug="huyen-huong-son") & IN_STOCK),
    ({"seller_type": "cooperative", "specialty": "1"}, Q(stockrecords__partner__vendor__seller_type="cooperative",
                                                         is_typical_specialty=True)),
    ({"stars": "4", "commune": "18073"}, Q(certificates__stars=4, certificates__status="verified",
                                           certificates__expiry_date__gte=timezone.localdate(),
                                           origin_commune__code="18073")),
])
def test_filters_and_facet_counts_equal_the_database(client, backend, settings, params, orm_filter):
    settings.OSCAR_PRODUCTS_PER_PAGE = 1000
    response = client.get("/catalogue/", params)
    assert response.status_code == 200
    expected_ids = set(browsable().filter(orm_filter).values_list("pk", flat=True))
    assert {p.pk for p in response.context["products"]} == expected_ids
    assert response.context["paginator"].count == len(expected_ids)
    counts = shown_counts(response.context)
    expected = orm_counts(expected_ids)
    for key in ("groups", "districts", "seller_types", "communes"):
        assert {k: v for k, v in counts[key].items() if v} == {k: v for k, v in expected[key].items() if k and v}, key
    for key in ("stars", "in_stock", "prices", "categories"):
        assert counts[key] == expected[key], key


@pytest.mark.parametrize("params", [{"q": "mat ong"}, {"q": "keo cu do", "in_stock": "1"},
                                    {"q": "huong son", "stars": "3"}])
def test_facet_counts_of_a_query_equal_the_database(client, backend, settings, params):
    settings.OSCAR_PRODUCTS_PER_PAGE = 1000
    response = client.get("/search/", params)
    ids = {p.pk for p in response.context["products"]}
    assert ids and response.context["paginator"].count == len(ids)
    counts, expected = shown_counts(response.context), orm_counts(ids)
    for key in ("groups", "districts", "seller_types", "communes"):
        assert {k: v for k, v in counts[key].items() if v} == {k: v for k, v in expected[key].items() if k and v}, key
    for key in ("stars", "in_stock", "prices", "categories"):
        assert counts[key] == expected[key], key


def test_category_facet_narrows(client, backend, settings):
    settings.OSCAR_PRODUCTS_PER_PAGE = 1000
    response = client.get("/search/", {"q": "mat ong"})
    choices = response.context["facets"]["categories"]
    assert choices
    category, count = choices[0]
    narrowed = client.get("/search/", {"q": "mat ong", "category": category.pk})
    assert narrowed.context["paginator"].count == count
    tree = Category.get_tree(category)
    assert all(set(p.categories.all()) & set(tree) for p in narrowed.context["products"])


# --- bad input: a normal page, never an error --------------------------------------------------
SPECIALS = "' \" ; -- ( ) * ? : \\ / ~ ^ [ ] { } AND OR NOT"


@pytest.mark.parametrize("params", [
    {"q": ""}, {"q": "   "}, {"q": "x" * 1000}, {"q": "mật ong " * 125}, {"q": SPECIALS},
    {"q": "mat ong' OR 1=1 --"}, {"q": "name:(keo) AND desc:*"}, {"q": "keo~2 cu^3 \"do"}, {"q": "\\"},
    {"q": "%_%"}, {"q": "<script>alert(1)</script>"}, {"q": "\x00"},
    {"q": "mat ong", "group": "ZZ", "district": "atlantis", "stars": "9", "seller_type": "pirate",
     "commune": "99999", "price": "free", "category": "999999", "in_stock": "maybe", "sort": "random"},
    {"q": "mat ong", "page": "abc"}, {"q": "mat ong", "page": "-3"}, {"q": "mat ong", "page": "99999999999999999999"},
    {"category": "-1"}, {"category": "abc"}, {"stars": "3' OR '1'='1"},
])
def test_bad_input_is_a_normal_page(client, backend, params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    assert client.get("/catalogue/", params).status_code == 200
    assert client.get("/search/suggest/", {"q": params.get("q", "")}).status_code == 200


def test_suggestions(client, backend):
    data = client.get("/search/suggest/", {"q": "keo cu"}).json()
    assert data["products"] and all("keo cu do" in fold(p["title"]) for p in data["products"])
    data = client.get("/search/suggest/", {"q": "bưởi phúc"}).json()
    assert data["products"] and all("buoi phuc" in fold(p["title"]) for p in data["products"])
    assert client.get("/search/suggest/", {"q": "k"}).json() == {"products": [], "sellers": [], "groups": []}
