"""Two web nodes and a failure (issue 18 point 4), on loopback: two gunicorn nodes behind HAProxy (TLS
terminated by the proxy, as in production), one Celery worker and two beats, sharing PostgreSQL, Redis and a
local S3-compatible store (moto's server mode), all with production settings (DEBUG=False).

Shown: a shopper's session and basket survive being routed to the other node; a picture uploaded through
node A is served through node B; a seller's document is private on both; under a steady bounded load of
cash-on-delivery orders node A is SIGKILLed, the proxy routes around it, no order the shoppers saw
confirmed is lost or duplicated and the stock agrees with the orders (the errors the shoppers met are
printed); node A restarted takes traffic again; of the two beats only one sends the periodic jobs.
Every wait is for a condition, with a generous deadline.
"""
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
import urllib3
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.files.uploadedfile import SimpleUploadedFile
from oscar.core.loading import get_model

from bench.http_shopper import Shopper
from tests.factories import create_product, create_vendor
from tests.marketplace.s3_server import S3Server
from tests.marketplace.served_site import ROOT, free_port
from tests.marketplace.test_production_serving import PRODUCTION_ENV
from tests.onboarding.conftest import fill_application, pdf_bytes
from tests.vendors.test_listings import form, jpeg

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(not shutil.which("haproxy"), reason="haproxy is not installed "
                                 "(`make install-test` installs it: apt-get install haproxy)")]
urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)  # the proxy's self-signed test certificate

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")
REDIS_URL = os.environ.get("NODES_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
PASSWORD = "Mat-khau-nguoi-ban-2026"
DEADLINE = 180  # seconds any one condition may take on a busy machine


def wait_for(condition, what, deadline=DEADLINE, processes=()):
    end = time.monotonic() + deadline
    while True:
        for process in processes:
            assert process.poll() is None, f"{process.args[:4]} exited while waiting for {what}"
        value = condition()
        if value:
            return value
        assert time.monotonic() < end, f"gave up waiting for {what}"
        time.sleep(0.2)


class Cluster:
    """The processes of the test, each with its own log file; stopped at the end."""

    def __init__(self, folder, env):
        self.folder, self.env, self.processes = folder, env, {}

    def start(self, name, args, **extra_env):
        log = open(self.folder / f"{name}.log", "a")
        self.processes[name] = subprocess.Popen(args, cwd=ROOT, env={**self.env, **extra_env}, stdout=log,
                                                stderr=subprocess.STDOUT, start_new_session=True)
        return self.processes[name]

    def node(self, name, port):
        return self.start(name, [sys.executable, "-m", "gunicorn", "-c", "python:marketplace.gunicorn_conf",
                                 "marketplace.wsgi"], GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="2",
                          GUNICORN_TIMEOUT="120", PROMETHEUS_MULTIPROC_DIR=str(self.folder / f"metrics-{name}"))

    def log(self, name):
        return (self.folder / f"{name}.log").read_text(errors="replace")

    def stop(self):
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=30)


def haproxy_config(folder, port, node_ports, certificate):
    servers = "\n".join(f"    server {name} 127.0.0.1:{p} check inter 1s fall 3 rise 2"
                        for name, p in node_ports.items())
    single = "\n".join(f"""
frontend only_{name}
    bind 127.0.0.1:{p_front} ssl crt {certificate}
    default_backend node_{name}
backend node_{name}
    http-request set-header X-Forwarded-Proto https
    server {name} 127.0.0.1:{node_ports[name]}
""" for name, p_front in port["single"].items())
    text = f"""
global
    maxconn 200
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout check 10s
    retries 3
    option redispatch
    retry-on conn-failure empty-response
frontend shop
    bind 127.0.0.1:{port["shop"]} ssl crt {certificate}
    default_backend web
backend web
    balance roundrobin
    option httpchk GET /readyz
    http-request set-header X-Forwarded-Proto https
    http-response set-header X-Served-By %[srv_name]
{servers}
{single}
"""
    path = folder / "haproxy.cfg"
    path.write_text(text)
    return path


def shared_services_or_skip(redis_url):
    """Nodes share the test's PostgreSQL database and an emptied Redis database; skipped without either."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the nodes share a PostgreSQL database (CI runs on PostgreSQL)")
    import redis

    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=1).flushdb()
    except redis.exceptions.RedisError as exc:
        pytest.skip(f"Redis unreachable at {redis_url}: {exc}")
    return connection.settings_dict


@pytest.fixture
def cluster(tmp_path, settings, collected_static_root, django_db_blocker):
    database = shared_services_or_skip(REDIS_URL)
    certificate = tmp_path / "proxy.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=127.0.0.1", "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
                   check=True, capture_output=True, timeout=120)
    certificate.write_bytes((tmp_path / "cert.pem").read_bytes() + (tmp_path / "key.pem").read_bytes())

    with S3Server() as s3:
        s3.apply(settings, served_by_django=True)  # this process writes the seller's document as the nodes would
        env = {k: v for k, v in os.environ.items() if k not in ("TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE", "SERVED_URL")}
        env.update(PRODUCTION_ENV)
        env.update(s3.env())
        env.update({
            "DJANGO_SETTINGS_MODULE": "marketplace.settings", "PYTHONUNBUFFERED": "1",
            "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
                            f"{database['PORT'] or 5432}/{database['NAME']}",
            "REDIS_URL": REDIS_URL, "ALLOWED_HOSTS": "127.0.0.1", "SITE_URL": "https://127.0.0.1",
            "STATIC_ROOT": str(collected_static_root), "MEDIA_SERVED_BY_DJANGO": "True", "LOG_FORMAT": "json",
            "ACCESS_LOG_LEVEL": "WARNING", "PAGE_CACHE_SECONDS": "300", "CONN_MAX_AGE": "0",
            "METRICS_TOKEN": "metrics-" + secrets.token_hex(8),
            # the nodes' own disks: nothing uploaded may land there (other tests use the checkout's media/)
            "MEDIA_ROOT": str(tmp_path / "node-disk" / "media"),
            "PRIVATE_MEDIA_ROOT": str(tmp_path / "node-disk" / "private-media"),
        })
        ports = {"a": free_port(), "b": free_port()}
        front = {"shop": free_port(), "single": {"a": free_port(), "b": free_port()}}
        config = haproxy_config(tmp_path, front, ports, certificate)
        nodes = Cluster(tmp_path, env)
        try:
            nodes.node("a", ports["a"])
            nodes.node("b", ports["b"])
            nodes.start("worker", [sys.executable, "-m", "celery", "-A", "marketplace", "worker", "--pool", "solo",
                                   "--loglevel", "INFO"])
            for beat in ("beat1", "beat2"):
                nodes.start(beat, [sys.executable, "-m", "celery", "-A", "marketplace", "beat", "--loglevel", "INFO",
                                   "-s", str(tmp_path / f"{beat}-schedule")])
            nodes.start("haproxy", ["haproxy", "-db", "-f", str(config)])
            for name, port in ports.items():
                wait_for(lambda port=port: _answers(f"http://127.0.0.1:{port}/readyz"), f"node {name} ready",
                         processes=[nodes.processes[name]])
            yield nodes, ports, front, s3, env
        finally:
            nodes.stop()


def _answers(url):
    try:
        return requests.get(url, timeout=10).status_code == 200
    except requests.RequestException:
        return False


def shopper(port):
    client = Shopper(f"https://127.0.0.1:{port}")
    client.http.verify = False
    client.http.trust_env = False  # else REQUESTS_CA_BUNDLE from the environment overrides verify=False
    return client


def sign_in(client, username):
    response = client.post("/accounts/login/", {"login-username": username, "login-password": PASSWORD,
                                                "login_submit": "1"})
    assert response.status_code == 200 and "/accounts/login/" not in response.url, response.url


def served_by(response):
    return response.headers.get("X-Served-By")


def test_two_nodes_share_everything_and_survive_losing_one(cluster, settings):
    nodes, ports, front, s3, env = cluster
    via_a, via_b, shop = front["single"]["a"], front["single"]["b"], front["shop"]

    # --- Data: a seller (signed in through the site), its document, a product with stock ---------------------
    settings.PRIVACY_ENCRYPTION_KEY = env["PRIVACY_ENCRYPTION_KEY"]  # the nodes' key encrypts the seller's CCCD
    settings.PRIVACY_HASH_KEY = env["PRIVACY_HASH_KEY"]  # and their digest finds its tax code
    hashed = PBKDF2PasswordHasher().encode(PASSWORD, "twonodes" + secrets.token_hex(4), iterations=2000)
    vendor = create_vendor(name="HTX Mật ong Hương Sơn")
    seller = get_user_model().objects.create(username="seller", email="seller@example.com", password=hashed)
    vendor.partner.users.add(seller)
    from onboarding import services

    application = fill_application(services.vendor_application_start(user=seller), seller)
    document = application.documents.get()
    stock_before = 1000
    product = create_product(vendor=vendor, title="Mật ong Cường Nga", price=120000, stock=stock_before)

    # --- Session and basket: built on node A, used on node B -------------------------------------------------
    buyer = shopper(via_a)
    buyer.add_to_basket(product, 2)
    basket_on_b = requests.get(f"https://127.0.0.1:{via_b}/basket/", cookies=buyer.http.cookies, verify=False,
                               timeout=60)
    assert basket_on_b.status_code == 200 and "Mật ong Cường Nga" in basket_on_b.text
    signed = shopper(via_a)
    sign_in(signed, "seller@example.com")
    dashboard = requests.get(f"https://127.0.0.1:{via_b}/ban-hang/san-pham/them/", cookies=signed.http.cookies,
                             verify=False, timeout=60, allow_redirects=False)
    assert dashboard.status_code == 200  # node B knows the session node A opened (no redirect to the login)

    # --- A picture uploaded through node A, served through node B ---------------------------------------------
    picture = jpeg((120, 90))
    created = signed.http.post(f"https://127.0.0.1:{via_a}/ban-hang/san-pham/them/", data={
        **form(title="Kẹo cu đơ hai nút"), "certificate_number": "77/QĐ-UBND", "certificate_stars": "3",
        "certificate_issuer": "UBND tỉnh Hà Tĩnh", "certificate_issue_date": "01/06/2026",
        "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"',
                                         signed.get("/ban-hang/san-pham/them/").text).group(1)},
        files={"image": ("anh.jpg", picture, "image/jpeg")},
        headers={"Referer": f"https://127.0.0.1:{via_a}/ban-hang/san-pham/them/"}, timeout=60)
    assert created.status_code == 200, created.status_code
    from catalogue.models import ListingChange

    image_name = ListingChange.objects.get(product__title="Kẹo cu đơ hai nút").image.name
    served = requests.get(f"https://127.0.0.1:{via_b}/media/{image_name}", verify=False, timeout=60)
    assert served.status_code == 200 and served.headers["Cache-Control"].startswith("public, max-age=")
    assert served.content[:2] == b"\xff\xd8" and len(served.content) > 100
    node_disk = Path(env["MEDIA_ROOT"]).parent
    # in the shared store, not on a node's disk (Oscar links its "no picture" image there itself: a symlink)
    assert not [p for p in node_disk.rglob("*") if p.is_file() and not p.is_symlink()]

    # --- The seller's document: private on both nodes ----------------------------------------------------------
    document_path = f"/ban-hang/dang-ky/tai-lieu/{document.pk}/"
    for port in (via_a, via_b):
        assert requests.get(f"https://127.0.0.1:{port}{document_path}", verify=False, timeout=60).status_code == 404
        owner = requests.get(f"https://127.0.0.1:{port}{document_path}", cookies=signed.http.cookies, verify=False,
                             timeout=60)
        assert owner.status_code == 200 and owner.content == pdf_bytes()
        assert requests.get(f"https://127.0.0.1:{port}/media/private/{document.file.name}", verify=False,
                            timeout=60).status_code == 404
    assert requests.get(f"{s3.url}/ocop-private/private/{document.file.name}", timeout=60).status_code == 403

    # --- Steady load through the proxy; node A killed, then restarted ------------------------------------------
    confirmed, errors, served_by_node = {}, [], {"a": 0, "b": 0}
    lock, stop = threading.Lock(), threading.Event()

    def place_orders(client_number):
        attempt = 0
        while not stop.is_set():
            attempt += 1
            email = f"khach-{client_number}-{attempt}@example.com"
            client = shopper(shop)
            try:
                client.add_to_basket(product, 1)
                page = client.checkout("cod", email=email)
                for response in [*page.history, page]:
                    if served_by(response) in served_by_node:
                        with lock:
                            served_by_node[served_by(response)] += 1
                number = re.search(r"<title>[^<]*?(\d{6,})", page.text)
                if page.status_code == 200 and page.url.endswith("/checkout/thank-you/") and number:
                    with lock:
                        confirmed[email] = number.group(1)
                else:
                    with lock:
                        errors.append(f"{email}: HTTP {page.status_code} at {page.url}")
            except (requests.RequestException, AssertionError) as exc:
                with lock:
                    errors.append(f"{email}: {type(exc).__name__}")

    threads = [threading.Thread(target=place_orders, args=(n,), daemon=True) for n in range(3)]
    for thread in threads:
        thread.start()
    try:
        wait_for(lambda: len(confirmed) >= 3, "orders placed with both nodes up", processes=[nodes.processes["b"]])
        node_a = nodes.processes["a"]
        os.killpg(node_a.pid, signal.SIGKILL)  # the master and its workers, at once
        node_a.wait(timeout=30)
        killed_at = len(confirmed)
        wait_for(lambda: len(confirmed) >= killed_at + 4, "orders placed with node A dead",
                 processes=[nodes.processes["b"]])
        with lock:
            served_by_node["a"] = 0
        nodes.node("a", ports["a"])
        wait_for(lambda: served_by_node["a"] >= 3, "node A taking traffic again after its restart",
                 processes=[nodes.processes["a"], nodes.processes["b"]])
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
    print(f"\ntwo nodes: {len(confirmed)} orders confirmed to shoppers, {len(errors)} errors met "
          f"(node A killed after {killed_at}): {errors}")

    # No order lost or duplicated, stock consistent.
    orders = Order.objects.filter(guest_email__startswith="khach-")
    placed = {order.guest_email: order for order in orders}
    assert orders.count() == len(placed)  # at most one order per attempt
    for email, number in confirmed.items():
        assert email in placed and placed[email].number == number, email
    unconfirmed = set(placed) - set(confirmed)
    assert len(unconfirmed) <= len(errors)  # only an attempt whose answer was lost may be unconfirmed
    record = StockRecord.objects.get(product=product)
    sold = sum(line.quantity for order in placed.values() for line in order.lines.all())
    assert record.num_in_stock - (record.num_allocated or 0) == stock_before - sold, (record.num_in_stock,
                                                                                      record.num_allocated, sold)

    # --- One beat sends the periodic jobs, the other stands by --------------------------------------------------
    # Celery beat first sends a job one interval after it starts: the every-minute ones are due within the test.
    jobs = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["schedule"] <= 60}

    def sent(log):
        return set(re.findall(r"Sending due task [\w-]+ \(([\w.]+)\)", log))

    wait_for(lambda: any(sent(nodes.log(beat)) >= jobs for beat in ("beat1", "beat2")), "every periodic job sent")
    leader, standby = sorted(("beat1", "beat2"), key=lambda beat: len(sent(nodes.log(beat))), reverse=True)
    assert sent(nodes.log(standby)) == set(), "two beats both sent periodic jobs"
    assert "stands by" in nodes.log(standby) and "leads" in nodes.log(leader)
    # The worker ran them (one worker for the site, fed by whichever node or beat sent).
    wait_for(lambda: "payments.reconcile" in nodes.log("worker") and "succeeded" in nodes.log("worker"),
             "the worker running a periodic job")

    # --- Metrics: node B's workers summed (multiprocess mode); the worker's task outcomes seen from any node ---
    def scrape():
        return requests.get(f"http://127.0.0.1:{ports['b']}/metrics", timeout=60,
                            headers={"Authorization": f"Bearer {env['METRICS_TOKEN']}"}).text

    assert requests.get(f"http://127.0.0.1:{ports['b']}/metrics", timeout=60).status_code == 404
    wait_for(lambda: re.search(r'ocop_celery_tasks_total\{outcome="success",task="payments.reconcile"\} [1-9]',
                               scrape()), "the reconciliation's outcome in /metrics")
    text = scrape()
    assert re.search(r'ocop_http_requests_total\{method="POST",status="302",view="checkout:index"\} [1-9]', text)
    assert "ocop_http_request_duration_seconds_bucket" in text and "ocop_celery_queue_depth" in text
