"""Catalogue browsing and search without haystack.

Oscar's catalogue app loads ``CatalogueView`` and ``ProductCategoryView`` from ``search.views``;
these database-backed versions replace haystack's, which shows an empty catalogue with its
"simple" backend.
"""
from django.conf import settings
from django.db import connection
from django.db.models import Case, CharField, F, IntegerField, Min, Q, Value, When
from django.db.models.functions import Concat
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from catalogue import selectors
from catalogue.models import OcopClassification
from places.models import FormerDistrict

from .folding import fold
from .forms import BrowseForm


#: Words of at least this many letters tolerate one typo (PostgreSQL's pg_trgm; SQLite matches exactly).
TYPO_MIN_LENGTH = 5
TYPO_SIMILARITY = 0.5


def search_products(queryset, query):
    """Every folded word of ``query`` must start a word of the product's folded text (or nearly, on PostgreSQL).

    Annotates ``text_score``: the whole query in the name scores highest, then words in the name, then
    words in the seller's name; a word found only in the description or place scores nothing extra.
    """
    folded = fold(query)
    words = [w for w in folded.split(" ") if w][:12]
    fuzzy = connection.vendor == "postgresql"
    for index, word in enumerate(words):
        # Words match at a word start: "ong" finds "mật ong", not "thương"; "son" finds "Hương Sơn".
        match = Q(search_text__startswith=word) | Q(search_text__contains=" " + word)
        if fuzzy and len(word) >= TYPO_MIN_LENGTH:
            from django.contrib.postgres.search import TrigramWordSimilarity

            queryset = queryset.annotate(**{f"typo_{index}": TrigramWordSimilarity(word, "search_text")})
            match |= Q(**{f"typo_{index}__gte": TYPO_SIMILARITY})
        queryset = queryset.filter(match)
    # Whole words score: padded with spaces, "son" scores for "Hương Sơn" but not for "Sông La".
    queryset = queryset.annotate(
        padded_title=Concat(Value(" "), F("search_title"), Value(" "), output_field=CharField()),
        padded_seller=Concat(Value(" "), F("search_seller"), Value(" "), output_field=CharField()),
    )
    score = Case(When(padded_title__contains=f" {folded} ", then=Value(10)), default=Value(0),
                 output_field=IntegerField())
    for index, word in enumerate(words):
        in_title = Q(padded_title__contains=f" {word} ")
        if fuzzy and len(word) >= TYPO_MIN_LENGTH:  # a near-miss in the name still counts as in the name
            from django.contrib.postgres.search import TrigramWordSimilarity

            queryset = queryset.annotate(**{f"title_typo_{index}": TrigramWordSimilarity(word, "search_title")})
            in_title |= Q(**{f"title_typo_{index}__gte": TYPO_SIMILARITY})
        score = score + Case(When(in_title, then=Value(3)), default=Value(0), output_field=IntegerField())
        score = score + Case(When(padded_seller__contains=f" {word} ", then=Value(2)), default=Value(0),
                             output_field=IntegerField())
    return queryset.annotate(text_score=score)


class BrowseView(ListView):
    template_name = "catalogue/browse.html"
    context_object_name = "products"
    page_title = _("All products")

    def get(self, request, *args, **kwargs):
        self.form = BrowseForm(request.GET)
        self.filters = self.form.filters()
        self.query = self.form.cleaned_data.get("q", "") if hasattr(self.form, "cleaned_data") else ""
        self.sort = (getattr(self.form, "cleaned_data", {}) or {}).get("sort") or "relevance"
        return super().get(request, *args, **kwargs)

    def get_paginate_by(self, queryset):
        return settings.OSCAR_PRODUCTS_PER_PAGE

    def paginate_queryset(self, queryset, page_size):
        try:
            return super().paginate_queryset(queryset, page_size)
        except Http404:
            # An out-of-range page shows the last page rather than an error.
            self.kwargs["page"] = "last"
            return super().paginate_queryset(queryset, page_size)

    def base_queryset(self):
        return selectors.browsable_products()

    def filtered_queryset(self):
        queryset = selectors.filter_products(self.base_queryset(), **self.filters)
        if self.query:
            queryset = search_products(queryset, self.query)
        return queryset

    def get_queryset(self):
        self.filtered = self.filtered_queryset()
        queryset = self.filtered
        if self.sort in ("price_asc", "price_desc"):
            queryset = queryset.annotate(min_price=Min("stockrecords__price"))
            ordering = ["min_price", "id"] if self.sort == "price_asc" else ["-min_price", "id"]
        else:
            ordering = selectors.SORTS.get(self.sort, selectors.SORTS["relevance"])
            if self.sort in ("relevance", "stars"):
                queryset = selectors.with_ocop_rank(queryset)
            if self.sort == "relevance":
                if self.query:
                    # Text first, then the boosts: stars of the certificate in force, typical specialty.
                    queryset = queryset.annotate(relevance=F("text_score") + F("ocop_rank") + Case(
                        When(is_typical_specialty=True, then=Value(2)), default=Value(0), output_field=IntegerField()))
                    ordering = ["-relevance"] + ordering
        return selectors.with_card_data(queryset.order_by(*ordering))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            page_title=self.page_title,
            form=self.form,
            query=self.query,
            filters=self.filters,
            sort=self.sort,
            facets=selectors.catalogue_facets(self.filtered),
            querystring=self._querystring(),
            active_group=OcopClassification.objects.filter(code=self.filters["group"]).first()
            if self.filters["group"] else None,
            active_district=FormerDistrict.objects.filter(slug=self.filters["district"]).first()
            if self.filters["district"] else None,
        )
        return ctx

    def _querystring(self):
        params = self.request.GET.copy()
        params.pop("page", None)
        return params.urlencode()


class CatalogueView(BrowseView):
    pass


class ProductCategoryView(BrowseView):
    def get(self, request, *args, **kwargs):
        self.category = get_object_or_404(selectors.Category.objects.browsable(), pk=kwargs["pk"])
        expected = self.category.get_absolute_url()
        if request.path != expected:
            query = f"?{request.GET.urlencode()}" if request.GET else ""
            return HttpResponsePermanentRedirect(expected + query)
        return super().get(request, *args, **kwargs)

    def filtered_queryset(self):
        queryset = super().filtered_queryset()
        return selectors.filter_products(queryset, category=self.category)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["category"] = self.category
        ctx["page_title"] = self.category.name
        return ctx


class SearchView(BrowseView):
    template_name = "search/results.html"
    page_title = _("Search results")
