"""One id per request, in every log line it causes: in the web process, in the Celery tasks it sends and in
the calls it makes to VNPay and the e-invoice provider.

An incoming ``X-Request-ID`` (the proxy's) is kept when it is sane (letters, digits, ``-_.:``, at most 64),
else a new one is made; the response carries it back. Tasks receive it in their message headers
(``request_id``) and put it back in place while they run; outgoing calls carry it as ``X-Correlation-ID``
(the e-invoice API already uses ``X-Request-Id`` for its own per-call id).
"""
import contextvars
import logging
import re
import uuid

import requests

HEADER = "X-Request-ID"
OUTGOING_HEADER = "X-Correlation-ID"
TASK_HEADER = "request_id"
_SANE = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")

_current = contextvars.ContextVar("request_id", default=None)


def current():
    return _current.get()


def new_id():
    return uuid.uuid4().hex


def sane(value):
    return value if isinstance(value, str) and _SANE.match(value) else None


def bind(value):
    """Make ``value`` the current id; returns the token for ``unbind``."""
    return _current.set(value)


def unbind(token):
    _current.reset(token)


class RequestIdMiddleware:
    """First in MIDDLEWARE, so every later log line of the request carries the id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = sane(request.META.get("HTTP_X_REQUEST_ID")) or new_id()
        request.request_id = request_id
        token = bind(request_id)
        try:
            response = self.get_response(request)
        finally:
            unbind(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record (None outside a request or task)."""

    def filter(self, record):
        if getattr(record, "request_id", None) is None:
            record.request_id = current()
        return True


class TracedSession(requests.Session):
    """A requests session that sends the current request id with every call."""

    def prepare_request(self, request):
        prepared = super().prepare_request(request)
        request_id = current()
        if request_id and OUTGOING_HEADER not in prepared.headers:
            prepared.headers[OUTGOING_HEADER] = request_id
        return prepared


# --- Celery: the id travels in the task message's headers -----------------------------------------
def connect_celery_signals():
    from celery.signals import before_task_publish, task_postrun, task_prerun

    before_task_publish.connect(_add_to_message, weak=False, dispatch_uid="marketplace.requestid.publish")
    task_prerun.connect(_bind_for_task, weak=False, dispatch_uid="marketplace.requestid.prerun")
    task_postrun.connect(_unbind_after_task, weak=False, dispatch_uid="marketplace.requestid.postrun")


def _add_to_message(headers=None, **_):
    request_id = current()
    if headers is not None and request_id and TASK_HEADER not in headers:
        headers[TASK_HEADER] = request_id


def _bind_for_task(task=None, **_):
    request = getattr(task, "request", None)
    request_id = sane(getattr(request, TASK_HEADER, None) or (getattr(request, "headers", None) or {}).get(TASK_HEADER))
    if request_id is None and current() is not None:
        return  # run eagerly inside a request: the request's id is already in place
    request._request_id_token = bind(request_id or new_id())


def _unbind_after_task(task=None, **_):
    request = getattr(task, "request", None)
    token = getattr(request, "_request_id_token", None)
    if token is not None:
        try:
            unbind(token)
        except ValueError:  # set in another context (should not happen); forget it
            _current.set(None)
        request._request_id_token = None
