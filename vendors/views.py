from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from search.views import BrowseView

from . import selectors


class VendorStorefrontView(BrowseView):
    """A seller's own shop page: its profile and its products, with the catalogue's filters."""

    template_name = "vendors/storefront.html"

    def get(self, request, *args, **kwargs):
        self.vendor = get_object_or_404(selectors.active_vendors(), slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def base_queryset(self):
        return super().base_queryset().filter(stockrecords__partner=self.vendor.partner)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["vendor"] = self.vendor
        ctx["page_title"] = self.vendor.name
        return ctx


class VendorListView(ListView):
    template_name = "vendors/vendor_list.html"
    context_object_name = "vendors"
    paginate_by = 30

    def get_queryset(self):
        return selectors.vendors_with_product_counts().order_by("partner__name")
