"""Logs an operator can ship and search: one JSON object a line (``LOG_FORMAT=json``, python-json-logger),
each with the request id (marketplace/requestid.py), and one access line per request.

No personal data or secrets reach the output: the code logs ids, not people, and as a safety net every
formatted line (message, arguments, traceback) is scrubbed before it is written: e-mail addresses, phone
numbers, long digit runs (card, bank account and citizen ID numbers) and the values of the configured
secrets are replaced by ``[redacted]``.
"""
import logging
import re
import time

from django.conf import settings
from pythonjsonlogger.json import JsonFormatter

REDACTED = "[redacted]"
_PATTERNS = [
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # e-mail addresses
    re.compile(r"(?<![\w.])(?:\+84|0084|0)(?:[ .-]?\d){8,10}(?![\w.])"),  # Vietnamese phone numbers
    re.compile(r"(?<![\w.])(?:\d[ -]?){8,18}\d(?![\w.])"),  # 9+ digits: card, bank account, CCCD numbers
]
#: Settings whose values must never appear in a log line.
SECRET_SETTINGS = ("SECRET_KEY", "VNPAY_HASH_SECRET", "EINVOICE_PROVIDER_KEY", "PRIVACY_ENCRYPTION_KEY",
                   "PRIVACY_HASH_KEY", "AWS_SECRET_ACCESS_KEY", "METRICS_TOKEN", "EMAIL_HOST_PASSWORD",
                   "GHN_TOKEN", "GHN_WEBHOOK_SECRET", "VNPOST_TOKEN", "VNPOST_WEBHOOK_SECRET", "SENTRY_DSN")
#: Attributes every LogRecord has: the rest are a call's ``extra`` fields, scrubbed too.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "request_id"}


def _secrets():
    values = []
    for name in SECRET_SETTINGS:
        value = getattr(settings, name, None) if settings.configured else None
        if isinstance(value, str) and len(value) >= 8:
            values.append(value)
    for value in (getattr(settings, "PRIVACY_ENCRYPTION_OLD_KEYS", None) if settings.configured else None) or ():
        if isinstance(value, str) and len(value) >= 8:
            values.append(value)
    return values


def scrub(value):
    """``value`` with personal data and secrets replaced (strings inside lists and dicts too)."""
    if isinstance(value, dict):
        return {key: scrub(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(scrub(item) for item in value)
    if not isinstance(value, str):
        return value
    for secret in _secrets():
        value = value.replace(secret, REDACTED)
    for pattern in _PATTERNS:
        value = pattern.sub(REDACTED, value)
    return value


class _Scrubbing:
    """Formats a scrubbed copy of the record: its message (arguments merged), traceback and extra fields;
    the time, level and logger name are left as they are."""

    def format(self, record):
        clean = logging.makeLogRecord(record.__dict__)
        try:
            clean.msg, clean.args = scrub(record.getMessage()), None
        except Exception:  # noqa: BLE001 — a broken format string still gets logged, scrubbed
            clean.msg, clean.args = scrub(f"{record.msg!r} {record.args!r}"), None
        if record.exc_info:
            clean.exc_text = scrub(record.exc_text or self.formatException(record.exc_info))
            clean.exc_info = None
        elif record.exc_text:
            clean.exc_text = scrub(record.exc_text)
        if record.stack_info:
            clean.stack_info = scrub(record.stack_info)
        for key, value in record.__dict__.items():
            if key not in _STANDARD:
                setattr(clean, key, scrub(value))
        return super().format(clean)


class ScrubbingFormatter(_Scrubbing, logging.Formatter):
    """The plain-text format (development), scrubbed as the JSON one is."""


class JsonLogFormatter(_Scrubbing, JsonFormatter):
    """{"time", "level", "logger", "message", "request_id", …extra fields}, scrubbed."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s")
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"})
        super().__init__(*args, **kwargs)


# --- One access line per request, and the request metrics --------------------------------------------
access_logger = logging.getLogger("marketplace.access")


#: URL parts that open something by themselves (a guest's order page, a password reset): never logged.
CAPABILITY_KWARGS = ("hash", "token", "uidb64", "key", "signature")


def _logged_path(request):
    path = request.path_info
    match = getattr(request, "resolver_match", None)
    for name in CAPABILITY_KWARGS:
        value = match.kwargs.get(name) if match is not None else None
        if value:
            path = path.replace(str(value), REDACTED)
    return path


def _view_name(request):
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.view_name or match.route or "unknown"


class ObservedRequestMiddleware:
    """Times each request, counts its database queries, writes the access line and feeds /metrics.

    Only the path is logged, never the query string (VNPay's return carries the payment's details there),
    and without the tokens some paths carry (a guest's order link, a password reset link)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.db import connections

        from marketplace import metrics

        queries = [0]

        def count(execute, sql, params, many, context):
            queries[0] += 1
            return execute(sql, params, many, context)

        started = time.perf_counter()
        status = 500
        try:
            with connections["default"].execute_wrapper(count):
                response = self.get_response(request)
            status = response.status_code
            return response
        finally:
            elapsed = time.perf_counter() - started
            view = _view_name(request)
            metrics.observe_request(view=view, method=request.method, status=status, seconds=elapsed,
                                    queries=queries[0])
            path = _logged_path(request)
            access_logger.info("%s %s %s", request.method, path, status, extra={
                "method": request.method, "path": path, "status": status, "view": view,
                "duration_ms": round(elapsed * 1000, 1), "db_queries": queries[0]})
