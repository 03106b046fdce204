"""Reads for pages: the checkout's parcels, a seller's shipments, what the department follows."""
from django.db.models import Count, Q

from .models import Remittance, RemittanceLine, Shipment


def checkout_parcels(basket, *, ward_code=""):
    """([{"vendor", "items_total", "fee", "lines", "quote"}], shipping total) for the checkout page: live fees
    for the ward when one is chosen (the same quotes, cached, that the order will be charged)."""
    from marketplace.shipping.methods import PerSellerShipping
    from vendors.selectors import shipping_fees_for_basket

    method = PerSellerShipping(ward_code=ward_code)
    fees = method.fees(basket)
    quotes = method.quotes or {}
    lines_by_partner = {}
    for line in basket.all_lines():
        lines_by_partner.setdefault(line.stockrecord.partner_id if line.stockrecord else None, []).append(line)
    parcels = [{"vendor": vendor, "items_total": items, "fee": fee, "quote": quotes.get(vendor.pk),
                "lines": lines_by_partner.get(vendor.partner_id, [])}
               for vendor, items, fee in shipping_fees_for_basket(basket, fees)]
    return parcels, sum(p["fee"] for p in parcels)


def shipments_for_vendor(vendor):
    return Shipment.objects.filter(fulfilment__vendor=vendor).select_related("fulfilment", "fulfilment__order")


def problem_lines():
    """Remittance lines the department must look at (short, over, unknown, duplicate, not delivered, total)."""
    return (RemittanceLine.objects.exclude(problem="").filter(resolved=False)
            .select_related("remittance", "shipment__fulfilment__vendor").order_by("-remittance__remitted_on", "pk"))


def recent_remittances():
    return Remittance.objects.annotate(line_count=Count("lines"),
                                       problems=Count("lines", filter=~Q(lines__problem=""))).order_by("-pk")[:30]


def shipments_for_parts(parts):
    """{part pk: shipment with ``event_list``} for an order page: the carrier's events, in two queries."""
    from django.db.models import Prefetch

    from .models import ShipmentEvent

    shipments = Shipment.objects.filter(fulfilment__in=[p.pk for p in parts]).prefetch_related(
        Prefetch("events", queryset=ShipmentEvent.objects.order_by("occurred_at", "pk"), to_attr="event_list"))
    return {s.fulfilment_id: s for s in shipments}
