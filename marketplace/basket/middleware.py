"""Oscar's basket middleware, with the basket's lines loaded in one go before its offers are applied.

Every page a shopper with a basket sees shows the basket's count and total in its header, so Oscar's
middleware loads the basket and applies the offers on each of them: it counts the lines, then loads them,
then fetches each product's class one by one for the strategy. ``vendors.basket.load_lines`` brings the
lines with everything the strategy and the offers read, and once they are loaded the count is theirs. A
page that is only read (GET, HEAD) shows the basket's count and total in its header, not its lines: their
options and pictures are left to the pages listing them (basket, checkout: ``load_lines(display=True)``).
"""
from oscar.apps.basket.middleware import BasketMiddleware as CoreBasketMiddleware

from vendors.basket import load_lines


class BasketMiddleware(CoreBasketMiddleware):
    def apply_offers_to_basket(self, request, basket):
        if basket.id is not None:
            display = request.method not in ("GET", "HEAD")  # a form posted may show or order the lines
            len(load_lines(basket, display=display).all_lines())  # evaluated here: ``is_empty`` then counts them without a query
        super().apply_offers_to_basket(request, basket)
