"""``/healthz``, ``/readyz`` and ``/metrics``: what the proxy, the orchestrator and Prometheus ask a node.

Answered by the first middleware, before anything else runs: no session, no rate limit, no page cache, no
access log line, no host check (probes use the node's own address) and no HTTPS redirect (probes speak
plain HTTP to the node).

- ``/healthz``: the process answers; touches nothing (a database outage must not make the orchestrator
  restart every web node).
- ``/readyz``: the database, the cache (Redis), the media storages and the search cluster each answer;
  503 and the failing dependency named in the JSON when one does not (the proxy takes the node out).
- ``/metrics``: Prometheus' text format (marketplace/metrics.py), for METRICS_TOKEN or
  METRICS_ALLOWED_NETWORKS only; 404 for anyone else.
"""
import ipaddress
import logging
import time

from django.conf import settings
from django.http import HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

PATHS = ("/healthz", "/readyz", "/metrics")


def check_database():
    from django.db import connections

    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache():
    """A real round trip to the cache server: the resilient Redis cache would otherwise hide an outage."""
    from django.core.cache import cache
    from django.core.cache.backends.redis import RedisCache

    if isinstance(cache, RedisCache):
        cache._cache.get_client(None, write=True).ping()
        return
    cache.set("readyz:probe", 1, 5)
    if cache.get("readyz:probe") != 1:
        raise RuntimeError("the cache did not keep a value")


def check_storage():
    from django.core.files.storage import default_storage

    from onboarding.storage import private_storage

    for storage in (default_storage, private_storage):
        storage.exists("readyz-probe")  # a HEAD on object storage, a stat on disk
        location = getattr(storage, "location", None)
        if getattr(storage, "bucket_name", None) is None and location is not None:
            from pathlib import Path

            if Path(location).exists() and not Path(location).is_dir():
                raise RuntimeError(f"{location} is not a folder")


def check_search():
    if getattr(settings, "SEARCH_BACKEND", "database") != "elasticsearch":
        return  # the database backend: the database check covers it
    from search.backends.elasticsearch import client_for

    client_for(settings.ELASTICSEARCH_URL).options(request_timeout=2, max_retries=0).info()


CHECKS = {"database": check_database, "cache": check_cache, "storage": check_storage, "search": check_search}


def readiness():
    """(all ok?, {dependency: {"ok": bool, "ms": float, "error": str}})."""
    results = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
        except Exception as exc:  # noqa: BLE001 — any failure means "not ready", named below
            results[name] = {"ok": False, "error": type(exc).__name__}
            logger.warning("Readiness: %s unreachable (%s)", name, type(exc).__name__)
        else:
            results[name] = {"ok": True}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return all(result["ok"] for result in results.values()), results


def metrics_allowed(request):
    token = getattr(settings, "METRICS_TOKEN", "")
    if token:
        import hmac

        sent = request.META.get("HTTP_AUTHORIZATION", "")
        if hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
            return True
    networks = getattr(settings, "METRICS_ALLOWED_NETWORKS", ())
    if networks:
        try:
            peer = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))  # the direct peer, never X-Forwarded-For
        except ValueError:
            return False
        return any(peer in ipaddress.ip_network(network, strict=False) for network in networks)
    return False


class OperationsMiddleware:
    """First in MIDDLEWARE: answers the three paths above and passes everything else on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info.rstrip("/")
        if path not in PATHS:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return JsonResponse({"error": "method not allowed"}, status=405)
        if path == "/healthz":
            response = JsonResponse({"status": "ok"})
        elif path == "/readyz":
            ok, checks = readiness()
            response = JsonResponse({"status": "ok" if ok else "unavailable",
                                     "failing": [name for name, result in checks.items() if not result["ok"]],
                                     "checks": checks}, status=200 if ok else 503)
        else:
            if not metrics_allowed(request):
                return HttpResponse("Not Found", status=404, content_type="text/plain")
            from marketplace import metrics

            body, content_type = metrics.render()
            response = HttpResponse(body, content_type=content_type)
        response["Cache-Control"] = "no-store"
        return response
