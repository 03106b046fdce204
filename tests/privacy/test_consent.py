"""Consent is asked, never pre-ticked, and recorded with the notice's version and time on every path
that collects personal data: sign-up, checkout (guests and accounts), seller application, assisted
application (with the assistant who recorded the household's consent)."""
import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from onboarding.models import VendorApplication
from privacy.models import ConsentRecord, PrivacyNotice
from tests.checkout import ADDRESS, checkout_data, place_order, prepare_checkout
from tests.factories import create_product, create_vendor

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def product(db):
    return create_product(vendor=create_vendor(name="HTX Kẹo"), price=65000, stock=10)


def test_the_notice_page_shows_the_version_in_force(client):
    response = client.get(reverse("privacy:notice"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Thông báo xử lý dữ liệu cá nhân" in page and "Phiên bản 1.0" in page


def test_a_new_version_from_the_cms_is_what_later_consents_point_at(client):
    PrivacyNotice.objects.create(version="2.0", title="Thông báo (sửa đổi)", body="<p>Nội dung mới</p>",
                                 effective_from=timezone.now() - datetime.timedelta(minutes=1))
    PrivacyNotice.objects.create(version="3.0", title="Chưa có hiệu lực", body="<p>Sau này</p>",
                                 effective_from=timezone.now() + datetime.timedelta(days=30))
    assert "Phiên bản 2.0" in client.get(reverse("privacy:notice")).content.decode()
    response = client.post("/accounts/register/", {"email": "moi@example.com", "password1": PASSWORD,
                                                   "password2": PASSWORD, "privacy_consent": "on"})
    assert response.status_code == 302
    assert ConsentRecord.objects.get().notice_version == "2.0"


def test_sign_up_without_consent_is_refused_in_vietnamese(client):
    page = client.get("/accounts/register/").content.decode()
    assert 'name="privacy_consent"' in page and "checked" not in page.split('name="privacy_consent"')[1][:40]
    response = client.post("/accounts/register/", {"email": "moi@example.com", "password1": PASSWORD,
                                                   "password2": PASSWORD})
    assert response.status_code == 200
    assert "Vui lòng đánh dấu đồng ý" in response.content.decode()
    assert not User.objects.filter(email="moi@example.com").exists()
    assert not ConsentRecord.objects.exists()


@pytest.mark.parametrize("where", ["register", "login-page"])
def test_sign_up_records_consent_with_version_and_time(client, where):
    before = timezone.now()
    if where == "register":
        response = client.post("/accounts/register/", {"phone": "0987 654 321", "password1": PASSWORD,
                                                       "password2": PASSWORD, "privacy_consent": "on"})
    else:
        response = client.post("/accounts/login/", {
            "registration-phone": "0987 654 321", "registration-password1": PASSWORD,
            "registration-password2": PASSWORD, "registration-privacy_consent": "on", "registration_submit": "1"})
    assert response.status_code == 302
    consent = ConsentRecord.objects.get()
    user = User.objects.get(phone__number="0987654321")
    assert (consent.purpose, consent.user, consent.notice_version) == (ConsentRecord.ACCOUNT, user, "1.0")
    assert consent.notice == PrivacyNotice.current() and consent.given_at >= before


def test_guest_checkout_without_consent_places_nothing(client, product):
    data = prepare_checkout(client, [(product, 1)], "cod")
    del data["privacy_consent"]
    response = client.post("/checkout/", data)
    assert response.status_code == 200
    assert "Vui lòng đánh dấu đồng ý" in response.content.decode()
    assert not ConsentRecord.objects.exists()
    from oscar.core.loading import get_model
    assert not get_model("order", "Order").objects.exists()


@pytest.mark.parametrize("method", ["cod", "vnpay"])
def test_guest_checkout_records_consent_with_the_order(client, product, method):
    order, _ = place_order(client, [(product, 1)], method)
    consent = ConsentRecord.objects.get()
    assert (consent.purpose, consent.order, consent.user, consent.notice_version) == (
        ConsentRecord.ORDER, order, None, "1.0")


def test_signed_in_checkout_records_consent_for_the_account(client, product, shopper):
    client.force_login(shopper)
    client.post(f"/basket/add/{product.pk}/", {"quantity": 1})
    assert client.post("/checkout/", {**ADDRESS, "method": "cod", "privacy_consent": "on"}).status_code == 302
    consent = ConsentRecord.objects.get()
    assert consent.user == shopper and consent.order.user == shopper


def test_checkout_page_shows_an_unticked_consent_box_linking_the_notice(client, product):
    client.post(f"/basket/add/{product.pk}/", {"quantity": 1})
    page = client.get("/checkout/").content.decode()
    box = page.split('id="field-privacy_consent"')[1][:900]
    assert 'type="checkbox"' in box and "checked" not in box.split("<label")[1].split("</label>")[0]
    assert reverse("privacy:notice") in box and "phiên bản 1.0" in box
    assert checkout_data("cod")["privacy_consent"] == "on"  # the helper other tests use ticks it


def test_seller_application_needs_and_records_consent(client, applicant):
    client.force_login(applicant)
    response = client.post(reverse("onboarding:apply"))
    assert response.status_code == 200 and "Vui lòng đánh dấu đồng ý" in response.content.decode()
    assert not VendorApplication.objects.exists()
    client.post(reverse("onboarding:apply"), {"privacy_consent": "on"})
    application = VendorApplication.objects.get()
    consent = ConsentRecord.objects.get()
    assert (consent.purpose, consent.application, consent.user, consent.recorded_by) == (
        ConsentRecord.SELLER_APPLICATION, application, applicant, None)


def test_assisted_application_records_who_recorded_the_households_consent_and_when(client, assistant):
    client.force_login(assistant)
    assert client.post(reverse("onboarding:assisted")).status_code == 200
    assert not VendorApplication.objects.exists()
    before = timezone.now()
    client.post(reverse("onboarding:assisted"), {"privacy_consent": "on"})
    application = VendorApplication.objects.get()
    consent = ConsentRecord.objects.get()
    assert consent.application == application and consent.recorded_by == assistant and consent.user is None
    assert consent.given_at >= before and consent.notice_version == "1.0"
    page = client.get(reverse("onboarding:assisted")).content.decode()
    assert "ghi nhận sự đồng ý" in page  # the assistant's box says whose consent it records
