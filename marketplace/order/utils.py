from django.db import transaction
from django.utils.translation import gettext as _
from oscar.apps.order.utils import OrderCreator as CoreOrderCreator
from oscar.apps.order.utils import OrderNumberGenerator  # noqa: F401  (Oscar loads it from here)
from oscar.core.loading import get_class

from carriers.services import quotes_record
from vendors.services import fulfilments_create_for_order

from . import statuses
from .stock import InsufficientStock, UnpaidShareExceeded, stock_reserve

UnableToPlaceOrder = get_class("order.exceptions", "UnableToPlaceOrder")


class OrderCreator(CoreOrderCreator):
    """Oscar's order creation, with oversell-proof stock and one fulfilment per seller."""

    def place_order(self, *args, **kwargs):
        # An order placed to be paid online holds its stock only until the payment expires: bounded.
        self.awaiting_payment = kwargs.get("status") == statuses.AWAITING_PAYMENT
        method = kwargs.get("shipping_method")
        quotes = getattr(method, "quotes", None)  # the live fees the shopper saw (carriers/)
        with transaction.atomic():
            order = super().place_order(*args, **kwargs)
            fulfilments_create_for_order(order=order, fees={pk: q.fee for pk, q in (quotes or {}).items()})
            quotes_record(order=order, quotes=quotes)
        return order

    def update_stock_records(self, line):
        if not line.product.get_product_class().track_stock:
            return
        try:
            stock_reserve(stockrecord_id=line.stockrecord_id, quantity=line.quantity,
                          unpaid=getattr(self, "awaiting_payment", False))
        except UnpaidShareExceeded as exc:
            raise UnableToPlaceOrder(
                _("While an order waits for its VNPay payment it can hold at most %(most)s of “%(title)s”. Lower "
                  "the quantity, or choose cash on delivery.") % {"most": exc.most, "title": line.product.get_title()}
            )
        except InsufficientStock:
            raise UnableToPlaceOrder(
                _("Sorry, “%(title)s” no longer has %(quantity)s items in stock. Please update your basket.")
                % {"title": line.product.get_title(), "quantity": line.quantity}
            )
