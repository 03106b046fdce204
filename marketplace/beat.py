"""One beat for the whole site, however many are started: a Redis lease decides which one sends.

Two `celery beat` processes (a second node started with ``-B``, a rolling release that overlaps) would
each send every periodic job: reconciliation, e-invoices and reports twice. ``LeaderScheduler`` holds the
lease ``beat:leader`` (SET NX with an expiry, renewed on every tick): the holder schedules as usual, any
other beat stands by and takes over when the holder stops renewing (killed, stopped).
Start beat with ``celery -A marketplace beat -S marketplace.beat.LeaderScheduler``.
"""
import logging
import os
import socket
import uuid

from celery.beat import PersistentScheduler

logger = logging.getLogger(__name__)

LEASE_KEY = "beat:leader"
LEASE_SECONDS = 30
#: A standby beat checks the lease this often; the holder renews it on each tick (at most this often).
CHECK_SECONDS = 5


class LeaderScheduler(PersistentScheduler):
    def __init__(self, *args, **kwargs):
        self.identity = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.leading = None  # unknown until the first tick, which logs which it is
        super().__init__(*args, **kwargs)
        self.max_interval = min(self.max_interval or CHECK_SECONDS, CHECK_SECONDS)

    def _redis(self):
        import redis
        from django.conf import settings

        if not hasattr(self, "_client"):
            self._client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=2)
        return self._client

    def _hold_lease(self):
        """True while this beat holds the lease (taking it when free, renewing it when ours)."""
        client = self._redis()
        try:
            if client.set(LEASE_KEY, self.identity, nx=True, ex=LEASE_SECONDS):
                return True
            # Renew only our own lease, atomically.
            renewed = client.eval("if redis.call('get', KEYS[1]) == ARGV[1] then "
                                  "return redis.call('expire', KEYS[1], ARGV[2]) else return 0 end",
                                  1, LEASE_KEY, self.identity, LEASE_SECONDS)
            return bool(renewed)
        except Exception as exc:  # noqa: BLE001 — without Redis nothing can be sent anyway
            logger.warning("Beat lease unavailable (%s): standing by", type(exc).__name__)
            return False

    def tick(self, *args, **kwargs):
        leading = self._hold_lease()
        if leading != self.leading:
            logger.warning("Beat %s %s", self.identity, "leads: sending periodic jobs" if leading
                           else "stands by: another beat holds the lease")
            self.leading = leading
        if not leading:
            return CHECK_SECONDS
        return min(super().tick(*args, **kwargs), CHECK_SECONDS)

    def close(self):
        if self.leading:
            try:
                self._redis().eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) "
                                   "else return 0 end", 1, LEASE_KEY, self.identity)
            except Exception:  # noqa: BLE001
                pass
        super().close()
