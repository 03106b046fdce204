"""Checkout benchmark: orders placed and paid through the real views, VNPay sandbox and IPN, over HTTP.

Starts gunicorn on loopback against the configured database (run `make demo` first, or set
DATABASE_URL), creates a benchmark seller and product with plenty of stock, then lets N shoppers in
parallel each place an order (cash on delivery, or VNPay paid on the sandbox whose IPN marks it paid).
Prints orders per second and p50/p95 latency per flow, and the same server's throughput on a trivial
view in the same run as the ceiling to compare with.

    .venv/bin/python bench/checkout.py --orders 60 --concurrency 6

It also counts the HTTP requests the shopper's side sends per order (redirects included, the IPN not).
Issue 16, one checkout page instead of Oscar's five steps, measured on the same PostgreSQL database in the
same hour on the shared 2-core machine (load average 10–15, so absolute times are slow and noisy; the
"before" run is commit dcb93c6's code with this file and a request counter): --orders 20 --concurrency 4,
2 workers × 4 threads:

    requests per order   COD 19 → 6,  VNPay 21 → 8  (add to basket's GET + POST included)
    COD orders/s         0.4 → 0.8 and 1.2 (two runs); p50 8.0 s → 4.3 s and 3.0 s
"""
import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def setup_django(base_url):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    os.environ["VNPAY_PAYMENT_URL"] = base_url + "/sandbox/vnpay/paymentv2/vpcpay.html"
    os.environ["VNPAY_API_URL"] = base_url + "/sandbox/vnpay/merchant_webapi/api/transaction"
    import django

    django.setup()


def bench_product():
    from decimal import Decimal

    from oscar.core.loading import get_model

    from catalogue.models import OcopClassification, Product
    from catalogue.product_import import PRODUCT_CLASS_NAME
    from places.models import Commune
    from vendors.models import Vendor

    Partner, StockRecord = get_model("partner", "Partner"), get_model("partner", "StockRecord")
    ProductClass = get_model("catalogue", "ProductClass")
    commune = Commune.objects.order_by("code").first()
    partner, _ = Partner.objects.get_or_create(code="bench-seller", defaults={"name": "Benchmark seller"})
    Vendor.objects.get_or_create(partner=partner, defaults={
        "code": "BENCH-0001", "slug": "bench-seller", "legal_name": "Benchmark seller",
        "seller_type": Vendor.TYPE_COOPERATIVE, "commune": commune, "former_district": commune.former_district})
    product_class, _ = ProductClass.objects.get_or_create(name=PRODUCT_CLASS_NAME, defaults={"track_stock": True})
    product, _ = Product.objects.get_or_create(upc="BENCH-PRODUCT", defaults={
        "title": "Benchmark product", "product_class": product_class,
        "ocop_classification": OcopClassification.objects.get(code="I.3.b"), "origin_commune": commune})
    StockRecord.objects.update_or_create(product=product, partner=partner, defaults={
        "partner_sku": "BENCH-PRODUCT", "price": Decimal(100000), "price_currency": "VND", "num_in_stock": 10**9})
    return product


def one_order(base_url, product, method):
    from bench.http_shopper import Shopper

    shopper = Shopper(base_url)
    started = time.perf_counter()
    shopper.add_to_basket(product, 1)
    response = shopper.checkout(method, email="bench@example.com")
    if method == "vnpay":
        response = shopper.pay_on_sandbox(response, "success")
        ok = 'data-outcome="paid"' in response.text
    else:
        ok = "/checkout/thank-you/" in response.url
    REQUESTS.setdefault(method, []).append(shopper.requests)
    return time.perf_counter() - started, ok


#: HTTP requests the browser side sent per order, by payment method (the IPN, server to server, is not counted).
REQUESTS = {}


def run(label, fn, total, concurrency):
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(lambda _: fn(), range(total)))
    elapsed = time.perf_counter() - started
    times = sorted(t for t, ok in results)
    ok = sum(1 for _, good in results if good)
    p = statistics.quantiles(times, n=100) if len(times) > 1 else [times[0]] * 99
    return {"label": label, "n": total, "ok": ok, "rate": total / elapsed, "p50": p[49] * 1000, "p95": p[94] * 1000}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=40, help="orders per flow")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    args = parser.parse_args()

    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    setup_django(base_url)
    product = bench_product()
    env = {**os.environ, "DEBUG": os.environ.get("DEBUG", "True"), "VNPAY_SANDBOX_ENABLED": "True"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "marketplace.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(args.workers),
         "--threads", "4", "--log-level", "warning"], cwd=ROOT, env=env)
    try:
        for _ in range(100):
            try:
                requests.get(base_url + "/payments/vnpay/ipn/", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.2)
        one_order(base_url, product, "cod")  # warm up
        rows = [
            run("trivial view (IPN without parameters)",
                lambda: (lambda t0: (time.perf_counter() - t0 if requests.get(base_url + "/payments/vnpay/ipn/",
                                                                               timeout=10).ok else 0, True))(
                    time.perf_counter()), args.orders * 5, args.concurrency),
            run("order, cash on delivery", lambda: one_order(base_url, product, "cod"), args.orders, args.concurrency),
            run("order, VNPay paid on the sandbox + IPN", lambda: one_order(base_url, product, "vnpay"),
                args.orders, args.concurrency),
        ]
    finally:
        server.terminate()
        server.wait(timeout=20)
    print(f"\nCheckout benchmark: {args.workers} gunicorn workers × 4 threads, {args.concurrency} shoppers in "
          f"parallel, database {os.environ.get('DATABASE_URL', 'sqlite (db.sqlite3)').split('@')[-1]}")
    print(f"{'flow':42} {'n':>5} {'ok':>5} {'per s':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for row in rows:
        print(f"{row['label']:42} {row['n']:>5} {row['ok']:>5} {row['rate']:>8.1f} {row['p50']:>8.0f} {row['p95']:>8.0f}")
    for method, counts in REQUESTS.items():
        print(f"HTTP requests per order ({method}, add to basket included): {statistics.median(counts):.0f}")
    baseline = rows[0]["rate"]
    print(f"(an order is {rows[0]['rate'] / rows[1]['rate']:.0f}× slower than the trivial view with COD, "
          f"{baseline / rows[2]['rate']:.0f}× with VNPay: see the requests per order above)")


if __name__ == "__main__":
    main()
