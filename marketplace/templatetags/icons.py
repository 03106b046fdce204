"""``{% icon "store" %}``: an inline SVG icon (decorative: hidden from screen readers) instead of an icon font."""
from functools import lru_cache

from django import template
from django.utils.html import format_html

from marketplace.icons import ICONS

register = template.Library()


@register.simple_tag
@lru_cache(maxsize=512)
def icon(name, extra=""):
    """The icon in the text's colour and size; ``extra`` adds classes. The ``fas fa-<name>`` classes stay so
    the stylesheets that place icons keep working. Built once per name and classes (a page shows a dozen or
    two, each escaping its path data)."""
    width, path = ICONS[name]
    return format_html('<svg class="icon fas fa-{}{}" viewBox="0 0 {} 512" aria-hidden="true" focusable="false">'
                       '<path d="{}"/></svg>', name, f" {extra}" if extra else "", width, path)


#: The icon of each OCOP product group (I … VI), as on the home page's tiles and the navigation.
GROUP_ICONS = {"I": "utensils", "II": "mug-hot", "III": "leaf", "IV": "palette", "V": "seedling", "VI": "map-location-dot"}


@register.simple_tag
def group_icon(code):
    return icon(GROUP_ICONS.get(code, "map-location-dot"))
