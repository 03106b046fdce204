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


def manage(code, env, *args):
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=code, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
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
    if not reuse:
        manage(code, env, "migrate", "--noinput", "-v", "0")
        if "BENCH" not in manage(code, env, "shell", "-c", "from catalogue.models import Product; "
                                 "print('BENCH' if Product.objects.count() > 100 else '')"):
            log("load_demo (a few minutes)")
            manage(code, env, "load_demo")
    shutil.rmtree(Path(code) / "bench" / "results" / "static", ignore_errors=True)
    manage(code, env, "collectstatic", "--noinput", "-v", "0")
    line = [x for x in manage(code, env, "shell", "-c", SETUP).splitlines() if x.startswith("BENCH")][0]
    _, product, category, product_pk = line.split()
    return product, category, product_pk


def sign_in(base, email):
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    session.post(f"{base}/accounts/login/", data={"csrfmiddlewaretoken": token, "login-username": email,
                 "login-password": PASSWORD, "login_submit": "1"}, headers={"Referer": f"{base}/accounts/login/"})
    assert "sessionid" in session.cookies, f"could not sign in {email}"
    return session


def basket_session(base, product_url, product_pk):
    session = requests.Session()
    page = session.get(base + product_url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    session.post(f"{base}/basket/add/{product_pk}/", data={"csrfmiddlewaretoken": token, "quantity": "1"},
                 headers={"Referer": base + product_url})
    return session


def cookie_header(session):
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


def run_lighthouse(binary, url, cookie, categories):
    out = RESULTS / f"last-{os.getpid()}.json"
    cmd = [str(binary), url, "--quiet", "--output=json", f"--output-path={out}", "--form-factor=mobile",
           "--throttling-method=simulate", f"--only-categories={','.join(categories)}",
           "--chrome-flags=--headless=new --no-sandbox --disable-gpu"]
    if cookie:
        cmd.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    subprocess.run(cmd, check=True, env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    report = json.loads(out.read_text())
    scores = {key: round(report["categories"][key]["score"] * 100) for key in categories}
    requests_ = report["audits"]["network-requests"]["details"]["items"]
    total = sum(item.get("transferSize", 0) for item in requests_)
    static = sum(item.get("transferSize", 0) for item in requests_ if urlsplit(item["url"]).path.startswith("/static/"))
    return {**scores, "first_kb": total / 1024, "next_kb": (total - static) / 1024,
            "lcp_s": report["audits"]["largest-contentful-paint"]["numericValue"] / 1000}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--code", default=str(ROOT), help="checkout to serve (default: this one)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--reuse", action="store_true", help="database already migrated and loaded")
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ocop_lighthouse")
    code = Path(args.code).resolve()
    RESULTS.mkdir(parents=True, exist_ok=True)
    binary = lighthouse_bin()
    env = server_env(code, database_url)
    product, category, product_pk = prepare(code, env, args.reuse)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_file = open(RESULTS / f"gunicorn-{os.getpid()}.log", "w")
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "marketplace.wsgi", "-b", f"127.0.0.1:{port}",
                               "-w", "2", "--worker-class", "gthread", "--threads", "4", "--log-level", "warning"],
                              cwd=code, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        for _ in range(120):
            try:
                requests.get(base + "/", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.5)
        basket = cookie_header(basket_session(base, product, product_pk))
        urls = {"home": ("/", None), "catalogue": ("/catalogue/", None), "category": (category, None),
                "product": (product, None), "search": ("/search/?q=keo+cu+do", None), "basket": ("/basket/", basket),
                "checkout": ("/checkout/", basket),
                "seller": ("/ban-hang/", lambda: cookie_header(sign_in(base, "lh.seller@example.com"))),
                "department": ("/so-cong-thuong/", lambda: cookie_header(sign_in(base, "lh.office@example.com")))}
        rows = []
        for name in args.pages.split(","):
            path, cookie = urls[name]
            cookie = cookie() if callable(cookie) else cookie
            categories = ["performance", "accessibility", "best-practices"] + (["seo"] if name in PUBLIC else [])
            runs = [run_lighthouse(binary, base + path, cookie, categories) for _ in range(args.runs)]
            row = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
            rows.append((name, row))
            log(f"{name}: {row}")
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"\nLighthouse {LIGHTHOUSE_VERSION}, mobile, simulated slow 4G, median of {args.runs} "
          f"{args.label} ({code}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print(f"{'page':<11} {'Perf':>4} {'A11y':>4} {'BP':>4} {'SEO':>4} {'first KB':>8} {'next KB':>7} {'LCP s':>5}")
    for name, row in rows:
        print(f"{name:<11} {row['performance']:>4.0f} {row['accessibility']:>4.0f} {row['best-practices']:>4.0f} "
              f"{row.get('seo', float('nan')):>4.0f} {row['first_kb']:>8.0f} {row['next_kb']:>7.0f} {row['lcp_s']:>5.1f}")


if __name__ == "__main__":
    main()
