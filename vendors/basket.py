"""The basket seen seller by seller (each seller packs and ships its own parcel at its own fee).

Shared by the basket page and the checkout: both show the same groups, fees, hints and totals. Reads only:
one query for the sellers on top of the basket's own (cached) lines, whatever the number of lines.
"""
from dataclasses import dataclass, field

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _
from oscar.apps.partner.availability import StockRequired

from .selectors import shipping_fees_for_basket


@dataclass
class BasketLine:
    """One basket line with what the shopper must know about it before paying."""

    line: object
    #: Why the line cannot be ordered as it is (out of stock, more than the stock), in the shopper's language.
    problem: str = ""
    #: A change since the line was added (its price moved), shown but not blocking.
    notice: str = ""
    #: Most that can be bought now (stock), or None when not limited.
    max_quantity: int | None = None
    #: The basket page's form for this line (set by the template tag), None elsewhere.
    form: object = None

    @property
    def unit_price(self):
        return _whole(self.line.unit_price_incl_tax)

    @property
    def line_total(self):
        return _whole(self.line.line_price_incl_tax)

    @property
    def increase_to(self):
        return self.line.quantity + 1

    @property
    def decrease_to(self):
        """One less, or straight down to the stock when the line asks for more than there is."""
        quantity = self.line.quantity
        if self.max_quantity is not None and quantity > self.max_quantity:
            return self.max_quantity
        return quantity - 1

    @property
    def can_increase(self):
        return not self.problem and (self.max_quantity is None or self.line.quantity < self.max_quantity)


@dataclass
class SellerGroup:
    """One seller's part of the basket: its lines, goods total and shipping fee by its own rule."""

    vendor: object
    lines: list = field(default_factory=list)
    items_total: int = 0
    shipping_fee: int = 0

    @property
    def total(self):
        return self.items_total + self.shipping_fee

    @property
    def free_shipping_over(self):
        return getattr(self.vendor, "free_shipping_over", None)

    @property
    def missing_for_free_shipping(self):
        """Đồng still to buy from this seller for free shipping; None when already free or never free."""
        if self.free_shipping_over is None or self.shipping_fee == 0:
            return None
        return max(self.free_shipping_over - self.items_total, 0)

    @property
    def has_free_shipping(self):
        return self.vendor is not None and self.shipping_fee == 0 and bool(self.lines)


@dataclass
class BasketOverview:
    groups: list

    @property
    def items_total(self):
        return sum(g.items_total for g in self.groups)

    @property
    def shipping_total(self):
        return sum(g.shipping_fee for g in self.groups)

    @property
    def total(self):
        return self.items_total + self.shipping_total

    @property
    def num_items(self):
        return sum(entry.line.quantity for g in self.groups for entry in g.lines)

    @property
    def has_problems(self):
        return any(entry.problem for g in self.groups for entry in g.lines)


#: What only a page listing the lines shows (the line's options, the product's picture): not loaded for the
#: header's count and total on every other page.
DISPLAY_RELATIONS = ("attributes", "product__images")


def load_lines(basket, display=True):
    """Fill the basket's line cache with what Oscar's strategy reads for every line (the product's stock
    records and class: it ignores the line's own stock record), so a page showing the basket costs the same
    number of queries for one line or fifty. Call before anything reads ``basket.all_lines()``.

    ``display``: also what the lines' listing shows (``DISPLAY_RELATIONS``), added to lines already loaded
    without it (the middleware loads them for the header only)."""
    if basket.id is None:
        return basket
    cached = getattr(basket, "_lines", None)
    if cached is None or cached._result_cache is None:  # not read yet
        basket._lines = (
            basket.lines.select_related("product__product_class", "product__parent__product_class", "stockrecord")
            .prefetch_related("product__stockrecords", *(DISPLAY_RELATIONS if display else ()))
            .order_by("pk")
        )
    elif display:
        prefetch_related_objects(cached._result_cache, *DISPLAY_RELATIONS)  # none for lines that have them
    return basket


def basket_groups(basket):
    """[SellerGroup] in basket order, one per seller; lines whose seller is unknown come last, free of fees."""
    load_lines(basket)
    groups = {vendor.partner_id: SellerGroup(vendor=vendor, items_total=items, shipping_fee=fee)
              for vendor, items, fee in shipping_fees_for_basket(basket)}
    orphans = SellerGroup(vendor=None)
    for line in basket.all_lines():
        partner_id = line.stockrecord.partner_id if line.stockrecord_id else None
        group = groups.get(partner_id, orphans)
        group.lines.append(_basket_line(line))
        if group is orphans:
            orphans.items_total += _whole(line.line_price_incl_tax)
    return list(groups.values()) + ([orphans] if orphans.lines else [])


def basket_overview(basket):
    return BasketOverview(groups=basket_groups(basket))


def _basket_line(line):
    availability = line.purchase_info.availability
    max_quantity = availability.num_available if isinstance(availability, StockRequired) else None
    if not availability.is_available_to_buy:
        problem = _("Out of stock: remove it to place your order")
    else:
        permitted, reason = availability.is_purchase_permitted(line.quantity)
        problem = "" if permitted else str(reason)
    notice = "" if problem else str(line.get_warning() or "")
    return BasketLine(line=line, problem=problem, notice=notice,
                      max_quantity=max(max_quantity, 0) if max_quantity is not None else None)


def _whole(amount):
    return int(round(amount)) if amount is not None else 0
