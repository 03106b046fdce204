"""Prometheus metrics at ``/metrics`` (prometheus-client), answered by marketplace/health.py.

- Requests by view, method and status, their latency and their database queries: counted in each web
  process. Under gunicorn set PROMETHEUS_MULTIPROC_DIR (an empty folder per node, emptied at start) and
  use ``marketplace/gunicorn_conf.py`` so one scrape sums every worker of the node.
- Celery task outcomes, the Celery queue's depth, payments and invoices by state: read when Prometheus
  scrapes, so any node answers for the whole site — outcomes are counted in a Redis hash by the workers
  (one HINCRBY per task), the queue depth is the broker's list length, and the states are two GROUP BY
  queries on indexed columns.
"""
import logging
import os

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

logger = logging.getLogger(__name__)

TASK_OUTCOMES_KEY = "metrics:celery:tasks"

REQUESTS = Counter("ocop_http_requests_total", "HTTP requests answered, by view, method and status",
                   ["view", "method", "status"])
LATENCY = Histogram("ocop_http_request_duration_seconds", "Time to answer a request, by view", ["view"],
                    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))
QUERIES = Histogram("ocop_http_request_db_queries", "Database queries made by one request, by view", ["view"],
                    buckets=(0, 1, 2, 5, 10, 20, 50, 100, 200))


def observe_request(*, view, method, status, seconds, queries):
    REQUESTS.labels(view=view, method=method, status=str(status)).inc()
    LATENCY.labels(view=view).observe(seconds)
    QUERIES.labels(view=view).observe(queries)


def _redis():
    from django.conf import settings

    if not settings.REDIS_URL:
        return None
    import redis

    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=1.0)


# --- Celery: workers count outcomes in Redis ------------------------------------------------------------
def connect_celery_signals():
    from celery.signals import task_failure, task_retry, task_success

    task_success.connect(_outcome("success"), weak=False, dispatch_uid="marketplace.metrics.success")
    task_failure.connect(_outcome("failure"), weak=False, dispatch_uid="marketplace.metrics.failure")
    task_retry.connect(_outcome("retry"), weak=False, dispatch_uid="marketplace.metrics.retry")


def _outcome(outcome):
    def record(sender=None, request=None, **_):
        name = getattr(sender, "name", None) or getattr(getattr(request, "task", None), "name", None) or "unknown"
        if getattr(getattr(sender, "request", None), "is_eager", False):
            return  # run in the web process (no worker): nothing is queued
        try:
            client = _redis()
            if client is not None:
                client.hincrby(TASK_OUTCOMES_KEY, f"{name}|{outcome}", 1)
        except Exception as exc:  # noqa: BLE001 — metrics must never fail a task
            logger.warning("Could not count a task outcome (%s)", type(exc).__name__)
    return record


class SiteCollector:
    """Read at scrape time: Celery outcomes and queue depth from Redis, payments and invoices from the database."""

    def collect(self):
        yield from self._celery()
        yield from self._states()

    def _celery(self):
        outcomes = CounterMetricFamily("ocop_celery_tasks", "Celery tasks finished, by task and outcome",
                                       labels=["task", "outcome"])
        depth = GaugeMetricFamily("ocop_celery_queue_depth", "Messages waiting in a Celery queue", labels=["queue"])
        try:
            client = _redis()
            if client is not None:
                for field, value in sorted(client.hgetall(TASK_OUTCOMES_KEY).items()):
                    task, _, outcome = field.decode().rpartition("|")
                    outcomes.add_metric([task, outcome], int(value))
                depth.add_metric(["celery"], client.llen("celery"))
        except Exception as exc:  # noqa: BLE001
            logger.warning("Metrics: Redis unreachable (%s)", type(exc).__name__)
        yield outcomes
        yield depth

    def _states(self):
        from django.db.models import Count

        from invoicing.models import Invoice
        from payments.models import Payment

        for model, name, what in ((Payment, "ocop_payments", "Payments"), (Invoice, "ocop_invoices", "Invoices")):
            family = GaugeMetricFamily(name, f"{what} by state", labels=["status"])
            try:
                for row in model.objects.order_by().values("status").annotate(n=Count("pk")):
                    family.add_metric([row["status"]], row["n"])
            except Exception as exc:  # noqa: BLE001
                logger.warning("Metrics: %s unreadable (%s)", what.lower(), type(exc).__name__)
            yield family


_SITE = SiteCollector()


def render():
    """(body, content type) of one scrape."""
    from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY

    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        body = generate_latest(REGISTRY)
    registry_site = CollectorRegistry()
    registry_site.register(_SITE)
    return body + generate_latest(registry_site), CONTENT_TYPE_LATEST
