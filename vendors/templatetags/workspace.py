"""Money as the seller's statement writes it: a deduction with a real minus sign, never "−0 ₫"."""
from django import template

from marketplace.templatetags.ocop import format_vnd

register = template.Library()
MINUS = "\u2212"


@register.filter
def vnd_minus(amount):
    """A deduction shown as a positive figure in the statement: 3.250 → '−3.250 ₫'; 0 → '0 ₫'."""
    if not amount:
        return format_vnd(0)
    return MINUS + format_vnd(amount) if amount > 0 else format_vnd(-amount)


@register.filter
def vnd_signed(amount):
    """A ledger entry: '+65.000 ₫' in, '−3.250 ₫' out."""
    if not amount:
        return format_vnd(0)
    return ("+" if amount > 0 else MINUS) + format_vnd(abs(amount))
