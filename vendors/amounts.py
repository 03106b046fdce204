"""A seller's part of a basket or an order in whole đồng: goods, discounts, shipping (see ``marketplace.money``).

Computed here once: the basket's shipping method and the order's split into fulfilments use the same
rule, and at placement the result is stored on each ``Fulfilment`` (``items_total``, ``discount_total``,
``shipping_fee``). The payment, the ledger, invoices and reports read those stored amounts and never
recompute them from Oscar's Decimals.

The free-shipping threshold of a seller applies to its goods **after** discounts (what the shopper pays
for them), in the basket and in the order alike.
"""
from collections import OrderedDict
from dataclasses import dataclass, field

from marketplace.money import allocate_largest_remainder, allocate_to_amounts, to_dong


@dataclass
class PartLine:
    line: object
    before: int  #: the line at list price (quantity × unit price), đồng
    paid: int  #: after offers, đồng

    @property
    def discount(self):
        return self.before - self.paid


@dataclass
class Part:
    vendor: object
    lines: list = field(default_factory=list)
    shipping_fee: int = 0  #: what the shopper pays for this seller's parcel

    @property
    def goods_total(self):
        return sum(pl.before for pl in self.lines)

    @property
    def items_total(self):
        return sum(pl.paid for pl in self.lines)

    @property
    def discount_total(self):
        return self.goods_total - self.items_total

    @property
    def total(self):
        return self.items_total + self.shipping_fee


def _group(rows, vendors_by_partner, fees=None):
    """``fees``: {vendor pk: fee} quoted for the delivery address (carriers/); a seller missing from it has its
    flat rule."""
    parts = OrderedDict()
    for partner_id, line, before, paid in rows:
        vendor = vendors_by_partner.get(partner_id)
        if vendor is None:
            continue
        parts.setdefault(partner_id, Part(vendor=vendor)).lines.append(PartLine(line, before, paid))
    for part in parts.values():
        quoted = (fees or {}).get(part.vendor.pk)
        part.shipping_fee = quoted if quoted is not None else part.vendor.shipping_fee_for(part.items_total)
    return list(parts.values())


def _vendors(partner_ids):
    from .models import Vendor

    return {v.partner_id: v for v in Vendor.objects.filter(partner_id__in=set(partner_ids)).select_related("partner")}


def basket_parts(basket, fees=None):
    """One ``Part`` per seller of a basket (offers applied), in basket order."""
    rows = []
    for line in basket.all_lines():
        record = line.stockrecord
        if record is None or line.line_price_incl_tax is None:
            continue
        rows.append((record.partner_id, line, to_dong(line.line_price_incl_tax),
                     to_dong(line.line_price_incl_tax_incl_discounts)))
    # The basket page asks twice (the sellers' groups, the shipping methods): the sellers are read once.
    known = basket.__dict__.setdefault("_part_vendors", {})
    missing = {r[0] for r in rows} - known.keys()
    if missing:
        known.update(_vendors(missing))
    return _group(rows, known, fees)


def order_parts(order, fees=None):
    """One ``Part`` per seller of a placed order, adding up to what the order charges, to the đồng.

    Lines placed through ``marketplace.offers`` are whole đồng already; any other Decimal lines are
    brought to whole đồng adding up to the order's goods total (largest remainder). The order's shipping
    charge is shared over the sellers by their own fees (equal to them when no shipping offer applies).
    """
    lines = list(order.lines.select_related("partner").order_by("pk"))
    goods = to_dong(order.total_incl_tax) - to_dong(order.shipping_incl_tax)
    paid = allocate_to_amounts(goods, [line.line_price_incl_tax for line in lines]) if lines else []
    before = [max(to_dong(line.line_price_before_discounts_incl_tax), p) for line, p in zip(lines, paid)]
    rows = [(line.partner_id, line, b, p) for line, b, p in zip(lines, before, paid)]
    parts = _group(rows, _vendors(r[0] for r in rows), fees)
    charged = to_dong(order.shipping_incl_tax)
    fees = [part.shipping_fee for part in parts]
    if parts and sum(fees) != charged:
        for part, fee in zip(parts, allocate_largest_remainder(charged, fees)):
            part.shipping_fee = fee
    return parts


def fulfilment_lines(fulfilment):
    """[PartLine] of a stored part: whole đồng per line, adding up to its stored ``items_total`` and goods."""
    lines = list(fulfilment.lines().select_related("product"))
    if not lines:
        return []
    paid = allocate_to_amounts(fulfilment.items_total, [line.line_price_incl_tax for line in lines])
    goods = fulfilment.items_total + fulfilment.discount_total
    raw_before = [line.line_price_before_discounts_incl_tax or line.line_price_incl_tax for line in lines]
    before = allocate_to_amounts(goods, raw_before)
    return [PartLine(line, max(b, p), p) for line, b, p in zip(lines, before, paid)]
