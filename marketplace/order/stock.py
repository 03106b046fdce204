"""Stock taken, released and consumed with conditional UPDATEs, so concurrent buyers never oversell.

Oscar's ``StockRecord.allocate()`` adds to ``num_allocated`` without checking what is left. Here the
check and the change are one statement (``… WHERE num_in_stock - num_allocated >= qty``): of two
buyers racing for the last item, the database lets exactly one UPDATE match.
"""
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from oscar.core.loading import get_model

StockRecord = get_model("partner", "StockRecord")


class InsufficientStock(Exception):
    def __init__(self, stockrecord_id, requested):
        self.stockrecord_id = stockrecord_id
        self.requested = requested
        super().__init__(f"Stock record {stockrecord_id}: fewer than {requested} items left")


def _allocated():
    return Coalesce(F("num_allocated"), Value(0))


def stock_reserve(*, stockrecord_id, quantity):
    """Reserve ``quantity`` items for an order, or raise ``InsufficientStock``."""
    updated = (
        StockRecord.objects.filter(pk=stockrecord_id, num_in_stock__gte=_allocated() + quantity)
        .update(num_allocated=_allocated() + quantity)
    )
    if updated != 1:
        raise InsufficientStock(stockrecord_id, quantity)


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
