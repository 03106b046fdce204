"""Optional error reporting to Sentry, or any service speaking its protocol (GlitchTip, self-hosted Sentry),
switched on by ``SENTRY_DSN``.

Unhandled errors of web requests and Celery tasks, and every ERROR log line, become events. None carries
personal data: ``send_default_pii`` is off (no cookies, user, IP address), request bodies are never sent,
and before an event leaves, every string in it goes through the logs' scrubber (e-mail addresses, phone
numbers, CCCD numbers, the site's secrets), the address loses its query string (VNPay's return carries
the payment's details there) and the tokens some paths carry (a guest's order link, a password reset):
what an operator reads in the error tracker is what the JSON logs would show.
"""
from urllib.parse import urlsplit, urlunsplit

from django.urls import Resolver404, resolve

from marketplace.logs import CAPABILITY_KWARGS, REDACTED, scrub


def _safe_url(url):
    parts = urlsplit(url)
    path = parts.path
    try:
        match = resolve(path)
    except Resolver404:
        match = None
    for name in CAPABILITY_KWARGS:
        value = match.kwargs.get(name) if match is not None else None
        if value:
            path = path.replace(str(value), REDACTED)
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def scrubbed(event, hint):
    """``before_send``: the event with personal data and secrets replaced, everywhere in it."""
    request = event.get("request")
    if isinstance(request, dict):
        request.pop("query_string", None)
        request.pop("cookies", None)
        request.pop("data", None)
        if isinstance(request.get("url"), str):
            request["url"] = _safe_url(request["url"])
    return scrub(event)


def start(dsn, *, environment, release, traces_sample_rate):
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn, environment=environment, release=release or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False, max_request_body_size="never", include_local_variables=False,
        traces_sample_rate=traces_sample_rate, before_send=scrubbed, before_send_transaction=scrubbed,
    )
