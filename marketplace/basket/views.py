from oscar.apps.basket import views

from vendors.basket import load_lines


class BasketView(views.BasketView):
    """Oscar's basket page with its lines loaded once, whatever their number (see ``vendors.basket.load_lines``)."""

    def get_queryset(self):
        load_lines(self.request.basket)
        return super().get_queryset()

    def get_context_data(self, **kwargs):
        load_lines(self.request.basket)  # the AJAX update reloads the basket before rendering it again
        return super().get_context_data(**kwargs)
