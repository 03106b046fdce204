"""Search benchmark: latency p50/p95 of the search backend at the demo's size and at 50,000 products.

Runs in one process against the configured database (use a dedicated PostgreSQL database):

    createdb -h 127.0.0.1 -U postgres ocop_bench_search
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_bench_search
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_demo --no-images
    .venv/bin/python bench/search.py --target 50000

For each catalogue size it measures, over a set of real queries (with and without diacritics, one typo):
the backend's search alone ("plain": one page of ids and the total), the search with every facet
count ("facets"), the whole results page through Django's test client ("page": search, facets,
cards, template), the suggestion endpoint, and as the baseline the stock Oscar approach without
haystack — ``icontains`` on title and description, newest first, with a count.
Missing products up to ``--target`` are generated with ``bench.catalogue_data.generate_catalogue``.

Relevance, on the demo catalogue only (before any product is generated): NDCG@10 and "exact product
first" over the graded set ``search/relevance/queries.json``, for the database backend and, when
``ELASTICSEARCH_URL`` points at a cluster, for Elasticsearch (its index is rebuilt first).
``--relevance-only`` skips the latencies.
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = ["mat ong huong son", "mật ong Hương Sơn", "keo cu do", "kẹo cu đơ", "nuoc mam cam nhuong",
           "buoi phuc trach", "bưởi Phúc Trạch", "buoii phuc trach", "nhung huou", "che xanh", "cam bu",
           "htx tien dien"]
PREFIXES = ["ke", "keo c", "mat o", "buoi ph", "nuoc m", "nhung", "cam b", "ch"]


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "*")
    os.environ.setdefault("PAGE_CACHE_SECONDS", "0")  # measure rendering, not the anonymous page cache
    import django

    django.setup()


def timed(fn, rounds, items):
    samples = []
    for _ in range(rounds):
        for item in items:
            started = time.perf_counter()
            fn(item)
            samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {"p50": statistics.median(samples), "p95": samples[int(len(samples) * 0.95) - 1], "n": len(samples)}


def oscar_baseline(query):
    """Stock Oscar without haystack: icontains on title or description, newest first, one page and a count."""
    from django.db.models import Q

    from catalogue.models import Product

    queryset = (Product.objects.browsable().filter(Q(title__icontains=query) | Q(description__icontains=query))
                .order_by("-date_created"))
    return list(queryset.values_list("pk", flat=True)[:24]), queryset.count()


def measure(rounds):
    from django.test import Client

    from search.backends import get_backend

    backend = get_backend()
    client = Client()
    for query in QUERIES:  # warm-up: plans, caches, connection
        backend.search_products(query=query)
        client.get("/search/", {"q": query})
    rows = {
        "search, plain": timed(lambda q: backend.search_products(query=q, facets=False), rounds, QUERIES),
        "search + facets": timed(lambda q: backend.search_products(query=q, facets=True), rounds, QUERIES),
        "results page (HTTP)": timed(lambda q: client.get("/search/", {"q": q}), max(1, rounds // 2), QUERIES),
        "suggestions (HTTP)": timed(lambda q: client.get("/search/suggest/", {"q": q}), rounds, PREFIXES),
        "Oscar icontains baseline": timed(oscar_baseline, rounds, QUERIES),
    }
    found = {q: (backend.search_products(query=q, facets=False).total, oscar_baseline(q)[1]) for q in QUERIES}
    return rows, found


def relevance():
    """{backend: Report or the reason it was not measured}, on the catalogue as it is."""
    from django.conf import settings

    from search.backends import get_backend
    from search.backends.database import DatabaseBackend
    from search.relevance import evaluate_backend

    reports = {"database": evaluate_backend(DatabaseBackend())}
    if getattr(settings, "ELASTICSEARCH_URL", ""):
        from search.backends import rebuild

        configured = settings.SEARCH_BACKEND
        settings.SEARCH_BACKEND = "elasticsearch"  # so that rebuild() loads the cluster too
        try:
            rebuild()
            reports["elasticsearch"] = evaluate_backend(get_backend("elasticsearch", strict=True))
        finally:
            settings.SEARCH_BACKEND = configured
    else:
        reports["elasticsearch"] = "not measured: ELASTICSEARCH_URL is not set (no cluster)"
    return reports


def print_relevance(reports, connection):
    from catalogue.models import Product
    from search.relevance import load_queries

    print(f"\nRelevance on the demo catalogue ({Product.objects.count():,} products, {len(load_queries())} graded "
          f"queries, {connection.vendor}):")
    for name, report in reports.items():
        if isinstance(report, str):
            print(f"  {name:14} {report}")
            continue
        print(f"  {name:14} NDCG@10 {report.ndcg:.3f}   exact product first {report.exact_first:.1%}")
        for query, score, rank, top in report.worst(3):
            print(f"  {'':14}   worst: {query!r} NDCG {score:.3f}, exact product at {rank or '>10'}, first {top!r}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", type=int, default=50_000, help="catalogue size of the second measurement")
    parser.add_argument("--rounds", type=int, default=10, help="rounds over the query set per measurement")
    parser.add_argument("--seed", type=int, default=50, help="seed of the generated products")
    parser.add_argument("--relevance-only", action="store_true", help="relevance figures only, no latencies")
    args = parser.parse_args(argv)
    setup_django()
    from django.conf import settings
    from django.db import connection

    from bench.catalogue_data import generate_catalogue
    from catalogue.models import Product
    from search.backends import backend_name

    if connection.vendor != "postgresql":
        print("warning: not PostgreSQL — figures are for the SQLite fallback", file=sys.stderr)
    if Product.objects.count() < 544:
        from io import StringIO

        from django.core.management import call_command

        call_command("load_demo", "--no-images", stdout=StringIO())
    reports = relevance()
    if args.relevance_only:
        print_relevance(reports, connection)
        return
    results = []
    sizes = [Product.objects.count()]
    rows, found = measure(args.rounds)
    results.append((sizes[0], rows, found))
    missing = args.target - sizes[0]
    if missing > 0:
        print(f"generating {missing} products…", file=sys.stderr)
        generated = generate_catalogue(missing, seed=args.seed)
        print(f"  done in {generated['seconds']}s", file=sys.stderr)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        if backend_name() == "elasticsearch":
            from search.backends import rebuild

            rebuild()
        sizes.append(Product.objects.count())
        rows, found = measure(args.rounds)
        results.append((sizes[-1], rows, found))

    print(f"\nSearch latency, backend «{backend_name()}» on {connection.vendor} "
          f"({settings.DATABASES['default']['NAME']}), ms, {args.rounds} rounds × {len(QUERIES)} queries")
    header = f"{'':28}" + "".join(f"{f'{n:,} products':>24}" for n, _r, _f in results)
    print(header)
    print(f"{'':28}" + "".join(f"{'p50':>12}{'p95':>12}" for _ in results))
    for label in results[0][1]:
        line = f"{label:28}"
        for _n, rows, _f in results:
            line += f"{rows[label]['p50']:>12.1f}{rows[label]['p95']:>12.1f}"
        print(line)
    for n, rows, _f in results:
        base = rows["Oscar icontains baseline"]["p50"]
        print(f"ratio at {n:,}: search+facets / baseline p50 = {rows['search + facets']['p50'] / base:.1f}×, "
              f"plain / baseline = {rows['search, plain']['p50'] / base:.1f}×")
    n, _rows, found = results[-1]
    print(f"\nProducts found at {n:,} (ours / Oscar icontains):")
    for query, (ours, theirs) in found.items():
        print(f"  {query:24} {ours:>7} / {theirs}")
    print_relevance(reports, connection)


if __name__ == "__main__":
    main()
