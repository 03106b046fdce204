"""Loading hints that depend on a picture's place in the page, applied outside the cached product cards."""
from django import template
from django.utils.safestring import mark_safe

register = template.Library()

LAZY = 'loading="lazy" decoding="async"'


@register.filter
def eager_first(html):
    """The first picture of a listing is its largest element (LCP): fetch it at once and first; the others
    stay lazy. Cards are cached once for every position, so the hint is put in here."""
    return mark_safe(str(html).replace(LAZY, 'fetchpriority="high"', 1))  # noqa: S308 — our rendered cards
