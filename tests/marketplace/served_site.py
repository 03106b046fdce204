"""The site as `make run` serves it, in a subprocess: `manage.py serve` (runserver with its autoreloader,
the recorded address and the scheduler) on its own SQLite file, whatever database the test run uses.

``python -m tests.marketplace.served_site populate`` (run against that file) creates the data the tests
need and prints it as JSON: sellers, products, an editor, a CMS page, signed-in sessions, and one invoice
left pending because its provider could not be reached.
"""
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
#: Settings a developer's shell or the pytest process may carry that `make run` would not.
_DROP = ("DATABASE_URL", "TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE", "SERVED_URL", "REDIS_URL", "VNPAY_PAYMENT_URL",
         "VNPAY_API_URL", "EINVOICE_PROVIDER_URL", "REPORTS_DATABASE_URL", "DEBUG")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_env(db_path, **extra):
    env = {k: v for k, v in os.environ.items() if k not in _DROP}
    env.update({"DATABASE_URL": f"sqlite:///{db_path}", "DJANGO_SETTINGS_MODULE": "marketplace.settings",
                "PYTHONUNBUFFERED": "1", **extra})
    return env


#: PostgreSQL runs: the SQLite file migrated once per test session, copied for each served site.
_MIGRATED = {}


def _copy_sqlite(source_path, db_path):
    source, target = sqlite3.connect(source_path), sqlite3.connect(db_path)
    with target:
        source.backup(target)
    source.close()
    target.close()


def build_database(db_path, test_settings_dict):
    """A migrated SQLite file: a copy of the SQLite test database, or (PostgreSQL runs) of one migrated afresh
    the first time it is needed in this test session."""
    if test_settings_dict["ENGINE"] == "django.db.backends.sqlite3" and Path(test_settings_dict["NAME"]).exists():
        _copy_sqlite(test_settings_dict["NAME"], db_path)
        return
    if "template" not in _MIGRATED:
        template = Path(tempfile.mkdtemp(prefix="ocop-migrated-")) / "migrated.sqlite3"
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT,
                       env=site_env(template), check=True, timeout=900)
        _MIGRATED["template"] = template
    _copy_sqlite(_MIGRATED["template"], db_path)


def populate(db_path, **extra_env):
    done = subprocess.run([sys.executable, "-m", "tests.marketplace.served_site", "populate"], cwd=ROOT,
                          env=site_env(db_path, **extra_env), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


class ServedSite:
    """`manage.py serve 127.0.0.1:<port>` as `make run` starts it; stopped with Ctrl-C (SIGINT to its group)."""

    def __init__(self, db_path, log_path, **extra_env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.db_path, self.log_path, self.extra_env = db_path, log_path, extra_env

    def __enter__(self):
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "serve", f"127.0.0.1:{self.port}"], cwd=ROOT,
            env=site_env(self.db_path, **self.extra_env), stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.output()
            try:
                if requests.get(self.url + "/basket/", timeout=5).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise AssertionError("the served site did not answer in 180 s:\n" + self.output())

    def __exit__(self, *exc):
        try:
            os.killpg(self.process.pid, signal.SIGINT)
            self.process.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        self.log.close()

    def output(self):
        self.log.flush()
        return Path(self.log_path).read_text(errors="replace")


def query(db_path, sql, *params):
    """Read the site's database directly (what the site committed), never through this process's ORM."""
    with sqlite3.connect(db_path, timeout=30) as connection:
        return connection.execute(sql, params).fetchall()


def poll(condition, *, timeout=120.0, message=""):
    """Wait until ``condition()`` is truthy (generous deadline on a busy machine), returning its value."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, message or "condition not met in time"
        time.sleep(0.2)


# --- a browser without a browser: forms as the page renders them ------------------------------------


class _FormParser(HTMLParser):
    def __init__(self, match):
        super().__init__(convert_charrefs=True)
        self.match = match
        self.inside, self.done, self.fields, self.action = False, False, [], None
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.done and not self.inside:
            if self.match(attrs):
                self.inside, self.action = True, attrs.get("action")
            return
        if not self.inside or "name" not in attrs and tag != "option":
            return
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append([attrs["name"], attrs.get("value", "on" if kind == "checkbox" else "")])
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]
            self.fields.append(self._textarea)
        elif tag == "select":
            self._select = {"name": attrs["name"], "first": None, "chosen": False}
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in attrs and not self._select["chosen"]:
                self._select["chosen"] = True
                self.fields.append([self._select["name"], value])

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select is not None:
            if not self._select["chosen"] and self._select["first"] is not None:
                self.fields.append([self._select["name"], self._select["first"]])
            self._select = None
        elif tag == "form" and self.inside:
            self.inside, self.done = False, True


def form_fields(html, *, form_id=None, css_class=None):
    """[(name, value)] of the first form with this id or class, as a browser would submit it untouched."""
    parser = _FormParser(lambda attrs: (form_id is None or attrs.get("id") == form_id) and (
        css_class is None or css_class in (attrs.get("class") or "").split()))
    parser.feed(html)
    assert parser.done, f"form {form_id or css_class} not found"
    return [tuple(field) for field in parser.fields]


def replace(fields, **values):
    names = set(values)
    return [(n, v) for n, v in fields if n not in names] + list(values.items())


CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf_token(html):
    return unescape(CSRF_RE.search(html).group(1))


# --- the data (run inside the site's database: `python -m tests.marketplace.served_site populate`) ------


def _session_for(user):
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def _populate():
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from wagtail.models import Page

    from invoicing.models import Invoice
    from invoicing.services import invoice_issue_for_fulfilment
    from marketplace.cms.models import NewsIndexPage
    from marketplace.order import statuses
    from tests.factories import create_product
    from tests.invoicing.factories import create_delivered_part, create_invoicing_vendor

    User = get_user_model()
    vendor = create_invoicing_vendor(vat=False)
    seller = User.objects.create_user(username="seller-served", email="seller@served.example", password="x" * 12)
    vendor.partner.users.add(seller)
    products = [create_product(vendor=vendor, title=f"Kẹo cu đơ {n}", price=45000, stock=500) for n in range(4)]
    editor = User.objects.create_superuser(username="editor-served", email="editor@served.example",
                                           password="x" * 12)
    news = Page.objects.get(depth=1).add_child(instance=NewsIndexPage(title="Tin tức thử", slug="tin-tuc-thu"))
    # The provider cannot be reached while this invoice is issued: it stays pending.
    settings.EINVOICE_PROVIDER_URL = f"http://127.0.0.1:{free_port()}/api/"
    settings.EINVOICE_PROVIDER_MAX_RETRIES = 0
    part = create_delivered_part(vendor=vendor, items=[(products[0], 2, 45000, 0)])
    invoice = invoice_issue_for_fulfilment(fulfilment=part)
    invoice.refresh_from_db()
    assert invoice.provider_status == Invoice.PROVIDER_PENDING, invoice.provider_status
    # Parcels on their way, for the seller to mark delivered (each delivery issues and sends an invoice).
    shipped = [create_delivered_part(vendor=vendor, items=[(products[1], 1, 45000, 0)], deliver=False)
               for _ in range(int(os.environ.get("SHIPPED_PARTS", "3")))]
    for part in shipped:  # paid, on the way: the order is still open
        type(part.order).objects.filter(pk=part.order_id).update(status=statuses.PAID)
    return {"vendor": vendor.pk, "products": [{"pk": p.pk, "url": p.get_absolute_url()} for p in products],
            "news_page": news.pk, "pending_invoice": invoice.pk, "shipped_parts": [p.number for p in shipped],
            "seller_session": _session_for(seller), "editor_session": _session_for(editor)}


if __name__ == "__main__" and sys.argv[1:] == ["populate"]:
    print(json.dumps(_populate()))
