"""Behind reverse proxies the client's address comes from the trusted hops only (issue 15 point 12):
rate limits, lockouts and logs count each client, not the proxy, and a forged X-Forwarded-For chooses nothing."""
import logging

import pytest
from axes.models import AccessAttempt
from django.test import Client

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"
PROXY = "192.0.2.10"
ALICE, BOB = "203.0.113.7", "198.51.100.20"


@pytest.fixture
def shopper(django_user_model):
    return django_user_model.objects.create_user(username="khach", email="khach@example.com",
                                                 password="Dung-Mat-Khau-2026")


def sign_in(password, forwarded, email="khach@example.com", remote=PROXY):
    return Client().post(LOGIN, {"login-username": email, "login-password": password, "login_submit": "1"},
                         REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)


def test_rate_limit_counts_each_client_behind_the_proxy(settings, caplog):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "3/m"}
    with caplog.at_level(logging.WARNING, logger="marketplace.ratelimit"):
        alice = [sign_in("x", ALICE, email="ai@example.com").status_code for _ in range(4)]
    assert alice == [200, 200, 200, 429]
    assert any(ALICE in r.getMessage() for r in caplog.records)  # the log names the client, not the proxy
    assert sign_in("x", BOB, email="ai@example.com").status_code == 200  # another client is not limited
    # Alice cannot escape her limit by writing other addresses in front: only the proxy's hop counts.
    assert sign_in("x", f"10.1.2.3, 8.8.8.8, {ALICE}", email="ai@example.com").status_code == 429


def test_lockout_is_per_client_address_not_per_proxy(settings, shopper):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_ENABLED = True
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in("sai-mat-khau", ALICE)
    assert sign_in("Dung-Mat-Khau-2026", ALICE).status_code == 429
    assert AccessAttempt.objects.filter(ip_address=ALICE).exists()
    assert not AccessAttempt.objects.filter(ip_address=PROXY).exists()
    assert sign_in("Dung-Mat-Khau-2026", BOB).status_code == 302  # the owner, elsewhere, still signs in


def test_two_proxies_take_the_second_hop_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "2/m"}
    # client → CDN (appends ALICE) → nginx (appends the CDN's address) → app (REMOTE_ADDR = nginx)
    answers = [sign_in("x", f"6.6.6.{n}, {ALICE}, 192.0.2.99", email="ai@example.com").status_code
               for n in range(3)]
    assert answers == [200, 200, 429]
    assert sign_in("x", f"{BOB}, 192.0.2.99", email="ai@example.com").status_code == 200


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "2/m"}
    answers = [sign_in("x", forged, email="ai@example.com", remote=ALICE).status_code
               for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3")]
    assert answers == [200, 200, 429]  # a forged header does not reset the limit


def test_malformed_or_short_header_falls_back_to_the_socket_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "2/m"}
    answers = [sign_in("x", forwarded, email="ai@example.com", remote=ALICE).status_code
               for forwarded in ("not-an-ip", "", "<script>")]
    assert answers == [200, 200, 429]
