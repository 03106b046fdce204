"""IPN delivery: a server-to-server GET of the signed callback to the merchant, retried until it
answers RspCode 00 or 02, at most VNPAY_SANDBOX_IPN_RETRIES calls, VNPAY_SANDBOX_IPN_RETRY_DELAY apart.

The first call is made inside the payment POST (so the IPN usually lands before the browser reaches
the return URL, as with VNPay); later calls run in a background thread started after commit, or from
`manage.py vnpay_sandbox_deliver_ipn` for deliveries left pending (e.g. after a restart)."""

import logging
import threading
import time
from datetime import timedelta

import requests
from django.db import close_old_connections, connections, transaction
from django.utils import timezone

from payments.vnpay.codes import IPN_FINAL_RSP_CODES

from . import conf
from .models import SandboxIpnAttempt, SandboxIpnDelivery

logger = logging.getLogger("payments.sandbox")


def delivery_create(*, txn):
    separator = "&" if "?" in conf.ipn_url(txn.return_url) else "?"
    return SandboxIpnDelivery.objects.create(
        transaction=txn, url=f"{conf.ipn_url(txn.return_url)}{separator}{txn.callback_query}",
        max_attempts=conf.ipn_attempts(), next_attempt_at=timezone.now(),
    )


def delivery_start(delivery):
    """First call now; if it did not settle the IPN, retries after commit in a thread (if enabled)."""
    attempt_make(delivery)
    if delivery.status == SandboxIpnDelivery.PENDING and conf.ipn_background():
        transaction.on_commit(lambda: _start_thread(delivery.pk))


def attempt_make(delivery):
    """One GET to the merchant; records the attempt and moves the delivery on. Returns the attempt."""
    number = delivery.attempts.count() + 1
    attempt = SandboxIpnAttempt(delivery=delivery, number=number)
    try:
        response = requests.get(delivery.url, timeout=conf.ipn_timeout())
        attempt.http_status = response.status_code
        attempt.response_body = response.text[:2000]
        attempt.rsp_code = _rsp_code(response)
    except requests.RequestException as exc:
        attempt.error = f"{type(exc).__name__}: {exc}"[:255]
    attempt.save()
    _advance(delivery, attempt)
    logger.info("Sandbox IPN %s attempt %d/%d: RspCode=%r %s", delivery.transaction.txn_ref, number,
                delivery.max_attempts, attempt.rsp_code, attempt.error)
    return attempt


def _rsp_code(response):
    """The merchant's RspCode, only from an HTTP 200 JSON object (anything else counts as a failure)."""
    if response.status_code != 200:
        return ""
    try:
        data = response.json()
    except ValueError:
        return ""
    return str(data.get("RspCode", "")) if isinstance(data, dict) else ""


def _advance(delivery, attempt):
    if attempt.rsp_code in IPN_FINAL_RSP_CODES:
        delivery.status, delivery.next_attempt_at = SandboxIpnDelivery.DELIVERED, None
    elif attempt.number >= delivery.max_attempts:
        delivery.status, delivery.next_attempt_at = SandboxIpnDelivery.FAILED, None
    else:
        delivery.next_attempt_at = timezone.now() + timedelta(seconds=conf.ipn_retry_delay())
    delivery.save(update_fields=["status", "next_attempt_at"])


def deliver_due(*, now=None):
    """One call for every pending delivery whose time has come; returns how many were attempted."""
    now = now or timezone.now()
    due = SandboxIpnDelivery.objects.filter(status=SandboxIpnDelivery.PENDING, next_attempt_at__lte=now)
    count = 0
    for delivery in due.select_related("transaction"):
        attempt_make(delivery)
        count += 1
    return count


def _start_thread(delivery_pk):
    threading.Thread(target=_retry_loop, args=(delivery_pk,), daemon=True, name=f"vnpay-ipn-{delivery_pk}").start()


def _retry_loop(delivery_pk):
    """Sleep until each retry is due and call again, until the delivery is settled."""
    try:
        while True:
            close_old_connections()
            delivery = SandboxIpnDelivery.objects.filter(pk=delivery_pk, status=SandboxIpnDelivery.PENDING).first()
            if delivery is None:
                return
            wait = (delivery.next_attempt_at - timezone.now()).total_seconds()
            if wait > 0:
                connections.close_all()  # hold no connection while waiting (PostgreSQL test teardown)
                time.sleep(wait)
                continue
            attempt_make(delivery)
    except Exception:  # a dev tool's thread must not die silently
        logger.exception("Sandbox IPN retry thread for delivery %s failed", delivery_pk)
    finally:
        connections.close_all()
