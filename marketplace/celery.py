"""Celery for background work (reconciling payments, later invoices and reports).

Without REDIS_URL tasks run eagerly in-process, so the laptop path needs no worker.
"""
import os
import sys

from celery import Celery
from celery.signals import beat_init, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

app = Celery("marketplace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _observe():
    """The request id travels with each task (marketplace/requestid.py); outcomes feed /metrics."""
    from marketplace import metrics, requestid

    requestid.connect_celery_signals()
    metrics.connect_celery_signals()


_observe()


@worker_init.connect
@beat_init.connect
def _refuse_unsafe_production(**_):
    """A worker or beat must not run payments and invoices on development secrets either.

    Celery logs and swallows exceptions raised by signal handlers, so the refusal exits the process."""
    from django.core.exceptions import ImproperlyConfigured

    from marketplace.production import refuse_unsafe_production

    try:
        refuse_unsafe_production()
    except ImproperlyConfigured as exc:
        print(exc, file=sys.stderr)
        raise SystemExit(1) from None
