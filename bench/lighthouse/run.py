"""Lighthouse on production settings: the storefront, checkout, seller workspace and department home (issue 21).

Serves a checkout of the code (this one, or another for a "before", e.g. ``git worktree add /tmp/before main``)
with gunicorn, DEBUG=False and collected static files (WhiteNoise, manifest names, brotli/gzip), on a database
with the demo data, and runs Lighthouse (npm, installed here at bench time; Debian's /usr/bin/chromium through
CHROME_PATH) in its mobile preset with simulated slow 4G, ``--runs`` times per page. Prints the medians:
Performance, Accessibility, Best Practices, SEO, page weight on first load, weight of the next page (what
is not a static asset: those are cached for a year under hashed names), LCP. A script, not a CI gate.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_lighthouse .venv/bin/python bench/lighthouse/run.py \
        [--code /tmp/before] [--runs 3] [--pages home,product] [--reuse]

Seller and department pages are signed in by a session cookie (Lighthouse's --extra-headers); basket and
checkout carry a basket with one line. Numbers from a busy shared machine are noisy: compare before and after
of the same run only.

Every step has a timeout made for a loaded shared machine and stops with a message saying which step failed
and why (the command's output, the server's log, the page that answered instead). The reports are kept in
``results/reports/<label or pid>/<page>-<run>.json`` for reading; the table is also written to
``results/table-<label or pid>.txt``.
"""
import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import requests

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
RESULTS = HERE / "results"
LIGHTHOUSE_VERSION = "12.2.3"  # 13 wants Node 22
NPM_DIR = RESULTS / "npm"
PASSWORD = "Bench-lighthouse-2025"
PAGES = ["home", "catalogue", "category", "product", "search", "basket", "checkout", "seller", "department"]
PUBLIC = {"home", "catalogue", "category", "product", "search", "basket", "checkout"}


def log(text):
    print(text, file=sys.stderr, flush=True)


def lighthouse_bin():
    binary = Path(os.environ.get("LIGHTHOUSE_BIN") or NPM_DIR / "node_modules" / ".bin" / "lighthouse")
    if not binary.exists():
        NPM_DIR.mkdir(parents=True, exist_ok=True)
        log(f"npm install lighthouse@{LIGHTHOUSE_VERSION} into {NPM_DIR}")
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(NPM_DIR), "-E",
                        f"lighthouse@{LIGHTHOUSE_VERSION}"], check=True, stdout=subprocess.DEVNULL)
    return binary


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(code, database_url):
    return {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DEBUG": "False", "SECRET_KEY": "bench-lighthouse-secret-key-0123456789-abcdefghijklmnop",
            "ALLOWED_HOSTS": "127.0.0.1,localhost", "SECURE_SSL_REDIRECT": "False", "LOG_LEVEL": "WARNING",
            "MEDIA_ROOT": str(RESULTS / "media"), "PYTHONWARNINGS": "ignore", "PYTHONPATH": str(code),
            "PRIVACY_ENCRYPTION_KEY": "YmVuY2gtbGlnaHRob3VzZS1rZXktMDEyMzQ1Njc4OWE=",
            "PRIVACY_HASH_KEY": "bench-lighthouse-privacy-digest-key-0123456789",
            "VNPAY_TMN_CODE": "BENCHTMN", "VNPAY_HASH_SECRET": "bench-only-vnpay-secret-0123456789",
            "VNPAY_PAYMENT_URL": "https://vnpay.bench.invalid/pay", "VNPAY_API_URL": "https://vnpay.bench.invalid/api",
            "EINVOICE_PROVIDER_URL": "https://einvoice.bench.invalid/", "EINVOICE_PROVIDER_KEY": "bench-only-key"}


#: Seconds, generous: a 2-core machine shared with a CI run takes minutes where a quiet one takes seconds.
MANAGE_TIMEOUT = int(os.environ.get("LIGHTHOUSE_MANAGE_TIMEOUT", "2400"))
HTTP_TIMEOUT = int(os.environ.get("LIGHTHOUSE_HTTP_TIMEOUT", "120"))
SERVER_START_TIMEOUT = int(os.environ.get("LIGHTHOUSE_SERVER_START_TIMEOUT", "300"))
LIGHTHOUSE_TIMEOUT = int(os.environ.get("LIGHTHOUSE_TIMEOUT", "600"))
WARM_UPS = 4  # two gunicorn workers, each with its own cache in the bench (no Redis)


class BenchError(Exception):
    """A step of the bench failed; the message says which and why."""


def manage(code, env, *args):
    started = time.monotonic()
    try:
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=code, env=env, capture_output=True, text=True,
                              timeout=MANAGE_TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        raise BenchError(f"manage.py {' '.join(args)} did not finish in {MANAGE_TIMEOUT} s "
                         f"(LIGHTHOUSE_MANAGE_TIMEOUT); last output:\n{(exc.stdout or b'')[-2000:]!r}") from None
    if done.returncode:
        raise BenchError(f"manage.py {' '.join(args)} failed (exit {done.returncode}):\n"
                         f"{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    log(f"manage.py {args[0]}: {time.monotonic() - started:.0f} s")
    return done.stdout


SETUP = """
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from catalogue.models import Product
from marketplace.roles import DEPARTMENT_GROUP
from vendors.models import Vendor
users = get_user_model().objects
vendor = Vendor.objects.filter(partner__stockrecords__isnull=False).order_by("pk").first()
seller, _ = users.get_or_create(username="bench-lh-seller", defaults={"email": "lh.seller@example.com"})
seller.set_password("%(pw)s"); seller.save(); vendor.partner.users.add(seller)
officer, _ = users.get_or_create(username="bench-lh-office", defaults={"email": "lh.office@example.com"})
officer.set_password("%(pw)s"); officer.save(); officer.groups.add(Group.objects.get_or_create(name=DEPARTMENT_GROUP)[0])
product = Product.objects.filter(stockrecords__num_in_stock__gt=0, images__isnull=False).order_by("pk").first() \\
    or Product.objects.filter(stockrecords__num_in_stock__gt=0).order_by("pk").first()
category = product.categories.first()
print("BENCH", product.get_absolute_url(), category.get_absolute_url(), product.pk)
""" % {"pw": PASSWORD}


def prepare(code, env, reuse):
    # Static files first: with DEBUG=False the site's system check (marketplace.E001) refuses every
    # management command, migrate and load_demo included, until STATIC_ROOT holds the collected files.
    shutil.rmtree(Path(code) / "bench" / "results" / "static", ignore_errors=True)
    manage(code, env, "collectstatic", "--noinput", "-v", "0")
    if not reuse:
        manage(code, env, "migrate", "--noinput", "-v", "0")
        if "BENCH" not in manage(code, env, "shell", "-c", "from catalogue.models import Product; "
                                 "print('BENCH' if Product.objects.count() > 100 else '')"):
            log("load_demo (a few minutes)")
            manage(code, env, "load_demo")
    line = [x for x in manage(code, env, "shell", "-c", SETUP).splitlines() if x.startswith("BENCH")][0]
    _, product, category, product_pk = line.split()
    return product, category, product_pk


class PlainHttpSession(requests.Session):
    """A client of the bench's plain-HTTP server. Production settings mark the session, CSRF and basket cookies
    ``Secure``, which a client keeps but never sends back over http:// — the sign-in POST then failed its CSRF
    check and no session came back. The bench's server is http on 127.0.0.1, so the flag is dropped here.
    Every request has a timeout and must answer below 400."""

    def request(self, method, url, **kwargs):
        kwargs.setdefault("timeout", HTTP_TIMEOUT)
        try:
            response = super().request(method, url, **kwargs)
        except requests.RequestException as exc:
            raise BenchError(f"{method} {url} failed: {exc}") from None
        for cookie in self.cookies:
            cookie.secure = False
        if response.status_code >= 400:
            raise BenchError(f"{method} {url} answered {response.status_code}:\n{response.text[:1500]}")
        return response


def csrf_token(page):
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if not match:
        raise BenchError(f"no CSRF token in {page.url} ({page.status_code})")
    return match.group(1)


def sign_in(base, email):
    session = PlainHttpSession()
    page = session.get(f"{base}/accounts/login/")
    answer = session.post(f"{base}/accounts/login/", data={
        "csrfmiddlewaretoken": csrf_token(page), "login-username": email, "login-password": PASSWORD,
        "login_submit": "1"}, headers={"Referer": f"{base}/accounts/login/"})
    if "sessionid" not in session.cookies:
        raise BenchError(f"could not sign in {email}: the login answered {answer.status_code} at {answer.url} "
                         f"without a session cookie:\n{answer.text[:1500]}")
    return session


def basket_session(base, product_url, product_pk):
    session = PlainHttpSession()
    page = session.get(base + product_url)
    session.post(f"{base}/basket/add/{product_pk}/", data={"csrfmiddlewaretoken": csrf_token(page), "quantity": "1"},
                 headers={"Referer": base + product_url})
    basket = session.get(f"{base}/basket/")
    if 'name="form-0-quantity"' not in basket.text:
        raise BenchError(f"the basket has no line after adding product {product_pk}:\n{basket.text[:1500]}")
    return session


def cookie_header(session):
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


def run_lighthouse(binary, url, cookie, categories, out):
    out.parent.mkdir(parents=True, exist_ok=True)
    # Lighthouse's own waits (page load 45 s by default) are made for a quiet machine; under load a page that
    # takes longer is reported with an error score instead of a number.
    cmd = [str(binary), url, "--quiet", "--output=json", f"--output-path={out}", "--form-factor=mobile",
           "--throttling-method=simulate", f"--only-categories={','.join(categories)}",
           "--max-wait-for-load=180000", "--chrome-flags=--headless=new --no-sandbox --disable-gpu"]
    if cookie:
        cmd.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    for attempt in (1, 2):
        try:
            done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=LIGHTHOUSE_TIMEOUT)
            problem = f"exit {done.returncode}: {done.stderr[-2000:]}" if done.returncode else None
        except subprocess.TimeoutExpired:
            problem = f"no report in {LIGHTHOUSE_TIMEOUT} s (LIGHTHOUSE_TIMEOUT)"
        if not problem:
            report = json.loads(out.read_text())
            if report.get("runtimeError"):
                problem = f"runtime error {report['runtimeError']}"
            elif any(report["categories"][key]["score"] is None for key in categories):
                problem = "a category without a score: " + "; ".join(
                    f"{k}: {a.get('errorMessage')}" for k, a in report["audits"].items() if a.get("errorMessage"))[:2000]
        if not problem:
            break
        log(f"Lighthouse on {url}, attempt {attempt}: {problem}")
    else:
        raise BenchError(f"Lighthouse failed twice on {url}: {problem}")
    scores = {key: round(report["categories"][key]["score"] * 100) for key in categories}
    requests_ = report["audits"]["network-requests"]["details"]["items"]
    total = sum(item.get("transferSize", 0) for item in requests_)
    static = sum(item.get("transferSize", 0) for item in requests_ if urlsplit(item["url"]).path.startswith("/static/"))
    return {**scores, "first_kb": total / 1024, "next_kb": (total - static) / 1024,
            "lcp_s": report["audits"]["largest-contentful-paint"]["numericValue"] / 1000}


def warm_up(url, cookie):
    """Ask for the page a few times before measuring it: the first render after a start fills the caches
    (pages and product cards, per gunicorn worker) and draws any picture size not drawn yet. Measured
    cold, the first of the runs differed between checkouts by what happened to be cached, not by the code."""
    for _ in range(WARM_UPS):
        try:
            requests.get(url, headers={"Cookie": cookie} if cookie else {}, timeout=HTTP_TIMEOUT)
        except requests.RequestException as exc:
            raise BenchError(f"warming up {url} failed: {exc}") from None


def wait_for_server(server, base, log_name):
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"gunicorn exited ({server.returncode}) before answering; its log "
                             f"({log_name}):\n{Path(log_name).read_text()[-3000:]}")
        try:
            if requests.get(base + "/", timeout=30).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    raise BenchError(f"the server did not answer / with 200 in {SERVER_START_TIMEOUT} s "
                     f"(LIGHTHOUSE_SERVER_START_TIMEOUT); its log ({log_name}):\n{Path(log_name).read_text()[-3000:]}")


def main():
    try:
        bench()
    except BenchError as exc:
        sys.exit(f"bench/lighthouse: {exc}")


def bench():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--code", default=str(ROOT), help="checkout to serve (default: this one)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--reuse", action="store_true", help="database already migrated and loaded")
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ocop_lighthouse")
    code = Path(args.code).resolve()
    load_before, started = os.getloadavg()[0], time.time()
    RESULTS.mkdir(parents=True, exist_ok=True)
    binary = lighthouse_bin()
    env = server_env(code, database_url)
    product, category, product_pk = prepare(code, env, args.reuse)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_file = open(RESULTS / f"gunicorn-{os.getpid()}.log", "w")
    # --timeout: gunicorn's 30 s default kills a worker whose first page (cold caches, a loaded machine) is slow.
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "marketplace.wsgi", "-b", f"127.0.0.1:{port}",
                               "-w", "2", "--worker-class", "gthread", "--threads", "4", "--log-level", "warning",
                               "--timeout", str(HTTP_TIMEOUT)],
                              cwd=code, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        wait_for_server(server, base, log_file.name)
        basket = cookie_header(basket_session(base, product, product_pk))
        urls = {"home": ("/", None), "catalogue": ("/catalogue/", None), "category": (category, None),
                "product": (product, None), "search": ("/search/?q=keo+cu+do", None), "basket": ("/basket/", basket),
                "checkout": ("/checkout/", basket),
                "seller": ("/ban-hang/", lambda: cookie_header(sign_in(base, "lh.seller@example.com"))),
                "department": ("/so-cong-thuong/", lambda: cookie_header(sign_in(base, "lh.office@example.com")))}
        rows = []
        reports = RESULTS / "reports" / (args.label or str(os.getpid()))
        for name in args.pages.split(","):
            path, cookie = urls[name]
            cookie = cookie() if callable(cookie) else cookie
            warm_up(base + path, cookie)
            categories = ["performance", "accessibility", "best-practices"] + (["seo"] if name in PUBLIC else [])
            runs = [run_lighthouse(binary, base + path, cookie, categories, reports / f"{name}-{i + 1}.json")
                    for i in range(args.runs)]
            row = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
            rows.append((name, row))
            log(f"{name}: {row}")
    finally:
        server.terminate()
        server.wait(timeout=30)
    when = (f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime(started))}–{time.strftime('%H:%M UTC', time.gmtime())}")
    lines = [f"Lighthouse {LIGHTHOUSE_VERSION}, mobile, simulated slow 4G, median of {args.runs} {args.label} "
             f"({code}; {when}; load average {load_before:.1f} at start, {os.getloadavg()[0]:.1f} at end, "
             f"on {os.cpu_count()} cores)",
             f"{'page':<11} {'Perf':>4} {'A11y':>4} {'BP':>4} {'SEO':>4} {'first KB':>8} {'next KB':>7} {'LCP s':>5}"]
    for name, row in rows:
        seo = f"{row['seo']:>4.0f}" if "seo" in row else f"{'–':>4}"
        lines.append(f"{name:<11} {row['performance']:>4.0f} {row['accessibility']:>4.0f} "
                     f"{row['best-practices']:>4.0f} {seo} {row['first_kb']:>8.0f} {row['next_kb']:>7.0f} "
                     f"{row['lcp_s']:>5.1f}")
    table = "\n".join(lines)
    (RESULTS / f"table-{args.label or os.getpid()}.txt").write_text(table + "\n")
    print("\n" + table)

if __name__ == "__main__":
    main()
