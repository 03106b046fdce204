"""What the proxy, the orchestrator, the log collector and Prometheus ask of a node (issue 18 point 3):
/healthz, /readyz with a dependency really unreachable, JSON logs carrying the request id into tasks and
outgoing calls, no personal data or secrets in the log output, and /metrics behind its token.
"""
import io
import json
import logging
import re

import pytest
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from accounts.models import AccountPhone
from bench.http_shopper import Shopper
from marketplace import requestid
from marketplace.logs import JsonLogFormatter
from payments.sandbox.services import TEST_CARD
from tests.factories import create_product, create_vendor
from tests.payments.vnpay_helpers import RecordingServer, free_port

PASSWORD = "Mat-khau-rat-dai-2026"
Order = get_model("order", "Order")


@pytest.fixture
def production_switches(settings):
    settings.PAGE_CACHE_SECONDS = 300
    settings.RATELIMIT_ENABLE = True
    settings.AXES_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "1/m"}
    return settings


@pytest.fixture
def json_logs(settings):
    """The log output as production writes it: the configured JSON formatter and request-id filter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLogFormatter())
    handler.addFilter(requestid.RequestIdFilter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def closed_port_caches(port):
    location = f"redis://127.0.0.1:{port}/0"
    backend = {"BACKEND": "marketplace.cache.ResilientRedisCache", "LOCATION": location,
               "OPTIONS": {"DOWN_RETRY_SECONDS": 3600}}
    return {"default": backend, "ratelimit": {**backend, "OPTIONS": {**backend["OPTIONS"], "FALLBACK": "local"}}}


# --- /healthz and /readyz -------------------------------------------------------------------------------
@pytest.mark.django_db
def test_healthz_answers_without_touching_anything(production_switches, django_assert_max_num_queries, json_logs):
    production_switches.CACHES = closed_port_caches(free_port())  # even with the cache dead
    client = Client()
    for _ in range(5):  # never rate-limited, never cached, any Host (probes use the node's address)
        with django_assert_max_num_queries(0):
            response = client.get("/healthz", HTTP_HOST="10.1.2.3:8000")
        assert response.status_code == 200 and response.json() == {"status": "ok"}
        assert response["Cache-Control"] == "no-store" and "X-Page-Cache" not in response
        assert "Set-Cookie" not in response and not response.cookies
    assert client.post("/healthz").status_code == 405
    assert not [line for line in json_logs() if line["logger"] == "marketplace.access"]  # not in the access log


@pytest.mark.django_db
def test_readyz_names_each_dependency_and_fails_on_a_dead_cache(production_switches):
    ready = Client().get("/readyz", HTTP_HOST="10.1.2.3:8000")
    assert ready.status_code == 200
    body = ready.json()
    assert body["status"] == "ok" and body["failing"] == []
    assert set(body["checks"]) == {"database", "cache", "storage", "search"}

    # The cache pointed at a port nobody listens on: the resilient cache hides it from shoppers, not from /readyz.
    production_switches.CACHES = closed_port_caches(free_port())
    for _ in range(2):
        dead = Client().get("/readyz")
        assert dead.status_code == 503
        body = dead.json()
        assert body["status"] == "unavailable" and body["failing"] == ["cache"]
        assert body["checks"]["cache"]["ok"] is False and body["checks"]["cache"]["error"]
        assert body["checks"]["database"]["ok"] is True
    assert Client().get("/catalogue/").status_code == 200  # shoppers are still served, uncached


@pytest.mark.django_db
def test_readyz_fails_on_an_unreachable_search_cluster(settings):
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{free_port()}"
    response = Client().get("/readyz")
    assert response.status_code == 503 and response.json()["failing"] == ["search"]


# --- Request ids ------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_request_id_is_honoured_when_sane_and_made_otherwise(json_logs):
    client = Client()
    kept = client.get("/basket/", HTTP_X_REQUEST_ID="proxy-7f3a9c21-0001")
    assert kept["X-Request-ID"] == "proxy-7f3a9c21-0001"
    for bad in ("x", "a" * 65, "id with spaces", "<script>", "ab\ncd-12345678"):
        made = client.get("/basket/", HTTP_X_REQUEST_ID=bad)
        assert re.fullmatch(r"[0-9a-f]{32}", made["X-Request-ID"]), bad
    other = client.get("/basket/")
    assert re.fullmatch(r"[0-9a-f]{32}", other["X-Request-ID"]) and other["X-Request-ID"] != made["X-Request-ID"]

    access = [line for line in json_logs() if line["logger"] == "marketplace.access"]
    assert access[0]["request_id"] == "proxy-7f3a9c21-0001"
    assert access[0]["path"] == "/basket/" and access[0]["status"] == 200 and access[0]["view"] == "basket:summary"
    assert isinstance(access[0]["duration_ms"], float) and access[0]["db_queries"] >= 0
    assert {"time", "level", "logger", "message"} <= set(access[0])


def test_request_id_follows_into_celery_tasks_and_outgoing_calls(settings):
    """The publishing side puts it in the task message's headers; the worker side puts it back in place."""
    from celery import Celery

    from marketplace.celery import app

    seen = {}

    @app.task(name="tests.operations.echo_request_id", bind=True)
    def echo(self):
        seen["task"] = requestid.current()
        return requestid.current()

    # A published message carries the header (a broker that keeps the message in memory).
    published = {}
    broker = Celery("probe", broker="memory://", set_as_current=False)
    requestid_token = requestid.bind("web-0123456789abcdef")
    try:
        from celery.signals import before_task_publish

        def keep(headers=None, **_):
            published.update(headers or {})
        before_task_publish.connect(keep, weak=False)
        try:
            broker.send_task("tests.operations.echo_request_id")
        finally:
            before_task_publish.disconnect(keep)
    finally:
        requestid.unbind(requestid_token)
    assert published["request_id"] == "web-0123456789abcdef"

    # A worker running a message with that header runs the task under that id, and then forgets it.
    # (an eager result: no worker to wait for, whatever an earlier test left in Celery's "inside a worker" flag)
    result = echo.apply(headers={"request_id": "web-0123456789abcdef"})
    assert result.get(disable_sync_subtasks=False) == "web-0123456789abcdef" and requestid.current() is None
    # A message without one (beat) gets an id of its own.
    assert re.fullmatch(r"[0-9a-f]{32}", echo.apply().get(disable_sync_subtasks=False))

    # Outgoing VNPay and e-invoice calls carry it, over real HTTP.
    from invoicing.transmission import provider_client
    from payments.gateway import vnpay_client

    from django.utils import timezone

    with RecordingServer(lambda *request: (200, {})) as server:
        settings.VNPAY_API_URL = settings.VNPAY_PAYMENT_URL = server.url + "/vnpay"
        settings.EINVOICE_PROVIDER_URL = server.url + "/einvoice/"
        token = requestid.bind("web-0123456789abcdef")
        try:
            with pytest.raises(Exception):  # the recording server's answer is no valid VNPay answer
                vnpay_client().payment_intents.retrieve(txn_ref="DH000123", transaction_date=timezone.now())
            try:
                provider_client().invoices.retrieve("invoice-1")
            except Exception:  # noqa: BLE001 — only the request matters here
                pass
        finally:
            requestid.unbind(token)
    called = {request["path"].split("/")[1]: request["headers"] for request in server.requests}
    assert called["vnpay"]["X-Correlation-ID"] == called["einvoice"]["X-Correlation-ID"] == "web-0123456789abcdef"


# --- No personal data or secrets in the logs ---------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_sign_in_checkout_and_vnpay_payment_log_no_personal_data_or_secrets(settings, live_server, json_logs,
                                                                           django_user_model):
    settings.VNPAY_PAYMENT_URL = live_server.url + "/sandbox/vnpay/paymentv2/vpcpay.html"
    settings.VNPAY_API_URL = live_server.url + "/sandbox/vnpay/merchant_webapi/api/transaction"
    settings.VNPAY_SANDBOX_IPN_BACKGROUND = False
    settings.AXES_ENABLED = True
    settings.LOG_LEVEL = "DEBUG"
    logging.getLogger("payments").setLevel(logging.DEBUG)
    email, phone = "lan.nguyen@example.com", "0912345678"
    user = django_user_model.objects.create_user(username="lan", email=email, password=PASSWORD)
    AccountPhone.objects.create(user=user, number=phone)
    product = create_product(vendor=create_vendor(name="HTX Mật ong Hương Sơn"), title="Mật ong", price=350000)

    shopper = Shopper(live_server.url)
    wrong = shopper.post("/accounts/login/", {"login-username": email, "login-password": "sai-mat-khau-123",
                                              "login_submit": "1"})
    assert wrong.status_code == 200  # a failed attempt: axes logs it
    signed_in = shopper.post("/accounts/login/", {"login-username": phone, "login-password": PASSWORD,
                                                  "login_submit": "1"})
    assert signed_in.status_code == 200 and "/accounts/login/" not in signed_in.url
    shopper.add_to_basket(product, 1)
    payment_page = shopper.checkout("vnpay", email=email)
    assert payment_page.status_code == 200
    paid = shopper.pay_on_sandbox(payment_page, "success")
    assert 'data-outcome="paid"' in paid.text

    lines = json_logs()
    output = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines)
    assert any(line["logger"] == "marketplace.access" and line["path"] == "/payments/vnpay/ipn/" for line in lines)
    assert any(line["logger"].startswith("payments") for line in lines)  # the payment's own lines are there
    forbidden = [email, "lan.nguyen", phone, "0912 345 678", "912345678", PASSWORD, "sai-mat-khau-123",
                 TEST_CARD["number"], settings.VNPAY_HASH_SECRET, settings.SECRET_KEY, settings.EINVOICE_PROVIDER_KEY,
                 settings.PRIVACY_ENCRYPTION_KEY, "Nguyễn Thị Lan", "Trần Phú"]
    leaked = [value for value in forbidden if value in output]
    assert not leaked, leaked
    # A guest's order link opens the order by itself: its token is not logged.
    order = Order.objects.get()
    shopper.get(reverse("customer:anon-order", kwargs={"order_number": order.number,
                                                       "hash": order.verification_hash()}))
    assert order.verification_hash() not in "\n".join(json.dumps(line) for line in json_logs())
    # Every line written during a request carries that request's id.
    assert all(line["request_id"] for line in lines if line["logger"] == "marketplace.access")


def test_scrubbing_is_a_safety_net_for_lines_that_would_leak():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLogFormatter())
    logger = logging.getLogger("tests.operations.leaky")
    logger.addHandler(handler)
    try:
        logger.warning("buyer %s phone %s card %s bank %s", "lan@example.com", "+84 912 345 678",
                       "9704 1985 2619 1432 198", "0123456789012")
    finally:
        logger.removeHandler(handler)
    line = json.loads(stream.getvalue())
    assert line["message"] == "buyer [redacted] phone [redacted] card [redacted] bank [redacted]"


# --- /metrics -----------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_metrics_need_the_token_and_count_requests_and_states(settings):
    settings.METRICS_TOKEN = "scrape-token-0123456789"
    client = Client()
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    client.get("/basket/")
    from payments.models import Payment  # noqa: F401 — counted by state at scrape time

    scrape = client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-token-0123456789")
    assert scrape.status_code == 200 and scrape["Content-Type"].startswith("text/plain")
    text = scrape.content.decode()
    assert re.search(r'ocop_http_requests_total\{method="GET",status="200",view="basket:summary"\} [1-9]', text)
    assert 'ocop_http_request_duration_seconds_bucket{le="0.01",view="basket:summary"}' in text
    assert "ocop_http_request_db_queries_count" in text
    assert "# TYPE ocop_payments gauge" in text and "# TYPE ocop_invoices gauge" in text
    assert "# TYPE ocop_celery_queue_depth gauge" in text

    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    assert client.get("/metrics", REMOTE_ADDR="10.4.5.6").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="10.4.5.6").status_code == 404
