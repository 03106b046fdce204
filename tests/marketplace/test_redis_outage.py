"""A Redis outage degrades the shop instead of taking it down (issue 15 point 3).

With the production switches on (page cache, facet cache, rate limits, lockouts), the pages, the login and
the VNPay IPN answer while Redis is unreachable — a port nobody listens on, and a real Redis stopped in the
middle of a run — the outage is logged once, rate limits keep holding per process, and the cache is used
again as soon as Redis is back.
"""
import logging
import shutil
import socket
import subprocess
import tempfile
import time

import pytest
import redis
from django.test import Client

from tests.factories import create_product, create_vendor
from tests.payments.vnpay_helpers import free_port

pytestmark = pytest.mark.django_db
REDIS_SERVER = shutil.which("redis-server")


def redis_caches(port, retry_seconds):
    options = {"DOWN_RETRY_SECONDS": retry_seconds}
    location = f"redis://127.0.0.1:{port}/0"
    return {"default": {"BACKEND": "marketplace.cache.ResilientRedisCache", "LOCATION": location,
                        "OPTIONS": options, "KEY_PREFIX": f"outage-test-{port}"},
            "ratelimit": {"BACKEND": "marketplace.cache.ResilientRedisCache", "LOCATION": location,
                          "OPTIONS": {**options, "FALLBACK": "local"}, "KEY_PREFIX": f"outage-test-{port}"}}


@pytest.fixture
def production_switches(settings):
    settings.PAGE_CACHE_SECONDS = 300
    settings.SEARCH_FACET_CACHE_SECONDS = 300
    settings.RATELIMIT_ENABLE = True
    settings.AXES_ENABLED = True
    return settings


@pytest.fixture
def product():
    return create_product(vendor=create_vendor(), title="Kẹo cu đơ Thành Đạt", price=150000)


def shop_pages(product):
    return ["/", "/catalogue/", product.get_absolute_url(), "/search/?q=keo", "/nguoi-ban/", "/accounts/login/"]


def outage_logs(caplog):
    return [r for r in caplog.records if r.name == "marketplace.cache" and "unreachable" in r.getMessage()]


def test_dead_redis_serves_every_page_the_login_and_the_ipn(production_switches, product, caplog):
    production_switches.CACHES = redis_caches(free_port(), retry_seconds=3600)
    production_switches.RATE_LIMITS = {**production_switches.RATE_LIMITS, "login": "3/m"}
    client = Client()
    with caplog.at_level(logging.WARNING):
        for path in shop_pages(product):
            response = client.get(path)
            assert response.status_code == 200, path
        ipn = client.get("/payments/vnpay/ipn/", {"vnp_TxnRef": "1"})
        assert ipn.status_code == 200 and ipn.json()["RspCode"] == "97"  # answered: refused by its checksum
        login = {"login-username": "ai@example.com", "login-password": "sai-mat-khau", "login_submit": "1"}
        answers = [client.post("/accounts/login/", login, REMOTE_ADDR="203.0.113.9").status_code for _ in range(4)]
    # Limits still hold while Redis is away: counted in this process's memory.
    assert answers == [200, 200, 200, 429]
    assert len(outage_logs(caplog)) == 2  # once per cache (pages, rate limits), not once per request


@pytest.mark.skipif(not REDIS_SERVER, reason="redis-server not installed: cannot stop and restart a real Redis")
def test_redis_stopped_mid_run_then_back(production_switches, product, caplog):
    port = free_port()
    production_switches.CACHES = redis_caches(port, retry_seconds=0)  # try Redis again on every call
    catalogue = "/catalogue/"
    with RedisServer(port) as server:
        assert Client().get(catalogue)["X-Page-Cache"] == "miss"
        assert Client().get(catalogue)["X-Page-Cache"] == "hit"
        server.stop()
        with caplog.at_level(logging.WARNING):
            for _ in range(2):  # nothing is served from or kept in the cache, nothing fails
                response = Client().get(catalogue)
                assert response.status_code == 200 and response["X-Page-Cache"] != "hit"
                assert "Kẹo cu đơ Thành Đạt" in response.content.decode()
            assert Client().get("/payments/vnpay/ipn/", {"vnp_TxnRef": "1"}).json()["RspCode"] == "97"
            assert len(outage_logs(caplog)) == 2
            server.start()
            assert Client().get(catalogue)["X-Page-Cache"] == "miss"  # Redis again, nothing to restart
            assert Client().get(catalogue)["X-Page-Cache"] == "hit"
        assert any("reachable again" in r.getMessage() for r in caplog.records if r.name == "marketplace.cache")


class RedisServer:
    """A throwaway redis-server on a given port, stopped and started again by the test."""

    def __init__(self, port):
        self.port, self.process, self.dir = port, None, tempfile.mkdtemp(prefix="ocop-redis-")

    def start(self):
        self.process = subprocess.Popen(  # nosec B603 — a fixed local binary with fixed arguments
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", self.dir], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=1)
        deadline = time.monotonic() + 60  # bounds a failure only: the loop ends at the first PONG
        while True:
            try:
                if client.ping():
                    return
            except redis.exceptions.ConnectionError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=60)
        with socket.socket() as probe:  # the port really refuses connections now
            assert probe.connect_ex(("127.0.0.1", self.port)) != 0

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=60)
        shutil.rmtree(self.dir, ignore_errors=True)
