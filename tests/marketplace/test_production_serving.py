"""Production run the way the README's production section says: DEBUG=False, secrets from the
environment, `collectstatic`, `migrate`, `check --deploy`, gunicorn — static files by WhiteNoise, public
uploads by the site itself. Without collected static files the site refuses to start instead of
answering 500 on every page."""
import io
import re
import secrets
import subprocess
import sys
import time

import pytest
import requests
from PIL import Image

from tests.marketplace.served_site import ROOT, build_database, free_port, site_env

pytestmark = pytest.mark.django_db(transaction=False)

#: What an operator sets (README, "Production"): none of it is a development default or points here.
PRODUCTION_ENV = {
    "DEBUG": "False",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "VNPAY_TMN_CODE": "HTOCOP99",
    "VNPAY_HASH_SECRET": secrets.token_hex(16),
    "EINVOICE_PROVIDER_KEY": secrets.token_hex(16),
    "VNPAY_PAYMENT_URL": "https://pay.vnpay.vn/vpcpay.html",
    "VNPAY_API_URL": "https://merchant.vnpay.vn/merchant_webapi/api/transaction",
    "EINVOICE_PROVIDER_URL": "https://hoadon.example.vn/api",
    "PRIVACY_ENCRYPTION_KEY": "aGF0aW5oLXByb2R1Y3Rpb24tbGlrZS1rZXktMzJieXQ=",
    "PRIVACY_HASH_KEY": secrets.token_urlsafe(32),
    "SITE_URL": "https://cho.example.vn",
    "ALLOWED_HOSTS": "cho.example.vn",
    "SCHEDULER_ENABLED": "False",
}
#: The reverse proxy in front of gunicorn terminates TLS and says so.
BEHIND_PROXY = {"Host": "cho.example.vn", "X-Forwarded-Proto": "https"}


@pytest.fixture(scope="module")
def production(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.db import connection

    folder = tmp_path_factory.mktemp("production")
    db_path = folder / "site.sqlite3"
    build_database(db_path, connection.settings_dict)
    env = site_env(db_path, **PRODUCTION_ENV, STATIC_ROOT=str(folder / "static"), MEDIA_ROOT=str(folder / "media"),
                   PRIVATE_MEDIA_ROOT=str(folder / "private-media"))
    return folder, env


def manage(env, *args, timeout=900):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


def gunicorn(env, port, log):
    return subprocess.Popen([sys.executable, "-m", "gunicorn", "marketplace.wsgi", "--bind", f"127.0.0.1:{port}",
                             "--workers", "2", "--timeout", "120"], cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT)


def test_without_collected_static_files_production_refuses_to_start(production):
    folder, env = production
    checked = manage(env, "check", "--deploy")
    assert checked.returncode == 1
    assert "marketplace.E001" in checked.stderr and "collectstatic --noinput" in checked.stderr
    assert "VNPAY" not in checked.stderr and "SECRET_KEY" not in checked.stderr  # only the static files are missing

    with open(folder / "refused.log", "w+") as log:
        server = gunicorn(env, free_port(), log)
        assert server.wait(timeout=300) != 0  # the workers cannot boot: gunicorn stops, nothing is served
        log.seek(0)
        assert "Refusing to start in production" in log.read()


def test_production_serves_pages_static_files_and_uploads_as_the_readme_says(production, collected_static_root):
    folder, env = production
    env = {**env, "STATIC_ROOT": str(collected_static_root)}  # `manage.py collectstatic --noinput` (conftest)
    checked = manage(env, "check", "--deploy")
    assert checked.returncode == 0 and "E001" not in checked.stderr, checked.stderr

    picture = folder / "media" / "images" / "products" / "mat-ong.png"
    picture.parent.mkdir(parents=True)
    Image.new("RGB", (8, 8), (200, 150, 0)).save(picture)
    (folder / "private-media").mkdir()
    (folder / "private-media" / "cccd.png").write_bytes(picture.read_bytes())

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with open(folder / "gunicorn.log", "w+") as log:
        server = gunicorn(env, port, log)
        try:
            deadline = time.monotonic() + 300
            while True:
                assert server.poll() is None, (folder / "gunicorn.log").read_text()
                try:
                    page = requests.get(url + "/catalogue/", headers=BEHIND_PROXY, timeout=60)
                    break
                except (requests.ConnectionError, requests.Timeout):
                    assert time.monotonic() < deadline, "gunicorn did not answer"
                    time.sleep(0.2)
            assert page.status_code == 200
            assert requests.get(url + "/catalogue/", headers={"Host": "cho.example.vn"}, timeout=60,
                                allow_redirects=False).status_code == 301  # plain HTTP goes to HTTPS

            # Static files: hashed names from the manifest, compressed, cached "forever".
            stylesheet = re.search(r'href="(/static/marketplace/css/cho-ocop\.[0-9a-f]{12}\.css)"', page.text).group(1)
            css = requests.get(url + stylesheet, headers={**BEHIND_PROXY, "Accept-Encoding": "gzip"}, timeout=60)
            assert css.status_code == 200 and css.headers["Content-Encoding"] == "gzip"
            assert "immutable" in css.headers["Cache-Control"]

            # Public uploads: served by the site, cacheable; nothing else of the disk is.
            image = requests.get(url + "/media/images/products/mat-ong.png", headers=BEHIND_PROXY, timeout=60)
            assert image.status_code == 200 and image.headers["Content-Type"] == "image/png"
            assert Image.open(io.BytesIO(image.content)).size == (8, 8)
            assert image.headers["Cache-Control"].startswith("public, max-age=")
            # the same picture for every visitor and language: a changed cookie must not make browsers fetch it again
            assert "Cookie" not in image.headers.get("Vary", "") and "Content-Language" not in image.headers
            for path in ("/media/images/products/", "/media/%2e%2e/site.sqlite3", "/media/../private-media/cccd.png",
                         "/media/images/products/khong-co.png", "/private-media/cccd.png"):
                refused = requests.get(url + path, headers=BEHIND_PROXY, timeout=60)
                assert refused.status_code in (400, 404), path  # 400: a path climbing out of MEDIA_ROOT
                assert b"SQLite format" not in refused.content and b"PNG" not in refused.content
            assert requests.post(url + "/media/images/products/mat-ong.png", headers=BEHIND_PROXY,
                                 timeout=60).status_code in (403, 405)  # read-only (CSRF or method refused)

            missing = requests.get(url + "/khong-co-trang-nay/", headers=BEHIND_PROXY, timeout=60)
            assert missing.status_code == 404 and "Không tìm thấy" in missing.text
        finally:
            server.terminate()
            server.wait(timeout=60)
