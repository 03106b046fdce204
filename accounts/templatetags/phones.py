from django import template

from accounts.phones import format_phone

register = template.Library()


@register.filter
def phone_vn(value):
    """'0912345678' or '+84912345678' → '0912 345 678' (how Vietnamese write mobile numbers)."""
    return format_phone(value)
