"""Reports benchmark: 1,000,000 order lines on PostgreSQL; the dashboard and every export, a month and a year, timed.

Needs a dedicated, migrated PostgreSQL database (never the development one: it is filled with orders):

    createdb -h 127.0.0.1 -U postgres ocop_bench_reports
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_bench_reports .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_bench_reports .venv/bin/python bench/reports.py --lines 1000000

Sellers (165, four types, every former district) and products (544, a third OCOP-certified) are made with the
ORM; orders, seller parts, lines and payments are generated in SQL (``INSERT … SELECT generate_series``,
one statement per table, columns copied from one template row so every NOT NULL column is filled) over
2025-12-01 … 2026-11-26: 60 % VNPay (2 % still unpaid), 40 % cash on delivery (10 % not yet delivered),
5 % of parts cancelled. ``--keep`` reuses the generated data. Prints a table of timings (cold and warm).
``--demo`` measures the database as it is instead (the demo: ``.venv/bin/python bench/reports.py --demo``).
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LINES_PER_PART = 5 / 3  # parts of 1 or 2 lines (2 twice in three)
PARTS_PER_ORDER = 1.5  # orders of 1 or 2 sellers
START = "2025-12-01 00:00:00+07"
DAYS = 361


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a dedicated PostgreSQL database (see the module docstring)")
    import django

    django.setup()


def seed_catalogue():
    """165 sellers over the 69 communes (four types), 544 products, a third with a certificate in force."""
    from places.models import Commune
    from tests.factories import create_product, create_vendor
    from vendors.models import Vendor

    if Vendor.objects.filter(code__startswith="BR-").count() >= 165:
        return
    communes = list(Commune.objects.order_by("code").values_list("code", flat=True))
    types = [t for t, _ in Vendor.TYPE_CHOICES]
    groups = ["I.3.b", "I.2.b", "II.1.a", "III.1.a", "IV.1.a", "I.5.b"]
    from catalogue.models import OcopClassification

    groups = [g for g in groups if OcopClassification.objects.filter(code=g).exists()] or ["I.3.b"]
    vendors = [create_vendor(code=f"BR-{n:04d}", name=f"Người bán thử {n}", seller_type=types[n % 4],
                             commune_code=communes[n % len(communes)]) for n in range(165)]
    for n in range(544):
        create_product(vendor=vendors[n % 165], title=f"Sản phẩm thử {n}", price=20000 + 5000 * (n % 40),
                       stock=10**6, ocop_code=groups[n % len(groups)], stars=[None, 3, None, 4, None, 5][n % 6],
                       upc=f"BR-P-{n:05d}")


def _columns(cursor, table):
    cursor.execute("SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position",
                   [table])
    return [row[0] for row in cursor.fetchall()]


def _insert_from_template(cursor, table, template_id, expressions, source):
    """INSERT INTO table (all columns but id) SELECT expression-or-template-value FROM source, template."""
    columns = [c for c in _columns(cursor, table) if c != "id"]
    select = ", ".join(expressions.get(c, f"t.{c}") for c in columns)
    cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {select} "
                   f"FROM (SELECT * FROM {table} WHERE id = {int(template_id)}) t CROSS JOIN {source}")


def generate(lines):
    """Orders, parts, lines and payments in SQL; returns the number of order lines now in the database."""
    from django.db import connection, transaction
    from oscar.core.loading import get_model

    from catalogue.models import Product
    from payments.models import Payment
    from tests.invoicing.factories import create_delivered_part
    from vendors.models import Fulfilment, Vendor

    Order, Line = get_model("order", "Order"), get_model("order", "Line")
    orders = int(lines / LINES_PER_PART / PARTS_PER_ORDER)
    vendor = Vendor.objects.filter(code__startswith="BR-").order_by("pk").first()
    product = Product.objects.filter(upc__startswith="BR-P-").order_by("pk").first()
    template = create_delivered_part(vendor=vendor, items=[(product, 1, 20000, 0)])
    t_order, t_line = template.order, template.order.lines.get()
    t_payment = Payment.objects.get(order=t_order)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_vp")
        cursor.execute("""
            CREATE TEMP TABLE bench_vp AS
            SELECT v.rn - 1 AS vidx, p.rn - 1 AS pidx, p.product_id, p.partner_id, p.stockrecord_id, p.price, p.title,
                   p.upc, p.sku, v.vendor_id, v.partner_name, COUNT(*) OVER (PARTITION BY v.vendor_id) AS n
            FROM (SELECT id AS vendor_id, partner_id, row_number() OVER (ORDER BY id) AS rn,
                         (SELECT name FROM partner_partner pp WHERE pp.id = vendors_vendor.partner_id) AS partner_name
                  FROM vendors_vendor WHERE code LIKE 'BR-%%') v
            JOIN (SELECT sr.partner_id, sr.id AS stockrecord_id, sr.product_id, sr.price::bigint AS price, pr.title,
                         pr.upc, sr.partner_sku AS sku, row_number() OVER (PARTITION BY sr.partner_id ORDER BY sr.id) AS rn
                  FROM partner_stockrecord sr JOIN catalogue_product pr ON pr.id = sr.product_id
                  WHERE pr.upc LIKE 'BR-P-%%') p ON p.partner_id = v.partner_id""")
        cursor.execute("CREATE INDEX ON bench_vp (vidx, pidx)")
        cursor.execute("SELECT COUNT(DISTINCT vidx) FROM bench_vp")
        (vendors,) = cursor.fetchone()
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM order_order")
        (base,) = cursor.fetchone()
        # orders: i = 1..N; method by i % 10 (0–5 VNPay), date spread over the year, 50,000 repeat buyers
        _insert_from_template(cursor, "order_order", t_order.pk, {
            "number": "'BR' || i", "guest_email": "'buyer' || (i::bigint * 7919 % 50000) || '@example.com'",
            "date_placed": f"'{START}'::timestamptz + ((i - 1) * {DAYS * 86400.0 / orders}) * interval '1 second'",
            "status": "CASE WHEN i % 10 < 6 THEN (CASE WHEN i % 50 = 1 THEN 'Awaiting payment' ELSE 'Paid' END) "
                      "ELSE 'Cash on delivery' END",
            "user_id": "NULL", "shipping_address_id": "NULL", "basket_id": "NULL",
        }, f"generate_series(1, {orders}) AS i")
        # parts: one or two sellers per order (j = 0, 1); vendor index from i and j
        _insert_from_template(cursor, "vendors_fulfilment", template.pk, {
            "order_id": f"{base} + i", "vendor_id": "vp.vendor_id", "number": "'BR' || i || '-' || (j + 1)",
            "items_total": "0", "shipping_fee": "30000",
            "is_released": "NOT (i % 10 < 6 AND i % 50 = 1)",
            "status": "CASE WHEN (i + j) % 20 = 7 THEN 'cancelled' WHEN i % 10 < 6 AND i % 50 = 1 THEN 'new' "
                      "WHEN i % 10 >= 6 AND (i + j) % 10 = 8 THEN 'shipped' WHEN i % 10 < 6 AND (i + j) % 7 = 3 "
                      "THEN 'confirmed' ELSE 'delivered' END",
            "created": "now()", "updated": "now()",
        }, f"generate_series(1, {orders}) AS i CROSS JOIN generate_series(0, 1) AS j "
           f"JOIN bench_vp vp ON vp.vidx = (i * 7 + j * 13) % {vendors} AND vp.pidx = 0 WHERE j = 0 OR i % 2 = 0")
        # lines: one or two per part (k = 0, 1), products of the part's seller, quantity 1–3
        _insert_from_template(cursor, "order_line", t_line.pk, {
            "order_id": "f.order_id", "partner_id": "vp.partner_id", "partner_name": "vp.partner_name",
            "partner_sku": "vp.sku", "stockrecord_id": "vp.stockrecord_id", "product_id": "vp.product_id",
            "title": "vp.title", "upc": "vp.upc", "quantity": "1 + (f.id + k) % 3",
            "line_price_incl_tax": "(1 + (f.id + k) % 3) * vp.price", "line_price_excl_tax": "(1 + (f.id + k) % 3) * vp.price",
            "line_price_before_discounts_incl_tax": "(1 + (f.id + k) % 3) * vp.price",
            "line_price_before_discounts_excl_tax": "(1 + (f.id + k) % 3) * vp.price",
            "unit_price_incl_tax": "vp.price", "unit_price_excl_tax": "vp.price", "num_allocated": "1 + (f.id + k) % 3",
        }, "vendors_fulfilment f JOIN vendors_vendor v ON v.id = f.vendor_id "
           "CROSS JOIN generate_series(0, 1) AS k "
           "JOIN bench_vp vp ON vp.vendor_id = f.vendor_id AND vp.pidx = (f.id + k) % vp.n "
           "WHERE f.number LIKE 'BR%%' AND (k = 0 OR f.id % 3 <> 0)")
        cursor.execute("""UPDATE vendors_fulfilment f SET items_total = s.total FROM (
                              SELECT l.order_id, l.partner_id, SUM(l.line_price_incl_tax)::bigint AS total
                              FROM order_line l JOIN order_order o ON o.id = l.order_id WHERE o.number LIKE 'BR%%'
                              GROUP BY l.order_id, l.partner_id) s, vendors_vendor v
                          WHERE v.id = f.vendor_id AND s.order_id = f.order_id AND s.partner_id = v.partner_id""")
        cursor.execute("""UPDATE order_order o SET total_incl_tax = s.total, total_excl_tax = s.total FROM (
                              SELECT order_id, SUM(items_total + shipping_fee) AS total FROM vendors_fulfilment
                              WHERE number LIKE 'BR%%' GROUP BY order_id) s WHERE s.order_id = o.id""")
        _insert_from_template(cursor, "payments_payment", t_payment.pk, {
            "order_id": "o.id", "txn_ref": "o.number", "amount": "o.total_incl_tax::bigint",
            "method": "CASE WHEN o.status = 'Cash on delivery' THEN 'cod' ELSE 'vnpay' END",
            "status": "CASE WHEN o.status = 'Awaiting payment' THEN 'pending' WHEN o.status = 'Paid' THEN 'paid' "
                      "ELSE 'cod_pending' END", "created": "o.date_placed", "updated": "o.date_placed",
        }, "order_order o WHERE o.number LIKE 'BR%%'")
    Fulfilment.objects.filter(pk=template.pk).delete()
    Payment.objects.filter(order=t_order).delete()
    t_order.lines.all().delete()
    t_order.delete()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Line.objects.count()


def timed(label, func, runs=3):
    """First run with an empty cache (cold: after a rollup refresh), then warm runs (median)."""
    from django.core.cache import cache

    cache.clear()
    results, value = [], None
    for _ in range(max(runs, 2)):
        start = time.perf_counter()
        value = func()
        results.append(time.perf_counter() - start)
    return {"what": label, "first": results[0], "median": statistics.median(results[1:]), "value": value}


def _get(client, url, params, expect=200):
    response = client.get(url, params)
    assert response.status_code == expect, (url, params, response.status_code)
    return len(response.content)


def measure(client, periods, runs):
    """Dashboard and each export of each period, cold and warm.

    A month's files are answered by the request. A year's file is a background job (reports/jobs.py): the
    request answers at once ("asked"); the worker's time is "built" (cold: the data just changed; warm: asked
    again for the same data, the ready file is handed out). "render only" is the work the old GET did inline
    (the figures and the file), kept to compare before and after."""
    from django.core.cache import cache

    from reports import jobs
    from reports.models import ReportExport
    from reports.periods import period_from_params
    from reports.selectors import cached_report

    rows = []
    for label, params in periods:
        period = period_from_params(params)
        rows.append(timed(f"dashboard, {label}", lambda: _get(client, "/bao-cao/", params), runs))
        for fmt in ("xlsx", "csv", "pdf", "open-data"):
            if jobs.is_quick(period):
                rows.append(timed(f"{fmt} export, {label}", lambda: _get(client, f"/bao-cao/xuat/{fmt}/", params),
                                  runs))
                continue
            rows.append(timed(f"{fmt} render only (old inline GET), {label}",
                              lambda: len(jobs.render(fmt, cached_report(period))), runs))

            ReportExport.objects.filter(fmt=fmt).delete()
            cache.clear()
            start = time.perf_counter()
            response = client.post(f"/bao-cao/xuat/{fmt}/?" + "&".join(f"{k}={v}" for k, v in params.items()))
            asked = time.perf_counter() - start
            start = time.perf_counter()
            jobs.exports_run_pending()
            built = time.perf_counter() - start
            start = time.perf_counter()
            again = client.post(f"/bao-cao/xuat/{fmt}/?" + "&".join(f"{k}={v}" for k, v in params.items()))
            reused = time.perf_counter() - start
            assert again["Location"] == response["Location"]
            download = client.get(response["Location"] + "tai-xuong/")
            assert download.status_code == 200
            rows.append({"what": f"{fmt} job, {label}: asked / built", "first": asked, "median": built})
            rows.append({"what": f"{fmt} job, {label}: asked again (reused)", "first": reused, "median": reused})
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="reuse generated orders if there are enough")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--live", action="store_true", help="also time the year figures read live (slow)")
    parser.add_argument("--demo", action="store_true",
                        help="measure the database as it is (e.g. the demo's SQLite file): no generated orders")
    parser.add_argument("--month", default="11/2026", help="month measured (mm/yyyy)")
    parser.add_argument("--year", default="2026", help="year measured")
    args = parser.parse_args()
    if args.demo:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
        import django

        django.setup()
    else:
        setup_django()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from oscar.core.loading import get_model

    from reports.periods import Period
    from reports.selectors import build_report

    Line = get_model("order", "Line")
    started = time.perf_counter()
    if not args.demo:
        seed_catalogue()
        existing = Line.objects.filter(order__number__startswith="BR").count()
        if not (args.keep and existing >= args.lines * 0.95):
            if existing:
                sys.exit(f"{existing} generated lines already exist; run on a fresh database or pass --keep")
            generate(args.lines)
    generated = time.perf_counter() - started
    from reports.rollup import rollup_refresh

    start = time.perf_counter()
    refreshed = rollup_refresh(full=True)
    full_refresh = time.perf_counter() - start
    start = time.perf_counter()
    rollup_refresh()
    incremental = time.perf_counter() - start
    total_lines = Line.objects.count()
    user, _ = get_user_model().objects.get_or_create(username="bench-admin", defaults={"is_superuser": True,
                                                                                       "is_staff": True})
    client = Client()
    client.force_login(user)
    month = {"period": "month", "month": args.month}
    year = {"period": "year", "year": args.year}
    report = build_report(Period.year(int(args.year)))
    from django.core.cache import cache

    cache.clear()
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        _get(client, "/bao-cao/", year)
    rows = [{"what": "rollup refresh, full", "first": full_refresh, "median": full_refresh},
            {"what": "rollup refresh, nothing changed", "first": incremental, "median": incremental},
            *measure(client, [(f"month {args.month}", month), (f"year {args.year}", year)], args.runs),
            timed(f"figures only (build_report, year {args.year})",
                  lambda: build_report(Period.year(int(args.year))).transactions["orders"], args.runs)]
    print(f"\norder lines in the database: {total_lines:,}; year {args.year}: {report.transactions['orders']:,} orders, "
          f"{report.transactions['fulfilments']:,} parts sold, GMV {report.transactions['gmv']:,} đồng; "
          f"dashboard queries: {len(queries)}; data ready in {generated:.1f} s; rollup rows: {refreshed['rows']:,}\n")
    if args.live:
        from django.test import override_settings

        with override_settings(REPORTS_USE_ROLLUP=False):
            rows.append(timed(f"dashboard, year {args.year}, live (no rollup)", lambda: _get(client, "/bao-cao/", year),
                              1))
    print(f"{'measure':52} {'cold (s)':>10} {'warm (s)':>11}")
    for row in rows:
        print(f"{row['what']:52} {row['first']:>10.2f} {row['median']:>11.2f}")
    print("\n(job rows: 'asked / built' = the request's answer / the worker's build; "
          "'reused' = asking again while the data is unchanged)")


if __name__ == "__main__":
    main()
