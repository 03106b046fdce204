"""Invoice arithmetic in integer đồng (spec §3.6–§3.7), kept free of Django so it is easy to test.

Why the split from gross: marketplace prices include VAT (the shopper pays the shelf price), while a
VAT invoice shows prices before VAT. For each rate the net ``N`` is chosen so that
``N + round_half_up(N × rate)`` equals what was paid, which keeps the spec's rounding rule *and* makes
the invoice reconcile with the fulfilment to the đồng; for the rare sums that no ``N`` reaches, VAT is
the remainder (one đồng off the rounding formula rather than one đồng off the money).
"""
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .models import TEMPLATE_VAT, VAT_PERCENT

GOODS, DISCOUNT, NOTE = 1, 3, 4
RATE_ORDER = ["0%", "5%", "8%", "10%", "KCT", "KKKNT"]
SIX_PLACES = Decimal("0.000001")


def round_half_up(value):
    return int(Decimal(value).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def vat_of(net, rate):
    """TThue of a rate group: round_half_up(net × rate / 100); 0 for 0%, KCT, KKKNT (signs kept)."""
    percent = VAT_PERCENT.get(rate, 0)
    sign = -1 if net < 0 else 1
    return sign * round_half_up(Decimal(abs(net)) * percent / 100)


def unit_price_for(amount, quantity):
    """DGia with up to 6 decimals, so that round(quantity × DGia) gives back ``amount``."""
    price = (Decimal(abs(amount)) / abs(Decimal(quantity))).quantize(SIX_PLACES, rounding=ROUND_HALF_UP)
    return price.normalize() if price == price.to_integral() else price


@dataclass
class Item:
    """One future invoice line before the VAT split; ``gross`` is what the buyer pays (signed)."""

    nature: int
    name: str
    gross: int = 0
    code: str = ""
    unit: str = ""
    quantity: Decimal | None = None
    rate: str = ""
    order_line_id: int | None = None
    net: int | None = field(default=None)


@dataclass
class Totals:
    rate_totals: list
    total_net: int
    total_vat: int
    total_discount: int
    total_payable: int


def _signed(item, value):
    return -value if item.nature == DISCOUNT else value


def split_gross(items, *, template_number):
    """Give every goods/discount item its ``net`` (ThTien) and return the reconciling ``Totals``."""
    vat_invoice = template_number == TEMPLATE_VAT
    priced = [i for i in items if i.nature in (GOODS, DISCOUNT)]
    if not vat_invoice:
        for item in priced:
            item.net = item.gross
        return totals_from_net(items, template_number=template_number)
    groups = {}
    for item in priced:
        groups.setdefault(item.rate, []).append(item)
    vat_by_rate = {}
    for rate, members in groups.items():
        percent = VAT_PERCENT.get(rate, 0)
        gross = sum(_signed(i, i.gross) for i in members)
        net = _net_for_gross(gross, percent)
        vat_by_rate[rate] = gross - net
        for item in members:
            item.net = round_half_up(Decimal(item.gross) * 100 / (100 + percent))
        residual = net - sum(_signed(i, i.net) for i in members)
        if residual:
            goods = [i for i in members if i.nature == GOODS] or members
            biggest = max(goods, key=lambda i: abs(i.gross))
            biggest.net += _signed(biggest, residual)
    return totals_from_net(items, template_number=template_number, vat_by_rate=vat_by_rate)


def _net_for_gross(gross, percent):
    if not percent:
        return gross
    first = round_half_up(Decimal(gross) * 100 / (100 + percent))
    for candidate in (first, first - 1, first + 1):
        if candidate + vat_of(candidate, f"{percent}%") == gross:
            return candidate
    return first


def totals_from_net(items, *, template_number, vat_by_rate=None):
    """TToan from the lines' ThTien (spec §3.7); ``vat_by_rate`` overrides the formula per rate."""
    vat_by_rate = vat_by_rate or {}
    priced = [i for i in items if i.nature in (GOODS, DISCOUNT)]
    discount = sum(i.net for i in priced if i.nature == DISCOUNT)
    if template_number != TEMPLATE_VAT:
        payable = sum(_signed(i, i.net) for i in priced)
        return Totals([], payable, 0, discount, payable)
    nets = {}
    for item in priced:
        nets[item.rate] = nets.get(item.rate, 0) + _signed(item, item.net)
    rate_totals = []
    for rate in sorted(nets, key=lambda r: RATE_ORDER.index(r) if r in RATE_ORDER else len(RATE_ORDER)):
        vat = vat_by_rate.get(rate, vat_of(nets[rate], rate))
        rate_totals.append({"rate": rate, "net": nets[rate], "vat": vat})
    total_net = sum(r["net"] for r in rate_totals)
    total_vat = sum(r["vat"] for r in rate_totals)
    return Totals(rate_totals, total_net, total_vat, discount, total_net + total_vat)
