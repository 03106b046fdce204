"""A server killed between placing an order and recording its payment leaves nothing half-made: no order
holding stock that no payment (and so no reconciliation) will ever release (issue 15, point 4)."""
import os
import signal
import subprocess
import sys
import threading
from types import SimpleNamespace

import pytest
import requests

from bench.http_shopper import Shopper
from tests.marketplace.served_site import ROOT, ServedSite, build_database, free_port, poll, populate, query, site_env

pytestmark = pytest.mark.django_db


def test_killed_between_order_and_payment_the_stock_is_not_held_and_the_shop_still_sells(
        django_db_setup, tmp_path):
    from django.db import connection

    db_path = tmp_path / "site.sqlite3"
    build_database(db_path, connection.settings_dict)
    data = populate(db_path, SHIPPED_PARTS="0")
    product = data["products"][2]
    orders_before = query(db_path, "SELECT COUNT(*) FROM order_order")[0][0]
    stock_before = query(db_path, "SELECT num_in_stock, num_allocated FROM partner_stockrecord WHERE product_id = ?",
                         product["pk"])

    marker, port = tmp_path / "held", free_port()
    with open(tmp_path / "crash.log", "w") as log:
        server = subprocess.Popen([sys.executable, "-m", "tests.marketplace.crash_site", f"127.0.0.1:{port}"],
                                  cwd=ROOT, env=site_env(db_path, CRASH_MARKER=str(marker)), stdout=log,
                                  stderr=subprocess.STDOUT, start_new_session=True)
        try:
            url = f"http://127.0.0.1:{port}"
            poll(lambda: _answers(url, server), timeout=180, message="the site did not start")
            shopper = Shopper(url)
            shopper.add_to_basket(as_product(product), quantity=3)
            checkout = threading.Thread(target=_ignore_errors(shopper.checkout), args=("cod",), daemon=True)
            checkout.start()
            poll(marker.exists, timeout=180, message="checkout never reached the payment row")
        finally:
            os.killpg(server.pid, signal.SIGKILL)  # the machine dies here
            server.wait(timeout=60)

    assert query(db_path, "SELECT COUNT(*) FROM order_order")[0][0] == orders_before
    assert query(db_path, "SELECT COUNT(*) FROM payments_payment WHERE order_id = ?", int(marker.read_text())) == [(0,)]
    assert query(db_path, "SELECT num_in_stock, num_allocated FROM partner_stockrecord WHERE product_id = ?",
                 product["pk"]) == stock_before  # nothing reserved for an order that does not exist

    # Restarted, the shop sells the same items normally (order, reservation and payment together).
    with ServedSite(db_path, tmp_path / "server.log") as site:
        shopper = Shopper(site.url)
        shopper.add_to_basket(as_product(product), quantity=3)
        assert shopper.checkout("cod").status_code in (200, 302)
    (order_id, number), = query(db_path, "SELECT id, number FROM order_order ORDER BY id DESC LIMIT 1")
    assert query(db_path, "SELECT method, status FROM payments_payment WHERE order_id = ?", order_id) == [
        ("cod", "cod_pending")]
    assert query(db_path, "SELECT num_allocated FROM partner_stockrecord WHERE product_id = ?",
                 product["pk"])[0][0] == (stock_before[0][1] or 0) + 3


def as_product(entry):
    return SimpleNamespace(pk=entry["pk"], get_absolute_url=lambda: entry["url"])


def _answers(url, server):
    assert server.poll() is None, "the site stopped"
    try:
        return requests.get(url + "/basket/", timeout=5).status_code == 200
    except requests.RequestException:
        return False


def _ignore_errors(call):
    def run(*args):
        try:
            call(*args)
        except requests.RequestException:  # the server is killed under this request
            pass
    return run
