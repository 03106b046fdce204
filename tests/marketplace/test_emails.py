"""Every e-mail the site sends links to the site's public address (settings.SITE_URL), never to the Sites
framework's example.com; with no SITE_URL (development) links follow the address being served."""
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from django.contrib.sites.models import Site
from django.core import mail
from django.core.cache import cache

from marketplace.order.emails import order_confirmation_send
from onboarding import services as onboarding
from tests.checkout import place_order
from tests.factories import create_product, create_vendor
from tests.onboarding.conftest import assistant, fill_application, private_media, reviewer  # noqa: F401

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
PUBLIC = "https://cho.ocop-hatinh.vn"
PASSWORD = "Nuoc-Mam-Cam-Nhuong-7"
LINK = re.compile(r"https?://[^\s\"'<>]+")
HREF = re.compile(r"(?:href|src)=\"(https?://[^\"]+)\"")


@pytest.fixture(autouse=True)
def production_switches(settings):
    settings.AXES_ENABLED = True
    settings.RATELIMIT_ENABLE = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def public_address(settings):
    settings.SITE_URL = PUBLIC
    # What settings.py derives from SITE_URL at start-up (test_settings_follow_site_url):
    settings.OSCAR_URL_SCHEMA = "https"
    settings.WAGTAILADMIN_BASE_URL = PUBLIC


def links(message):
    """Links of the text part, and the href/src of the HTML part (not its DOCTYPE's w3.org)."""
    html = [content for content, _mimetype in getattr(message, "alternatives", [])]
    found = [link.rstrip(".,)") for link in LINK.findall(message.body)]
    found += [link for text in html for link in HREF.findall(text)]
    assert "example.com/" not in "".join([message.body] + html)
    return found


def assert_links_on(message, base):
    found = links(message)
    assert found, f"no link in {message.subject!r}"
    for link in found:
        assert link.startswith(base + "/"), (message.subject, link)
    return found


def path_of(link):
    parts = urlsplit(link)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture
def shopper(django_user_model):
    return django_user_model.objects.create_user(username="lan", email="lan@example.com", password=PASSWORD)


# --- Configured address --------------------------------------------------------------------------------
def test_password_reset_link_is_on_the_public_address_and_works(client, shopper, public_address):
    assert client.post("/password-reset/", {"email": "lan@example.com"}).status_code == 302
    (message,) = mail.outbox
    link = assert_links_on(message, PUBLIC)[0]
    response = client.get(path_of(link))
    assert response.status_code == 302 and response["Location"].endswith("/set-password/")
    assert Site.objects.get_current().domain == "cho.ocop-hatinh.vn"


def test_cms_password_reset_link_is_on_the_public_address(client, shopper, public_address):
    shopper.is_staff = True
    shopper.save()
    client.post("/cms/password_reset/", {"email": "lan@example.com"})
    (message,) = mail.outbox
    assert [urlsplit(link).netloc for link in links(message)] == ["cho.ocop-hatinh.vn"]


def test_password_changed_email_links_to_the_public_address(client, shopper, public_address):
    client.force_login(shopper)
    response = client.post("/accounts/change-password/", {"old_password": PASSWORD, "new_password1": PASSWORD + "x",
                                                          "new_password2": PASSWORD + "x"})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert_links_on(message, PUBLIC)


def test_registration_email_has_no_stray_address(client, public_address):
    client.post("/accounts/register/", {"email": "moi@example.com", "password1": PASSWORD, "password2": PASSWORD,
                                        "privacy_consent": "on"})
    (message,) = mail.outbox
    for link in links(message):
        assert link.startswith(PUBLIC + "/")


def test_guest_order_confirmation_links_to_its_status_page_on_the_public_address(client, public_address):
    product = create_product(vendor=create_vendor(), title="Kẹo cu đơ", price=150000)
    order, _ = place_order(client, [(product, 1)], "cod")
    (message,) = [m for m in mail.outbox if order.number in m.subject]
    found = assert_links_on(message, PUBLIC)
    assert f"/accounts/order-status/{order.number}/" in found[0]
    # The link opens the guest's order after the phone number is given (not a 500, not English).
    guest = client.__class__()
    response = guest.get(path_of(found[0]))
    assert response.status_code == 302
    form = guest.get(response["Location"])
    assert "Số điện thoại hoặc email đã dùng khi đặt hàng" in form.content.decode()
    response = guest.post(response["Location"], {"contact": "0912 345 678"})
    assert response.status_code == 302
    assert guest.get(response["Location"]).status_code == 200


def test_account_order_confirmation_links_to_the_public_address(client, shopper, public_address):
    from tests.checkout import place_order

    client.force_login(shopper)
    product = create_product(vendor=create_vendor(), title="Kẹo cu đơ", price=150000)
    place_order(client, [(product, 1)], "cod")
    order = shopper.orders.get()
    (message,) = [m for m in mail.outbox if order.number in m.subject]
    found = assert_links_on(message, PUBLIC)
    assert client.get(path_of(found[0])).status_code == 200


def test_seller_application_emails_link_to_the_public_address(assistant, reviewer, public_address,  # noqa: F811
                                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = onboarding.vendor_application_start_assisted(assistant=assistant)
        application = fill_application(application, assistant, seller_type="household",
                                       email="ho-kinh-doanh@example.com")
        onboarding.vendor_application_submit(application=application, actor=assistant)
    with django_capture_on_commit_callbacks(execute=True):
        onboarding.vendor_application_approve(application=application, reviewer=reviewer, reason="Đủ điều kiện")
    subjects = [message.subject for message in mail.outbox]
    assert len(mail.outbox) >= 3, subjects  # submitted, approved, the household's new account
    for message in mail.outbox:
        assert_links_on(message, PUBLIC)


# --- Development: no SITE_URL, links follow the served address ------------------------------------------
def test_without_a_setting_links_follow_the_host_and_port_being_served(client, shopper, settings):
    settings.SITE_URL = ""
    client.post("/password-reset/", {"email": "lan@example.com"}, HTTP_HOST="127.0.0.1:8011")
    shopper.is_staff = True
    shopper.save()
    client.post("/cms/password_reset/", {"email": "lan@example.com"}, HTTP_HOST="127.0.0.1:8011")
    assert len(mail.outbox) == 2  # Oscar's and Wagtail's
    for message in mail.outbox:
        assert_links_on(message, "http://127.0.0.1:8011")


@pytest.mark.django_db(transaction=True)
def test_live_server_on_a_random_port_and_an_email_sent_outside_any_request(live_server, settings):
    from django.contrib.auth import get_user_model

    settings.SITE_URL = ""
    settings.AXES_ENABLED = False  # the live server's thread shares these settings; lockouts aren't the point
    get_user_model().objects.create_user(username="lan", email="lan@example.com", password=PASSWORD)
    session = requests.Session()
    session.get(f"{live_server.url}/password-reset/", timeout=30)
    response = session.post(f"{live_server.url}/password-reset/", timeout=30,
                            data={"email": "lan@example.com", "csrfmiddlewaretoken": session.cookies["csrftoken"]},
                            headers={"Referer": f"{live_server.url}/password-reset/"})
    assert response.status_code == 200 and response.url.endswith("/password-reset/done/")
    (message,) = mail.outbox
    assert_links_on(message, live_server.url)
    # A task sending an order confirmation without a request uses the same served address.
    product = create_product(vendor=create_vendor(), title="Kẹo cu đơ", price=150000)
    order, _ = place_order(requests_free_client(live_server), [(product, 1)], "cod")
    mail.outbox.clear()
    order_confirmation_send(order)
    (message,) = mail.outbox
    assert_links_on(message, live_server.url)


def requests_free_client(live_server):
    """Django's test client, addressed like the live server (so the last served address stays the same)."""
    from django.test import Client

    return Client(HTTP_HOST=urlsplit(live_server.url).netloc)


def test_settings_follow_site_url():
    env = {**{k: v for k, v in os.environ.items() if k != "TESTING"}, "SITE_URL": "https://cho.ocop-hatinh.vn/"}
    code = ("from django.conf import settings as s; "
            "print(s.SITE_URL, s.OSCAR_URL_SCHEMA, s.WAGTAILADMIN_BASE_URL)")
    done = subprocess.run([sys.executable, "-c", f"import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE',"
                           f" 'marketplace.settings'); django.setup(); {code}"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["https://cho.ocop-hatinh.vn", "https", "https://cho.ocop-hatinh.vn"], done.stderr
