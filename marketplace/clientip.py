"""The client's address, the same for rate limits, lockouts, payments and logs.

Behind a reverse proxy every request comes from the proxy's address: one rate limit would cover the whole
site and anyone could lock any account. Each trusted proxy appends the address it received the request
from to ``X-Forwarded-For``; with ``TRUSTED_PROXY_COUNT`` proxies in front of the application, the client is
that many places from the right. Everything further left was written by the client and is ignored, so a
forged header cannot choose the address. With no trusted proxy (the default) the header is ignored.
"""
import ipaddress
import logging

from django.conf import settings

logger = logging.getLogger(__name__)


def client_ip(request):
    """The client's IP address as the nearest trusted proxy saw it (REMOTE_ADDR without proxies)."""
    meta = request.META
    remote = meta.get("PROXY_REMOTE_ADDR", meta.get("REMOTE_ADDR", ""))
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        # Fewer hops than proxies: the request did not come through all of them; trust only the socket.
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        logger.warning("Ignoring a malformed X-Forwarded-For address %r from %s", candidate[:60], remote)
        return remote


def request_ip(request):
    """For django-axes (AXES_CLIENT_IP_CALLABLE): the address the middleware below settled on."""
    return request.META.get("REMOTE_ADDR") or client_ip(request)


class ClientAddressMiddleware:
    """First in the stack: REMOTE_ADDR becomes the client's address (the proxy's is kept in PROXY_REMOTE_ADDR),
    so django-ratelimit, django-axes, VNPay's vnp_IpAddr and the logs all see the same address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(settings, "TRUSTED_PROXY_COUNT", 0) > 0:
            address = client_ip(request)
            request.META.setdefault("PROXY_REMOTE_ADDR", request.META.get("REMOTE_ADDR", ""))
            request.META["REMOTE_ADDR"] = address
        return self.get_response(request)
