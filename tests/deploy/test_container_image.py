"""CI builds the container image and runs its roles (issue 18 §1).

The Containerfile is built with podman on a stand-in for debian:bookworm-slim made from Debian's packages
(bin/build-image: no registry is reachable here; the base tarball and podman's layers are cached on the
machine). Its roles then run with ``--network host`` against this machine's PostgreSQL (a database of their
own) and Redis, with production settings (DEBUG=False, secrets only from the environment):

- the image runs as a user without privileges and holds no secret, no ``.env``, no tests;
- a role given a development secret refuses to start; without SECRET_KEY nothing starts;
- ``migrate`` builds the empty database; ``manage`` runs a command (the seller and product of this test);
- ``web`` answers its health check and the storefront, serves its collected static files, and takes a
  guest's cash-on-delivery order through the one-page checkout over HTTP (the confirmation e-mail written
  by the e-mail backend the environment names);
- ``worker`` consumes what was queued in Redis before it started (the search index of the seller's product)
  and the storefront's search finds the product by its seller's name afterwards;
- ``beat`` starts and schedules.

Needs root, podman, runc and mmdebstrap (``make install-test`` installs them with apt as root, as it does
Chromium), PostgreSQL and Redis; otherwise skipped with the reason. ``OCOP_CONTAINER_TESTS=skip`` skips it.
Each step's time is printed.
"""
import importlib.machinery
import importlib.util
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
HOST = "cho.example.vn"
ORIGIN = f"https://{HOST}"
#: The reverse proxy in front terminates TLS and says so (nginx in compose.yaml).
PROXY_HEADERS = {"Host": HOST, "X-Forwarded-Proto": "https"}
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SELLER_NAME = "HTX Ong mật Container Vũ Quang"
PRODUCT_TITLE = "Mật ong rừng Vũ Quang"

#: The seller and product the storefront needs, created by the image's `manage` role (the image holds no
#: tests, so no factories): with REDIS_URL set, the stock record's search update is queued for the worker.
SEED = """
import json
from decimal import Decimal
from oscar.core.loading import get_model
from catalogue.models import OcopClassification, Product
from catalogue.product_import import PRODUCT_CLASS_NAME
from places.models import Commune
from vendors.models import Vendor
Partner, StockRecord = get_model("partner", "Partner"), get_model("partner", "StockRecord")
ProductClass = get_model("catalogue", "ProductClass")
commune = Commune.objects.get(code="18073")
partner = Partner.objects.create(name=%(seller)r, code="nb-ci")
Vendor.objects.create(partner=partner, code="NB-CI", slug="nguoi-ban-nb-ci", legal_name=%(seller)r,
                      seller_type=Vendor.TYPE_COOPERATIVE, commune=commune, former_district=commune.former_district,
                      phone="0912345678")
product_class, _ = ProductClass.objects.get_or_create(name=PRODUCT_CLASS_NAME, defaults={"track_stock": True})
product = Product.objects.create(title=%(title)r, upc="CI-0001", product_class=product_class,
                                 ocop_classification=OcopClassification.objects.get(code="I.3.b"),
                                 origin_commune=commune, is_typical_specialty=True, sales_unit="chai")
StockRecord.objects.create(product=product, partner=partner, partner_sku="CI-0001", price=Decimal(150000),
                           price_currency="VND", num_in_stock=20)
print("SEED " + json.dumps({"pk": product.pk, "url": product.get_absolute_url()}))
""" % {"seller": SELLER_NAME, "title": PRODUCT_TITLE}


def _skip_reason():
    if os.environ.get("OCOP_CONTAINER_TESTS") == "skip":
        return "OCOP_CONTAINER_TESTS=skip"
    if os.geteuid() != 0:
        return "the container image test needs root (podman with runc as CI runs it)"
    missing = [tool for tool in ("podman", "runc", "mmdebstrap") if not shutil.which(tool)]
    if missing:
        return (f"{', '.join(missing)} missing: `make install-test` installs them as root "
                "(apt-get install podman runc mmdebstrap)")
    return None


pytestmark = pytest.mark.skipif(bool(_skip_reason()), reason=_skip_reason() or "")


def _build_image_module():
    loader = importlib.machinery.SourceFileLoader("build_image", str(ROOT / "bin" / "build-image"))
    spec = importlib.util.spec_from_loader("build_image", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_urls():
    """(server URL on the maintenance database, the containers' database URL): beside the test run's own
    PostgreSQL database (its name + ``_container``), else CONTAINER_DATABASE_URL or the local server."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = os.environ.get("CONTAINER_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ocop_container")
        name = urlsplit(url).path.lstrip("/") or "ocop_container"
    else:
        name = (urlsplit(url).path.lstrip("/") or "ocop") + "_container"
    parts = urlsplit(url)
    return (urlunsplit(parts._replace(scheme="postgresql", path="/postgres")),
            urlunsplit(parts._replace(scheme="postgres", path="/" + name)), name)


def _cookies(session):
    """The site's cookies are Secure (HTTPS only) and the test talks to gunicorn as the TLS-terminating proxy
    does, over HTTP: requests would keep them back, so they are sent by hand."""
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in session.cookies)


class Stack:
    """The image and the containers started from it (removed at the end, whatever happens)."""

    def __init__(self, image, env, conf, folder, report):
        self.image, self.env, self.conf, self.folder, self.report = image, env, conf, folder, report
        self.containers = []
        self.env_file = folder / "container.env"
        self.env_file.write_text("".join(f"{k}={v}\n" for k, v in env.items()))
        self.env_file.chmod(0o600)

    def podman(self, *args, timeout=600, check=True):
        done = subprocess.run(["podman", *args], env=self.conf, capture_output=True, text=True, timeout=timeout)
        if check:
            assert done.returncode == 0, f"podman {' '.join(args[:3])}… failed:\n{done.stdout}\n{done.stderr}"
        return done

    def _run_args(self, env_overrides, extra):
        args = ["--network", "host", "--env-file", str(self.env_file),
                "-v", f"{self.folder / 'mail'}:/srv/mail", "-v", f"{self.folder / 'media'}:/srv/media"]
        for key, value in (env_overrides or {}).items():
            args += ["-e", f"{key}={value}"]
        return args + list(extra)

    def run(self, *command, env=None, extra=(), timeout=600, check=True):
        """A one-off role (migrate, manage …): waits for it, returns the finished process."""
        return self.podman("run", "--rm", *self._run_args(env, extra), self.image, *command, timeout=timeout,
                           check=check)

    def start(self, name, *command, env=None):
        """A long-running role, detached; its id is kept for cleanup."""
        done = self.podman("run", "-d", "--name", f"ocop-ci-{name}-{secrets.token_hex(3)}",
                           *self._run_args(env, ()), self.image, *command)
        container = done.stdout.strip().splitlines()[-1]
        self.containers.append(container)
        return container

    def logs(self, container):
        done = self.podman("logs", container, check=False)
        return done.stdout + done.stderr

    def running(self, container):
        done = self.podman("inspect", "--format", "{{.State.Running}}", container, check=False)
        return done.stdout.strip() == "true"

    def stop(self, container):
        self.podman("rm", "-f", "-t", "5", container, check=False)
        if container in self.containers:
            self.containers.remove(container)

    def cleanup(self):
        for container in list(self.containers):
            self.stop(container)


def _wait(condition, *, timeout, message):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, message() if callable(message) else message
        time.sleep(0.5)


@pytest.fixture(scope="module")
def timings(pytestconfig):
    """Each step's wall-clock time, printed to the terminal (not captured) at the end of the module."""
    steps = []
    yield steps
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    if reporter and steps:
        reporter.write_line("")
        reporter.write_line("container image test, wall-clock: " + ", ".join(f"{s} {t:.0f} s" for s, t in steps)
                            + f"; total {sum(t for _, t in steps):.0f} s")


class _Timer:
    def __init__(self, steps, name):
        self.steps, self.name = steps, name

    def __enter__(self):
        self.started = time.monotonic()

    def __exit__(self, *exc):
        self.steps.append((self.name, time.monotonic() - self.started))


@pytest.fixture(scope="module")
def stack(timings, tmp_path_factory):
    import psycopg
    import redis

    server_url, database_url, name = _database_urls()
    try:
        admin = psycopg.connect(server_url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.skip(f"no PostgreSQL for the containers ({server_url}): {exc}")
    redis_url = os.environ.get("CONTAINER_REDIS_URL", "redis://127.0.0.1:6379/13")
    try:
        broker = redis.Redis.from_url(redis_url, socket_connect_timeout=5)
        broker.ping()
    except redis.RedisError as exc:
        pytest.skip(f"no Redis for the containers ({redis_url}): {exc}")
    broker.flushdb()  # this Redis database belongs to the test (CONTAINER_REDIS_URL)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{name}"')

    builder = _build_image_module()
    conf = builder.containers_conf()
    folder = Path(tempfile.mkdtemp(prefix="ocop-container-", dir=tmp_path_factory.getbasetemp()))
    for sub in ("mail", "media"):
        (folder / sub).mkdir()
        (folder / sub).chmod(0o777)  # written by the image's user (uid 10001)
    with _Timer(timings, "build (base cached)" if builder.CACHE.exists() else "build (cold)"):
        image = builder.build(os.environ.get("OCOP_CONTAINER_TAG", "localhost/ocop-marketplace:ci"),
                              log_path=str(folder / "build.log"))
    port = _free_port()
    env = {
        "DATABASE_URL": database_url, "REDIS_URL": redis_url,
        "SECRET_KEY": secrets.token_urlsafe(50), "VNPAY_TMN_CODE": "HTOCOP99",
        "VNPAY_HASH_SECRET": secrets.token_hex(16), "EINVOICE_PROVIDER_KEY": secrets.token_hex(16),
        "VNPAY_PAYMENT_URL": "https://pay.vnpay.vn/vpcpay.html",
        "VNPAY_API_URL": "https://merchant.vnpay.vn/merchant_webapi/api/transaction",
        "EINVOICE_PROVIDER_URL": "https://hoadon.example.vn/api",
        "PRIVACY_ENCRYPTION_KEY": "aGF0aW5oLXByb2R1Y3Rpb24tbGlrZS1rZXktMzJieXQ=",
        "PRIVACY_HASH_KEY": secrets.token_urlsafe(32),
        "SITE_URL": ORIGIN, "ALLOWED_HOSTS": HOST, "CSRF_TRUSTED_ORIGINS": ORIGIN, "TRUSTED_PROXY_COUNT": "1",
        "EMAIL_URL": "filemail:////srv/mail", "PORT": str(port), "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2", "CELERY_CONCURRENCY": "1",
    }
    running = Stack(image, env, conf, folder, timings)
    running.url, running.admin, running.broker, running.database = f"http://127.0.0.1:{port}", admin, broker, name
    running.db = lambda: psycopg.connect(database_url.replace("postgres://", "postgresql://", 1), autocommit=True)
    try:
        yield running
    finally:
        running.cleanup()
        broker.flushdb()
        broker.close()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_the_image_runs_unprivileged_and_holds_no_secret(stack):
    config = json.loads(stack.podman("image", "inspect", stack.image).stdout)[0]["Config"]
    assert config["User"] == "ocop:ocop" and config["Entrypoint"] == ["/app/bin/entrypoint"]
    names = {item.split("=", 1)[0] for item in config["Env"]}
    assert "DEBUG=False" in config["Env"]
    assert not names & {"SECRET_KEY", "VNPAY_HASH_SECRET", "EINVOICE_PROVIDER_KEY", "PRIVACY_ENCRYPTION_KEY",
                        "PRIVACY_HASH_KEY", "DATABASE_URL", "REDIS_URL"}
    inside = stack.podman("run", "--rm", "--entrypoint", "sh", stack.image, "-c",
                          "id -u; test -w /app && echo writable-app; ls -a /app; "
                          "python -c 'import json; print(len(json.load(open(\"/app/staticfiles/staticfiles.json\"))"
                          "[\"paths\"]))'").stdout.split()
    assert inside[0] == "10001" and "writable-app" not in inside
    assert not {".env", "tests", "bench", ".git", ".venv", "db.sqlite3"} & set(inside)
    assert int(inside[-1]) > 100  # static files collected at build time, hashed names in the manifest


def test_without_secrets_no_role_starts(stack, timings):
    with _Timer(timings, "refusals"):
        no_key = stack.run("migrate", env={"SECRET_KEY": ""}, check=False, timeout=300)
        assert no_key.returncode != 0 and "SECRET_KEY" in no_key.stderr
        development = stack.run("worker", env={"VNPAY_HASH_SECRET": "OCOPHATINHSANDBOXSECRETKEY2026XX"},
                                check=False, timeout=300)
        output = development.stdout + development.stderr
        assert development.returncode != 0 and "Refusing to start in production" in output
        assert "VNPAY_HASH_SECRET is the development default" in output
    with stack.db() as db:  # nothing ran: the database is still empty
        assert db.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0] == 0


def test_migrate_role_builds_the_database_and_manage_runs_a_command(stack, timings):
    with _Timer(timings, "migrate"):
        migrated = stack.run("migrate", timeout=900)
    assert "Applying catalogue.0001_initial... OK" in migrated.stdout
    with _Timer(timings, "manage (seed)"):
        seeded = stack.run("manage", "shell", "-c", SEED, timeout=300)
    stack.product = json.loads(seeded.stdout.split("SEED ", 1)[1].splitlines()[0])
    with stack.db() as db:
        assert db.execute("SELECT count(*) FROM django_migrations").fetchone()[0] > 300
        # The stock record's search update waits in Redis for a worker: the seller is not searchable yet.
        assert db.execute("SELECT search_seller FROM catalogue_product WHERE upc = 'CI-0001'").fetchone()[0] == ""
    assert stack.broker.llen("celery") >= 1


def _token(html):
    return unescape(CSRF_RE.search(html).group(1))


def test_web_role_answers_health_storefront_and_a_guest_checkout(stack, timings):
    session = requests.Session()
    session.headers.update(PROXY_HEADERS)

    def get(path, headers=None, **kwargs):
        return session.get(stack.url + path, timeout=60, allow_redirects=False,
                           headers={"Cookie": _cookies(session), **(headers or {})}, **kwargs)

    def post(path, data, referer):
        return session.post(stack.url + path, data=data, timeout=60, allow_redirects=False,
                            headers={"Referer": ORIGIN + referer, "Cookie": _cookies(session)})

    with _Timer(timings, "web start"):
        web = stack.start("web", "web")

        def answers():
            assert stack.running(web), stack.logs(web)
            try:
                return get("/catalogue/").status_code == 200
            except requests.RequestException:
                return False

        _wait(answers, timeout=240, message=lambda: "web did not answer:\n" + stack.logs(web))
    with _Timer(timings, "web checks + checkout"):
        health = get("/healthz")
        if health.status_code not in (301, 404):  # /healthz comes with the health endpoints (issue 18 §3)
            assert health.status_code == 200 and health.headers["Content-Type"].startswith("application/json")
        probe = stack.run("healthcheck", "/catalogue/", env={"HEALTHCHECK_TIMEOUT": "60"}, check=False, timeout=180)
        assert probe.returncode == 0, probe.stderr  # what compose's health check runs
        assert get("/catalogue/", headers={"X-Forwarded-Proto": "http"}).status_code == 301  # plain HTTP → HTTPS

        product_page = get(stack.product["url"])
        assert product_page.status_code == 200 and PRODUCT_TITLE in product_page.text
        assert "150.000" in product_page.text
        stylesheet = re.search(r'href="(/static/marketplace/css/cho-ocop\.[0-9a-f]{12}\.css)"', product_page.text)
        css = get(stylesheet.group(1), headers={"Accept-Encoding": "gzip"})
        assert css.status_code == 200 and "immutable" in css.headers["Cache-Control"]

        added = post(f"/basket/add/{stack.product['pk']}/",
                     {"csrfmiddlewaretoken": _token(product_page.text), "quantity": 2}, stack.product["url"])
        assert added.status_code == 302, added.text[:2000]
        checkout = get("/checkout/")
        assert checkout.status_code == 200 and PRODUCT_TITLE in checkout.text
        stack.checkout = (session, get, post, checkout)


def test_web_role_takes_a_guest_checkout(stack):
    session, get, post, checkout = stack.checkout
    placed = post("/checkout/", {
        "csrfmiddlewaretoken": _token(checkout.text), "full_name": "Nguyễn Thị Lan", "phone": "0912 345 678",
        "email": "khach@example.com", "province": "42", "ward": "18073", "street": "12 Trần Phú",
        "method": "cod", "privacy_consent": "on"}, "/checkout/")
    errors = re.findall(r'class="[^"]*(?:invalid-feedback|errorlist|alert-danger)[^"]*"[^>]*>(.*?)<', placed.text, re.S)
    assert placed.status_code == 302 and placed.headers["Location"].endswith("/checkout/thank-you/"), errors
    thanks = get(urlsplit(placed.headers["Location"]).path)
    assert thanks.status_code == 200

    with stack.db() as db:
        number, email, total = db.execute("SELECT number, guest_email, total_incl_tax FROM order_order").fetchone()
        assert email == "khach@example.com" and total >= 300000
        assert db.execute("SELECT method FROM payments_payment").fetchone()[0] == "cod"
        assert db.execute("SELECT num_allocated FROM partner_stockrecord WHERE partner_sku = 'CI-0001'"
                          ).fetchone()[0] == 2
    assert number in thanks.text
    mails = [p.read_text(errors="replace") for p in (stack.folder / "mail").iterdir()]
    assert any(number in mail and "khach@example.com" in mail for mail in mails)  # the e-mail backend of EMAIL_URL


def test_worker_role_consumes_the_queued_task(stack, timings):
    with _Timer(timings, "worker"):
        worker = stack.start("worker", "worker")

        def indexed():
            assert stack.running(worker), stack.logs(worker)
            with stack.db() as db:
                return db.execute("SELECT search_seller FROM catalogue_product WHERE upc = 'CI-0001'").fetchone()[0]

        seller = _wait(indexed, timeout=240, message=lambda: "the worker did not index:\n" + stack.logs(worker))
    assert seller == "htx ong mat container vu quang"
    assert "search.reindex_products" in stack.logs(worker) and stack.broker.llen("celery") == 0
    # A new visitor's search finds the product by its seller's name, which only the worker's task indexed.
    found = requests.get(stack.url + "/search/", params={"q": "container vu quang"}, headers=PROXY_HEADERS,
                         timeout=60)
    assert found.status_code == 200 and PRODUCT_TITLE in found.text


def test_beat_role_starts_the_schedule(stack, timings):
    with _Timer(timings, "beat"):
        beat = stack.start("beat", "beat")
        _wait(lambda: "beat: Starting..." in stack.logs(beat) or not stack.running(beat), timeout=180,
              message=lambda: stack.logs(beat))
        time.sleep(1)
        assert stack.running(beat), stack.logs(beat)
