"""The department verifies certificates before the badge shows; a daily task expires and warns."""
import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from catalogue.models import OcopCertificate
from marketplace.roles import DEPARTMENT_GROUP
from tests.factories import create_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer():
    user = get_user_model().objects.create_user(username="socongthuong", email="sct@example.com", password="x")
    user.groups.add(Group.objects.get_or_create(name=DEPARTMENT_GROUP)[0])
    return user


@pytest.fixture
def pending_product(vendor):
    product = create_product(vendor=vendor, title="Mật ong chờ duyệt", stars=4)
    product.certificates.update(status=OcopCertificate.STATUS_PENDING)
    return product


def test_badge_shows_only_after_verification(client, reviewer, pending_product):
    cert = pending_product.certificates.get()
    assert "ocop-badge" not in client.get(pending_product.get_absolute_url()).content.decode()
    client.force_login(reviewer)
    listing = client.get(reverse("certificates:list"))
    assert listing.status_code == 200 and cert.number in listing.content.decode()
    response = client.post(reverse("certificates:detail", kwargs={"pk": cert.pk}), {"action": "verify"})
    assert response.status_code == 302
    cert.refresh_from_db()
    assert cert.status == OcopCertificate.STATUS_VERIFIED and cert.verified_by == reviewer
    client.logout()
    assert "ocop-badge" in client.get(pending_product.get_absolute_url()).content.decode()
    assert [(e.from_status, e.to_status) for e in cert.events.all()] == [("pending", "verified")]


def test_reject_needs_a_reason_and_illegal_moves_are_refused(client, reviewer, pending_product):
    cert = pending_product.certificates.get()
    client.force_login(reviewer)
    url = reverse("certificates:detail", kwargs={"pk": cert.pk})
    assert client.post(url, {"action": "reject"}).status_code == 400
    assert client.post(url, {"action": "reject", "reason": "Không có trong danh sách của Sở"}).status_code == 302
    response = client.post(url, {"action": "verify"})  # rejected → verified is not a legal move
    assert response.status_code == 400
    cert.refresh_from_db()
    assert cert.status == OcopCertificate.STATUS_REJECTED
    assert client.post(url, {"action": "bogus"}).status_code == 400


def test_only_the_department_reviews(client, pending_product, vendor):
    url = reverse("certificates:list")
    assert client.get(url).status_code == 302  # log in first
    seller = get_user_model().objects.create_user(username="seller", email="seller@example.com", password="x")
    vendor.partner.users.add(seller)
    client.force_login(seller)
    assert client.get(url).status_code == 403
    cert = pending_product.certificates.get()
    assert client.post(reverse("certificates:detail", kwargs={"pk": cert.pk}), {"action": "verify"}).status_code == 403
    cert.refresh_from_db()
    assert cert.status == OcopCertificate.STATUS_PENDING


def test_daily_task_expires_and_warns_once(vendor, mailoutbox):
    seller = get_user_model().objects.create_user(username="s", email="owner@example.com", password="x")
    vendor.partner.users.add(seller)
    soon = create_product(vendor=vendor, title="Sắp hết hạn", stars=3)
    old = create_product(vendor=vendor, title="Đã hết hạn", stars=3, expired=True)
    fresh = create_product(vendor=vendor, title="Còn hạn lâu", stars=3)
    today = timezone.localdate()
    soon.certificates.update(expiry_date=today + datetime.timedelta(days=45))

    out = StringIO()
    call_command("check_certificates", stdout=out)
    assert "1 marked expired, 1 sellers warned" in out.getvalue()
    assert old.certificates.get().status == OcopCertificate.STATUS_EXPIRED
    assert fresh.certificates.get().expiry_warning_sent_at is None
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["owner@example.com"]
    assert "Sắp hết hạn" in mailoutbox[0].body and "45 ngày" in mailoutbox[0].body

    out = StringIO()
    call_command("check_certificates", stdout=out)  # the next day: nothing new
    assert "0 marked expired, 0 sellers warned" in out.getvalue()
    assert len(mailoutbox) == 1
