"""The database backend: PostgreSQL full-text search, or the folded columns on SQLite.

Matching: every folded query word must start a word of the product (its name, seller, description,
places); a misspelt word of 5+ letters also matches the catalogue words one edit away
(``search.lexicon``). On PostgreSQL the words become a prefix ``tsquery`` on the weighted
``search_vector`` column (GIN index; migration ``search.0001``); on SQLite, ``LIKE`` on ``search_text``.

Ranking (both), best match first: the whole name is the query, then a name starting with the query,
then a name holding it as a phrase (the last word may be half typed), then per word in the name, per
word in the seller's name (``text_score``); among equal text matches a shorter name holding the query
first (a real product before its "… – chai 500ml" pack variants); only then the stars of the
certificate in force and 2 for a typical specialty (``relevance``: tiers of ``TEXT_TIER`` and
``BREVITY_TIER``); on PostgreSQL ``ts_rank`` (weights A name, B seller, C everything) orders what is
still tied.
"""
import json
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import (BooleanField, Case, Count, Exists, F, FloatField, IntegerField, OuterRef, Q, Subquery,
                              Value, When, Window)
from django.db.models.expressions import Expression
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone
from oscar.core.loading import get_model

from catalogue import selectors
from catalogue.models import OcopCertificate, Product

from .base import (BREVITY_TIER, MAX_BREVITY, NAME_EXACT, NAME_PHRASE, NAME_START, NAME_WORD, SELLER_WORD,
                   SPECIALTY_BOOST, TEXT_TIER, BaseBackend, SearchResult, clean_filters, clean_page, empty_facets,
                   query_words)

StockRecord = get_model("partner", "StockRecord")
Category = get_model("catalogue", "Category")
ProductCategory = get_model("catalogue", "ProductCategory")

#: ts_rank weights for {D, C, B, A}: name 1.0, seller 0.4, everything else 0.2.
RANK_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"


def is_postgresql():
    return connection.vendor == "postgresql"


class VectorSQL(Expression):
    """SQL on the product's row, aliased like the query's base table: ``{vector}`` becomes
    ``"catalogue_product"."search_vector"`` (a column that is no model field) or, inside a subquery,
    ``U0."search_vector"``; ``{table}`` becomes the alias alone (``{table}."search_title"``).
    """

    def __init__(self, template, params, output_field):
        super().__init__(output_field=output_field)
        self.template, self.params = template, list(params)

    def as_sql(self, compiler, connection):
        alias = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return self.template.replace("{vector}", f'{alias}."search_vector"').replace("{table}", alias), self.params

    def get_group_by_cols(self):
        return []


def tsquery_text(words, corrections):
    """``mat:* & (buoii:* | buoi:*)``: words are [a-z0-9] only (``query_words``), so nothing is interpreted."""
    terms = []
    for word in words:
        options = [f"{word}:*"] + [f"{alt}:*" for alt in corrections.get(word, [])]
        terms.append(options[0] if len(options) == 1 else "(" + " | ".join(options) + ")")
    return " & ".join(terms)


def _starts_a_word(field, word):
    return Q(**{f"{field}__startswith": word}) | Q(**{f"{field}__contains": " " + word})


def match_q(words, corrections):
    """The text condition alone (no annotation), usable inside subqueries."""
    if is_postgresql():
        return Q(VectorSQL("{vector} @@ to_tsquery('simple', %s)", [tsquery_text(words, corrections)],
                           output_field=BooleanField()))
    condition = Q()
    for word in words:
        term = _starts_a_word("search_text", word)
        for alt in corrections.get(word, []):
            term |= _starts_a_word("search_text", alt)
        condition &= term
    return condition


def _stock_exists(**conditions):
    return Exists(StockRecord.objects.filter(product=OuterRef("pk"), **conditions))


def filter_q(filters, *, on=None):
    """The filters as one condition on Product, with EXISTS subqueries (no join, no DISTINCT)."""
    from search.forms import PRICE_RANGES

    condition = Q()
    if filters.get("group"):
        condition &= Q(ocop_group_code=filters["group"])
    if filters.get("district"):
        condition &= Q(origin_former_district__slug=filters["district"])
    if filters.get("commune"):
        condition &= Q(origin_commune__code=filters["commune"])
    if filters.get("specialty"):
        condition &= Q(is_typical_specialty=True)
    if filters.get("stars"):
        condition &= Q(selectors.valid_certificate_q(stars=filters["stars"], on=on))
    if filters.get("seller_type"):
        condition &= Q(_stock_exists(partner__vendor__seller_type=filters["seller_type"]))
    if filters.get("partner"):
        condition &= Q(_stock_exists(partner_id=filters["partner"]))
    if filters.get("price"):
        low, high = PRICE_RANGES[filters["price"]]
        bounds = {}
        if low is not None:
            bounds["price__gte"] = low
        if high is not None:
            bounds["price__lt"] = high
        condition &= Q(_stock_exists(**bounds))
    if filters.get("in_stock"):
        condition &= Q(Exists(StockRecord.objects.filter(
            product=OuterRef("pk"), num_in_stock__gt=Coalesce(F("num_allocated"), 0))))
    if filters.get("category"):
        category = Category.objects.filter(pk=filters["category"]).only("path").first()
        if category is None:
            return Q(pk__in=[])
        condition &= Q(Exists(ProductCategory.objects.filter(
            product=OuterRef("pk"), category__path__startswith=category.path)))
    return condition


class AnyOf(Expression):
    """``field = ANY(%s)`` with the ids as one array parameter (PostgreSQL), however many they are."""

    conditional = True

    def __init__(self, field, values):
        super().__init__(output_field=BooleanField())
        self.target, self.values = F(field), list(values)

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        clone = self.copy()
        clone.target = self.target.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        return clone

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.target)
        return f"{sql} = ANY(%s)", [*params, self.values]

    def get_group_by_cols(self):
        return []


class MatchSet:
    """The matching products, for the facet queries: on PostgreSQL their ids are read once and passed
    as an array (the text match and the filters run once, not once per facet query); elsewhere a subquery."""

    #: Past this many matches an array costs more than re-running the match in each facet query.
    MAX_IDS = 5000

    def __init__(self, matches):
        self.matches = matches
        self.ids = None
        if is_postgresql():
            ids = list(matches.order_by().values_list("pk", flat=True)[:self.MAX_IDS + 1])
            self.ids = ids if len(ids) <= self.MAX_IDS else None

    def q(self, field):
        if self.ids is not None:
            return Q(AnyOf(field, self.ids))
        return Q(**{f"{field}__in": self.matches.values("pk")})


@contextmanager
def no_jit():
    """PostgreSQL's JIT compiles these short queries for longer than they run (80–800 ms at 50,000
    products, from pessimistic row estimates): switched off for the search's own transaction only."""
    if not is_postgresql():
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        yield


def base_products():
    """Public, standalone/parent products a seller offers — ``selectors.browsable_products`` without DISTINCT."""
    return Product.objects.browsable().filter(Exists(StockRecord.objects.filter(product=OuterRef("pk"))))


def text_score(queryset, words, corrections, query):
    """Annotate ``text_score`` (integer tiers, see ``NAME_EXACT``…), ``brevity`` and, on PostgreSQL, ``text_rank``.

    The query is compared with the name as typed, its last word possibly unfinished: "ruou nhung huou hu"
    starts "Rượu nhung hươu Huso". ``search_title`` and ``search_seller`` hold bare folded words, and the
    words are [a-z0-9] only (``query_words``), so they go into LIKE patterns as they are. Written as SQL
    text: the same CASEs as Django expressions cost several times more to build than to run.
    """
    phrase = " ".join(words)
    title, seller = '{table}."search_title"', '{table}."search_seller"'
    padded_title, padded_seller = f"(' ' || {title} || ' ')", f"(' ' || {seller} || ' ')"

    def points(conditions, value):
        sql = " OR ".join(condition for condition, _param in conditions)
        return f"CASE WHEN {sql} THEN {value} ELSE 0 END", [param for _condition, param in conditions]

    parts = [points([(f"{title} = %s", phrase)], NAME_EXACT),
             points([(f"{title} LIKE %s", f"{phrase}%")], NAME_START),
             points([(f"{padded_title} LIKE %s", f"% {phrase}%")], NAME_PHRASE)]
    for position, word in enumerate(words, 1):
        # a whole word; the last one may also be the start of a word of the name (still being typed)
        in_title = [(f"{padded_title} LIKE %s", f"% {word}%" if position == len(words) else f"% {word} %")]
        in_seller = [(f"{padded_seller} LIKE %s", f"% {word} %")]
        for alt in corrections.get(word, []):  # a corrected word in the name still counts as in the name
            in_title.append((f"{padded_title} LIKE %s", f"% {alt} %"))
            in_seller.append((f"{padded_seller} LIKE %s", f"% {alt} %"))
        parts += [points(in_title, NAME_WORD), points(in_seller, SELLER_WORD)]
    score_sql = "(" + " + ".join(sql for sql, _params in parts) + ")"
    score_params = [param for _sql, params in parts for param in params]
    # A short name holding the whole query is a closer match than a long one (a pack variant
    # "… – chai 500ml"); names without the phrase are not told apart by their length.
    greatest = "GREATEST" if is_postgresql() else "MAX"
    brevity_sql = (f"(CASE WHEN {padded_title} LIKE %s THEN {greatest}(0, {MAX_BREVITY + 1} - "
                   f"(LENGTH({title}) - LENGTH(REPLACE({title}, ' ', '')) + 1)) ELSE 0 END)")
    queryset = queryset.annotate(
        text_score=VectorSQL(score_sql, score_params, output_field=IntegerField()),
        brevity=VectorSQL(brevity_sql, [f"% {phrase}%"], output_field=IntegerField()))
    if is_postgresql():
        queryset = queryset.annotate(text_rank=VectorSQL(
            f"ts_rank('{RANK_WEIGHTS}', {{vector}}, to_tsquery('simple', %s))", [tsquery_text(words, corrections)],
            output_field=FloatField()))
    return queryset


class DatabaseBackend(BaseBackend):
    name = "database"

    def matching(self, *, query="", filters=None, queryset=None, on=None):
        """(Product queryset of every match, words, corrections) — the search without ranking."""
        from search.lexicon import corrections as find_corrections

        filters = clean_filters(filters)
        products = base_products()
        if queryset is not None:  # a narrower scope chosen by the page (e.g. one seller's shop)
            products = products.filter(pk__in=queryset.values("pk"))
        products = products.filter(filter_q(filters, on=on))
        words = query_words(query)
        corrections = find_corrections(words) if words else {}
        if words:
            products = products.filter(match_q(words, corrections))
        return products, words, corrections

    def ordered(self, products, *, words, corrections, query, sort, on=None):
        if sort in ("price_asc", "price_desc"):
            cheapest = StockRecord.objects.filter(product=OuterRef("pk")).order_by("price").values("price")[:1]
            products = products.annotate(min_price=Subquery(cheapest))
            return products.order_by(F("min_price").asc(nulls_last=True) if sort == "price_asc"
                                     else F("min_price").desc(nulls_last=True), "id")
        ordering = list(selectors.SORTS.get(sort, selectors.SORTS["relevance"]))
        if sort in ("relevance", "stars"):
            products = selectors.with_ocop_rank(products, on=on)
        if sort == "relevance" and words:
            products = text_score(products, words, corrections, query)
            boost = F("ocop_rank") + Case(When(is_typical_specialty=True, then=Value(SPECIALTY_BOOST)),
                                          default=Value(0), output_field=IntegerField())
            # The text tiers dominate (a seller match outranks any description match however starred),
            # then a shorter name holding the query; the boosts (at most 7) only order equal matches
            # (an expired certificate costs a tie, never a rank above a closer match); ts_rank (0..1)
            # orders what is still tied.
            relevance = (F("text_score") * Value(TEXT_TIER) + F("brevity") * Value(BREVITY_TIER) + boost)
            if is_postgresql():
                relevance = relevance + F("text_rank")
            products = products.annotate(relevance=relevance)
            # (the stars are inside the relevance already: not evaluated a second time per row)
            ordering = ["-relevance", "-date_created", "-id"]
        return products.order_by(*ordering)

    def search_products(self, *, query="", filters=None, sort="relevance", page=1, per_page=24, facets=True,
                        queryset=None):
        with no_jit():
            return self._search(query=query, filters=filters, sort=sort, page=page, per_page=per_page,
                                facets=facets, queryset=queryset)

    def _search(self, *, query, filters, sort, page, per_page, facets, queryset):
        on = timezone.localdate()
        matches, words, corrections = self.matching(query=query, filters=filters, queryset=queryset, on=on)
        page = clean_page(page)
        offset = (page - 1) * per_page
        ordered = self.ordered(matches, words=words, corrections=corrections, query=query, sort=sort, on=on)
        if facets:
            ids = list(ordered.values_list("pk", flat=True)[offset:offset + per_page])
            if queryset is None:
                facet_counts, total = self.cached_facets(matches, query=query, filters=filters, on=on)
            else:
                facet_counts, total = self.facets(matches, on=on)
        else:
            # the total rides along with the page (a window over every match): one query, not two
            rows = list(ordered.annotate(total_matches=Window(Count("pk"))).values_list("pk", "total_matches")
                        [offset:offset + per_page])
            ids = [pk for pk, _total in rows]
            total = rows[0][1] if rows else (matches.count() if page > 1 else 0)
            facet_counts = empty_facets()
        return SearchResult(ids=ids, total=total, page=page, per_page=per_page, facets=facet_counts,
                            corrections=corrections)

    def cached_facets(self, matches, *, query, filters, on):
        """Facet counts are the same for every visitor with the same query and filters, and they are the
        costly part of a listing (a few hundred ms over 15,000 products): kept in the cache, under the
        page cache's version, so any product, price, stock or seller change recomputes them."""
        from marketplace.pagecache import shared

        raw = json.dumps([" ".join(query.split()).casefold(), filters or {}, on.isoformat()], sort_keys=True,
                         default=str)
        return shared(f"search:facets:{raw}", lambda: self.facets(matches, on=on))

    def facets(self, matches, *, on=None):
        """Raw facet counts of the matching products and their total, computed by the database."""
        from search.forms import PRICE_RANGES

        on = on or timezone.localdate()
        matching = MatchSet(matches)
        base = Product.objects.filter(matching.q("pk")).order_by()
        # One grouped query for the product's own columns: group, former district, commune.
        groups, districts, communes = {}, {}, {}
        rows = (base.values_list("ocop_group_code", "origin_former_district__slug", "origin_commune__code",
                                 "origin_commune__name").annotate(n=Count("pk")).order_by())
        for group, district, commune_code, commune_name, n in rows:
            groups[group] = groups.get(group, 0) + n
            if district:
                districts[district] = districts.get(district, 0) + n
            if commune_code:
                name, count = communes.get(commune_code, (commune_name, 0))
                communes[commune_code] = (name, count + n)
        communes = [(code, name, n) for code, (name, n) in communes.items()]
        seller_types = dict(
            StockRecord.objects.filter(matching.q("product_id"), partner__vendor__isnull=False).order_by()
            .values_list("partner__vendor__seller_type").annotate(n=Count("product", distinct=True))
            .values_list("partner__vendor__seller_type", "n"))
        stars = dict(
            OcopCertificate.objects.filter(matching.q("product_id"), status=OcopCertificate.STATUS_VERIFIED,
                                           issue_date__lte=on, expiry_date__gte=on).order_by()
            .values_list("stars").annotate(n=Count("product", distinct=True)).values_list("stars", "n"))
        # One query over the stock records: the total, every price range and the in-stock count.
        counts = {"total": Count("product", distinct=True)}
        for key, (low, high) in PRICE_RANGES.items():
            bounds = Q()
            if low is not None:
                bounds &= Q(price__gte=low)
            if high is not None:
                bounds &= Q(price__lt=high)
            counts[f"price_{key}"] = Count("product", distinct=True, filter=bounds)
        counts["in_stock"] = Count("product", distinct=True,
                                   filter=Q(num_in_stock__gt=Coalesce(F("num_allocated"), 0)))
        totals = StockRecord.objects.filter(matching.q("product_id")).order_by().aggregate(**counts)
        categories = self.category_counts(matching)
        return {
            "groups": groups, "districts": districts, "stars": stars, "seller_types": seller_types,
            "communes": communes, "prices": {key: totals[f"price_{key}"] for key in PRICE_RANGES},
            "in_stock": totals["in_stock"], "categories": categories,
        }, totals["total"]

    def category_counts(self, matching):
        """{category id: distinct matching products in its subtree}: one grouped query per tree level."""
        if not isinstance(matching, MatchSet):
            matching = MatchSet(matching)
        links = ProductCategory.objects.filter(matching.q("product_id")).order_by()
        by_path = dict(links.values_list("category__path").annotate(n=Count("product", distinct=True))
                       .values_list("category__path", "n"))
        if not by_path:
            return {}
        steplen = Category.steplen
        deepest = max(len(path) for path in by_path) // steplen
        for depth in range(1, deepest):
            prefix = Substr("category__path", 1, depth * steplen)
            by_path.update(links.annotate(prefix=prefix).values_list("prefix")
                           .annotate(n=Count("product", distinct=True)).values_list("prefix", "n"))
        ids_by_path = dict(Category.objects.filter(path__in=list(by_path)).values_list("path", "pk"))
        return {ids_by_path[path]: n for path, n in by_path.items() if path in ids_by_path}

    # --- suggestions and index upkeep ------------------------------------------------------------
    def suggest(self, prefix, limit=6):
        with no_jit():
            return self._suggest(prefix, limit)

    def _suggest(self, prefix, limit):
        words = query_words(prefix)[:6]
        if not words:
            return []
        products = base_products()
        if is_postgresql():  # name words only: weight A of the vector (GIN index)
            products = products.filter(VectorSQL("{vector} @@ to_tsquery('simple', %s)",
                                                 [" & ".join(f"{w}:*A" for w in words)], output_field=BooleanField()))
        else:
            for word in words:
                products = products.filter(_starts_a_word("search_title", word))
        # the closest names first, as in the results (a name starting with what was typed, a short one),
        # then stars and specialties
        products = text_score(selectors.with_ocop_rank(products), words, {}, prefix)
        products = products.order_by("-text_score", "-brevity", "-ocop_rank", "-is_typical_specialty", "title", "id")
        return list(products.values_list("pk", "title")[:limit])

    def index_products(self, ids):
        """Refresh the folded columns (the vector follows them) and the vocabulary; returns how many changed."""
        from search.lexicon import lexicon_add

        ids = list(ids) if ids is not None else None
        queryset = Product.objects.all() if ids is None else Product.objects.filter(pk__in=ids)
        changed = 0
        texts = []
        for product in queryset.select_related("ocop_classification", "origin_commune",
                                               "origin_former_district").iterator(chunk_size=500):
            changed += product.refresh_search_fields()
            texts.append(product.search_text)
        lexicon_add(*texts)
        return changed

    def remove_products(self, ids):
        return 0  # the rows are the index

    def rebuild(self, *, stdout=None):
        from search.lexicon import lexicon_rebuild

        changed = self.index_products(None)
        texts = list(Product.objects.values_list("search_text", flat=True))
        texts += list(StockRecord.objects.values_list("partner__name", flat=True).distinct())
        words = lexicon_rebuild(texts)
        return {"indexed": Product.objects.count(), "changed": changed, "words": words}
