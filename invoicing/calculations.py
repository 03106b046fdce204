"""Invoice arithmetic in integer đồng (spec §3.6–§3.7), kept free of Django so it is easy to test.

Why the split from gross: marketplace prices include VAT (the shopper pays the shelf price), while a
VAT invoice shows prices before VAT. For each rate group the net ``N`` (``ThTien`` of the group) is
chosen so that ``N + round_half_up(N × rate)`` equals what was paid (``TThue`` by the formula, the money
to the đồng). The lines' ``ThTien`` are the group's ``N`` shared by largest remainder of their exact
nets (each within one đồng of ``gross ÷ (1 + rate)``).

A gross that no ``N`` reaches (1 in 11 amounts at 10 %, 2 in 27 at 8 %, 1 in 21 at 5 %): the group takes
the ``N`` whose formula total is one đồng short, and its ``TThue`` is the formula's value plus that đồng,
which is ``ceil(N × rate)`` — still a rounding of the exact tax on the stated base (less than one đồng
from it, never below it), only not half up. The đồng stays in the group whose gross it belongs to; no
line or other group is bent for it, and the invoice total still equals what was paid. See
``invoicing/SPEC-NOTES.md`` for the evidence and why no tolerance is assumed.
"""
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from marketplace.money import round_half_up  # the marketplace's one rounding rule (no Django inside)

from .models import TEMPLATE_VAT, VAT_PERCENT

GOODS, DISCOUNT, NOTE = 1, 3, 4
RATE_ORDER = ["0%", "5%", "8%", "10%", "KCT", "KKKNT"]
SIX_PLACES = Decimal("0.000001")


def vat_of(net, rate):
    """TThue of a rate group: round_half_up(net × rate / 100); 0 for 0%, KCT, KKKNT (signs kept)."""
    percent = VAT_PERCENT.get(rate, 0)
    sign = -1 if net < 0 else 1
    return sign * round_half_up(Fraction(abs(net) * percent, 100))


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
        net = net_for_gross(gross, percent)
        vat_by_rate[rate] = gross - net
        exact = [Fraction(_signed(i, i.gross) * 100, 100 + percent) for i in members]
        for item, value in zip(members, _whole_shares(net, exact)):
            item.net = _signed(item, value)
    return totals_from_net(items, template_number=template_number, vat_by_rate=vat_by_rate)


def _whole_shares(total, exact):
    """Integers adding up to ``total``, each the floor or ceiling of its (signed) exact value when possible."""
    shares = [e.numerator // e.denominator for e in exact]
    left = total - sum(shares)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - shares[i]), -abs(exact[i]), i))
    step = 1 if left > 0 else -1
    if step < 0:
        order.reverse()
    index = 0
    while left:
        shares[order[index % len(order)]] += step
        left -= step
        index += 1
    return shares


def net_for_gross(gross, percent):
    """ThTien of a rate group paid ``gross`` (VAT included): N with N + round_half_up(N × rate) == gross.

    No such N (the formula jumps over ``gross``): the N one đồng short, whose TThue (gross − N) is then
    ceil(N × rate). Negative gross (adjustments) mirrors the positive one.
    """
    if not percent or not gross:
        return gross
    if gross < 0:
        return -net_for_gross(-gross, percent)
    first = round_half_up(Fraction(gross * 100, 100 + percent))
    for candidate in (first, first - 1, first + 1):
        if candidate + vat_of(candidate, f"{percent}%") == gross:
            return candidate
    for candidate in (first, first - 1, first + 1, first - 2):
        if candidate + vat_of(candidate, f"{percent}%") == gross - 1:
            return candidate
    raise ArithmeticError(f"No net for {gross} at {percent} %")  # cannot happen: f(N+1) − f(N) ≤ 2


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
