"""Celery for background work (reconciling payments, later invoices and reports).

Without REDIS_URL tasks run eagerly in-process, so the laptop path needs no worker.
"""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

app = Celery("marketplace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
