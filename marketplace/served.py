"""The address this site is served on, so the local sandboxes follow whatever port `make run` uses.

While the VNPay sandbox / e-invoice emulator are enabled and VNPAY_PAYMENT_URL, VNPAY_API_URL or
EINVOICE_PROVIDER_URL are left empty, those URLs point at this site's own sandbox:

* the shopper's browser is sent to the host it asked for (the origin of the request's return URL);
* server-to-server calls (VNPay querydr/refund, e-invoice submission; from a request, a task, a command or
  the scheduler) go to ``server_origin()``: the address the dev server listens on, which
  ``manage.py serve`` (what `make run` starts) records in the ``SERVED_URL`` environment variable at
  start-up; without it, the current request's own host; without a request, http://127.0.0.1:8000.
"""
import contextvars
import logging
import os
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import request_finished, request_started
from django.http.request import split_domain_port, validate_host
from django.urls import reverse

logger = logging.getLogger("marketplace.served")

ENV = "SERVED_URL"
FALLBACK = "http://127.0.0.1:8000"
_request_origin = contextvars.ContextVar("served_request_origin", default=None)


def origin(url):
    """``scheme://host[:port]`` of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def listen_url(addr, port, *, ipv6=False):
    """The URL a server bound to ``addr:port`` is reached at from this machine (0.0.0.0 → 127.0.0.1)."""
    if ipv6 or ":" in addr:
        host = "[::1]" if addr in ("::", "") else f"[{addr.strip('[]')}]"
    else:
        host = "127.0.0.1" if addr in ("0.0.0.0", "", "0") else addr
    return f"http://{host}:{port}"


def server_origin():
    """Where this site's own sandboxes answer server-to-server calls."""
    recorded = os.environ.get(ENV, "").strip().rstrip("/")
    if recorded:
        return origin(recorded)
    current = _request_origin.get()
    if current:
        return current
    logger.warning("%s is not set and no request is in flight: the local sandboxes are assumed at %s "
                   "(start the site with `make run` or `manage.py serve`, or set %s)", ENV, FALLBACK, ENV)
    return FALLBACK


def sandbox_url(configured, url_name, *, enabled, setting, browser_origin=None):
    """``configured`` if set; else the local sandbox's URL ``url_name`` on this site (when it is enabled)."""
    if configured:
        return configured
    if not enabled:
        raise ImproperlyConfigured(f"{setting} is not set and the local sandbox is disabled")
    return (browser_origin or server_origin()) + reverse(url_name)


def vnpay_payment_url(browser_origin=None):
    return sandbox_url(settings.VNPAY_PAYMENT_URL, "vnpay_sandbox:pay", enabled=settings.VNPAY_SANDBOX_ENABLED,
                       setting="VNPAY_PAYMENT_URL", browser_origin=browser_origin)


def vnpay_api_url():
    return sandbox_url(settings.VNPAY_API_URL, "vnpay_sandbox:api", enabled=settings.VNPAY_SANDBOX_ENABLED,
                       setting="VNPAY_API_URL")


def einvoice_provider_url():
    """The provider's API root (the client appends ``invoices``)."""
    if settings.EINVOICE_PROVIDER_URL:
        return settings.EINVOICE_PROVIDER_URL
    submit = sandbox_url("", "einvoice_sandbox:submit", enabled=settings.EINVOICE_SANDBOX_ENABLED,
                         setting="EINVOICE_PROVIDER_URL")
    return submit[: -len("invoices")]


# --- the request in flight (per thread) -------------------------------------------------------------


def _allowed_hosts():
    if settings.ALLOWED_HOSTS:
        return settings.ALLOWED_HOSTS
    return [".localhost", "127.0.0.1", "[::1]"] if settings.DEBUG else []


def _request_started(sender, environ=None, **kwargs):
    """Remember the host of this thread's request (only a host ALLOWED_HOSTS accepts)."""
    value = None
    host = (environ or {}).get("HTTP_HOST") or ""
    domain, _port = split_domain_port(host)
    # Django's test client "serves" testserver, where nothing listens (and the name does not resolve).
    if domain and domain != "testserver" and validate_host(domain, _allowed_hosts()):
        value = f"{environ.get('wsgi.url_scheme', 'http')}://{host}"
    _request_origin.set(value)


def _request_finished(sender, **kwargs):
    _request_origin.set(None)


def connect():
    request_started.connect(_request_started, dispatch_uid="served-request-started")
    request_finished.connect(_request_finished, dispatch_uid="served-request-finished")
