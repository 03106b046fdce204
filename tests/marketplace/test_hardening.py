"""Hardening seen from outside: lockout, rate limits, password rules, CSP header, deploy checks."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache

from tests.factories import create_product, create_vendor

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()  # rate-limit counters live in the cache
    yield
    cache.clear()


@pytest.fixture
def shopper(django_user_model):
    return django_user_model.objects.create_user(username="khach", email="khach@example.com",
                                                 password="Dung-Mat-Khau-2026")


def sign_in(client, email, password, ip="203.0.113.7"):
    return client.post(LOGIN, {"login-username": email, "login-password": password, "login_submit": "1"},
                       REMOTE_ADDR=ip)


def test_five_wrong_passwords_lock_the_account_for_that_address(client, shopper, settings):
    settings.AXES_ENABLED = True
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, "khach@example.com", "sai-mat-khau")
        assert response.status_code == 200  # the form again, with its error
        assert "_auth_user_id" not in client.session
    response = sign_in(client, "khach@example.com", "sai-mat-khau")
    assert response.status_code == 429
    # Locked: even the right password is refused, with the reason in Vietnamese.
    response = sign_in(client, "khach@example.com", "Dung-Mat-Khau-2026")
    assert response.status_code == 429
    assert "Tài khoản tạm thời bị khóa" in response.content.decode()
    assert "15 phút" in response.content.decode()
    assert "_auth_user_id" not in client.session
    attempt = AccessAttempt.objects.get(username="khach", ip_address="203.0.113.7")
    assert attempt.failures_since_start >= settings.AXES_FAILURE_LIMIT
    # The lock is per account and address: the owner elsewhere still signs in.
    response = sign_in(client, "khach@example.com", "Dung-Mat-Khau-2026", ip="198.51.100.20")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(shopper.pk)


def test_a_successful_login_resets_the_failure_count(client, shopper, settings):
    settings.AXES_ENABLED = True
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "khach@example.com", "sai-mat-khau")
    assert sign_in(client, "khach@example.com", "Dung-Mat-Khau-2026").status_code == 302
    client.logout()
    assert sign_in(client, "khach@example.com", "sai-mat-khau").status_code == 200  # not locked: count reset


def test_login_posts_are_rate_limited_per_address(client, shopper, settings):
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "3/d"}  # a day: the count cannot roll over mid-test on a slow machine
    for _ in range(3):
        assert sign_in(client, "ai@example.com", "x").status_code == 200
    response = sign_in(client, "ai@example.com", "x")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "Bạn đã gửi quá nhiều yêu cầu" in response.content.decode()
    # Another address is not affected; reading the login page is never limited.
    assert sign_in(client, "khach@example.com", "Dung-Mat-Khau-2026", ip="198.51.100.20").status_code == 302
    assert client.get(LOGIN, REMOTE_ADDR="203.0.113.7").status_code in (200, 302)


def test_ipn_floods_get_a_vnpay_answer_with_429(client, settings):
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "ipn": "2/d"}
    for _ in range(2):
        response = client.get("/payments/vnpay/ipn/", {"vnp_TxnRef": "1"}, REMOTE_ADDR="192.0.2.9")
        assert response.status_code == 200
        assert response.json()["RspCode"] == "97"  # unsigned: refused by the checksum, not the limit
    response = client.get("/payments/vnpay/ipn/", {"vnp_TxnRef": "1"}, REMOTE_ADDR="192.0.2.9")
    assert response.status_code == 429
    assert response.json() == {"RspCode": "99", "Message": "Too many requests"}


def test_registration_refuses_short_and_common_passwords(client):
    def register(password):
        return client.post(LOGIN, {"registration-email": "moi@example.com", "registration-password1": password,
                                   "registration-password2": password, "registration_submit": "1",
                                   "registration-privacy_consent": "on"})

    html = register("Ab1!xyz9").content.decode()  # 8 characters
    assert "Mật khẩu này quá ngắn. Nó phải chứa ít nhất 10 ký tự." in html
    html = register("password123").content.decode()
    assert "Mật khẩu này quá phổ biến." in html
    assert register("Nuoc-Mam-Cam-Nhuong-7").status_code == 302


def test_every_storefront_page_sends_a_csp_whose_nonce_matches_its_inline_script(client):
    vendor = create_vendor()
    product = create_product(vendor=vendor, title="Kẹo cu đơ Thành Đạt")
    for url in ["/catalogue/", product.get_absolute_url(), "/search/?q=keo", "/basket/", LOGIN]:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "object-src 'none'" in policy
        assert "frame-ancestors 'none'" in policy
        assert "'unsafe-inline'" not in policy
        nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
        scripts = re.findall(r"<script(?: [^>]*)?>", response.content.decode())
        inline = [tag for tag in scripts if "src=" not in tag]
        assert inline and all(f'nonce="{nonce}"' in tag for tag in inline), url
        assert " on" not in "".join(re.findall(r"<[a-z]+ [^>]*\bon[a-z]+=", response.content.decode()))


def test_admin_areas_get_the_relaxed_policy_without_a_nonce(admin_client):
    policy = admin_client.get("/cms/")["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in policy
    assert "nonce-" not in policy


PRODUCTION = {"DEBUG": "False", "SECRET_KEY": "x7" * 32 + "-production-like-secret-for-the-check",
              "PRIVACY_HASH_KEY": "h4" * 24,
              "ALLOWED_HOSTS": "ocop.hatinh.gov.vn", "DJANGO_SETTINGS_MODULE": "marketplace.settings",
              "SITE_URL": "https://ocop.hatinh.gov.vn",
              "INVOICING_PROVIDER_TAX_CODE": "0100109106", "INVOICING_ISSUER_TAX_CODE": "3001234567",
              "INVOICING_ISSUER_NAME": "Trung tâm Xúc tiến Thương mại Hà Tĩnh",
              "VNPAY_TMN_CODE": "HTOCOP26", "VNPAY_HASH_SECRET": "Q" * 32,
              "VNPAY_PAYMENT_URL": "https://pay.vnpay.vn/vpcpay.html",
              "VNPAY_API_URL": "https://merchant.vnpay.vn/merchant_webapi/api/transaction",
              "EINVOICE_PROVIDER_KEY": "provider-key-" + "k" * 24,
              "EINVOICE_PROVIDER_URL": "https://einvoice-provider.example.vn/api/",
              "PRIVACY_ENCRYPTION_KEY": "aGF0aW5oLXByb2R1Y3Rpb24tbGlrZS1rZXktMzJieXQ="}


@pytest.fixture(autouse=True)
def _collected_static(request):
    """check --deploy with production settings needs collected static files (marketplace.E001 otherwise)."""
    if "check_deploy" in request.function.__code__.co_names:
        PRODUCTION["STATIC_ROOT"] = str(request.getfixturevalue("collected_static_root"))


def check_deploy(**overrides):
    env = {name: value for name, value in os.environ.items()
           if name not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "TESTING")}  # set by the browser tests' conftest
    env = {**env, **PRODUCTION, **overrides}
    env = {name: value for name, value in env.items() if value is not None}
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_with_production_settings():
    done = check_deploy()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_check_deploy_names_a_missing_public_address():
    done = check_deploy(SITE_URL=None)
    assert done.returncode != 0
    assert "marketplace.W001" in done.stderr


def test_check_deploy_names_a_missing_invoice_provider_and_issuer():
    done = check_deploy(INVOICING_PROVIDER_TAX_CODE=None, INVOICING_ISSUER_NAME=None)
    assert done.returncode != 0
    assert "invoicing.W001" in done.stderr and "invoicing.W002" in done.stderr


@pytest.mark.parametrize("overrides, named", [
    ({"VNPAY_HASH_SECRET": "OCOPHATINHSANDBOXSECRETKEY2026XX"}, "VNPAY_HASH_SECRET is the development default"),
    ({"VNPAY_TMN_CODE": "OCOPHT01"}, "VNPAY_TMN_CODE is the development default"),
    ({"EINVOICE_PROVIDER_KEY": "OCOPHT-EINVOICE-SANDBOX-KEY"}, "EINVOICE_PROVIDER_KEY is the development default"),
    ({"SECRET_KEY": "dev-only-insecure-key-do-not-use-in-production"}, "SECRET_KEY is the development default"),
    ({"SECRET_KEY": "short"}, "SECRET_KEY must be a long random value"),
    ({"VNPAY_SANDBOX_ENABLED": True}, "VNPAY_SANDBOX_ENABLED mounts a sandbox"),
    ({"EINVOICE_SANDBOX_ENABLED": True}, "EINVOICE_SANDBOX_ENABLED mounts a sandbox"),
    ({"VNPAY_PAYMENT_URL": ""}, "VNPAY_PAYMENT_URL is not set"),
    ({"VNPAY_API_URL": "http://127.0.0.1:8000/sandbox/vnpay/merchant_webapi/api/transaction"},
     "VNPAY_API_URL points at this machine"),
    ({"EINVOICE_PROVIDER_URL": "http://localhost:8011/sandbox/einvoice/api/"},
     "EINVOICE_PROVIDER_URL points at this machine"),
    ({"VNPAY_PAYMENT_URL": "http://[::1]/pay"}, "VNPAY_PAYMENT_URL points at this machine"),
    ({"VNPAY_API_URL": "http://merchant.vnpay.vn/api"}, "VNPAY_API_URL must use https"),
    ({"GHN_API_URL": "https://online-gateway.ghn.vn/shiip/public-api/", "GHN_TOKEN": "OCOPHT-GHN-SANDBOX-TOKEN"},
     "GHN_TOKEN is empty or the emulator's value"),
    ({"VNPOST_API_URL": "http://127.0.0.1:9/"}, "VNPOST_API_URL must be the carrier's https address"),
])
def test_production_check_names_each_development_default(settings, overrides, named):
    from marketplace.production import check_production_settings

    production = {"DEBUG": False, "TESTING": False, "SECRET_KEY": PRODUCTION["SECRET_KEY"],
                  "VNPAY_SANDBOX_ENABLED": False, "EINVOICE_SANDBOX_ENABLED": False, "CARRIERS_SANDBOX_ENABLED": False,
                  **{name: PRODUCTION[name] for name in ("VNPAY_TMN_CODE", "VNPAY_HASH_SECRET", "VNPAY_PAYMENT_URL",
                                                         "VNPAY_API_URL", "EINVOICE_PROVIDER_KEY",
                                                         "EINVOICE_PROVIDER_URL", "PRIVACY_ENCRYPTION_KEY",
                                                         "PRIVACY_HASH_KEY")}}
    for name, value in production.items():
        setattr(settings, name, value)
    assert check_production_settings(None) == []
    for name, value in overrides.items():
        setattr(settings, name, value)
    errors = check_production_settings(None)
    assert errors and {e.id for e in errors} == {"marketplace.E001"} and any(named in e.msg for e in errors)


def _production_env_without_payment_settings():
    env = {name: value for name, value in os.environ.items() if name not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "TESTING")}
    env = {**env, "DEBUG": "False", "SECRET_KEY": PRODUCTION["SECRET_KEY"], "ALLOWED_HOSTS": "ocop.hatinh.gov.vn",
           "DJANGO_SETTINGS_MODULE": "marketplace.settings", "REDIS_URL": ""}
    for name in ("VNPAY_TMN_CODE", "VNPAY_HASH_SECRET", "VNPAY_PAYMENT_URL", "VNPAY_API_URL", "EINVOICE_PROVIDER_KEY",
                 "EINVOICE_PROVIDER_URL", "VNPAY_SANDBOX_ENABLED", "EINVOICE_SANDBOX_ENABLED"):
        env.pop(name, None)
    return env


def test_production_with_the_published_sandbox_secret_does_not_start():
    """With no VNPAY_* set, production would verify IPNs with the secret published in settings.py: `check`
    (not only `--deploy`), the WSGI application and a Celery worker all refuse, naming the problem."""
    env = _production_env_without_payment_settings()
    named = "VNPAY_HASH_SECRET is the development default"
    check = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                           text=True, timeout=300)
    assert check.returncode != 0 and "marketplace.E001" in check.stderr and named in check.stderr
    assert "VNPAY_PAYMENT_URL is not set" in check.stderr and "EINVOICE_PROVIDER_KEY is the development" in check.stderr
    wsgi = subprocess.run([sys.executable, "-c", "import marketplace.wsgi"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)
    assert wsgi.returncode != 0 and "Refusing to start in production" in wsgi.stderr and named in wsgi.stderr
    worker = subprocess.run([sys.executable, "-m", "celery", "-A", "marketplace.celery", "worker", "-P", "solo",
                             "--without-heartbeat", "--without-mingle", "--without-gossip", "-l", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert worker.returncode != 0 and named in worker.stdout + worker.stderr
