"""Optional error reporting (issue 18 §3): with SENTRY_DSN set, an unhandled error reaches Sentry's
protocol over real HTTP — here a local server that records what a Sentry would receive — without the
personal data or secrets the request carried."""
import gzip
import json
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
import sentry_sdk
from django.test import Client

from tests.marketplace.served_site import free_port, poll, site_env
from tests.marketplace.test_error_page import uncollected_static  # noqa: F401 (fixture: a page that fails)
from tests.marketplace.test_production_serving import BEHIND_PROXY, PRODUCTION_ENV, gunicorn

pytestmark = pytest.mark.django_db


class _Receiver(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            import brotli

            body = brotli.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        self.server.received.append((self.path, body.decode("utf-8", "replace")))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def events(server):
    """The events among what the server received (an envelope: one JSON header, then item header/payload)."""
    found = []
    for path, body in list(server.received):
        assert path == "/api/42/envelope/"
        lines = body.split("\n")
        for header, payload in zip(lines[1::2], lines[2::2]):
            if json.loads(header).get("type") == "event":
                found.append((json.loads(payload), payload))
    return found


def test_an_unhandled_error_is_reported_without_personal_data(sentry_server, collected_static_root, tmp_path):
    """gunicorn with production settings whose database lost its tables: every page fails, and each failure
    reaches the error tracker as an event with the page's address but not the shopper's data."""
    env = site_env(tmp_path / "empty.sqlite3", **PRODUCTION_ENV, STATIC_ROOT=str(collected_static_root),
                   MEDIA_ROOT=str(tmp_path / "media"), PRIVATE_MEDIA_ROOT=str(tmp_path / "private-media"),
                   SENTRY_DSN=f"http://publickey@127.0.0.1:{sentry_server.server_port}/42",
                   SENTRY_ENVIRONMENT="ci", SENTRY_RELEASE="test-release")
    port = free_port()
    with open(tmp_path / "gunicorn.log", "w+") as log:
        server = gunicorn(env, port, log)
        try:
            (page,) = poll(lambda: _get(port), timeout=300, message="gunicorn did not answer")
            assert page.status_code == 500, page.status_code
            reported = poll(lambda: events(sentry_server), timeout=120, message="no event reached the server")
        finally:
            server.terminate()
            server.wait(timeout=60)
    assert len(reported) == 1, sentry_server.received
    event, raw = reported[0]
    assert event["environment"] == "ci" and event["release"] == "test-release"
    assert event["request"]["url"] == "https://cho.example.vn/catalogue/" and event["request"]["method"] == "GET"
    assert event["exception"]["values"][-1]["type"] == "OperationalError"  # no such table
    for private in ("khach@example.com", "khach%40example.com", "0912345678", "phien-cua-khach-hang-123456",
                    "203.0.113.9", env["SECRET_KEY"], env["PRIVACY_HASH_KEY"]):
        assert private not in raw, private
    assert not event.get("user", {}).get("ip_address")


def _get(port):
    try:
        return [requests.get(f"http://127.0.0.1:{port}/catalogue/?email=khach%40example.com&phone=0912345678",
                             headers={**BEHIND_PROXY, "X-Forwarded-For": "203.0.113.9",
                                      "Cookie": "sessionid=phien-cua-khach-hang-123456"}, timeout=60)]
    except (requests.ConnectionError, requests.Timeout):
        return None  # not listening yet


def test_nothing_is_sent_without_a_dsn(uncollected_static):  # noqa: F811
    assert sentry_sdk.get_client().dsn is None  # the default: SENTRY_DSN unset, no client
    assert Client(raise_request_exception=False).get("/basket/").status_code == 500
