"""The carrier clients as configured: real endpoints from the environment, else the local emulator on this site."""
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from marketplace import served

from .client import GHN, InvalidRequestError, VNPost


def api_url(carrier):
    configured = {"ghn": settings.GHN_API_URL, "vnpost": settings.VNPOST_API_URL}[carrier]
    return served.sandbox_url(configured, f"carriers_emulator:{carrier}-root", enabled=settings.CARRIERS_SANDBOX_ENABLED,
                              setting=f"{carrier.upper()}_API_URL")


def webhook_secret(carrier):
    return {"ghn": settings.GHN_WEBHOOK_SECRET, "vnpost": settings.VNPOST_WEBHOOK_SECRET}[carrier]


def available(carrier):
    """A carrier is offered where its API is set (production) or the emulator answers (development, tests)."""
    url = {"ghn": settings.GHN_API_URL, "vnpost": settings.VNPOST_API_URL}.get(carrier)
    token = {"ghn": settings.GHN_TOKEN, "vnpost": settings.VNPOST_TOKEN}.get(carrier)
    return bool(token and (url or settings.CARRIERS_SANDBOX_ENABLED))


def client(carrier, *, timeout=None):
    """A client for ``carrier`` ("ghn" or "vnpost"); ``timeout`` shorter for checkout's quotes."""
    if not available(carrier):
        raise InvalidRequestError(f"{carrier} is not configured (set {carrier.upper()}_API_URL and _TOKEN)",
                                  carrier=carrier)
    timeout = timeout or settings.CARRIER_TIMEOUT
    if carrier == "ghn":
        return GHN(api_url=api_url("ghn"), token=settings.GHN_TOKEN, shop_id=settings.GHN_SHOP_ID,
                   webhook_secret=settings.GHN_WEBHOOK_SECRET, timeout=timeout, max_retries=settings.CARRIER_MAX_RETRIES)
    if carrier == "vnpost":
        return VNPost(api_url=api_url("vnpost"), token=settings.VNPOST_TOKEN, webhook_secret=settings.VNPOST_WEBHOOK_SECRET,
                      timeout=timeout, max_retries=settings.CARRIER_MAX_RETRIES)
    raise ImproperlyConfigured(f"Unknown carrier {carrier!r}")
