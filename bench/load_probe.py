"""In-process helper of bench/load.py, run in a subprocess under the settings of the stack it probes.

    DJANGO_SETTINGS_MODULE=bench.settings python bench/load_probe.py targets --connections 16
    DJANGO_SETTINGS_MODULE=bench.settings python bench/load_probe.py queries /catalogue/ /search/?q=keo
    DJANGO_SETTINGS_MODULE=bench.stock_oscar.settings python bench/load_probe.py columns

Commands (each prints one JSON document on stdout):
- ``targets``: the pages to load (a product page, the busiest category, the products each add-to-basket
  connection uses, their stock raised so that adds never run out), as URLs of the probed stack.
- ``queries URL… [--basket PK]``: per URL (as a shopper with product PK in the basket, with --basket), SQL queries and time per request (Django's test client, in process, after
  one warm-up request): wall time, CPU time of this process (independent of other load), time in SQL, and with ``--profile DIR`` a pyinstrument report per page.
- ``columns``: columns the probed stack's models expect that the database lacks (stock Oscar's models
  over the forked schema).
"""
import argparse
import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import unquote_plus

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def targets(args):
    from django.db.models import Count
    from oscar.core.loading import get_model

    Product, Category = get_model("catalogue", "Product"), get_model("catalogue", "Category")
    StockRecord = get_model("partner", "StockRecord")
    sellable = (Product.objects.filter(is_public=True, structure="standalone", stockrecords__num_in_stock__gt=0)
                .order_by("pk").distinct())
    total = sellable.count()
    if not total:
        sys.exit("no public product with stock in the database")
    # A product from the middle of the catalogue (the generated ones when there are some), and as many
    # distinct products as connections for the add-to-basket run.
    product = sellable[total // 2]
    picks = list(sellable.values_list("pk", flat=True)[total // 3: total // 3 + args.connections])
    StockRecord.objects.filter(product_id__in=picks + [product.pk]).update(num_in_stock=10**9, num_allocated=0)
    category = (Category.objects.filter(is_public=True, depth__gt=1).annotate(n=Count("product"))
                .order_by("-n", "pk").first()
                or Category.objects.filter(is_public=True).annotate(n=Count("product")).order_by("-n", "pk").first())
    result = {
        "products": Product.objects.count(),
        "product": {"pk": product.pk, "url": product.get_absolute_url(), "title": product.title},
        "category": {"pk": category.pk, "url": category.get_absolute_url(), "name": category.name,
                     "products": category.n},
        "basket_products": [{"pk": pk, "url": Product.objects.get(pk=pk).get_absolute_url()} for pk in picks],
    }
    print(json.dumps(result, ensure_ascii=False))


def queries(args):
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment, teardown_test_environment

    profiler_class = None
    if args.profile:
        try:
            from pyinstrument import Profiler as profiler_class
        except ImportError:
            print("pyinstrument is not installed: cProfile reports instead", file=sys.stderr)
    settings.ALLOWED_HOSTS = ["*"]
    results = {}
    cache_calls = [0]  # Redis commands per request (the cache: page cache, sorl thumbnails, sessions…)
    try:
        import redis

        execute_command = redis.Redis.execute_command

        def counting(self, *a, **kw):
            cache_calls[0] += 1
            return execute_command(self, *a, **kw)

        redis.Redis.execute_command = counting
    except ImportError:
        pass
    client = Client()  # one handler: a new Client per request would reload the middleware (WhiteNoise rescans)

    basket = None
    if args.basket:  # a shopper with this product in the basket (the page cache passes them by)
        added = client.post(f"/basket/add/{args.basket}/", {"quantity": 1})
        basket = added.cookies.get(settings.OSCAR_BASKET_COOKIE_OPEN)
        if added.status_code != 302 or basket is None:
            sys.exit(f"add to basket failed: {added.status_code}")

    def get(url):
        client.cookies.clear()  # every request an anonymous first visit, as under load
        if basket is not None:
            client.cookies[basket.key] = basket.value
        return client.get(url)

    for url in args.urls:
        setup_test_environment()  # for this first request only: records the context (the number of results)
        try:
            first = get(url)
        finally:
            teardown_test_environment()
        context = first.context
        paginator = context.get("paginator") if context is not None else None
        sql_time = [0.0]

        def timer(execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                sql_time[0] += time.perf_counter() - started

        cache_calls[0] = 0
        with CaptureQueriesContext(connection) as captured:
            response = get(url)
        entry_cache_calls = cache_calls[0]
        captured_queries = list(captured.captured_queries)  # the next request resets the connection's log
        n = len(captured_queries)
        # Timing: fresh clients (anonymous first visits, as under load), several runs.
        runs, elapsed = args.runs, 0.0
        sql_time[0] = 0.0
        cpu_started = time.process_time()
        with connection.execute_wrapper(timer):
            for _ in range(runs):
                started = time.perf_counter()
                get(url)
                elapsed += time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        entry = {"results": getattr(paginator, "count", None), "status": response.status_code, "first_status": first.status_code, "queries": n,
                 "cache_calls": entry_cache_calls,
                 "ms": elapsed / runs * 1000, "cpu_ms": cpu / runs * 1000, "sql_ms": sql_time[0] / runs * 1000,
                 "slowest": sorted(({"ms": float(q["time"]) * 1000, "sql": q["sql"][:300]}
                                    for q in captured_queries), key=lambda q: -q["ms"])[:3]}
        if args.profile and not profiler_class:  # the standard library's profiler instead
            import cProfile
            import io
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(runs):
                get(url)
            profiler.disable()
            name = args.label + "-" + "".join(c if c.isalnum() else "_" for c in unquote_plus(url))[:60].strip("_")
            Path(args.profile).mkdir(parents=True, exist_ok=True)
            path = Path(args.profile) / f"cprofile-{name}.txt"
            text = io.StringIO()
            stats = pstats.Stats(profiler, stream=text).strip_dirs()
            text.write(f"{url}: {runs} requests (cProfile: its overhead inflates call-heavy code)\n")
            stats.sort_stats("tottime").print_stats(40)
            stats.sort_stats("cumulative").print_stats(60)
            path.write_text(text.getvalue())
            entry["profile"] = str(path)
        if profiler_class:
            profiler = profiler_class(interval=0.0005)
            profiler.start()
            for _ in range(runs):
                get(url)
            profiler.stop()
            name = args.label + "-" + "".join(c if c.isalnum() else "_" for c in unquote_plus(url))[:60].strip("_")
            Path(args.profile).mkdir(parents=True, exist_ok=True)
            path = Path(args.profile) / f"profile-{name}.txt"
            session = profiler.last_session
            path.write_text(
                f"{url}: {runs} requests, wall {session.duration:.3f} s, CPU {session.cpu_time:.3f} s\n\n"
                "Hottest functions (self time):\n"
                + profiler.output_text(unicode=True, color=False, flat=True, flat_time="self")[:6000]
                + "\n\nCall tree:\n" + profiler.output_text(unicode=True, color=False, show_all=False))
            entry["profile"] = str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
        results[url] = entry
    print(json.dumps(results, ensure_ascii=False))


def columns(args):
    """Columns (and tables) that the installed models expect and the database lacks."""
    from django.apps import apps
    from django.db import connection

    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        missing, checked = [], 0
        for model in apps.get_models(include_auto_created=True):
            if model._meta.proxy or not model._meta.managed:
                continue
            table = model._meta.db_table
            if table not in tables:
                missing.append({"table": table, "column": None, "model": model._meta.label})
                continue
            present = {c.name for c in connection.introspection.get_table_description(cursor, table)}
            for field in model._meta.local_concrete_fields:
                checked += 1
                if field.column not in present:
                    missing.append({"table": table, "column": field.column, "model": model._meta.label})
    print(json.dumps({"checked_columns": checked, "missing": missing}))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("targets")
    t.add_argument("--connections", type=int, default=16)
    q = sub.add_parser("queries")
    q.add_argument("urls", nargs="+")
    q.add_argument("--runs", type=int, default=5)
    q.add_argument("--profile", help="directory for pyinstrument reports")
    q.add_argument("--label", default="ours")
    q.add_argument("--basket", type=int, help="as a shopper with this product (pk) in the basket")
    sub.add_parser("columns")
    args = parser.parse_args()
    setup()
    {"targets": targets, "queries": queries, "columns": columns}[args.command](args)


if __name__ == "__main__":
    main()
