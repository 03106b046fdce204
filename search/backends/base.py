"""What every search backend answers, and the query parsing they share.

A backend returns product ids in order, the total and raw facet counts; the view turns them into
product cards and labelled facets (``search.facets``), so both backends feed the same pages.
"""
import re
import unicodedata
from dataclasses import dataclass, field

from search.folding import fold, fold_words

#: Longest query kept (characters); the form already cuts at 200.
MAX_QUERY_CHARS = 200
#: Words searched per query; the rest are ignored.
MAX_WORDS = 12
#: Words of at least this many letters tolerate one typo (one edit).
TYPO_MIN_LENGTH = 5
#: Facet keys every backend fills (see ``empty_facets``).
FACET_KEYS = ("groups", "districts", "stars", "seller_types", "communes", "prices", "in_stock", "categories")
SORT_KEYS = ("relevance", "newest", "title", "stars", "price_asc", "price_desc")
FILTER_KEYS = ("group", "district", "stars", "specialty", "in_stock", "seller_type", "commune", "price",
               "category", "partner")

#: Relevance, shared by both backends. Text score, in points: the whole name is the query; the name
#: starts with the query; the name holds the query as a phrase (the last word may be unfinished); per
#: query word that is a word of the name (the last word: starts one); per query word that is a word of
#: the seller's name. Description and place matches score 0: they only decide what matches.
NAME_EXACT, NAME_START, NAME_PHRASE, NAME_WORD, SELLER_WORD = 40, 20, 10, 3, 2
#: A name holding the query scores ``MAX_BREVITY + 1 - its words`` (at least 0) more: short names first.
MAX_BREVITY = 30
#: Multiplier of the brevity points, larger than the largest boost (5 stars + 2 for a specialty).
BREVITY_TIER = 10
#: Multiplier of the text score, larger than the largest brevity and boost (30 × 10 + 7).
TEXT_TIER = 1000
#: Boost of a typical specialty (the stars of the certificate in force add 3–5).
SPECIALTY_BOOST = 2

_WORD = re.compile(r"[a-z0-9]+")


def query_words(query):
    """Folded words of a shopper's query: specials (SQL, Lucene, tsquery) are dropped, never interpreted."""
    return _WORD.findall(fold(str(query or "")[:MAX_QUERY_CHARS]))[:MAX_WORDS]


def name_brevity(name):
    """Brevity points of a product name (``MAX_BREVITY + 1`` minus its words, at least 0)."""
    return max(0, MAX_BREVITY + 1 - len(fold_words(name).split()))


def normalise_text(text):
    """NFC, the form both PostgreSQL's unaccent and Elasticsearch's asciifolding fold completely."""
    return unicodedata.normalize("NFC", str(text or ""))


def empty_facets():
    return {"groups": {}, "districts": {}, "stars": {}, "seller_types": {}, "communes": [], "prices": {},
            "in_stock": 0, "categories": {}}


@dataclass
class SearchResult:
    """One page of results.

    ``facets`` holds raw counts for the current filters: ``groups`` {code: n}, ``districts`` {slug: n},
    ``stars`` {3|4|5: n}, ``seller_types`` {code: n}, ``communes`` [(code, name, n)], ``prices``
    {range key: n}, ``in_stock`` n, ``categories`` {category id: n products in its subtree}.
    ``corrections`` maps a misspelt query word to the catalogue words it was read as.
    """

    ids: list
    total: int
    page: int = 1
    per_page: int = 24
    facets: dict = field(default_factory=empty_facets)
    corrections: dict = field(default_factory=dict)


def clean_page(page):
    try:
        return min(max(1, int(page or 1)), 100_000)
    except (TypeError, ValueError):
        return 1


def clean_filters(filters):
    """Known filter keys with a value; anything else is dropped (unknown values filter nothing)."""
    from search.forms import PRICE_RANGES

    filters = dict(filters or {})
    clean = {key: filters.get(key) for key in FILTER_KEYS if filters.get(key) not in (None, "", False)}
    if clean.get("price") not in PRICE_RANGES:
        clean.pop("price", None)
    if "stars" in clean:
        try:
            clean["stars"] = int(clean["stars"])
        except (TypeError, ValueError):
            clean.pop("stars")
    for key in ("category", "partner"):
        value = clean.get(key)
        if value is not None and not isinstance(value, int):
            value = getattr(value, "pk", value)
            try:
                clean[key] = int(value)
            except (TypeError, ValueError):
                clean.pop(key)
    return clean


class BaseBackend:
    name = "base"

    def search_products(self, *, query="", filters=None, sort="relevance", page=1, per_page=24, facets=True):
        raise NotImplementedError

    def suggest(self, prefix, limit=6):
        """Product suggestions [(id, title)] for a prefix typed in the search box."""
        raise NotImplementedError

    def index_products(self, ids):
        raise NotImplementedError

    def remove_products(self, ids):
        raise NotImplementedError

    def rebuild(self, *, stdout=None):
        raise NotImplementedError
