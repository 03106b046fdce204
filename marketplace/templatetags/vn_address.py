from django import template

from marketplace.checkout.address import format_vn_phone

register = template.Library()


@register.filter
def vn_phone(value):
    """'+84912345678' → '0912 345 678'."""
    return format_vn_phone(value)
