"""Oscar's catalogue views, with the product page loading what its template shows in a few queries.

Oscar's ``ProductDetailView`` fetches the product alone and lets the template pull the class, stock
records, partner, seller, pictures, certificates and origin one query at a time (24 queries). The
queryset below brings them along; the view is otherwise Oscar's.
"""
from functools import partial

from django.shortcuts import render
from django.views.generic import View
from oscar.apps.catalogue.views import ProductDetailView as OscarProductDetailView
from oscar.apps.customer.history import CustomerHistoryManager
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")


class ProductDetailView(OscarProductDetailView):
    def get_context_data(self, **kwargs):
        from marketplace.pagecache import shows_products
        from catalogue.selectors import with_card_data

        ctx = super().get_context_data(**kwargs)
        product = self.object
        # Recommendations as cards (loaded with their card data at once), and recorded with the variants
        # so that the cached page follows their changes too.
        ids = list(product.primary_recommendations.order_by("-ranking", "pk")
                   .values_list("recommendation_id", flat=True)[:6])
        found = {p.pk: p for p in with_card_data(Product.objects.filter(pk__in=ids, is_public=True))} if ids else {}
        ctx["recommended_products"] = [found[pk] for pk in ids if pk in found]
        shows_products(self.request, ctx["recommended_products"])
        if product.is_parent:
            shows_products(self.request, product.get_public_children())
        return ctx

    def get_alert_status(self):
        """Oscar asks the database on every product page whether the signed-in shopper has a stock alert on
        it; the page shows that only for a product out of stock: a callable, which the template calls there."""
        return partial(super().get_alert_status)

    def get_queryset(self):
        from catalogue.selectors import product_page_queryset

        return product_page_queryset()


class RecentlyViewedView(View):
    """The visitor's recently viewed products, fetched by the product page's script.

    Kept out of the product page itself so that the page is the same for every anonymous visitor and
    can be served from the page cache (marketplace/pagecache.py).
    """

    def get(self, request):
        # The cookie is the visitor's to edit: anything but product ids is ignored, not a 500 (Oscar's
        # CustomerHistoryManager.get passes it straight to a query).
        ids = [pk for pk in CustomerHistoryManager.extract(request) if type(pk) is int]
        try:
            exclude = int(request.GET.get("exclude", ""))
        except ValueError:
            exclude = None
        found = Product.objects.browsable().in_bulk(ids)
        products = [found[pk] for pk in reversed(ids) if pk in found and pk != exclude]
        response = render(request, "oscar/customer/history/recently_viewed_products.html",
                          {"products": products, "request": request})
        response["Cache-Control"] = "private, no-cache"
        return response
