"""A Redis cache that degrades instead of taking the shop down when Redis is unreachable.

Django's RedisCache raises on every call while Redis is down, and the page cache, the facet cache and the
rate limits call it on nearly every request: one Redis outage answered 500 everywhere, the VNPay IPN and
the login included. Here an outage is noticed once, logged once, and for ``DOWN_RETRY_SECONDS`` calls do not
even try Redis (no request waits for a connect timeout); then the next call tries again, and the first one
that works logs the recovery. While down:

- the default cache behaves as an empty cache that keeps nothing: pages are served uncached, shared values
  are computed, ``incr`` raises ``ValueError`` as for a missing key (callers already handle that);
- a cache with ``"FALLBACK": "local"`` (the rate-limit counters) keeps counting in this process's memory, so
  limits still hold, per process, until Redis is back.
"""
import logging
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

_MISSING = object()


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client builds a new ``redis.Redis`` for every cache call, and redis-py copies its ~170 reply
    callbacks into each new one (≈ 0.2 ms of CPU, as much as the round trip itself): one per connection pool
    here. A ``redis.Redis`` is safe to share between threads (each command takes a pooled connection)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None or client.connection_pool is not pool:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self.retry_seconds = float(options.pop("DOWN_RETRY_SECONDS", 5.0))
        fallback = options.pop("FALLBACK", None)
        # Fail fast: a dead Redis must cost a request milliseconds, not the OS's connect timeout.
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 1.0)
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self._fallback = LocMemCache(f"resilient-{id(self)}", {"TIMEOUT": params.get("TIMEOUT", 300)}) \
            if fallback == "local" else None
        self._down_until = 0.0
        self._down = False
        self._lock = threading.Lock()

    # --- state ----------------------------------------------------------------------------------
    @property
    def is_down(self):
        return self._down

    def _skip(self):
        return self._down and time.monotonic() < self._down_until

    def _failed(self, exc):
        with self._lock:
            if not self._down:
                logger.error("Redis cache unreachable (%s: %s): serving without it, retrying every %.0f s",
                             type(exc).__name__, exc, self.retry_seconds)
            self._down = True
            self._down_until = time.monotonic() + self.retry_seconds

    def _worked(self):
        if self._down:
            with self._lock:
                if self._down:
                    logger.warning("Redis cache reachable again")
                self._down = False

    def _call(self, name, args, kwargs, default):
        if not self._skip():
            try:
                result = getattr(super(), name)(*args, **kwargs)
            except RedisError as exc:
                self._failed(exc)
            else:
                self._worked()
                return result
        if self._fallback is not None:
            return getattr(self._fallback, name)(*args, **kwargs)
        if default is ValueError:
            raise ValueError("cache unavailable")
        return default() if callable(default) else default

    # --- the cache API --------------------------------------------------------------------------
    def get(self, key, default=None, version=None):
        return self._call("get", (key, default, version), {}, default)

    def get_many(self, keys, version=None):
        return self._call("get_many", (keys, version), {}, dict)

    def has_key(self, key, version=None):
        return self._call("has_key", (key, version), {}, False)

    def add(self, key, value, timeout=_MISSING, version=None):
        args = (key, value) + (() if timeout is _MISSING else (timeout,))
        return self._call("add", args, {"version": version}, False)

    def set(self, key, value, timeout=_MISSING, version=None):
        args = (key, value) + (() if timeout is _MISSING else (timeout,))
        return self._call("set", args, {"version": version}, None)

    def set_many(self, data, timeout=_MISSING, version=None):
        args = (data,) + (() if timeout is _MISSING else (timeout,))
        return self._call("set_many", args, {"version": version}, lambda: list(data))

    def touch(self, key, timeout=_MISSING, version=None):
        args = (key,) + (() if timeout is _MISSING else (timeout,))
        return self._call("touch", args, {"version": version}, False)

    def get_or_set(self, key, default, timeout=_MISSING, version=None):
        value = self.get(key, _MISSING, version=version)
        if value is _MISSING:
            value = default() if callable(default) else default
            if value is not None:
                self.add(key, value, *(() if timeout is _MISSING else (timeout,)), version=version)
        return value

    def incr(self, key, delta=1, version=None):
        return self._call("incr", (key, delta, version), {}, ValueError)

    def decr(self, key, delta=1, version=None):
        return self._call("decr", (key, delta, version), {}, ValueError)

    def delete(self, key, version=None):
        return self._call("delete", (key, version), {}, False)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", (keys, version), {}, None)

    def clear(self):
        return self._call("clear", (), {}, False)
