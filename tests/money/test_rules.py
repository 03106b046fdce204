"""The one rounding rule and the sharing rules of ``marketplace.money``, and the VAT split they feed."""
import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from invoicing.calculations import DISCOUNT, GOODS, Item, net_for_gross, split_gross, vat_of
from invoicing.models import VAT_PERCENT
from marketplace.money import allocate_largest_remainder, percent_bp, round_half_up, share


@pytest.mark.parametrize("value, expected", [
    (Decimal("0.5"), 1), (Decimal("1.49"), 1), (Decimal("2.5"), 3), (Decimal("-0.5"), -1), (Decimal("-2.5"), -3),
    (Decimal("169258.60"), 169259), (Decimal("169258.4999"), 169258), (7, 7), (Fraction(5, 2), 3), (None, 0),
])
def test_half_up_not_half_even(value, expected):
    assert round_half_up(value) == expected


def test_floats_are_not_money():
    with pytest.raises(TypeError):
        round_half_up(0.5)


def test_commission_and_shares():
    assert percent_bp(65000, 500) == 3250
    assert percent_bp(10, 500) == 1  # 0,5 đ → 1 đ
    assert share(100, 1, 3) == 33 and share(100, 2, 3) == 67


def test_largest_remainder_example():
    # a 7 % offer on 80.571 ₫ and 161.142 ₫ lines: 5.639,97 + 11.279,94 = 16.919,91 → 16.920
    assert allocate_largest_remainder(16920, [Decimal("5639.97"), Decimal("11279.94")]) == [5640, 11280]
    assert allocate_largest_remainder(10, [1, 1, 1]) == [4, 3, 3]
    assert allocate_largest_remainder(0, [0, 0]) == [0, 0]
    assert allocate_largest_remainder(5, [0, 0]) == [5, 0]
    assert allocate_largest_remainder(-10, [1, 1, 1]) == [-4, -3, -3]


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(total=st.integers(-10**9, 10**9),
       weights=st.lists(st.integers(0, 10**7), min_size=1, max_size=8))
def test_largest_remainder_adds_up_and_stays_within_one_dong(total, weights):
    shares = allocate_largest_remainder(total, weights)
    assert sum(shares) == total
    if sum(weights):
        for value, weight in zip(shares, weights):
            assert abs(value - Fraction(total * weight, sum(weights))) < 1


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(gross=st.integers(-10**9, 10**9).filter(bool), rate=st.sampled_from(["5%", "8%", "10%"]))
def test_vat_group_net_reaches_the_gross_and_vat_rounds_the_exact_tax(gross, rate):
    percent = VAT_PERCENT[rate]
    net = net_for_gross(gross, percent)
    vat = gross - net
    exact = Fraction(abs(net) * percent, 100)
    assert abs(abs(vat) - exact) < 1
    if vat != vat_of(net, rate):  # the unreachable gross: the đồng goes to TThue, rounded up
        assert abs(vat) == math.ceil(exact) == abs(vat_of(net, rate)) + 1


def test_unreachable_gross_examples():
    # 10 %: no N gives 42.727 (N = 38.843 → 38.843 + 3.884 = 42.727? 3.884,3 → 3.884: yes; 42.728 is reached by
    # 38.844 + 3.884); find the ones that are skipped and check the rule on one of them.
    skipped = [g for g in range(42700, 42760) if net_for_gross(g, 10) + vat_of(net_for_gross(g, 10), "10%") != g]
    assert skipped  # 1 in 11
    gross = skipped[0]
    net = net_for_gross(gross, 10)
    assert net + vat_of(net, "10%") == gross - 1 and gross - net == math.ceil(Fraction(net, 10))


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(lines=st.lists(st.tuples(st.integers(1, 5_000_000), st.integers(0, 400_000), st.sampled_from(
    ["0%", "5%", "8%", "10%", "KCT"])), min_size=1, max_size=8), shipping=st.integers(0, 60_000))
def test_vat_invoice_lines_add_up_to_what_was_paid(lines, shipping):
    items = []
    for gross, discount, rate in lines:
        items.append(Item(GOODS, "Hàng", gross, quantity=Decimal(1), rate=rate))
        if 0 < discount < gross:
            items.append(Item(DISCOUNT, "CK", discount, rate=rate))
    if shipping:
        items.append(Item(GOODS, "Ship", shipping, quantity=Decimal(1), rate="10%"))
    paid = sum(-i.gross if i.nature == DISCOUNT else i.gross for i in items)
    totals = split_gross(items, template_number="1")
    assert totals.total_payable == paid
    for group in totals.rate_totals:
        members = [(-i.net if i.nature == DISCOUNT else i.net) for i in items if i.rate == group["rate"]]
        assert sum(members) == group["net"]
    for item in items:  # each ThTien within one đồng of gross ÷ (1 + rate)
        assert abs(item.net - Fraction(item.gross * 100, 100 + VAT_PERCENT[item.rate])) < 1
