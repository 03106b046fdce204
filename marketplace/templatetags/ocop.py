"""Storefront template helpers: VND prices, OCOP stars, product card data."""
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


def format_vnd(amount):
    """Integer đồng in the Vietnamese style: 150000 → '150.000 ₫' (no-break space before ₫)."""
    if amount is None or amount == "":
        return ""
    try:
        value = int(Decimal(str(amount)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    except (InvalidOperation, ValueError):
        return ""
    sign = "-" if value < 0 else ""
    return f"{sign}{abs(value):,}".replace(",", ".") + "\xa0₫"


@register.filter
def vnd(amount):
    return format_vnd(amount)


@register.simple_tag
def star_badge(stars, size=""):
    if not stars:
        return ""
    return format_html(
        '<span class="ocop-badge ocop-badge--{} {}" title="{}"><span class="ocop-badge__label">OCOP</span>'
        '<span class="ocop-badge__stars" aria-hidden="true">{}</span></span>',
        stars, size, _("OCOP %(stars)s stars") % {"stars": stars}, "★" * int(stars),
    )


@register.simple_tag(takes_context=True)
def card_info(context, product):
    """Price, availability and seller for a product card, from prefetched stock records."""
    request = context["request"]
    info = request.strategy.fetch_for_product(product)
    record = info.stockrecord
    vendor = getattr(record.partner, "vendor", None) if record else None
    return {
        "price": info.price.excl_tax if info.price.exists else None,
        "available": info.availability.is_available_to_buy,
        "vendor": vendor,
        "stock": record.net_stock_level if record else 0,
    }


@register.filter
def ddmmyyyy(value):
    return value.strftime("%d/%m/%Y") if value else ""


@register.filter
def order_status(value):
    """Oscar stores order statuses as English keys; show them in the visitor's language."""
    from marketplace.order.statuses import LABELS

    return LABELS.get(value, value)


#: What a product or category description may contain: text formatting and links, nothing active.
RICH_TEXT_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h2", "h3", "h4", "blockquote", "a",
                  "table", "thead", "tbody", "tr", "th", "td"}


@register.filter
def rich_text(value):
    """Descriptions come from sellers (plain text) and from staff editors (HTML): plain text keeps its
    line breaks, HTML is cleaned by nh3 (ammonia) to formatting and http(s)/mailto/tel links, so no
    script, event handler, style or javascript: URL reaches the page."""
    import nh3
    from django.template.defaultfilters import linebreaks_filter
    from django.utils.safestring import mark_safe

    text = str(value or "")
    if not nh3.is_html(text):
        return linebreaks_filter(text, autoescape=True)
    return mark_safe(nh3.clean(text, tags=RICH_TEXT_TAGS, attributes={"a": {"href", "title"}},  # noqa: S308
                               url_schemes={"http", "https", "mailto", "tel"}, link_rel="noopener nofollow"))
