"""Catalogue browsing and search without haystack, through the search backend (``search.backends``).

Oscar's catalogue app loads ``CatalogueView`` and ``ProductCategoryView`` from ``search.views``.
Every listing asks the backend for one page of product ids, the total and the facet counts, then
loads the cards of that page in a fixed number of queries.
"""
import math

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from catalogue import selectors
from catalogue.models import OcopClassification, Product
from places.models import FormerDistrict

from .backends import get_backend
from .facets import cached_facets_for_display
from .forms import BrowseForm


#: Page numbers past this are read as "the last page" (an OFFSET that large overflows SQLite).
MAX_PAGE = 100_000


class _Page:
    """The paginator's view of a result: ``total`` long, holding only the products of the page shown."""

    def __init__(self, total, products):
        self.total, self.products = total, products

    def __len__(self):
        return self.total

    def __getitem__(self, index):
        return self.products


def product_cards(ids):
    """Products with their card data, in the order of ``ids``."""
    if not ids:
        return []
    by_id = {p.pk: p for p in selectors.with_card_data(Product.objects.filter(pk__in=ids))}
    return [by_id[pk] for pk in ids if pk in by_id]


class BrowseView(ListView):
    template_name = "catalogue/browse.html"
    context_object_name = "products"
    page_title = _("All products")
    category = None

    def get(self, request, *args, **kwargs):
        self.form = BrowseForm(request.GET)
        self.filters = self.form.filters()
        data = getattr(self.form, "cleaned_data", {}) or {}
        self.query = data.get("q", "")
        self.sort = data.get("sort") or "relevance"
        return super().get(request, *args, **kwargs)

    def get_paginate_by(self, queryset):
        return settings.OSCAR_PRODUCTS_PER_PAGE

    def base_queryset(self):
        """The products a page lists; a subclass narrowing it (a seller's shop) is searched in the database."""
        return selectors.browsable_products()

    def search_filters(self):
        return dict(self.filters)

    def get_queryset(self):
        return []  # the backend is asked in paginate_queryset, for the page shown only

    def run_search(self, page, per_page):
        if type(self).base_queryset is BrowseView.base_queryset:
            backend, extra = get_backend(), {}
        else:
            backend, extra = get_backend("database"), {"queryset": self.base_queryset()}
        return backend.search_products(query=self.query, filters=self.search_filters(), sort=self.sort, page=page,
                                       per_page=per_page, **extra)

    def paginate_queryset(self, queryset, page_size):
        raw = self.kwargs.get("page") or self.request.GET.get("page") or 1
        try:
            number = int(raw)
        except (TypeError, ValueError):
            number = None  # "last" or nonsense: the last page, as Oscar does for an out-of-range page
        if number is not None and number > MAX_PAGE:
            number = None
        result = self.run_search(number if number and number > 0 else 1, page_size)
        pages = max(1, math.ceil(result.total / page_size))
        if number is None or number < 1 or number > pages:
            number = pages
            if result.page != number:
                result = self.run_search(number, page_size)
        self.result = result
        paginator = Paginator(_Page(result.total, product_cards(result.ids)), page_size)
        page = paginator.page(number)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            page_title=self.page_title,
            form=self.form,
            query=self.query,
            filters=self.filters,
            sort=self.sort,
            facets=cached_facets_for_display(self.result.facets, category=self.facet_category()),
            corrections=self.result.corrections,
            querystring=self._querystring(),
            active_group=OcopClassification.objects.filter(code=self.filters["group"]).first()
            if self.filters["group"] else None,
            active_district=FormerDistrict.objects.filter(slug=self.filters["district"]).first()
            if self.filters["district"] else None,
        )
        return ctx

    def facet_category(self):
        if self.category is not None or not self.filters.get("category"):
            return self.category
        return selectors.Category.objects.browsable().filter(pk=self.filters["category"]).first()

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

    def chosen_subcategory(self):
        """A ``?category=`` facet choice inside this category narrows the page; anything else is ignored."""
        if not self.filters.get("category"):
            return None
        if not hasattr(self, "_subcategory"):
            self._subcategory = (selectors.Category.objects.browsable()
                                 .filter(pk=self.filters["category"], path__startswith=self.category.path)
                                 .exclude(pk=self.category.pk).first())
        return self._subcategory

    def search_filters(self):
        chosen = self.chosen_subcategory()
        return {**super().search_filters(), "category": (chosen or self.category).pk}

    def facet_category(self):
        return self.chosen_subcategory() or self.category

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["category"] = self.category
        ctx["page_title"] = self.category.name
        return ctx


class SearchView(BrowseView):
    template_name = "search/results.html"
    page_title = _("Search results")
