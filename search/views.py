"""Catalogue browsing and search without haystack.

Oscar's catalogue app loads ``CatalogueView`` and ``ProductCategoryView`` from ``search.views``;
these database-backed versions replace haystack's, which shows an empty catalogue with its
"simple" backend.
"""
from django.conf import settings
from django.db.models import Case, IntegerField, Min, Value, When
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from catalogue import selectors
from catalogue.models import OcopClassification
from places.models import FormerDistrict

from .folding import fold
from .forms import BrowseForm


def search_products(queryset, query):
    """Every folded word of ``query`` must occur in the product's folded search text."""
    folded = fold(query)
    words = [w for w in folded.split(" ") if w][:12]
    for word in words:
        queryset = queryset.filter(search_text__contains=word)
    return queryset.annotate(
        title_hit=Case(When(search_text__startswith=folded, then=Value(1)), default=Value(0),
                       output_field=IntegerField())
    )


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
            if self.sort == "relevance":
                queryset = selectors.with_ocop_rank(queryset)
                if self.query:
                    ordering = ["-title_hit"] + ordering
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
