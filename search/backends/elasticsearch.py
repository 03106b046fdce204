"""The Elasticsearch backend (elasticsearch-dsl), for when traffic outgrows the database.

Folding: Elasticsearch clusters rarely have the ICU plugin, so the ``vi_fold`` analyzer is built from
core parts — a ``mapping`` char filter for đ/Đ → d (asciifolding does fold đ, the explicit map makes
it independent of the filter's tables and of the tokenizer), then ``lowercase`` and ``asciifolding``.
Text is normalised to NFC before it is sent, so every Vietnamese vowel arrives precomposed.

The shop reads an alias (``ELASTICSEARCH_INDEX``); ``rebuild`` loads ``<alias>-<timestamp>`` and swaps
the alias in one atomic ``_aliases`` call, then deletes the old indices: searches never see a
half-built index. Single changes are written through the alias after the database commits.
"""
import logging
import threading

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from elasticsearch import Elasticsearch, NotFoundError, helpers
from elasticsearch.exceptions import ApiError, TransportError
from elasticsearch_dsl import (A, Boolean, Date, Document, Index, Integer, Keyword, Long, Q, Search, Text, analyzer,
                               char_filter, normalizer, token_filter)
from oscar.core.loading import get_model

from search.folding import fold_words

from .base import (BREVITY_TIER, NAME_EXACT, NAME_PHRASE, NAME_START, NAME_WORD, SELLER_WORD, SPECIALTY_BOOST,
                   TEXT_TIER, BaseBackend, SearchResult, clean_filters, clean_page, empty_facets, name_brevity,
                   normalise_text, query_words)

logger = logging.getLogger(__name__)
StockRecord = get_model("partner", "StockRecord")
Category = get_model("catalogue", "Category")

#: One edit for words of 5–7 letters (every Vietnamese syllable), two from 8; none below 5, where a
#: single edit turns "mat" into "mam" or "mit". Elasticsearch's plain AUTO would allow one edit from 3.
FUZZINESS = "AUTO:5,8"

d_fold = char_filter("vi_d_fold", "mapping", mappings=["đ => d", "Đ => D"])
edge_ngram = token_filter("vi_edge_ngram", "edge_ngram", min_gram=2, max_gram=20)
vi_fold = analyzer("vi_fold", tokenizer="standard", char_filter=[d_fold], filter=["lowercase", "asciifolding"])
vi_autocomplete = analyzer("vi_autocomplete", tokenizer="standard", char_filter=[d_fold],
                           filter=["lowercase", "asciifolding", edge_ngram])
vi_sort = normalizer("vi_sort", char_filter=[d_fold], filter=["lowercase", "asciifolding"])


class ProductDocument(Document):
    """One browsable product: what is matched (texts), filtered and counted (keywords), sorted (numbers)."""

    name = Text(analyzer=vi_fold, copy_to="all_text", fields={
        "autocomplete": Text(analyzer=vi_autocomplete, search_analyzer=vi_fold),
        "sort": Keyword(normalizer=vi_sort),
    })
    seller = Text(analyzer=vi_fold, copy_to="all_text",
                  fields={"autocomplete": Text(analyzer=vi_autocomplete, search_analyzer=vi_fold)})
    description = Text(analyzer=vi_fold, copy_to="all_text")
    places = Text(analyzer=vi_fold, copy_to="all_text")
    all_text = Text(analyzer=vi_fold)
    #: The name as bare folded words (``fold_words``): a query equal to it or starting it ranks first.
    name_words = Keyword()
    #: ``name_brevity``: more points for a shorter name (ranking among names that hold the query).
    name_brevity = Integer()
    product_id = Long()
    group = Keyword()
    district = Keyword()
    commune = Keyword()
    seller_types = Keyword()
    partners = Integer()
    categories = Integer()
    prices = Long()
    min_price = Long()
    in_stock = Boolean()
    stars = Integer()
    ocop_rank = Integer()
    specialty = Boolean()
    date_created = Date()


def index_definition(name):
    index = Index(name)
    index.settings(number_of_shards=1, number_of_replicas=0)
    index.document(ProductDocument)
    return index


_clients = {}
_clients_lock = threading.Lock()


def client_for(url):
    with _clients_lock:
        if url not in _clients:
            _clients[url] = Elasticsearch(url, request_timeout=10, retry_on_timeout=True, max_retries=2)
        return _clients[url]


# --- documents -----------------------------------------------------------------------------------
def product_documents(ids=None, *, on=None, chunk_size=500):
    """(id, source or None) for the given products (every product when None); None: not browsable, remove."""
    from django.db.models import Prefetch

    from catalogue.models import OcopCertificate, Product

    on = on or timezone.localdate()
    paths = dict(Category.objects.values_list("path", "pk"))
    steplen = Category.steplen
    queryset = Product.objects.all() if ids is None else Product.objects.filter(pk__in=list(ids))
    queryset = queryset.order_by("pk").select_related("origin_commune", "origin_former_district").prefetch_related(
        Prefetch("stockrecords", queryset=StockRecord.objects.select_related("partner__vendor").order_by("pk")),
        Prefetch("certificates", queryset=OcopCertificate.objects.all()),
        Prefetch("origin_commune__predecessors"),
        "categories",
    )
    seen = set()
    for product in queryset.iterator(chunk_size=chunk_size):
        seen.add(product.pk)
        records = list(product.stockrecords.all())
        if not product.is_public or product.parent_id or not records:
            yield product.pk, None
            continue
        valid = [c for c in product.certificates.all() if c.status == OcopCertificate.STATUS_VERIFIED
                 and c.issue_date <= on <= c.expiry_date]
        categories = set()
        for category in product.categories.all():
            for depth in range(1, len(category.path) // steplen + 1):
                if category.path[:depth * steplen] in paths:
                    categories.add(paths[category.path[:depth * steplen]])
        places = []
        if product.origin_commune_id:
            places.append(product.origin_commune.name)
            places += [old.name for old in product.origin_commune.predecessors.all()]
        if product.origin_former_district_id:
            places.append(product.origin_former_district.name)
        prices = sorted(int(r.price) for r in records if r.price is not None)
        vendors = [getattr(r.partner, "vendor", None) for r in records]
        yield product.pk, {
            "product_id": product.pk,
            "name": normalise_text(product.title),
            "name_words": fold_words(product.title),
            "name_brevity": name_brevity(product.title),
            "seller": normalise_text(" ".join(r.partner.name for r in records)),
            "description": normalise_text(" ".join(p for p in (product.description, product.other_certifications,
                                                                  product.upc) if p)),
            "places": normalise_text(" ".join(places)),
            "group": product.ocop_group_code or None,
            "district": product.origin_former_district.slug if product.origin_former_district_id else None,
            "commune": product.origin_commune.code if product.origin_commune_id else None,
            "seller_types": sorted({v.seller_type for v in vendors if v is not None}),
            "partners": sorted({r.partner_id for r in records}),
            "categories": sorted(categories),
            "prices": prices,
            "min_price": prices[0] if prices else None,
            "in_stock": any(r.num_in_stock is not None and r.num_in_stock > (r.num_allocated or 0) for r in records),
            "stars": sorted({c.stars for c in valid}),
            "ocop_rank": max((c.stars for c in valid), default=0),
            "specialty": product.is_typical_specialty,
            "date_created": product.date_created.isoformat(),
        }
    if ids is not None:
        for pk in set(ids) - seen:  # deleted from the database
            yield pk, None


# --- requests ------------------------------------------------------------------------------------
def filter_clauses(filters):
    from search.forms import PRICE_RANGES

    clauses = []
    for key, field in (("group", "group"), ("district", "district"), ("commune", "commune"),
                       ("seller_type", "seller_types"), ("stars", "stars"), ("category", "categories"),
                       ("partner", "partners")):
        if filters.get(key) is not None:
            clauses.append(Q("term", **{field: filters[key]}))
    if filters.get("specialty"):
        clauses.append(Q("term", specialty=True))
    if filters.get("in_stock"):
        clauses.append(Q("term", in_stock=True))
    if filters.get("price"):
        clauses.append(Q("range", prices=price_range(*PRICE_RANGES[filters["price"]])))
    return clauses


def price_range(low, high):
    bounds = {}
    if low is not None:
        bounds["gte"] = low
    if high is not None:
        bounds["lt"] = high
    return bounds


def text_query(text):
    """Every word must match somewhere (typos allowed): what matches, not how well (scored by ``text_scoring``)."""
    return Q("match", all_text={"query": text, "operator": "and", "fuzziness": FUZZINESS})


def text_scoring(words):
    """``function_score`` functions giving the database backend's tiers (``search.backends.base``), summed.

    The whole name, the name's start, the phrase in the name (the last word may be unfinished), each word
    in the name and in the seller's name score multiples of ``TEXT_TIER``; a short name holding the
    phrase adds up to 30 × ``BREVITY_TIER``; stars (≤ 5) and a specialty (2) only order equal matches.
    """
    phrase = " ".join(words)
    in_name = Q("match_phrase_prefix", name={"query": phrase})
    functions = [
        {"filter": Q("term", name_words=phrase), "weight": NAME_EXACT * TEXT_TIER},
        {"filter": Q("prefix", name_words=phrase), "weight": NAME_START * TEXT_TIER},
        {"filter": in_name, "weight": NAME_PHRASE * TEXT_TIER},
    ]
    for position, word in enumerate(words, 1):
        name_word = Q("match", name={"query": word, "fuzziness": FUZZINESS})
        if position == len(words):  # still being typed: the start of a word of the name counts
            name_word = Q("bool", should=[name_word, Q("prefix", name=word)])
        functions += [
            {"filter": name_word, "weight": NAME_WORD * TEXT_TIER},
            {"filter": Q("match", seller={"query": word, "fuzziness": FUZZINESS}), "weight": SELLER_WORD * TEXT_TIER},
        ]
    functions += [
        {"filter": in_name, "field_value_factor": {"field": "name_brevity", "factor": BREVITY_TIER, "missing": 0}},
        {"filter": Q("term", specialty=True), "weight": SPECIALTY_BOOST},
        {"field_value_factor": {"field": "ocop_rank", "factor": 1, "missing": 0}},
    ]
    return functions


SORTS = {
    "newest": [{"date_created": "desc"}, {"product_id": "desc"}],
    "title": [{"name.sort": "asc"}, {"product_id": "asc"}],
    "stars": [{"ocop_rank": "desc"}, {"specialty": "desc"}, {"name.sort": "asc"}, {"product_id": "asc"}],
    "price_asc": [{"min_price": {"order": "asc", "missing": "_last"}}, {"product_id": "asc"}],
    "price_desc": [{"min_price": {"order": "desc", "missing": "_last"}}, {"product_id": "asc"}],
    "relevance": [{"ocop_rank": "desc"}, {"specialty": "desc"}, {"date_created": "desc"}, {"product_id": "desc"}],
}


def build_search(*, index, query="", filters=None, sort="relevance", page=1, per_page=24, facets=True):
    """The elasticsearch-dsl ``Search`` the backend sends (``to_dict()`` is the exact request body)."""
    from search.forms import PRICE_RANGES

    filters = clean_filters(filters)
    words = query_words(query)
    text = " ".join(words)
    search = Search(index=index)
    clauses = filter_clauses(filters)
    if text:
        # the score is the functions' sum alone (``replace``): tiers, not BM25's floating weights
        scored = Q("function_score", query=text_query(text), functions=text_scoring(words), score_mode="sum",
                   boost_mode="replace")
        search = search.query(Q("bool", must=[scored], filter=clauses))
    else:
        search = search.query(Q("bool", filter=clauses) if clauses else Q("match_all"))
    order = SORTS.get(sort, SORTS["relevance"])
    if sort == "relevance" and text:
        order = ["_score"] + order
    page = clean_page(page)
    search = search.sort(*order).source(False).extra(track_total_hits=True, **{"from": (page - 1) * per_page,
                                                                            "size": per_page})
    if facets:
        search.aggs.bucket("groups", A("terms", field="group", size=20))
        search.aggs.bucket("districts", A("terms", field="district", size=50))
        search.aggs.bucket("communes", A("terms", field="commune", size=300))
        search.aggs.bucket("seller_types", A("terms", field="seller_types", size=10))
        search.aggs.bucket("stars", A("terms", field="stars", size=5))
        search.aggs.bucket("categories", A("terms", field="categories", size=500))
        search.aggs.bucket("prices", A("filters", filters={
            key: Q("range", prices=price_range(low, high)) for key, (low, high) in PRICE_RANGES.items()}))
        search.aggs.bucket("in_stock", A("filter", Q("term", in_stock=True)))
    return search


def build_suggest(*, index, prefix, limit=6):
    text = " ".join(query_words(prefix))
    return (Search(index=index)
            .query(Q("match", **{"name.autocomplete": {"query": text, "operator": "and"}}))
            .sort("_score", {"ocop_rank": "desc"}, {"specialty": "desc"}, {"name.sort": "asc"})
            .source(["name"]).extra(size=limit))


def parse_facets(aggs):
    from places.models import Commune

    from search.forms import PRICE_RANGES

    def terms(name, cast=str):
        return {cast(b["key"]): b["doc_count"] for b in aggs.get(name, {}).get("buckets", [])}

    communes = terms("communes")
    names = dict(Commune.objects.filter(code__in=list(communes)).values_list("code", "name")) if communes else {}
    price_buckets = aggs.get("prices", {}).get("buckets", {})
    return {
        "groups": terms("groups"), "districts": terms("districts"), "seller_types": terms("seller_types"),
        "stars": terms("stars", int), "categories": terms("categories", int),
        "communes": [(code, names.get(code, code), n) for code, n in communes.items()],
        "prices": {key: price_buckets.get(key, {}).get("doc_count", 0) for key in PRICE_RANGES},
        "in_stock": aggs.get("in_stock", {}).get("doc_count", 0),
    }


class ElasticsearchBackend(BaseBackend):
    name = "elasticsearch"

    def __init__(self, *, url, alias):
        self.url, self.alias = url, alias

    @classmethod
    def from_settings(cls):
        url = getattr(settings, "ELASTICSEARCH_URL", "")
        if not url:
            raise ImproperlyConfigured("SEARCH_BACKEND is 'elasticsearch' but ELASTICSEARCH_URL is not set")
        return cls(url=url, alias=getattr(settings, "ELASTICSEARCH_INDEX", "ocop-products") or "ocop-products")

    @property
    def client(self):
        return client_for(self.url)

    def _fallback(self, what, exc):
        logger.error("Elasticsearch %s failed (%s): answering from the database", what, exc)
        from .database import DatabaseBackend

        return DatabaseBackend()

    def search_products(self, *, query="", filters=None, sort="relevance", page=1, per_page=24, facets=True):
        search = build_search(index=self.alias, query=query, filters=filters, sort=sort, page=page,
                              per_page=per_page, facets=facets)
        try:
            response = self.client.search(index=self.alias, body=search.to_dict())
        except (TransportError, ApiError) as exc:  # a cluster down is a slower page, not an error page
            return self._fallback("search", exc).search_products(
                query=query, filters=filters, sort=sort, page=page, per_page=per_page, facets=facets)
        body = response.body
        ids = [int(hit["_id"]) for hit in body["hits"]["hits"]]
        total = body["hits"]["total"]["value"]
        return SearchResult(ids=ids, total=total, page=clean_page(page), per_page=per_page,
                            facets=parse_facets(body.get("aggregations", {})) if facets else empty_facets())

    def suggest(self, prefix, limit=6):
        search = build_suggest(index=self.alias, prefix=prefix, limit=limit)
        try:
            response = self.client.search(index=self.alias, body=search.to_dict())
        except (TransportError, ApiError) as exc:
            return self._fallback("suggest", exc).suggest(prefix, limit=limit)
        return [(int(hit["_id"]), hit["_source"]["name"]) for hit in response.body["hits"]["hits"]]

    # --- writing -----------------------------------------------------------------------------------
    def _actions(self, index, ids=None):
        for pk, source in product_documents(ids):
            if source is None:
                if ids is not None:
                    yield {"_op_type": "delete", "_index": index, "_id": str(pk)}
            else:
                yield {"_op_type": "index", "_index": index, "_id": str(pk), "_source": source}

    def _bulk(self, actions):
        done, errors = 0, []
        for ok, item in helpers.streaming_bulk(self.client, actions, chunk_size=500, raise_on_error=False,
                                               raise_on_exception=True):
            result = next(iter(item.values()))
            if ok or result.get("status") == 404:  # deleting what was never indexed is fine
                done += 1
            else:
                errors.append(result)
        if errors:
            raise RuntimeError(f"{len(errors)} documents refused by Elasticsearch, first: {errors[0]}")
        return done

    def index_products(self, ids):
        return self._bulk(self._actions(self.alias, ids=list(ids) if ids is not None else None))

    def remove_products(self, ids):
        return self._bulk({"_op_type": "delete", "_index": self.alias, "_id": str(pk)} for pk in ids)

    def new_index_name(self):
        return f"{self.alias}-{timezone.now():%Y%m%d%H%M%S%f}"

    def rebuild(self, *, stdout=None):
        """Build a new index, load it, swap the alias atomically, delete the indices it replaced."""
        client = self.client
        name = self.new_index_name()
        client.indices.create(index=name, body=index_definition(name).to_dict())
        try:
            documents = self._bulk(self._actions(name))
            client.indices.refresh(index=name)
        except Exception:
            client.indices.delete(index=name, ignore_unavailable=True)
            raise
        try:
            current = sorted(client.indices.get_alias(name=self.alias).body)
        except NotFoundError:
            current = []
        actions = [{"add": {"index": name, "alias": self.alias}}]
        actions += [{"remove": {"index": old, "alias": self.alias}} for old in current]
        if not current and client.indices.exists(index=self.alias):  # a plain index squatting the alias name
            actions.append({"remove_index": {"index": self.alias}})
        client.indices.update_aliases(actions=actions)
        stale = [old for old in sorted(client.indices.get(index=f"{self.alias}-*").body) if old != name]
        for old in stale:
            client.indices.delete(index=old, ignore_unavailable=True)
        return {"index": name, "alias": self.alias, "documents": documents, "deleted": len(stale)}
