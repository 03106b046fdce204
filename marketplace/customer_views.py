"""Mends for Oscar's account views that we do not fork (the customer app keeps Oscar's code)."""
from django.shortcuts import get_object_or_404, redirect
from oscar.apps.customer.views import OrderLineView as OscarOrderLineView
from oscar.core.loading import get_model

Order = get_model("order", "Order")


class OrderLineView(OscarOrderLineView):
    """Oscar's order-line URL only takes the "re-order" POST: a GET rendered a template Oscar does not
    ship (a 500), and an unknown line id raised DoesNotExist (another 500). Now a GET goes back to
    the order page and a line that is not in the shopper's order is a 404."""

    def get(self, request, *args, **kwargs):
        self.get_object()
        return redirect("customer:order", order_number=self.kwargs["order_number"])

    def get_object(self, queryset=None):
        order = get_object_or_404(Order, user=self.request.user, number=self.kwargs["order_number"])
        return get_object_or_404(order.lines, id=self.kwargs["line_id"])
