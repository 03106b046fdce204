"""Whole-page cache for anonymous shoppers browsing the shop (home, catalogue, categories, search,
seller pages, content pages).

Why not Django's per-site cache: every page carries a CSRF token (the language switcher, add to
basket) and a CSP nonce, both per visitor. Here a page is stored with both replaced by placeholders,
and each hit gets the visitor's own token (``get_token``, which also sets the CSRF cookie) and this
response's nonce. Pages are shared only between visitors that would see the same thing: anonymous,
no basket, no pending message, same language; responses that set any cookie besides the CSRF one are
not stored, except a product page's recently-viewed cookie: a hit on a product page records the view
(history cookie, view count) by sending Oscar's ``product_viewed`` signal, as the view would, and the
page fetches the visitor's own recently viewed products separately (``catalogue.views``).

Invalidation: every key embeds a version number that ``bump_version()`` raises whenever a product,
price, stock, seller, category, certificate or CMS page changes (``marketplace/signals.py``); the
TTL (settings.PAGE_CACHE_SECONDS) bounds anything else, e.g. a certificate expiring at midnight.
"""
import hashlib
import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

VERSION_KEY = "pagecache:version"
TOKEN_PLACEHOLDER = "__PAGECACHE_CSRF_TOKEN__"
NONCE_PLACEHOLDER = "__PAGECACHE_CSP_NONCE__"
PRIVATE_PREFIXES = ("/ban-hang/", "/so-cong-thuong/", "/bao-cao/", "/accounts/", "/basket/", "/checkout/",
                    "/payments/", "/sandbox/", "/cms/", "/dashboard/", "/django-admin/", "/hoa-don/", "/i18n/",
                    "/search/suggest/", "/catalogue/recently-viewed/", "/media/", "/static/", "/documents/")
HIT_HEADER = "X-Page-Cache"
PRODUCT_PATH = re.compile(r"^/catalogue/[\w-]+_(\d+)/$")
CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')


def version():
    value = cache.get(VERSION_KEY)
    if value is None:
        cache.add(VERSION_KEY, 1, None)
        value = cache.get(VERSION_KEY, 1)
    return value


def bump_version(**_):
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # never set (or evicted): any new value invalidates the old keys
        cache.set(VERSION_KEY, 2, None)


def shared(name, compute, seconds=None):
    """A value that is the same for every visitor (facet counts, the home page's group counts), cached
    under the page cache's version so any catalogue change recomputes it. ``seconds`` defaults to
    settings.SEARCH_FACET_CACHE_SECONDS; 0 computes every time."""
    seconds = settings.SEARCH_FACET_CACHE_SECONDS if seconds is None else seconds
    if not seconds:
        return compute()
    key = f"shared:{version()}:{hashlib.sha256(name.encode()).hexdigest()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def _personal(request):
    cookies = request.COOKIES
    return (
        request.user.is_authenticated
        or settings.OSCAR_BASKET_COOKIE_OPEN in cookies
        or "messages" in cookies
    )


def _key(request):
    raw = f"{request.get_host()}|{request.get_full_path()}|{get_language()}"
    return f"pagecache:{version()}:{hashlib.sha256(raw.encode()).hexdigest()}"


def _nonce(request):
    nonce = getattr(request, "csp_nonce", None)
    return str(nonce) if nonce is not None else None


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if (not seconds or request.method not in ("GET", "HEAD") or request.path_info.startswith(PRIVATE_PREFIXES)
                or _personal(request)):
            return self.get_response(request)
        key = _key(request)
        stored = cache.get(key)
        if stored is not None:
            return self._hit(request, stored)
        response = self.get_response(request)
        self._store(request, response, key, seconds)
        return response

    def _hit(self, request, stored):
        content = stored["content"].replace(TOKEN_PLACEHOLDER, get_token(request))
        nonce = _nonce(request)
        if nonce:
            content = content.replace(NONCE_PLACEHOLDER, nonce)
        response = HttpResponse(content, status=200, content_type=stored["content_type"])
        response[HIT_HEADER] = "hit"
        if stored.get("product_id"):
            _record_product_view(request, response, stored["product_id"])
        return response

    def _store(self, request, response, key, seconds):
        if (response.status_code != 200 or response.streaming
                or not response.get("Content-Type", "").startswith("text/html")
                or "no-cache" in response.get("Cache-Control", "") or "private" in response.get("Cache-Control", "")
                or any(name not in _allowed_cookies(request) for name in response.cookies)):
            return
        # The page holds masked tokens derived from this visitor's secret: replace each of them.
        content = CSRF_INPUT.sub(rf"\g<1>{TOKEN_PLACEHOLDER}\g<2>", response.content.decode(response.charset))
        nonce = getattr(request, "_csp_nonce", None)
        if nonce:
            content = content.replace(f'nonce="{nonce}"', f'nonce="{NONCE_PLACEHOLDER}"')
        product = PRODUCT_PATH.match(request.path_info)
        cache.set(key, {"content": content, "content_type": response["Content-Type"],
                        "product_id": int(product.group(1)) if product else None}, seconds)
        response[HIT_HEADER] = "miss"


def _allowed_cookies(request):
    if PRODUCT_PATH.match(request.path_info):
        return {settings.CSRF_COOKIE_NAME, settings.OSCAR_RECENTLY_VIEWED_COOKIE_NAME}
    return {settings.CSRF_COOKIE_NAME}


def _record_product_view(request, response, product_id):
    """What Oscar's product view does after rendering: history cookie and view counter."""
    from oscar.apps.catalogue.signals import product_viewed
    from oscar.core.loading import get_model

    product = get_model("catalogue", "Product")(pk=product_id)
    product_viewed.send(sender=AnonymousPageCacheMiddleware, product=product, user=request.user, request=request,
                        response=response)
