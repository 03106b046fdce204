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

Invalidation: a stored page carries the version numbers of what it shows, checked on every hit, and
``marketplace/signals.py`` raises the ones a change touches:
- the shop's version (``bump_version``): a seller, category or CMS page changed: every page;
- the catalogue's version and the product's own (``bump_products``): a product, its price or stock, its
  pictures, certificates or categories changed: the listings (catalogue, categories, search, home,
  seller pages: their cards, counts and facets) and that product's page, but not the other products'
  pages nor the content pages. A product page depends on the products it shows (itself, its
  recommendations), recorded while it renders (``shows_products``).
The TTL (settings.PAGE_CACHE_SECONDS) bounds anything else, e.g. a certificate expiring at midnight.

Cost for a request that is not served from the cache: one round trip to the cache (the versions and
the page in one ``get_many``); none for an address whose last response could not be stored (a JSON or
text answer, an error, one setting a cookie), for ``PAGE_CACHE_SECONDS`` in each process, after which it
is looked up and offered to the cache again.
"""
import hashlib
import logging
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

VERSION_KEY = "pagecache:version"
CATALOGUE_KEY = "pagecache:catalogue"
TOKEN_PLACEHOLDER = "__PAGECACHE_CSRF_TOKEN__"
NONCE_PLACEHOLDER = "__PAGECACHE_CSP_NONCE__"
PRIVATE_PREFIXES = ("/ban-hang/", "/so-cong-thuong/", "/bao-cao/", "/accounts/", "/basket/", "/checkout/",
                    "/payments/", "/sandbox/", "/cms/", "/dashboard/", "/django-admin/", "/hoa-don/", "/i18n/",
                    "/search/suggest/", "/catalogue/recently-viewed/", "/media/", "/static/", "/documents/")
HIT_HEADER = "X-Page-Cache"
PRODUCT_PATH = re.compile(r"^/catalogue/[\w-]+_(\d+)/$")
#: Keys whose response could not be stored → until when they are not looked up (this process only); at most
#: NEVER_STORED_MAX of them (then forgotten all at once: they are only a shortcut).
_never_stored = {}
NEVER_STORED_MAX = 10_000
CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')


def _fresh():
    """A new version number: a clock reading, so a version key lost from the cache (eviction, flush) never
    comes back with a value some stored page was built with."""
    return time.time_ns()


def _product_key(pk):
    return f"pagecache:product:{pk}"


def _versions(keys, known=None):
    """Current values of these version keys (``known``: values already fetched); missing ones are created."""
    known = dict(known or {})
    values = {key: known[key] for key in keys if known.get(key) is not None}
    missing = [key for key in keys if key not in values]
    if missing:
        values.update({k: v for k, v in cache.get_many(missing).items() if v is not None})
        for key in missing:
            if key not in values:
                cache.add(key, _fresh(), None)
                values[key] = cache.get(key) or _fresh()
    return values


def version():
    return _versions([VERSION_KEY])[VERSION_KEY]


def _bump(key):
    try:
        cache.incr(key)
    except ValueError:  # never set (or evicted): any new value invalidates the old pages
        cache.set(key, _fresh(), None)


def bump_version(**_):
    """Something every page may show changed (a seller, a category, CMS content)."""
    _bump(VERSION_KEY)


def bump_products(ids):
    """These products changed: the listings and their own pages (not the other products' pages)."""
    _bump(CATALOGUE_KEY)
    for pk in {pk for pk in ids if pk}:
        _bump(_product_key(pk))


def shows_products(request, products):
    """A page records the products it shows, so that its cached copy follows their changes only."""
    shown = getattr(request, "_pagecache_products", None)
    if shown is not None:
        shown.update(p.pk for p in products if p is not None)


def shared(name, compute, seconds=None):
    """A value that is the same for every visitor (facet counts, the home page's group counts), cached
    under the shop's and the catalogue's versions so any catalogue change recomputes it. ``seconds``
    defaults to settings.SEARCH_FACET_CACHE_SECONDS; 0 computes every time. The value is stored with the
    versions it was computed under and read with the current ones in one round trip (as pages are)."""
    seconds = settings.SEARCH_FACET_CACHE_SECONDS if seconds is None else seconds
    if not seconds:
        return compute()
    key = f"shared:{hashlib.sha256(name.encode()).hexdigest()}"
    found = cache.get_many([VERSION_KEY, CATALOGUE_KEY, key])
    versions = _versions([VERSION_KEY, CATALOGUE_KEY], known=found)
    current = (versions[VERSION_KEY], versions[CATALOGUE_KEY])
    stored = found.get(key)
    if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == current:
        return stored[1]
    value = compute()
    cache.set(key, (current, value), seconds)
    return value


def _personal(request):
    cookies = request.COOKIES
    return (
        settings.OSCAR_BASKET_COOKIE_OPEN in cookies
        or "messages" in cookies
        or request.user.is_authenticated  # last: it may load the session
    )


def _key(request):
    raw = f"{request.get_host()}|{request.get_full_path()}|{get_language()}"
    return f"pagecache:page:{hashlib.sha256(raw.encode()).hexdigest()}"


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
        product = PRODUCT_PATH.match(request.path_info)
        scope = [VERSION_KEY, _product_key(int(product.group(1))) if product else CATALOGUE_KEY]
        if _never_stored.get(key, 0) > time.monotonic():
            # Its last response could not be stored (not a page, private, a cookie…): no round trip to look
            # for it until then (the key is looked up and offered to the cache again afterwards).
            return self.get_response(request)
        found = cache.get_many([*scope, key])  # one round trip
        stored = found.get(key)
        if stored is not None and self._current(stored, found):
            return self._hit(request, stored)
        # Read before the page is built: a change made meanwhile leaves the stored copy outdated at once.
        versions = _versions(scope, known=found)
        request._pagecache_products = set()
        response = self.get_response(request)
        if not self._store(request, response, key, seconds, versions):
            if len(_never_stored) >= NEVER_STORED_MAX:
                _never_stored.clear()
            _never_stored[key] = time.monotonic() + seconds
        return response

    @staticmethod
    def _current(stored, found):
        """Whether the versions the page was built with are still the current ones."""
        depends = stored.get("versions") or {}
        extra = [k for k in depends if k not in found]
        current = {**found, **(cache.get_many(extra) if extra else {})}
        return bool(depends) and all(current.get(k) == v for k, v in depends.items())

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

    def _store(self, request, response, key, seconds, versions):
        if (response.status_code != 200 or response.streaming
                or not response.get("Content-Type", "").startswith("text/html")
                or "no-cache" in response.get("Cache-Control", "") or "private" in response.get("Cache-Control", "")
                or any(name not in _allowed_cookies(request) for name in response.cookies)):
            return False
        # The page holds masked tokens derived from this visitor's secret: replace each of them.
        content = CSRF_INPUT.sub(rf"\g<1>{TOKEN_PLACEHOLDER}\g<2>", response.content.decode(response.charset))
        nonce = getattr(request, "_csp_nonce", None)
        if nonce:
            content = content.replace(f'nonce="{nonce}"', f'nonce="{NONCE_PLACEHOLDER}"')
        product = PRODUCT_PATH.match(request.path_info)
        if product:  # the products it shows besides itself (variants, recommendations)
            others = [_product_key(pk) for pk in sorted(request._pagecache_products)]
            versions = _versions([*versions, *others], known=versions)
        cache.set(key, {"content": content, "content_type": response["Content-Type"], "versions": versions,
                        "product_id": int(product.group(1)) if product else None}, seconds)
        response[HIT_HEADER] = "miss"
        return True


@receiver(setting_changed, dispatch_uid="pagecache-setting-changed")
def _forget_never_stored(setting, **kwargs):
    if setting == "PAGE_CACHE_SECONDS":
        _never_stored.clear()


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
