"""Load benchmark (issue 8, "Performance"): the shop's pages under concurrent load, against the stack's
own ceiling and against stock django-oscar on the same data.

What it measures, and why
- Requests per second, p50 and p95 latency and errors (non-2xx/3xx, socket errors) per page, with many
  concurrent connections on loopback, against gunicorn (2 workers per core) with PostgreSQL and Redis as
  production runs them (DEBUG=False, manifest static files through WhiteNoise).
- Pages: home (Wagtail), a category listing (the busiest category), a product page, a search
  (``?q=keo+cu+do``), the same search narrowed by facets, and add to basket (a POST with CSRF: each
  connection first GETs the product page and posts once, outside the measurement, then the benchmark
  counts only its POSTs to ``/basket/add/<pk>/``; the adds are verified in the database afterwards).
- A trivial Django view (bench/trivial.py, mounted by the bench-only URLconf bench/urls.py) served by the
  same gunicorn in the same run: the ratio page/trivial says how close each page is to what the stack
  can serve at all, whatever the machine's speed or load.
- Anonymous visitors twice: with the anonymous page cache on (the default, marketplace/pagecache.py; it
  serves visitors without a basket, history or session) and off (PAGE_CACHE_SECONDS=0: what a shopper
  with a basket, or a cache miss, costs).
- Stock Oscar 4.2.1 (bench/stock_oscar/: Oscar's apps and templates, no Wagtail, no forks) on the same
  database, same gunicorn worker count: category, product, search and trivial view. Oscar serves its
  catalogue and search through haystack; without a search server the baseline uses haystack's Whoosh
  backend (pure Python, installed into bench/results/pylib, never into the locked venv).
- At the end, in process: SQL queries per request and the time spent in SQL for the product, category
  and search pages of both stacks (bench/load_probe.py), plus pyinstrument reports in bench/results/.

Data: a dedicated PostgreSQL database (``ocop_bench_load``, or ``ocop_bench_load_demo`` with --quick):
migrate, ``load_demo`` (544 products) and ``bench.catalogue_data.generate_catalogue(N)``. ``--reuse``
keeps a database already prepared for the same N (and the collected static files and Whoosh index).

Load generator: wrk (Debian package ``wrk``; installed with apt-get when missing and running as root);
otherwise a Python generator (one thread and one requests session per connection), reported as such.

    .venv/bin/python bench/load.py --quick                 # smoke run: demo data, 5 s per page
    .venv/bin/python bench/load.py --products 50000 --duration 20 --connections 16 --reuse

Results are printed as tables and saved as JSON in bench/results/ (ignored by git).
"""
import argparse
import json
import os
import platform
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from html import unescape
from pathlib import Path
from urllib.parse import quote_plus, unquote_plus

import requests

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYLIB = RESULTS / "pylib"  # ad-hoc packages of the stock baseline (Whoosh), outside the locked venv
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
# Dedicated Redis databases, flushed before each server starts (BENCH_REDIS_DB: one of your own when several
# people benchmark on one machine; the two stacks run one after the other, so they may share it).
REDIS_DB = {"ours": int(os.environ.get("BENCH_REDIS_DB", 11)),
            "stock": int(os.environ.get("BENCH_REDIS_DB", 12))}
SECRET_KEY = "bench-only-secret-key-0123456789-not-for-production-use-abcdefghij"
CATALOGUE_SEED = 8
SEARCH_QUERY = "keo cu do"  # as shoppers type it, without diacritics
SEARCH_ACCENTED = "kẹo cu đơ"  # stock Oscar (Whoosh) does not fold diacritics: it finds only this one
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

#: Lua for wrk: print the summary as one JSON line (wrk's own text output has no p95).
WRK_DONE = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""

#: Lua for the add-to-basket run: one wrk thread per connection, each with its own shopper (CSRF cookie
#: and token from its GET of the product page, basket cookie from its first POST).
WRK_BASKET = r"""
local shoppers = %(shoppers)s
local counter = 1
function setup(thread)
  thread:set("shopper", counter)
  counter = counter + 1
end
function init(args)
  local s = shoppers[shopper]
  wrk.method = "POST"
  wrk.path = s.path
  wrk.body = s.body
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = s.cookie
  wrk.headers["Referer"] = s.referer
end
"""


# --- helpers -------------------------------------------------------------------------------------

def log(message):
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {message}", flush=True)


def load_average():
    return os.getloadavg()[0]


def free_port():
    """A free port: the first free one from BENCH_PORT (when several people share the machine), else any."""
    first = int(os.environ.get("BENCH_PORT", 0))
    for port in range(first, first + 100) if first else [0]:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    sys.exit(f"no free port from BENCH_PORT={first}")


def run(cmd, env, what, **kwargs):
    """Run a command of the preparation; stop with its output if it fails."""
    started = time.perf_counter()
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, **kwargs)
    if result.returncode:
        sys.exit(f"{what} failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    log(f"{what}: {time.perf_counter() - started:.0f} s")
    return result.stdout


def database_url(name):
    return f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{name}"


def base_env(db_name, *, stack, page_cache=True):
    env = {**os.environ,
           "DATABASE_URL": database_url(db_name),
           "REDIS_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB[stack]}",
           "DEBUG": "False", "SECRET_KEY": SECRET_KEY, "ALLOWED_HOSTS": "127.0.0.1,localhost",
           "SECURE_SSL_REDIRECT": "False", "MEDIA_ROOT": str(RESULTS / "media"), "LOG_LEVEL": "WARNING",
           "PYTHONWARNINGS": "ignore"}
    if stack == "ours":
        env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
        env["PAGE_CACHE_SECONDS"] = "300" if page_cache else "0"
        # Facet counts are cached for every visitor (basket or not): a shopper with a basket still gets them.
        env["SEARCH_FACET_CACHE_SECONDS"] = "300"
        # Production refuses development secrets and sandboxes (marketplace/production.py): the bench never
        # pays, so unreachable placeholders satisfy it.
        env.update({"VNPAY_TMN_CODE": "BENCHTMN", "VNPAY_HASH_SECRET": "bench-only-vnpay-secret-0123456789",
                    "VNPAY_PAYMENT_URL": "https://vnpay.bench.invalid/pay", "VNPAY_API_URL": "https://vnpay.bench.invalid/api",
                    "EINVOICE_PROVIDER_URL": "https://einvoice.bench.invalid/", "EINVOICE_PROVIDER_KEY": "bench-only-key",
                    "PRIVACY_ENCRYPTION_KEY": "YmVuY2gtb25seS1wcml2YWN5LWtleS0zMi1ieXRlcyE=",
                    "PRIVACY_HASH_KEY": "bench-only-privacy-digest-key-0123456789"})
    else:
        env["DJANGO_SETTINGS_MODULE"] = "bench.stock_oscar.settings"
        env["STOCK_OSCAR_WHOOSH_PATH"] = str(RESULTS / f"whoosh-{db_name}")
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(PYLIB)])
    return env


def flush_redis(stack):
    import redis

    redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB[stack]).flushdb()


# --- data ----------------------------------------------------------------------------------------

def pg_connect(dbname="postgres"):
    import psycopg

    return psycopg.connect(dbname=dbname, autocommit=True, **PG)


def prepared_products(db_name):
    """The N of generate_catalogue(N) a database was prepared with, or None if it is not ready."""
    try:
        with pg_connect(db_name) as conn:
            row = conn.execute("SELECT products FROM bench_load_state").fetchone()
            return row[0] if row else None
    except Exception:  # no database, no state table
        return None


def prepare_database(args, db_name):
    if args.reuse and prepared_products(db_name) == args.products:
        log(f"database {db_name}: reused (prepared for {args.products} generated products); migrating")
        run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], base_env(db_name, stack="ours"),
            "migrate")  # the code may have moved on since the database was prepared
        return False
    log(f"database {db_name}: building (migrate, load_demo, generate_catalogue({args.products}))")
    with pg_connect() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db_name}"')
    env = base_env(db_name, stack="ours")
    python = sys.executable
    run([python, "manage.py", "migrate", "--noinput", "-v", "0"], env, "migrate")
    run([python, "manage.py", "load_demo"], env, "load_demo (544 products)")
    if args.products:
        code = ("import sys; sys.path.insert(0, '.'); import django; django.setup(); "
                "from bench.catalogue_data import generate_catalogue; "
                f"print(generate_catalogue({args.products}, seed={CATALOGUE_SEED}))")
        run([python, "-c", code], env, f"generate_catalogue({args.products})")
    with pg_connect(db_name) as conn:
        conn.execute("VACUUM ANALYZE")
        conn.execute("CREATE TABLE bench_load_state (products integer NOT NULL, prepared timestamptz NOT NULL)")
        conn.execute("INSERT INTO bench_load_state VALUES (%s, now())", [args.products])
    return True


def newest_project_static():
    """Newest modification time of the project's own static files (a new one needs collectstatic again)."""
    newest = 0.0
    for folder in ROOT.glob("*/static"):
        for path, _, files in os.walk(folder):
            newest = max([newest, *(os.path.getmtime(os.path.join(path, f)) for f in files)])
    return newest


def collect_static(args, db_name, stack):
    """Static files do not depend on the database: --reuse keeps them once collected."""
    marker = RESULTS / ("static" if stack == "ours" else "stock_oscar_static") / "staticfiles.json"
    if args.reuse and marker.exists() and (stack == "stock" or newest_project_static() < marker.stat().st_mtime):
        return
    run([sys.executable, "-m", "django", "collectstatic", "--noinput", "-v", "0"],
        base_env(db_name, stack=stack), f"collectstatic ({stack})")


def prepare_stock(args, db_name, rebuilt):
    """Whoosh (ad hoc, outside the venv), Oscar's static files and the Whoosh index of the products."""
    if not (PYLIB / "whoosh").exists():
        run([sys.executable, "-m", "pip", "install", "--quiet", "--target", str(PYLIB), "whoosh==2.7.4"],
            os.environ, "pip install whoosh into bench/results/pylib")
    collect_static(args, db_name, "stock")
    index, marker = RESULTS / f"whoosh-{db_name}", RESULTS / f"whoosh-{db_name}" / "bench-ready"
    if args.reuse and marker.exists() and not rebuilt:
        log(f"Whoosh index {index.name}: reused")
        return
    shutil.rmtree(index, ignore_errors=True)
    run([sys.executable, "bench/stock_oscar/index.py"], base_env(db_name, stack="stock"),
        "stock Oscar: Whoosh index (bench/stock_oscar/index.py)")
    marker.write_text(datetime.now(timezone.utc).isoformat())


def probe(env, *arguments):
    out = run([sys.executable, "bench/load_probe.py", *arguments], env, f"probe {arguments[0]}")
    return json.loads(out.strip().splitlines()[-1])


# --- server --------------------------------------------------------------------------------------

class Server:
    """gunicorn on loopback with the given environment, stopped on exit."""

    def __init__(self, wsgi, env, workers, threads, label):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.label = label
        cmd = [sys.executable, "-m", "gunicorn", wsgi, "-b", f"127.0.0.1:{self.port}", "-w", str(workers),
               "--log-level", "warning", "--timeout", "60", "--backlog", "2048"]
        if threads > 1:
            cmd += ["--worker-class", "gthread", "--threads", str(threads)]
        self.log_file = open(RESULTS / f"gunicorn-{label}.log", "w")
        self.process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=self.log_file, stderr=subprocess.STDOUT)

    def __enter__(self):
        for _ in range(300):
            if self.process.poll() is not None:
                sys.exit(f"gunicorn ({self.label}) exited: see {self.log_file.name}")
            try:
                requests.get(self.url + "/bench/trivial/", timeout=5)
                return self
            except requests.RequestException:
                time.sleep(0.2)
        sys.exit(f"gunicorn ({self.label}) did not answer in 60 s")

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log_file.close()


# --- load generators -----------------------------------------------------------------------------

def wrk_available():
    if shutil.which("wrk"):
        return True
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("wrk missing: apt-get install wrk")
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], capture_output=True)
        if not shutil.which("wrk"):
            subprocess.run(["apt-get", "update", "-q"], capture_output=True)
            subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], capture_output=True)
    return bool(shutil.which("wrk"))


def run_wrk(url, duration, connections, threads, lua):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua + WRK_DONE)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        out = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s",
                              "--timeout", "30s", "-s", script.name, url],
                             capture_output=True, text=True, timeout=duration + 120)
    finally:
        os.unlink(script.name)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next((l for l in out.stdout.splitlines() if l.startswith("WRKJSON ")), None)
    if line is None:
        sys.exit(f"wrk failed:\n{out.stdout}\n{out.stderr}")
    raw = json.loads(line[len("WRKJSON "):])
    seconds = raw["duration_us"] / 1e6
    socket_errors = raw["connect"] + raw["read"] + raw["write"] + raw["timeout"]
    return {"requests": raw["requests"], "rps": raw["requests"] / seconds, "p50_ms": raw["p50_us"] / 1000,
            "p95_ms": raw["p95_us"] / 1000, "p99_ms": raw["p99_us"] / 1000, "max_ms": raw["max_us"] / 1000,
            "errors": raw["status"] + socket_errors, "status_errors": raw["status"], "socket_errors": socket_errors,
            "generator_cpu": ((after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)) / seconds}


def run_python(url, duration, connections, method="GET", shoppers=None, cookie=None):
    """Fallback generator: one thread and one keep-alive session per connection."""
    latencies, errors, lock = [], [0], threading.Lock()
    deadline = time.perf_counter() + duration
    cpu_before = time.process_time()

    def worker(index):
        session, mine, bad = requests.Session(), [], 0
        shopper = shoppers[index] if shoppers else None
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                if shopper:
                    r = session.post(url.split("/", 3)[0] + "//" + url.split("/", 3)[2] + shopper["path"],
                                     data=shopper["body"], allow_redirects=False, timeout=30,
                                     headers={"Cookie": shopper["cookie"], "Referer": shopper["referer"],
                                              "Content-Type": "application/x-www-form-urlencoded"})
                else:
                    r = session.get(url, allow_redirects=False, timeout=30,
                                    headers={"Cookie": cookie} if cookie else None)
                r.content
                ok = r.status_code < 400
            except requests.RequestException:
                ok = False
            mine.append(time.perf_counter() - started)
            bad += not ok
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {"requests": len(latencies), "rps": len(latencies) / seconds, "p50_ms": q[49] * 1000,
            "p95_ms": q[94] * 1000, "p99_ms": q[98] * 1000, "max_ms": max(latencies, default=0) * 1000,
            "errors": errors[0], "status_errors": errors[0], "socket_errors": 0,
            "generator_cpu": (time.process_time() - cpu_before) / seconds}


class Load:
    def __init__(self, args):
        self.args = args
        self.wrk = args.generator != "python" and wrk_available()
        if args.generator == "wrk" and not self.wrk:
            sys.exit("wrk is not installed (apt-get install wrk)")
        self.name = "wrk" if self.wrk else "python (threads + requests.Session)"

    def get(self, url, duration, cookie=None):
        if self.wrk:
            lua = f'wrk.headers["Cookie"] = {json.dumps(cookie)}\n' if cookie else ""
            return run_wrk(url, duration, self.args.connections, min(2, self.args.connections), lua)
        return run_python(url, duration, self.args.connections, cookie=cookie)

    def post(self, base_url, shoppers, duration):
        if self.wrk:
            table = "{" + ",".join(
                "{" + ",".join(f"{k}={json.dumps(v)}" for k, v in s.items()) + "}" for s in shoppers) + "}"
            return run_wrk(base_url + shoppers[0]["path"], duration, len(shoppers), len(shoppers),
                           WRK_BASKET % {"shoppers": table})
        return run_python(base_url, duration, len(shoppers), "POST", shoppers)


# --- pages ---------------------------------------------------------------------------------------

def check_page(base_url, path, expect=200, cookie=None):
    """One request before the load: the page must answer as expected (a redirect would be measured as a success)."""
    headers = {"Cookie": cookie} if cookie else None
    r = requests.get(base_url + path, allow_redirects=False, timeout=120, headers=headers)
    if r.status_code != expect:
        sys.exit(f"{base_url}{path} answered {r.status_code} (expected {expect}): {r.text[:500]}")
    r2 = requests.get(base_url + path, allow_redirects=False, timeout=120, headers=headers)
    return {"bytes": len(r2.content), "page_cache": r2.headers.get("X-Page-Cache", "-")}


def canonical(base_url, path):
    """Follow the stack's redirects once (e.g. a category slug path) and return the final path."""
    r = requests.get(base_url + path, timeout=120)
    return r.url[len(base_url):] if r.url.startswith(base_url) else path


def shoppers_for(base_url, products):
    """Per connection: GET the product page (CSRF cookie + token), POST once (basket cookie). Not measured."""
    shoppers = []
    for product in products:
        page = requests.get(base_url + product["url"], timeout=60)
        token = CSRF_RE.search(page.text)
        csrf = page.cookies.get("csrftoken")
        if not (token and csrf):
            sys.exit(f"no CSRF token on {product['url']} ({page.status_code})")
        body = f"csrfmiddlewaretoken={unescape(token.group(1))}&quantity=1"
        path, referer = f"/basket/add/{product['pk']}/", base_url + product["url"]
        first = requests.post(base_url + path, data=body, allow_redirects=False, timeout=60,
                              headers={"Cookie": f"csrftoken={csrf}", "Referer": referer,
                                       "Content-Type": "application/x-www-form-urlencoded"})
        basket = first.cookies.get("oscar_open_basket")
        if first.status_code != 302 or not basket:
            sys.exit(f"add to basket failed on {path}: {first.status_code} {first.text[:300]}")
        shoppers.append({"path": path, "body": body, "referer": referer,
                         "cookie": f"csrftoken={csrf}; oscar_open_basket={basket}",
                         "basket": int(basket.strip('"').split(":")[0])})
    return shoppers


def basket_holder(base_url, product):
    """The cookies of a shopper with one product in the basket (as ``shoppers_for``), for GETs."""
    shopper = shoppers_for(base_url, [product])[0]
    return shopper["cookie"]


def idle_latency(base_url, pages, cookie, runs):
    """One request at a time on a server with no other load from this benchmark: median and best of ``runs``
    sequential requests per page after one warm-up, as a shopper with ``cookie`` (None: anonymous)."""
    session, rows = requests.Session(), {}
    headers = {"Cookie": cookie} if cookie else None
    for name, path in pages:
        session.get(base_url + path, headers=headers, allow_redirects=False, timeout=120)
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            r = session.get(base_url + path, headers=headers, allow_redirects=False, timeout=120)
            r.content
            times.append((time.perf_counter() - started) * 1000)
        rows[name] = {"median_ms": statistics.median(times), "best_ms": min(times), "status": r.status_code}
    return rows


def basket_quantity(db_name, shoppers):
    with pg_connect(db_name) as conn:
        row = conn.execute("SELECT COALESCE(SUM(quantity), 0) FROM basket_line WHERE basket_id = ANY(%s)",
                           [[s["basket"] for s in shoppers]]).fetchone()
    return row[0]


def measure(load, server, pages, args, label, cookie=None):
    """Warm up then load each page (as the shopper whose cookies are ``cookie``, if given); returns rows."""
    rows = []
    warm = 1 if args.quick else 3
    for name, path in pages:
        info = check_page(server.url, path, cookie=cookie)
        load.get(server.url + path, warm, cookie)
        result = load.get(server.url + path, args.duration, cookie)
        rows.append({"page": name, "path": path, **info, **result, "load_before": load_average()})
        log(f"{label:>14} {name:28} {result['rps']:8.1f} req/s  p50 {result['p50_ms']:7.1f} ms  "
            f"p95 {result['p95_ms']:7.1f} ms  errors {result['errors']}  (cache {info['page_cache']})")
    return rows


def measure_basket(load, server, targets, db_name, args, label):
    shoppers = shoppers_for(server.url, targets["basket_products"][:args.connections])
    load.post(server.url, shoppers, 1 if args.quick else 3)  # warm-up (its adds are counted out below)
    before = basket_quantity(db_name, shoppers)
    result = load.post(server.url, shoppers, args.duration)
    added = basket_quantity(db_name, shoppers) - before
    # wrk does not count the requests still in flight when it stops: up to one per connection more.
    missing = max(0, result["requests"] - added)
    row = {"page": "add to basket (POST)", "path": "/basket/add/<pk>/", "bytes": 0, "page_cache": "-",
           **result, "verified_adds": added, "errors": result["errors"] + missing, "adds_missing": missing,
           "load_before": load_average()}
    log(f"{label:>14} {row['page']:28} {result['rps']:8.1f} req/s  p50 {result['p50_ms']:7.1f} ms  "
        f"p95 {result['p95_ms']:7.1f} ms  errors {row['errors']}  ({added} adds verified in basket_line)")
    return row


# --- report --------------------------------------------------------------------------------------

def add_ratios(rows, stock_rows=None):
    trivial = next((r["rps"] for r in rows if r["page"] == "trivial view"), None)
    stock = {r["page"]: r["rps"] for r in stock_rows or []}
    for row in rows:
        row["x_trivial"] = row["rps"] / trivial if trivial else None
        row["x_stock"] = row["rps"] / stock[row["page"]] if stock.get(row["page"]) else None


def print_table(title, rows):
    print(f"\n{title}")
    print(f"| {'page':28} | {'n':>6} | {'req/s':>8} | {'p50 ms':>7} | {'p95 ms':>7} | {'errors':>6} | {'÷ trivial':>9} | "
          f"{'÷ stock':>7} | {'cache':>5} |")
    print(f"|{'-' * 30}|{'-' * 8}|{'-' * 10}|{'-' * 9}|{'-' * 9}|{'-' * 8}|{'-' * 11}|{'-' * 9}|{'-' * 7}|")
    for r in rows:
        x_trivial = f"{r['x_trivial']:.2f}" if r.get("x_trivial") is not None else "-"
        x_stock = f"{r['x_stock']:.2f}" if r.get("x_stock") is not None else "-"
        few = " (too few samples)" if r["requests"] < 20 else ""
        print(f"| {r['page']:28} | {r['requests']:>6} | {r['rps']:8.1f} | {r['p50_ms']:7.1f} | {r['p95_ms']:7.1f} | "
              f"{r['errors']:>6} | {x_trivial:>9} | {x_stock:>7} | {r.get('page_cache', '-'):>5} |{few}")


def print_queries(title, counts):
    print(f"\n{title}")
    print(f"| {'page':44} | {'results':>7} | {'queries':>7} | {'Redis':>5} | {'wall ms':>8} | {'CPU ms':>7} | "
          f"{'SQL ms':>7} |")
    print(f"|{'-' * 46}|{'-' * 9}|{'-' * 9}|{'-' * 7}|{'-' * 10}|{'-' * 9}|{'-' * 9}|")
    for url, c in counts.items():
        results = "-" if c.get("results") is None else c["results"]
        print(f"| {unquote_plus(url)[:44]:44} | {results:>7} | {c['queries']:>7} | {c.get('cache_calls', 0):>5} | "
              f"{c['ms']:>8.1f} | {c['cpu_ms']:>7.1f} | {c['sql_ms']:>7.1f} |")
    print("(per request, sequential, in one process; wall time includes waiting for a busy CPU, CPU time is "
          "Python's own (not PostgreSQL's), SQL ms is wall time in the database calls. Profiles: " + ", ".join(sorted({c["profile"] for c in counts.values() if "profile" in c}))
          + ")")


# --- main ----------------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=50_000, help="generated products on top of the demo's 544")
    parser.add_argument("--duration", type=int, default=20, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1), help="gunicorn workers (2 × cores)")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (>1: gthread workers)")
    parser.add_argument("--reuse", action="store_true",
                        help="reuse a database (static files, Whoosh index) already prepared for --products")
    parser.add_argument("--quick", action="store_true", help="smoke run: demo data only (544 products), 5 s per page")
    parser.add_argument("--db", help="PostgreSQL database name (default ocop_bench_load[_demo])")
    parser.add_argument("--generator", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--no-stock", action="store_true", help="skip the stock Oscar baseline")
    parser.add_argument("--no-probe", action="store_true", help="skip query counts and profiles")
    parser.add_argument("--prepare-only", action="store_true",
                        help="prepare the database, static files and Whoosh index, then stop")
    args = parser.parse_args()
    if args.quick:
        args.products, args.duration = 0, min(args.duration, 5)
    db_name = args.db or ("ocop_bench_load_demo" if args.products == 0 else "ocop_bench_load")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "media").mkdir(exist_ok=True)
    started = datetime.now(timezone.utc)
    log(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")

    collect_static(args, db_name, "ours")  # first: production settings refuse to migrate without them
    rebuilt = prepare_database(args, db_name)
    ours_env = base_env(db_name, stack="ours")
    targets = probe(ours_env, "targets", "--connections", str(args.connections))
    log(f"{targets['products']} products; product {targets['product']['url']}, category "
        f"{targets['category']['url']} ({targets['category']['products']} products)")
    if not args.no_stock:
        prepare_stock(args, db_name, rebuilt)
    if args.prepare_only:
        return 0
    load = Load(args)
    log(f"load generator: {load.name}, {args.connections} connections; gunicorn {args.workers} workers"
        + (f" × {args.threads} threads" if args.threads > 1 else " (sync)"))

    search = "/search/?q=" + quote_plus(SEARCH_QUERY)
    accented = "/search/?q=" + quote_plus(SEARCH_ACCENTED)
    facet_search = search + "&group=I&stars=3"
    ours_pages = [("trivial view", "/bench/trivial/"), ("home", "/"), ("catalogue", "/catalogue/"),
                  ("category", targets["category"]["url"]),
                  ("product", targets["product"]["url"]), ("search", search), ("search, with diacritics", accented),
                  ("search + facets", facet_search)]
    report = {"started": started.isoformat(), "machine": {"cores": os.cpu_count(), "platform": platform.platform(),
                                                          "load_at_start": os.getloadavg()},
              "options": vars(args), "database": db_name, "generator": load.name, "targets": targets,
              "search_query": SEARCH_QUERY, "results": {}}

    holder_pages = [("trivial view", "/bench/trivial/"), ("catalogue", "/catalogue/"),
                    ("category", targets["category"]["url"]), ("product", targets["product"]["url"]),
                    ("search", search), ("basket", "/basket/")]
    idle_runs = 5 if args.quick else 15
    flush_redis("ours")
    with Server("marketplace.wsgi", base_env(db_name, stack="ours", page_cache=True), args.workers, args.threads,
                "ours-cache-on") as server:
        rows = measure(load, server, ours_pages, args, "cache on")
        rows.append(measure_basket(load, server, targets, db_name, args, "cache on"))
        # A shopper with a product in the basket: the page cache passes them by (production settings).
        cookie = basket_holder(server.url, targets["basket_products"][-1])
        report["results"]["ours_basket_holder"] = measure(load, server, holder_pages, args, "basket holder",
                                                          cookie=cookie)
        report["idle_ours"] = {"basket holder": idle_latency(server.url, holder_pages, cookie, idle_runs),
                               "anonymous": idle_latency(server.url, ours_pages[:5], None, idle_runs)}
    report["results"]["ours_cache_on"] = rows
    flush_redis("ours")
    with Server("marketplace.wsgi", base_env(db_name, stack="ours", page_cache=False), args.workers, args.threads,
                "ours-cache-off") as server:
        report["results"]["ours_cache_off"] = measure(load, server, ours_pages, args, "cache off")

    stock_env = base_env(db_name, stack="stock")
    if not args.no_stock:
        report["stock_missing_columns"] = probe(stock_env, "columns")
        flush_redis("stock")
        with Server("bench.stock_oscar.wsgi", stock_env, args.workers, args.threads, "stock") as server:
            stock_pages = [("trivial view", "/bench/trivial/"), ("catalogue", "/catalogue/"),
                           ("category", canonical(server.url, targets["category"]["url"])),
                           ("product", canonical(server.url, targets["product"]["url"])), ("search", search),
                           ("search, with diacritics", accented)]
            report["results"]["stock_oscar"] = measure(load, server, stock_pages, args, "stock Oscar")
            cookie = basket_holder(server.url, {**targets["basket_products"][-1],
                                                "url": canonical(server.url, targets["basket_products"][-1]["url"])})
            stock_holder = [p for p in stock_pages if p[0] != "search, with diacritics"] + [("basket", "/basket/")]
            report["results"]["stock_basket_holder"] = measure(load, server, stock_holder, args,
                                                               "stock holder", cookie=cookie)
            report["idle_stock"] = {"basket holder": idle_latency(server.url, stock_holder, cookie, idle_runs)}

    stock_rows = report["results"].get("stock_oscar")
    add_ratios(report["results"]["ours_cache_on"], stock_rows)
    add_ratios(report["results"]["ours_cache_off"], stock_rows)
    add_ratios(report["results"]["ours_basket_holder"], report["results"].get("stock_basket_holder"))
    if stock_rows:
        add_ratios(stock_rows)
        add_ratios(report["results"]["stock_basket_holder"])

    if not args.no_probe:
        probe_urls = ["/catalogue/", targets["product"]["url"], targets["category"]["url"], search, accented, facet_search, "/"]
        off_env = base_env(db_name, stack="ours", page_cache=False)
        report["queries_ours"] = probe(off_env, "queries", *probe_urls, "--profile", str(RESULTS), "--label", "ours",
                                       "--runs", "3" if args.quick else "10")
        if stock_rows:
            report["queries_stock"] = probe(stock_env, "queries", *[r["path"] for r in stock_rows[1:]],
                                            "--profile", str(RESULTS), "--label", "stock",
                                            "--runs", "3" if args.quick else "10")
        # The basket holder's pages: CPU time per request, robust to the machine's other load.
        basket_pk = str(targets["basket_products"][-1]["pk"])
        report["queries_ours_holder"] = probe(
            base_env(db_name, stack="ours", page_cache=True), "queries", *[p for _n, p in holder_pages[1:]],
            "--basket", basket_pk, "--profile", str(RESULTS), "--label", "ours-holder",
            "--runs", "5" if args.quick else "10")
        if stock_rows:
            report["queries_stock_holder"] = probe(
                stock_env, "queries", *[r["path"] for r in report["results"]["stock_basket_holder"][1:]],
                "--basket", basket_pk, "--profile", str(RESULTS), "--label", "stock-holder",
                "--runs", "5" if args.quick else "10")

    # --- print ---
    print(f"\nLoad benchmark — {targets['products']} products, database {db_name}, gunicorn {args.workers} workers"
          f"{f' × {args.threads} threads' if args.threads > 1 else ' (sync)'}, {args.connections} connections, "
          f"{args.duration} s per page, generator {load.name}, load average at start "
          f"{report['machine']['load_at_start'][0]:.2f} ({os.cpu_count()} cores)")
    print_table("Ours, anonymous page cache ON (default: anonymous visitors without basket/history)",
                report["results"]["ours_cache_on"])
    print_table("Ours, page cache OFF (PAGE_CACHE_SECONDS=0: shoppers with a basket, cache misses)",
                report["results"]["ours_cache_off"])
    print_table("Ours, a shopper with a product in the basket (page cache on: it passes them by; facet cache on)",
                report["results"]["ours_basket_holder"])
    if stock_rows:
        print_table("Stock django-oscar 4.2.1 (Oscar's apps and templates, haystack + Whoosh), same data and server",
                    stock_rows)
        print_table("Stock django-oscar 4.2.1, a shopper with a product in the basket",
                    report["results"]["stock_basket_holder"])
        missing = report["stock_missing_columns"]["missing"]
        print(f"\nStock Oscar's models over our schema: {report['stock_missing_columns']['checked_columns']} columns "
              f"checked, {len(missing)} missing" + "".join(f"\n  - {m['model']}: {m['table']}.{m['column']}"
                                                             for m in missing))
        print("\nOurs ÷ stock Oscar (requests/s; the bar is ≥ 2):")
        on = {r["page"]: r for r in report["results"]["ours_cache_on"]}
        off = {r["page"]: r for r in report["results"]["ours_cache_off"]}
        holder = {r["page"]: r for r in report["results"]["ours_basket_holder"]}
        stock_holder = {r["page"]: r for r in report["results"]["stock_basket_holder"]}
        for s in stock_rows:
            if s["rps"]:
                print(f"  {s['page']:24} anonymous, cache on {on[s['page']]['rps'] / s['rps']:6.2f}   "
                      f"cache off {off[s['page']]['rps'] / s['rps']:6.2f}", end="")
            else:
                print(f"  {s['page']:24} stock Oscar completed no request in {args.duration} s", end="")
            h, sh = holder.get(s["page"]), stock_holder.get(s["page"])
            print(f"   basket holder {h['rps'] / sh['rps']:6.2f}" if h and sh and sh["rps"] else "")
        if holder.get("basket") and stock_holder.get("basket", {}).get("rps"):
            print(f"  {'basket':24} basket holder {holder['basket']['rps'] / stock_holder['basket']['rps']:6.2f}")
    print("\nOne request at a time (ms, median / best of "
          f"{idle_runs}; no other load from this benchmark, the machine's other load as it is):")
    idle_stock = report.get("idle_stock", {}).get("basket holder", {})
    for who, pages in report["idle_ours"].items():
        for name, t in pages.items():
            stock = idle_stock.get(name) if who == "basket holder" else None
            print(f"  ours, {who:13} {name:24} {t['median_ms']:7.1f} / {t['best_ms']:6.1f}"
                  + (f"   stock Oscar {stock['median_ms']:7.1f} / {stock['best_ms']:6.1f}" if stock else ""))
    if "queries_ours" in report:
        print_queries("SQL per request, ours (page cache off, in process)", report["queries_ours"])
    if "queries_stock" in report:
        print_queries("SQL per request, stock Oscar (in process)", report["queries_stock"])
    if "queries_ours_holder" in report:
        print_queries("SQL per request, ours, a shopper with a basket (page cache on, in process)",
                      report["queries_ours_holder"])
    if "queries_stock_holder" in report:
        print_queries("SQL per request, stock Oscar, a shopper with a basket (in process)",
                      report["queries_stock_holder"])
    errors = sum(r["errors"] for rows in report["results"].values() for r in rows)
    generator_cpu = max(r["generator_cpu"] for rows in report["results"].values() for r in rows)
    print(f"\nErrors (non-2xx/3xx, socket errors, adds missing from the basket): {errors}. "
          f"Load generator CPU: at most {generator_cpu:.0%} of one core. Load average now {os.getloadavg()[0]:.2f}.")
    report["finished"] = datetime.now(timezone.utc).isoformat()
    report["load_at_end"] = os.getloadavg()
    out = RESULTS / f"load-{started.strftime('%Y%m%dT%H%M%SZ')}{'-quick' if args.quick else ''}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"Saved {out.relative_to(ROOT)}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
