"""Runs the periodic jobs of CELERY_BEAT_SCHEDULE when there is no Celery worker (no REDIS_URL).

Without Redis, Celery runs tasks eagerly and nothing would run on a schedule, so `make run`
(`manage.py serve`) starts this scheduler in a thread of its own process (once, not in the
autoreloader's child, so it never runs twice); `manage.py run_scheduler` runs it in the foreground
beside any other server. Each job runs in this process, like a Celery task run eagerly: first once the
site answers (or at once without a served address), then every ``schedule`` seconds.
``SCHEDULER_INTERVALS`` ("task=seconds,…") overrides intervals, e.g. for tests or a demo.
"""
import datetime
import logging
import socket
import threading
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.db import close_old_connections, connections

logger = logging.getLogger("marketplace.scheduler")


def jobs():
    """[(task name, interval seconds)] from the beat schedule, with SCHEDULER_INTERVALS applied."""
    overrides = getattr(settings, "SCHEDULER_INTERVALS", {}) or {}
    found = []
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        task, schedule = entry["task"], overrides.get(entry["task"], entry["schedule"])
        if isinstance(schedule, datetime.timedelta):
            schedule = schedule.total_seconds()
        if not isinstance(schedule, (int, float)) or schedule <= 0:
            logger.warning("Scheduled job %s: schedule %r is not a number of seconds; skipped", name, schedule)
            continue
        found.append((task, float(schedule)))
    return found


def run_job(task_name):
    """Run one task in this thread (as Celery would eagerly); never raises."""
    from marketplace.celery import app

    close_old_connections()
    try:
        app.loader.import_default_modules()  # the apps' tasks.py (autodiscovery)
        result = app.tasks[task_name].apply()
        if result.failed():
            logger.error("Scheduled job %s failed: %r", task_name, result.result)
        else:
            logger.info("Scheduled job %s: %s", task_name, result.result)
        return result
    except Exception:  # noqa: BLE001 — one broken job must not stop the others
        logger.exception("Scheduled job %s failed", task_name)
        return None
    finally:
        connections.close_all()


def wait_until_served(url, stop, *, timeout=120.0):
    """Block until something listens at ``url`` (the sandboxes the jobs call live there)."""
    if not url:
        return
    parts = urlsplit(url)
    deadline = time.monotonic() + timeout
    while not stop.is_set() and time.monotonic() < deadline:
        try:
            with socket.create_connection((parts.hostname, parts.port or 80), timeout=1):
                return
        except OSError:
            stop.wait(0.2)


class Scheduler(threading.Thread):
    """Runs every job when due; ``stop()`` ends it after the running job."""

    def __init__(self, *, served_url=""):
        super().__init__(name="marketplace-scheduler", daemon=True)
        self.served_url = served_url
        self._stop_event = threading.Event()

    def stop(self):
        self._stop_event.set()

    def run(self):
        schedule = jobs()
        logger.info("Scheduler started: %s", ", ".join(f"{task} every {interval:g} s" for task, interval in schedule))
        wait_until_served(self.served_url, self._stop_event)
        now = time.monotonic()
        due = {task: now for task, _interval in schedule}
        while not self._stop_event.is_set():
            for task, interval in schedule:
                if self._stop_event.is_set():
                    break
                if time.monotonic() >= due[task]:
                    run_job(task)
                    due[task] = time.monotonic() + interval
            self._stop_event.wait(max(0.05, min(due.values()) - time.monotonic()))
        logger.info("Scheduler stopped")
