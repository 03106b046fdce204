"""Lockouts and login rate limits are shared by every node (issue 18 §2): nothing of them lives in one
process's memory.

Two web nodes — two gunicorn masters with production settings (DEBUG=False), each its own processes — share
the test's PostgreSQL database (django-axes' attempt records, AXES_HANDLER's default) and one Redis database
(the rate-limit counters). Wrong passwords typed on node A and then node B lock the account on both: the
right password is refused with the lockout page on B and on A, while another account still signs in on B.
The login rate limit counts the POSTs both nodes received. No test-process state is involved: the nodes
only see each other through PostgreSQL and Redis. Every wait is for a condition (the nodes starting).
"""
import os
import re
import secrets
import sys
from html import unescape

import pytest
import requests
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from tests.marketplace.served_site import free_port
from tests.marketplace.test_production_serving import PRODUCTION_ENV
from tests.marketplace.test_two_nodes import Cluster, _answers, shared_services_or_skip, wait_for

pytestmark = pytest.mark.django_db(transaction=True)  # the nodes read what the test commits

#: This test's own Redis database (the two-node and container tests use 9 and 13).
REDIS_URL = os.environ.get("LOCKOUT_TEST_REDIS_URL", "redis://127.0.0.1:6379/10")
PASSWORD, OTHER_PASSWORD = "Dung-Mat-Khau-2026", "Mat-Khau-Nguoi-Khac-2026"
LOGIN_LIMIT = 10  # login POSTs per address per day (RATE_LIMIT_LOGIN); a day: the window cannot roll over mid-test
LOCKED = "Tài khoản tạm thời bị khóa"


class Browser:
    """A shopper's browser talking to one node as the TLS-terminating proxy forwards it: X-Forwarded-Proto:
    https, and the site's Secure cookies sent back over the loopback HTTP the node listens on."""

    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.http = requests.Session()
        self.http.trust_env = False

    def request(self, method, path, **kwargs):
        cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.http.cookies)
        headers = {"X-Forwarded-Proto": "https", **({"Cookie": cookies} if cookies else {}),
                   **kwargs.pop("headers", {})}
        return self.http.request(method, self.base + path, headers=headers, timeout=60, allow_redirects=False,
                                 **kwargs)

    def sign_in(self, login, password):
        page = self.request("GET", "/accounts/login/")
        assert page.status_code == 200, page.status_code
        token = unescape(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1))
        return self.request("POST", "/accounts/login/", data={
            "csrfmiddlewaretoken": token, "login-username": login, "login-password": password, "login_submit": "1"},
            headers={"Referer": f"https://127.0.0.1:{self.base.rsplit(':', 1)[1]}/accounts/login/"})

    def signed_in(self):
        return self.request("GET", "/accounts/profile/").status_code == 200


@pytest.fixture
def nodes(tmp_path, collected_static_root):
    database = shared_services_or_skip(REDIS_URL)
    env = {k: v for k, v in os.environ.items() if k not in ("TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE", "SERVED_URL")}
    env.update(PRODUCTION_ENV)
    env.update({
        "DJANGO_SETTINGS_MODULE": "marketplace.settings", "PYTHONUNBUFFERED": "1",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
                        f"{database['PORT'] or 5432}/{database['NAME']}",
        "REDIS_URL": REDIS_URL, "ALLOWED_HOSTS": "127.0.0.1", "SITE_URL": "https://127.0.0.1",
        "STATIC_ROOT": str(collected_static_root), "MEDIA_ROOT": str(tmp_path / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private-media"), "CONN_MAX_AGE": "0", "LOG_FORMAT": "json",
        "ACCESS_LOG_LEVEL": "WARNING", "METRICS_TOKEN": "metrics-" + secrets.token_hex(8),
        "AXES_ENABLED": "True", "AXES_FAILURE_LIMIT": "5", "RATELIMIT_ENABLE": "True",
        "RATE_LIMIT_LOGIN": f"{LOGIN_LIMIT}/d", "TRUSTED_PROXY_COUNT": "0",
    })
    ports = {"a": free_port(), "b": free_port()}
    cluster = Cluster(tmp_path, env)
    try:
        for name, port in ports.items():
            cluster.start(name, [sys.executable, "-m", "gunicorn", "-c",
                                 "python:marketplace.gunicorn_conf", "marketplace.wsgi"],
                          GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="1", GUNICORN_TIMEOUT="120",
                          PROMETHEUS_MULTIPROC_DIR=str(tmp_path / f"metrics-{name}"))
        for name, port in ports.items():
            wait_for(lambda port=port: _answers(f"http://127.0.0.1:{port}/readyz"), f"node {name} ready",
                     processes=[cluster.processes[name]])
        yield ports, cluster
    finally:
        cluster.stop()


def test_a_lockout_made_on_one_node_holds_on_the_other(nodes):
    ports, cluster = nodes
    assert cluster.processes["a"].pid != cluster.processes["b"].pid
    for username, password in (("khach", PASSWORD), ("lan", OTHER_PASSWORD)):
        # Hashed as production hashes (the test settings' fast hasher is not one the nodes know).
        get_user_model().objects.create(username=username, email=f"{username}@example.com", password=(
            PBKDF2PasswordHasher().encode(password, "lockout" + secrets.token_hex(4), iterations=2000)))
    on_a, on_b = Browser(ports["a"]), Browser(ports["b"])
    first = Browser(ports["b"])  # the password is right: it opens a session on either node before the lockout
    assert first.sign_in("khach@example.com", PASSWORD).status_code == 302 and first.signed_in()

    # Four wrong passwords on node A: the form again each time, not yet locked.
    for _ in range(4):
        response = on_a.sign_in("khach@example.com", "sai-mat-khau")
        assert response.status_code == 200 and LOCKED not in response.text
    attempt = AccessAttempt.objects.get(username="khach", ip_address="127.0.0.1")
    assert attempt.failures_since_start == 4  # recorded in PostgreSQL, where node B reads it
    # The fifth, on node B, reaches the limit: B counted A's four.
    response = on_b.sign_in("khach@example.com", "sai-mat-khau")
    assert response.status_code == 429 and LOCKED in response.text

    # Locked on both nodes: the right password is refused with the lockout page, and no session is opened.
    for browser in (on_b, on_a):
        response = browser.sign_in("khach@example.com", PASSWORD)
        assert response.status_code == 429, browser.base
        assert LOCKED in response.text and "15 phút" in response.text
        assert not browser.signed_in()

    # The lock is per account: another shopper from the same address signs in on node B.
    other = Browser(ports["b"])
    response = other.sign_in("lan@example.com", OTHER_PASSWORD)
    assert response.status_code == 302 and other.signed_in()

    # Login POSTs are counted in Redis for both nodes: 9 so far (5 on A, 4 on B); the 10th is the last allowed,
    # wherever it lands, and the 11th is refused by the rate limit (not the lockout) on the other node.
    assert Browser(ports["a"]).sign_in("lan@example.com", "sai-mat-khau").status_code == 200
    limited = Browser(ports["b"]).sign_in("lan@example.com", OTHER_PASSWORD)
    assert limited.status_code == 429 and LOCKED not in limited.text and limited.headers["Retry-After"] == "60"
