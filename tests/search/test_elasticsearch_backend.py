"""The Elasticsearch backend without a cluster: its index definition and the exact requests it sends.

A tiny local HTTP server (``FakeElasticsearch``) records what the real client sends; the database is
the real test database. The live-cluster suite is ``test_shared_suite`` (and ``test_live_cluster``
below), run when ELASTICSEARCH_URL is set.
"""
import json
import re
import socket
import unicodedata
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from catalogue.models import Product
from search.backends.elasticsearch import FUZZINESS, build_search, index_definition, product_documents
from tests.factories import create_product, create_vendor
from vendors.models import Vendor

from .conftest import ELASTICSEARCH_URL, needs_cluster

pytestmark = pytest.mark.django_db


# --- the index definition --------------------------------------------------------------------------
def test_analysis_folds_vietnamese_without_icu():
    analysis = index_definition("ocop-products-x").to_dict()["settings"]["analysis"]
    assert analysis["char_filter"] == {"vi_d_fold": {"type": "mapping", "mappings": ["đ => d", "Đ => D"]}}
    assert analysis["analyzer"]["vi_fold"] == {
        "type": "custom", "tokenizer": "standard", "char_filter": ["vi_d_fold"], "filter": ["lowercase", "asciifolding"]}
    assert analysis["analyzer"]["vi_autocomplete"] == {
        "type": "custom", "tokenizer": "standard", "char_filter": ["vi_d_fold"],
        "filter": ["lowercase", "asciifolding", "vi_edge_ngram"]}
    assert analysis["filter"] == {"vi_edge_ngram": {"type": "edge_ngram", "min_gram": 2, "max_gram": 20}}
    assert analysis["normalizer"]["vi_sort"] == {
        "type": "custom", "char_filter": ["vi_d_fold"], "filter": ["lowercase", "asciifolding"]}


def analyze(analyzer_name, text):
    """Run an analyzer of the definition the way Elasticsearch does: char filters, tokenizer, token filters.

    ``asciifolding`` is reproduced with Unicode decomposition; unlike Elasticsearch's table it leaves đ alone,
    which is exactly what the mapping char filter is there for.
    """
    analysis = index_definition("x").to_dict()["settings"]["analysis"]
    definition = analysis["analyzer"][analyzer_name]
    for name in definition["char_filter"]:
        for rule in analysis["char_filter"][name]["mappings"]:
            source, target = (part.strip() for part in rule.split("=>"))
            text = text.replace(source, target)
    tokens = re.findall(r"\w+", unicodedata.normalize("NFC", text))
    for name in definition["filter"]:
        if name == "lowercase":
            tokens = [t.lower() for t in tokens]
        elif name == "asciifolding":
            tokens = ["".join(c for c in unicodedata.normalize("NFD", t) if not unicodedata.combining(c))
                      for t in tokens]
        else:
            spec = analysis["filter"][name]
            assert spec["type"] == "edge_ngram"
            tokens = [t[:n] for t in tokens for n in range(spec["min_gram"], min(len(t), spec["max_gram"]) + 1)]
    return tokens


@pytest.mark.parametrize("text", ["Kẹo cu đơ", "KẸO CU ĐƠ", "keo cu do", unicodedata.normalize("NFD", "Kẹo cu đơ")])
def test_keo_cu_do_is_folded(text):
    assert analyze("vi_fold", text) == ["keo", "cu", "do"]


def test_autocomplete_emits_prefixes():
    assert analyze("vi_autocomplete", "Đậu phụng") == ["da", "dau", "ph", "phu", "phun", "phung"]


def test_mapping_fields():
    properties = index_definition("x").to_dict()["mappings"]["properties"]
    assert properties["name"] == {
        "type": "text", "analyzer": "vi_fold", "copy_to": "all_text", "fields": {
            "autocomplete": {"type": "text", "analyzer": "vi_autocomplete", "search_analyzer": "vi_fold"},
            "sort": {"type": "keyword", "normalizer": "vi_sort"}}}
    assert properties["seller"]["fields"]["autocomplete"]["analyzer"] == "vi_autocomplete"
    for field in ("description", "places"):
        assert properties[field] == {"type": "text", "analyzer": "vi_fold", "copy_to": "all_text"}
    assert properties["all_text"] == {"type": "text", "analyzer": "vi_fold"}
    keywords = {name for name, spec in properties.items() if spec["type"] == "keyword"}
    assert keywords == {"group", "district", "commune", "seller_types", "name_words"}
    assert {properties[f]["type"] for f in ("prices", "min_price", "product_id")} == {"long"}
    assert {properties[f]["type"] for f in ("stars", "ocop_rank", "categories", "partners", "name_brevity")} == {
        "integer"}
    assert {properties[f]["type"] for f in ("in_stock", "specialty")} == {"boolean"}
    assert properties["date_created"] == {"type": "date"}


# --- the exact request bodies ------------------------------------------------------------------------
AGGS = {
    "groups": {"terms": {"field": "group", "size": 20}},
    "districts": {"terms": {"field": "district", "size": 50}},
    "communes": {"terms": {"field": "commune", "size": 300}},
    "seller_types": {"terms": {"field": "seller_types", "size": 10}},
    "stars": {"terms": {"field": "stars", "size": 5}},
    "categories": {"terms": {"field": "categories", "size": 500}},
    "prices": {"filters": {"filters": {
        "duoi-100k": {"range": {"prices": {"lt": 100000}}},
        "100k-300k": {"range": {"prices": {"gte": 100000, "lt": 300000}}},
        "300k-1tr": {"range": {"prices": {"gte": 300000, "lt": 1000000}}},
        "tren-1tr": {"range": {"prices": {"gte": 1000000}}}}}},
    "in_stock": {"filter": {"term": {"in_stock": True}}},
}


def expected_functions(words):
    """The scoring functions for these folded words, written out: the ranking tiers of the database backend."""
    phrase = " ".join(words)
    functions = [
        {"filter": {"term": {"name_words": phrase}}, "weight": 40000},
        {"filter": {"prefix": {"name_words": phrase}}, "weight": 20000},
        {"filter": {"match_phrase_prefix": {"name": {"query": phrase}}}, "weight": 10000},
    ]
    for position, word in enumerate(words, 1):
        name_word = {"match": {"name": {"query": word, "fuzziness": "AUTO:5,8"}}}
        if position == len(words):
            name_word = {"bool": {"should": [name_word, {"prefix": {"name": word}}]}}
        functions += [{"filter": name_word, "weight": 3000},
                      {"filter": {"match": {"seller": {"query": word, "fuzziness": "AUTO:5,8"}}}, "weight": 2000}]
    return functions + [
        {"filter": {"match_phrase_prefix": {"name": {"query": phrase}}},
         "field_value_factor": {"field": "name_brevity", "factor": 10, "missing": 0}},
        {"filter": {"term": {"specialty": True}}, "weight": 2},
        {"field_value_factor": {"field": "ocop_rank", "factor": 1, "missing": 0}},
    ]


def expected_text_body(text, filters, *, sort, start=0, size=24):
    return {
        "query": {"bool": {
            "must": [{"function_score": {
                "query": {"match": {"all_text": {"query": text, "operator": "and", "fuzziness": "AUTO:5,8"}}},
                "functions": expected_functions(text.split()),
                "score_mode": "sum", "boost_mode": "replace",
            }}],
            "filter": filters,
        }},
        "sort": sort,
        "_source": False,
        "track_total_hits": True,
        "from": start,
        "size": size,
        "aggs": AGGS,
    }


def test_search_body_is_exactly_this():
    body = build_search(index="ocop-products", query="Kẹo cu đơ!", filters={"price": "100k-300k", "stars": "4"},
                        sort="relevance", page=2, per_page=24).to_dict()
    assert body == expected_text_body(
        "keo cu do", [{"term": {"stars": 4}}, {"range": {"prices": {"gte": 100000, "lt": 300000}}}],
        sort=["_score", {"ocop_rank": "desc"}, {"specialty": "desc"}, {"date_created": "desc"},
              {"product_id": "desc"}], start=24)
    assert FUZZINESS == "AUTO:5,8"


def test_browse_body_without_a_query():
    body = build_search(index="ocop-products", filters={"group": "I", "in_stock": True, "bogus": 1},
                        sort="price_asc", per_page=12, facets=False).to_dict()
    assert body == {
        "query": {"bool": {"filter": [{"term": {"group": "I"}}, {"term": {"in_stock": True}}]}},
        "sort": [{"min_price": {"order": "asc", "missing": "_last"}}, {"product_id": "asc"}],
        "_source": False, "track_total_hits": True, "from": 0, "size": 12,
    }
    assert build_search(index="x", facets=False).to_dict()["query"] == {"match_all": {}}


@pytest.mark.parametrize("sort, expected", [
    ("newest", [{"date_created": "desc"}, {"product_id": "desc"}]),
    ("title", [{"name.sort": "asc"}, {"product_id": "asc"}]),
    ("stars", [{"ocop_rank": "desc"}, {"specialty": "desc"}, {"name.sort": "asc"}, {"product_id": "asc"}]),
    ("price_desc", [{"min_price": {"order": "desc", "missing": "_last"}}, {"product_id": "asc"}]),
])
def test_sort_bodies(sort, expected):
    assert build_search(index="x", query="mat ong", sort=sort, facets=False).to_dict()["sort"] == expected


def test_specials_never_reach_the_query_string():
    body = build_search(index="x", query="keo~2 AND (cu:* OR \"do\") \\ / [ ] { } ^ ;--", facets=False).to_dict()
    text_clause = body["query"]["bool"]["must"][0]["function_score"]["query"]
    assert text_clause["match"]["all_text"]["query"] == "keo 2 and cu or do"  # plain words, no query syntax


@pytest.fixture
def shelf():
    coop = create_vendor(name="HTX Kẹo Tứ Mỹ", seller_type=Vendor.TYPE_COOPERATIVE)
    home = create_vendor(name="Hộ Đình Hiền", seller_type=Vendor.TYPE_HOUSEHOLD, commune_code="18754")
    return [
        create_product(vendor=coop, title="Kẹo cu đơ Tứ Mỹ", price=50000, stock=5, stars=3),
        create_product(vendor=home, title="Kẹo cu đơ Đình Hiền", price=120000, stock=0),
        create_product(vendor=home, title="Mật ong Đình Hiền", price=250000, stock=3, ocop_code="I.2.b", stars=4),
    ]


def test_search_page_sends_the_body_and_shows_the_hits_in_their_order(client, fake_es, shelf):
    candy, candy2, honey = shelf
    fake_es.search_response = {
        "took": 2, "timed_out": False,
        "hits": {"total": {"value": 2, "relation": "eq"}, "max_score": None, "hits": [
            {"_index": "ocop-products-1", "_id": str(candy2.pk), "_score": 9.0},
            {"_index": "ocop-products-1", "_id": str(candy.pk), "_score": 8.0}]},
        "aggregations": {
            "groups": {"buckets": [{"key": "I", "doc_count": 2}]},
            "districts": {"buckets": [{"key": "huyen-huong-son", "doc_count": 2}]},
            "communes": {"buckets": [{"key": "18754", "doc_count": 1}, {"key": "18073", "doc_count": 1}]},
            "seller_types": {"buckets": [{"key": "cooperative", "doc_count": 1},
                                         {"key": "household_business", "doc_count": 1}]},
            "stars": {"buckets": [{"key": 3, "doc_count": 1}]},
            "categories": {"buckets": []},
            "prices": {"buckets": {"duoi-100k": {"doc_count": 1}, "100k-300k": {"doc_count": 1},
                                   "300k-1tr": {"doc_count": 0}, "tren-1tr": {"doc_count": 0}}},
            "in_stock": {"doc_count": 1},
        },
    }
    response = client.get("/search/", {"q": "Kẹo cu đơ", "seller_type": "cooperative"})
    assert response.status_code == 200
    searches = [(method, path) for method, path, _ in fake_es.requests if path.endswith("/_search")]
    assert searches == [("POST", "/ocop-products/_search")]
    assert fake_es.bodies("/_search") == [expected_text_body(
        "keo cu do", [{"term": {"seller_types": "cooperative"}}],
        sort=["_score", {"ocop_rank": "desc"}, {"specialty": "desc"}, {"date_created": "desc"},
              {"product_id": "desc"}])]
    assert [p.title for p in response.context["products"]] == ["Kẹo cu đơ Đình Hiền", "Kẹo cu đơ Tứ Mỹ"]
    assert response.context["paginator"].count == 2
    facets = response.context["facets"]
    assert dict((node.code, n) for node, n in facets["groups"])["I"] == 2
    assert {code: n for code, _, n in facets["seller_types"]}["household_business"] == 1
    assert dict(facets["stars"]) == {5: 0, 4: 0, 3: 1}
    assert facets["in_stock"] == 1
    assert {code for code, _name, _n in facets["communes"]} == {"18754", "18073"}


def test_suggestions_use_the_autocomplete_field(client, fake_es, shelf):
    fake_es.search_response = {"hits": {"total": {"value": 1, "relation": "eq"}, "hits": [
        {"_id": str(shelf[0].pk), "_score": 3.0, "_source": {"name": "Kẹo cu đơ Tứ Mỹ"}}]}}
    data = client.get("/search/suggest/", {"q": "Kẹo c"}).json()
    assert fake_es.bodies("/_search") == [{
        "query": {"match": {"name.autocomplete": {"query": "keo c", "operator": "and"}}},
        "sort": ["_score", {"ocop_rank": "desc"}, {"specialty": "desc"}, {"name.sort": "asc"}],
        "_source": ["name"], "size": 6}]
    assert data["products"] == [{"title": "Kẹo cu đơ Tứ Mỹ", "url": shelf[0].get_absolute_url()}]


def test_document_of_a_product(shelf):
    honey = shelf[2]
    (pk, source), = product_documents([honey.pk])
    assert pk == honey.pk
    assert source == {
        "product_id": honey.pk, "name": "Mật ong Đình Hiền", "name_words": "mat ong dinh hien", "name_brevity": 27,
        "seller": "Hộ Đình Hiền",
        "description": honey.upc, "places": source["places"], "group": "I", "district": honey.origin_former_district.slug,
        "commune": "18754", "seller_types": ["household_business"], "partners": [honey.stockrecords.get().partner_id],
        "categories": [], "prices": [250000], "min_price": 250000, "in_stock": True, "stars": [4], "ocop_rank": 4,
        "specialty": True, "date_created": honey.date_created.isoformat(),
    }
    assert honey.origin_commune.name in source["places"]


def test_rebuild_builds_a_new_index_and_swaps_the_alias(fake_es, shelf):
    fake_es.indices = ["ocop-products-20250101000000000000"]
    fake_es.aliases = {"ocop-products-20250101000000000000": "ocop-products"}
    hidden = create_product(vendor=shelf[0].vendor, title="Sản phẩm ẩn")
    Product.objects.filter(pk=hidden.pk).update(is_public=False)
    out = StringIO()
    call_command("search_index", "--rebuild", stdout=out)
    steps = [(method, path) for method, path, _ in fake_es.requests]
    (created,) = [path.strip("/") for method, path in steps if method == "PUT" and path != "/_bulk"]
    assert re.fullmatch(r"ocop-products-\d{20}", created)
    assert steps == [
        ("PUT", f"/{created}"), ("PUT", "/_bulk"), ("POST", f"/{created}/_refresh"),
        ("GET", "/_alias/ocop-products"), ("POST", "/_aliases"), ("GET", "/ocop-products-*"),
        ("DELETE", "/ocop-products-20250101000000000000"),
    ]
    assert json.loads(fake_es.requests[0][2]) == index_definition(created).to_dict()
    indexed = {meta["index"]["_id"] for meta, _source in fake_es.bulk_actions()}
    assert indexed == {str(p.pk) for p in shelf}  # the hidden product is not indexed
    assert {meta["index"]["_index"] for meta, _source in fake_es.bulk_actions()} == {created}
    assert fake_es.bodies("/_aliases") == [{"actions": [
        {"add": {"index": created, "alias": "ocop-products"}},
        {"remove": {"index": "ocop-products-20250101000000000000", "alias": "ocop-products"}}]}]
    assert f"3 documents in {created} behind alias ocop-products, 1 old indices deleted" in out.getvalue()


def test_rebuild_failure_exits_with_a_message(settings, shelf):
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{closed_port()}"
    with pytest.raises(Exception) as error:
        call_command("search_index", "--rebuild", stdout=StringIO())
    assert "Search index rebuild failed" in str(error.value)


def test_changes_reach_the_index_after_commit(fake_es, shelf, django_capture_on_commit_callbacks):
    candy = shelf[0]
    record = candy.stockrecords.get()
    with django_capture_on_commit_callbacks(execute=True):
        record.price = 65000
        record.save()
    # the batch of the test's transaction so far: the shelf, and the price change
    (meta, source), = [(m, s) for m, s in fake_es.bulk_actions() if m["index"]["_id"] == str(candy.pk)]
    assert meta == {"index": {"_index": "ocop-products", "_id": str(candy.pk)}}
    assert source["prices"] == [65000] and source["seller"] == "HTX Kẹo Tứ Mỹ"
    fake_es.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        partner = record.partner
        partner.name = "HTX Kẹo cu đơ Tứ Mỹ"
        partner.save()
    assert [source["seller"] for _meta, source in fake_es.bulk_actions()] == ["HTX Kẹo cu đơ Tứ Mỹ"]
    fake_es.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        pk = candy.pk
        candy.delete()
    assert [meta for meta, _source in fake_es.bulk_actions()] == [
        {"delete": {"_index": "ocop-products", "_id": str(pk)}}]


def test_nothing_is_sent_before_commit(fake_es, shelf, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        shelf[1].title = "Kẹo cu đơ mới"
        shelf[1].save()
    assert callbacks and not fake_es.requests


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_cluster_down_answers_from_the_database(client, settings, shelf):
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{closed_port()}"
    response = client.get("/search/", {"q": "keo cu do"})
    assert response.status_code == 200
    assert {p.title for p in response.context["products"]} == {"Kẹo cu đơ Tứ Mỹ", "Kẹo cu đơ Đình Hiền"}
    assert client.get("/search/suggest/", {"q": "keo"}).status_code == 200


# --- a live cluster ----------------------------------------------------------------------------------
@needs_cluster
def test_live_cluster_analyzer_and_rebuild(settings, shelf):
    from search.backends.elasticsearch import client_for

    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = ELASTICSEARCH_URL
    settings.ELASTICSEARCH_INDEX = "ocop-test-live"
    call_command("search_index", "--rebuild", stdout=StringIO())
    client = client_for(ELASTICSEARCH_URL)
    tokens = client.indices.analyze(index="ocop-test-live", analyzer="vi_fold", text="Kẹo cu Đơ")
    assert [t["token"] for t in tokens["tokens"]] == ["keo", "cu", "do"]
    first = set(client.indices.get_alias(name="ocop-test-live").body)
    call_command("search_index", "--rebuild", stdout=StringIO())
    second = set(client.indices.get_alias(name="ocop-test-live").body)
    assert len(first) == len(second) == 1 and first != second
    assert not client.indices.exists(index=first.pop())
    assert timezone.now()
