"""The site's public address (settings.SITE_URL): the one source of every absolute link.

E-mails (Oscar's, Django's password reset, the seller applications'), Wagtail (WAGTAILADMIN_BASE_URL) and
django.contrib.sites' Site(SITE_ID) all follow it. Left empty (development), the address is the one the
site is being served on: the request's own scheme and host when there is a request, else the last address
this process served (e.g. `make run PORT=8011`, or a test's live server on a random port), else
``DEV_DEFAULT``.
"""
from urllib.parse import urlsplit

from django.conf import settings

DEV_DEFAULT = "http://127.0.0.1:8000"
_served = {"base": None}  # the last address this process answered on (only used when SITE_URL is empty)


def base_url(request=None):
    """``scheme://host[:port]`` without a trailing slash."""
    configured = (getattr(settings, "SITE_URL", "") or "").rstrip("/")
    if configured:
        return configured
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    return _served["base"] or DEV_DEFAULT


def absolute(path, request=None):
    """The absolute URL of a site path (``reverse(...)``), for e-mails and anything read off the site."""
    return base_url(request) + path


def sync_site(base=None):
    """Keep Site(SITE_ID) on the public address: Oscar's e-mails (``site.domain``) and Django's password
    reset read it. Compares with the cached Site, so it writes (and queries) only when the address changed."""
    from django.contrib.sites.models import SITE_CACHE, Site

    domain = urlsplit(base or base_url()).netloc
    try:
        site = Site.objects.get_current()
    except Site.DoesNotExist:
        site = None
    if site is None or site.domain != domain or site.name != settings.OSCAR_SHOP_NAME:
        site, _created = Site.objects.update_or_create(pk=settings.SITE_ID,
                                                       defaults={"domain": domain, "name": settings.OSCAR_SHOP_NAME})
        SITE_CACHE[settings.SITE_ID] = site  # saving emptied the cache; the next reads need no query


class PublicAddressMiddleware:
    """Notes the served address (development) and keeps the Sites framework on the public address.
    After CommonMiddleware, which has already refused hosts outside ALLOWED_HOSTS.

    The Site is only checked on POSTs, where e-mails are sent (password reset and change, sign-up, orders):
    reading pages costs nothing. E-mails sent outside a request call ``sync_site()`` themselves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        base = base_url(request)
        if not getattr(settings, "SITE_URL", ""):
            _served["base"] = base
            # Wagtail reads its setting when it writes an e-mail; production derives it from SITE_URL.
            if settings.WAGTAILADMIN_BASE_URL != base:
                settings.WAGTAILADMIN_BASE_URL = base
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            sync_site(base)
        return self.get_response(request)


def sync_site_after_migrate(sender, using="default", **kwargs):
    """post_migrate of the sites app (after it created example.com): a fresh database gets the
    configured address at once, before any request."""
    if sender.label == "sites" and using == "default" and getattr(settings, "SITE_URL", ""):
        sync_site()
