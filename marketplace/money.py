"""The marketplace's one rounding rule and how an amount is shared, in whole đồng.

Rule (used by the basket, orders, payments, sellers' parts, the ledger, invoices, reports and refunds):

* Every amount is a whole number of đồng. A fraction is rounded **half up** (half away from zero for a
  negative amount, so a reversal mirrors what it reverses): 0,5 đ → 1 đ, 1,49 đ → 1 đ, −0,5 đ → −1 đ.
  This is the rule of Luật Kế toán (Điều 17: a digit of 5 or more adds one unit) and the spec's
  ``round_half_up`` for ``TThue``; Python's ``round`` (half to even) is never used for money.
* An amount shared over several lines or sellers (an offer's discount, a shipping discount, a group's
  net on a VAT invoice) is split by **largest remainder**: each share gets the floor of its exact part,
  then the đồng left over go one by one to the largest fractional parts (ties: the larger weight, then
  the earlier share). The shares add up exactly to the amount, and each is within one đồng of its exact
  part.
* Something rounded several times as it grows (a line refunded item by item, a commission reversed refund
  by refund) is rounded on the **running total**: step k is ``round(total after k) − round(total after
  k−1)``, so the steps add up to the rounded whole and never drift.
"""
from decimal import Decimal
from fractions import Fraction

def _exact(value):
    """Decimal, int, Fraction or str → Fraction (exact; floats are refused, they are not money)."""
    if isinstance(value, float):
        raise TypeError("Money is never a float")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, Decimal):
        return Fraction(value)
    if isinstance(value, int):
        return Fraction(value)
    return Fraction(Decimal(str(value)))


def round_half_up(value):
    """Whole đồng, half away from zero (Decimal/int/Fraction/str in; int out; None → 0)."""
    if value is None:
        return 0
    exact = _exact(value)
    sign = -1 if exact < 0 else 1
    exact = abs(exact)
    whole, rest = divmod(exact.numerator, exact.denominator)
    if 2 * rest >= exact.denominator:
        whole += 1
    return sign * whole


def to_dong(value):
    """Alias that reads well at call sites turning Oscar's Decimals into đồng."""
    return round_half_up(value)


def share(amount, numerator, denominator):
    """round_half_up(amount × numerator ÷ denominator), exactly (no Decimal precision involved)."""
    if not denominator:
        return 0
    return round_half_up(Fraction(_exact(amount)) * _exact(numerator) / _exact(denominator))


def percent_bp(amount, rate_bp):
    """``amount`` × ``rate_bp`` basis points, in whole đồng (5 % of 65.000 = 3.250; 5 % of 10 = 1)."""
    return share(amount, rate_bp, 10000)


def allocate_largest_remainder(total, weights):
    """Split the whole ``total`` in proportion to ``weights`` (numbers ≥ 0), shares adding up to ``total``.

    All weights 0: the total goes to the first share (nothing to be proportional to).
    A negative total is split like its opposite and negated.
    """
    total = int(total)
    weights = [_exact(w) for w in weights]
    if not weights:
        if total:
            raise ValueError("Nothing to allocate a non-zero amount to")
        return []
    if total < 0:
        return [-s for s in allocate_largest_remainder(-total, weights)]
    if any(w < 0 for w in weights):
        raise ValueError("Weights must not be negative")
    whole = sum(weights)
    if whole == 0:
        return [total] + [0] * (len(weights) - 1)
    exact = [total * w / whole for w in weights]
    shares = [e.numerator // e.denominator for e in exact]
    left = total - sum(shares)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), -weights[i], i))
    for i in order[:left]:
        shares[i] += 1
    return shares


def allocate_to_amounts(total, amounts):
    """Whole shares of ``total`` matching fractional ``amounts`` as closely as possible.

    Used to bring Decimal amounts that should already be whole (e.g. lines of an order placed before
    this rule) to whole đồng adding up to a stored ``total``.
    """
    amounts = [_exact(a) for a in amounts]
    floors = [a.numerator // a.denominator for a in amounts]
    left = int(total) - sum(floors)
    if left < 0 or left > len(amounts):
        return allocate_largest_remainder(total, amounts)
    order = sorted(range(len(amounts)), key=lambda i: (-(amounts[i] - floors[i]), -amounts[i], i))
    shares = list(floors)
    for i in order[:left]:
        shares[i] += 1
    return shares

