"""Stock taken, released and consumed with conditional UPDATEs, so concurrent buyers never oversell.

Oscar's ``StockRecord.allocate()`` adds to ``num_allocated`` without checking what is left. Here the
check and the change are one statement (``… WHERE num_in_stock - num_allocated >= qty``): of two
buyers racing for the last item, the database lets exactly one UPDATE match.
"""
from django.conf import settings
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from oscar.core.loading import get_model

StockRecord = get_model("partner", "StockRecord")


class InsufficientStock(Exception):
    def __init__(self, stockrecord_id, requested):
        self.stockrecord_id = stockrecord_id
        self.requested = requested
        super().__init__(f"Stock record {stockrecord_id}: fewer than {requested} items left")


class UnpaidShareExceeded(InsufficientStock):
    """Enough is left, but more than one unpaid order may hold (see ``stock_reserve``)."""

    def __init__(self, stockrecord_id, requested, most):
        self.most = most
        super().__init__(stockrecord_id, requested)


def _allocated():
    return Coalesce(F("num_allocated"), Value(0))


def stock_reserve(*, stockrecord_id, quantity, unpaid=False):
    """Reserve ``quantity`` items for an order, or raise ``InsufficientStock``.

    ``unpaid``: the order waits for an online payment that may never come (a guest can walk away from
    VNPay's page and the items stay reserved until the payment expires). Such an order may hold at most
    ``UNPAID_ORDER_MAX_SHARE_PERCENT`` of what is left of a product — always at least
    ``UNPAID_ORDER_ALWAYS_UNITS`` — so one abandoned basket cannot empty a seller's shelf; the bound is in
    the same UPDATE, so it holds under concurrent buyers too. Raises ``UnpaidShareExceeded`` then.
    """
    records = StockRecord.objects.filter(pk=stockrecord_id, num_in_stock__gte=_allocated() + quantity)
    if unpaid and quantity > settings.UNPAID_ORDER_ALWAYS_UNITS:
        # quantity <= floor(left × share / 100)  ⇔  left × share >= quantity × 100
        share = (F("num_in_stock") - _allocated()) * settings.UNPAID_ORDER_MAX_SHARE_PERCENT
        bounded = records.alias(share=share).filter(share__gte=quantity * 100)
        if bounded.update(num_allocated=_allocated() + quantity) == 1:
            return
        if records.exists():
            record = StockRecord.objects.get(pk=stockrecord_id)
            raise UnpaidShareExceeded(stockrecord_id, quantity, unpaid_order_most(record.net_stock_level))
        raise InsufficientStock(stockrecord_id, quantity)
    if records.update(num_allocated=_allocated() + quantity) != 1:
        raise InsufficientStock(stockrecord_id, quantity)


def unpaid_order_most(left):
    """The most one order awaiting online payment may hold of ``left`` items."""
    return min(left, max(settings.UNPAID_ORDER_ALWAYS_UNITS, left * settings.UNPAID_ORDER_MAX_SHARE_PERCENT // 100))


def stock_release(*, stockrecord_id, quantity):
    """Give back a reservation (order cancelled, payment failed or expired)."""
    StockRecord.objects.filter(pk=stockrecord_id, num_allocated__gte=quantity).update(
        num_allocated=F("num_allocated") - quantity
    )


def stock_consume(*, stockrecord_id, quantity):
    """The parcel left: the reserved items leave the stock for good."""
    StockRecord.objects.filter(pk=stockrecord_id, num_allocated__gte=quantity).update(
        num_allocated=F("num_allocated") - quantity, num_in_stock=F("num_in_stock") - quantity
    )


def stock_restock(*, stockrecord_id, quantity):
    """A shipped parcel came back to the seller (the carrier returned it): its items are on the shelf again."""
    StockRecord.objects.filter(pk=stockrecord_id).update(num_in_stock=F("num_in_stock") + quantity)
