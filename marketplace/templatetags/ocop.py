"""Storefront template helpers: VND prices, OCOP stars, product card data."""
import hashlib
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.safestring import mark_safe
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


def _card_info(request, product):
    """Price, availability and seller for a product card, from prefetched stock records (once per product
    and request: the fragment key and the card itself both read it)."""
    cached = getattr(product, "_card_info", None)
    if cached is not None:
        return cached
    info = request.strategy.fetch_for_product(product)
    record = info.stockrecord
    vendor = getattr(record.partner, "vendor", None) if record else None
    product._card_info = {
        "price": info.price.excl_tax if info.price.exists else None,
        "available": info.availability.is_available_to_buy,
        "vendor": vendor,
        "stock": record.net_stock_level if record else 0,
    }
    return product._card_info


@register.simple_tag(takes_context=True)
def card_info(context, product):
    return _card_info(context["request"], product)


CARD_TEMPLATE = "catalogue/partials/product_card.html"


def card_cache_key(request, product):
    """The cache key of a product card: a digest of everything the card shows, in the visitor's language.

    Built from data the listing already loaded (no query, no cache lookup per card), so a card is
    rendered once per version of what it shows and shared by every page and visitor; any change to the
    product, its price or stock, its pictures, its certificate in force or its seller gives a new key,
    and other products' cards stay cached."""
    info = _card_info(request, product)
    vendor = info["vendor"]
    commune = getattr(vendor, "commune", None) if vendor else None
    certificate = product.ocop_certificate
    parts = (
        product.pk, product.slug, product.get_title(), product.date_updated, product.is_typical_specialty,
        product.sales_unit, product.structure, product.parent_id,
        [(i.pk, str(i.original), i.display_order) for i in product.images.all()],
        (certificate.pk, certificate.stars) if certificate else None,
        str(info["price"]), info["available"],
        (vendor.pk, vendor.name, getattr(commune, "short_name", None)) if vendor else None,
    )
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
    return f"card:{translation.get_language()}:{digest}"


@register.simple_tag(takes_context=True)
def product_cards(context, products):
    """The grid's cards (``<li>`` each), from the card cache in one round trip; missing ones are rendered
    and stored together (settings.CARD_CACHE_SECONDS, 0 renders every time)."""
    request = context["request"]
    products = list(products)
    seconds = settings.CARD_CACHE_SECONDS
    keys = [card_cache_key(request, p) for p in products] if seconds else [None] * len(products)
    found = cache.get_many(keys) if seconds else {}
    missing, html = {}, []
    template = None
    for product, key in zip(products, keys):
        card = found.get(key)
        if card is None:
            template = template or context.template.engine.get_template(CARD_TEMPLATE)
            with context.push(product=product):
                card = template.render(context)
            if key:
                missing[key] = card
        html.append(card)
    if missing:
        cache.set_many(missing, seconds)
    return mark_safe("".join(f"<li>{card}</li>" for card in html))  # noqa: S308 — rendered by our template


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


@register.simple_tag
def pager_window(page_obj):
    """The pager's entries as (kind, number): the first and last pages, the current one and two either side
    ("link"/"current"), a "gap" three away. Computed here: a template loop over ``page_range`` costs
    thousands of comparisons on a listing of 50,000 products."""
    current, last = page_obj.number, page_obj.paginator.num_pages
    entries = []
    for n in sorted({1, last, *range(max(1, current - 3), min(last, current + 3) + 1)}):
        if n == current:
            entries.append(("current", n))
        elif n in (1, last) or abs(n - current) < 3:
            entries.append(("link", n))
        else:
            entries.append(("gap", n))
    return entries
