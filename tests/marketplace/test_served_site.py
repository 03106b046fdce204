"""The site as `make run` serves it (`manage.py serve`, a subprocess on its own SQLite file, also on
PostgreSQL CI runs): concurrent writers never meet a locked database (issue 14.4), and the scheduled jobs
run with no extra service (issue 14.6)."""
import threading
from types import SimpleNamespace

import pytest

from bench.http_shopper import Shopper
from tests.marketplace.served_site import (
    ServedSite, build_database, form_fields, poll, populate, query, replace,
)

# The tests talk to the subprocess only; the mark makes pytest-django create the test database they copy.
pytestmark = pytest.mark.django_db

SITE_ENV = {"SCHEDULER_INTERVALS": "invoicing.send_pending=1", "EINVOICE_RETRY_BASE_SECONDS": "1"}


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.db import connection

    folder = tmp_path_factory.mktemp("served-site")
    db_path = folder / "site.sqlite3"
    build_database(db_path, connection.settings_dict)  # the test database is created (not used) by then
    data = populate(db_path, **SITE_ENV)
    with ServedSite(db_path, folder / "server.log", **SITE_ENV) as served:
        served.data = data
        yield served


def signed_in(site, session_key):
    browser = Shopper(site.url)
    browser.http.cookies.set("sessionid", session_key)
    return browser


def product(entry):
    return SimpleNamespace(pk=entry["pk"], get_absolute_url=lambda: entry["url"])


def test_a_pending_invoice_is_sent_by_the_scheduler_once_the_provider_answers(site):
    """Issued while its provider was unreachable; nobody runs a command: `serve`'s scheduler sends it."""
    invoice = site.data["pending_invoice"]

    def coded():
        rows = query(site.db_path, "SELECT provider_status, tax_authority_code FROM invoicing_invoice WHERE id = ?",
                     invoice)
        return rows if rows and rows[0][0] == "accepted" else None

    (status, code), = poll(coded, timeout=180, message="the pending invoice was never sent:\n" + site.output())
    assert len(code) == 34
    log = site.output()
    assert "Scheduled job invoicing.send_pending" in log
    # One scheduler for the whole server, although runserver's autoreloader runs the site in a child process.
    assert log.count("Scheduler started") == 1, log


def test_concurrent_writers_on_sqlite_never_meet_a_locked_database(site):
    data = site.data
    products = [product(entry) for entry in data["products"]]
    results, errors = [], []
    barrier = threading.Barrier(6, timeout=120)

    def record(who, response, expected=(200, 302)):
        results.append((who, response.status_code))
        if response.status_code not in expected:
            errors.append((who, response.request.method, response.url, response.status_code, response.text[:300]))

    def shopper_cod(n):
        shopper = Shopper(site.url)
        barrier.wait()
        for round_ in range(2):
            shopper.add_to_basket(products[(n + round_) % 3])
            record(f"cod-{n}", shopper.checkout("cod", email=f"khach{n}@example.com"))

    def shopper_vnpay():
        shopper = Shopper(site.url)
        barrier.wait()
        for round_ in range(2):
            shopper.add_to_basket(products[2])
            page = shopper.checkout("vnpay", email="vnpay@example.com")
            record("vnpay-checkout", page, expected=(200,))
            result = shopper.pay_on_sandbox(page, "success")
            record("vnpay-pay", result, expected=(200,))
            if 'data-outcome="paid"' not in result.text:
                errors.append(("vnpay", "not paid", result.url))

    def seller_products():
        seller = signed_in(site, data["seller_session"])
        barrier.wait()
        for round_ in range(4):
            url = f"/ban-hang/san-pham/{products[3].pk}/"
            page = seller.get(url)
            record("seller-product-form", page, expected=(200,))
            fields = replace(form_fields(page.text, css_class="seller-form"), price=str(46000 + round_),
                             stock=str(400 + round_))
            record("seller-product-save", seller.http.post(seller.url(url), data=fields, allow_redirects=False,
                                                           headers={"Referer": seller.url(url)}, timeout=60),
                   expected=(302,))

    def seller_deliveries():
        seller = signed_in(site, data["seller_session"])
        barrier.wait()
        for number in data["shipped_parts"]:
            url = f"/ban-hang/don-hang/{number}/"
            record("seller-deliver", seller.post(url, {"action": "deliver"}, allow_redirects=False), expected=(302,))

    def editor_drafts():
        editor = signed_in(site, data["editor_session"])
        url = f"/cms/pages/{data['news_page']}/edit/"
        barrier.wait()
        for round_ in range(4):
            page = editor.get(url)
            record("cms-edit-form", page, expected=(200,))
            fields = replace(form_fields(page.text, form_id="page-edit-form"), title=f"Tin tức thử, bản nháp {round_}")
            record("cms-save-draft", editor.http.post(editor.url(url), data=fields, allow_redirects=False,
                                                      headers={"Referer": editor.url(url)}, timeout=60),
                   expected=(302,))

    workers = [threading.Thread(target=shopper_cod, args=(n,)) for n in range(2)]
    workers += [threading.Thread(target=f) for f in (shopper_vnpay, seller_products, seller_deliveries, editor_drafts)]

    def guarded(thread):
        target = thread._target

        def run(*args):
            try:
                target(*args)
            except Exception as exc:  # noqa: BLE001 — reported below with the server's log
                errors.append((thread.name, repr(exc)))
                barrier.abort()
        thread._target = run

    for worker in workers:
        guarded(worker)
        worker.start()
    for worker in workers:
        worker.join(timeout=600)
    assert not any(worker.is_alive() for worker in workers)
    log = site.output()
    assert not errors, f"{errors}\n{log[-4000:]}"
    assert "database is locked" not in log and "Traceback" not in log, log[-4000:]

    # Everything everyone did is there.
    assert query(site.db_path, "SELECT COUNT(*) FROM order_order WHERE guest_email LIKE 'khach_@example.com'") \
        == [(4,)]
    assert query(site.db_path, "SELECT COUNT(*) FROM payments_payment p JOIN order_order o ON o.id = p.order_id "
                               "WHERE o.guest_email = 'vnpay@example.com' AND p.status = 'paid'") == [(2,)]
    assert query(site.db_path, "SELECT price FROM partner_stockrecord WHERE product_id = ?",
                 products[3].pk) == [(46003,)]
    assert query(site.db_path, "SELECT object_str FROM wagtailcore_revision WHERE object_id = ? ORDER BY id DESC LIMIT 1",
                 str(data["news_page"]))[0][0] == "Tin tức thử, bản nháp 3"
    delivered = query(site.db_path, "SELECT i.provider_status FROM invoicing_invoice i JOIN vendors_fulfilment f "
                                    f"ON f.id = i.fulfilment_id WHERE f.number IN "
                                    f"({','.join('?' * len(data['shipped_parts']))})", *data["shipped_parts"])
    assert sorted(delivered) == [("accepted",)] * len(data["shipped_parts"])


def test_run_scheduler_runs_the_jobs_beside_another_server_and_stops_on_sigterm(site, tmp_path):
    """`manage.py run_scheduler`: the same jobs, in the foreground, for a server not started by `make run`."""
    import signal
    import subprocess
    import sys

    from tests.marketplace.served_site import ROOT, site_env

    log_path = tmp_path / "scheduler.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "run_scheduler"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
            env=site_env(site.db_path, SERVED_URL=site.url, SCHEDULER_INTERVALS="invoicing.check_deadlines=1"))
        try:
            poll(lambda: log_path.read_text().count("Scheduled job invoicing.check_deadlines") >= 2, timeout=120,
                 message=log_path.read_text())
        finally:
            process.send_signal(signal.SIGTERM)
            returncode = process.wait(timeout=60)
    output = log_path.read_text()
    assert "invoicing.check_deadlines: every 1 s" in output and "invoicing.send_pending: every 300 s" in output
    assert returncode == 0 and "Scheduler stopped" in output, output
