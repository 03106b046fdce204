"""The listings' default order reads the rank stored on the product (issue 19: a subquery per product sorted
50,000 products in ≈ 900 ms). The stored rank follows every certificate change, and the rank *in force*
follows the calendar without any write: a certificate running out at midnight, or a later one starting.
"""
import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from catalogue.models import OcopCertificate, Product, rank_in_force
from marketplace.roles import DEPARTMENT_GROUP
from tests.factories import create_product

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0
    settings.SEARCH_FACET_CACHE_SECONDS = 0


def titles(client, url="/catalogue/"):
    response = client.get(url)
    assert response.status_code == 200
    return [p.title for p in response.context["products"]]


def stored(product):
    return tuple(Product.objects.filter(pk=product.pk).values_list("ocop_rank", "ocop_rank_until").get())


def certify(product, stars, *, issue, expiry=None, status=OcopCertificate.STATUS_VERIFIED):
    return OcopCertificate.objects.create(
        product=product, number=f"{product.pk}-{stars}-{issue:%Y%m%d}/GCN", stars=stars,
        classification=product.ocop_classification, issuing_body="UBND tỉnh Hà Tĩnh", issue_date=issue,
        expiry_date=expiry or OcopCertificate.default_expiry(issue), status=status)


def test_rank_in_force_is_the_best_stars_covering_the_day_and_holds_until_the_next_change():
    day = datetime.date(2026, 12, 7)
    d = datetime.timedelta
    assert rank_in_force([], day) == (0, None)
    assert rank_in_force([(3, day - d(10), day + d(100))], day) == (3, day + d(100))
    # a 5★ running out tomorrow over a 3★ valid longer: 5 until tomorrow, then 3
    both = [(3, day - d(10), day + d(100)), (5, day - d(10), day + d(1))]
    assert rank_in_force(both, day) == (5, day + d(1))
    assert rank_in_force(both, day + d(2)) == (3, day + d(100))
    # a certificate starting next week: nothing in force until the day before it starts
    assert rank_in_force([(4, day + d(7), day + d(700))], day) == (0, day + d(6))
    assert rank_in_force([(4, day - d(700), day - d(1))], day) == (0, None)  # expired: no change ahead


def test_the_department_verifying_and_rejecting_moves_the_product_in_the_listing(client, vendor):
    department = get_user_model().objects.create_user(username="sct", email="sct@example.com", password="x")
    department.groups.add(Group.objects.get_or_create(name=DEPARTMENT_GROUP)[0])
    today = timezone.localdate()
    starred = create_product(vendor=vendor, title="Kẹo cu đơ ba sao", stars=3)
    newest = create_product(vendor=vendor, title="Mật ong chờ duyệt")
    assert titles(client)[:2] == ["Kẹo cu đơ ba sao", "Mật ong chờ duyệt"]
    pending = certify(newest, 5, issue=today - datetime.timedelta(days=3), status=OcopCertificate.STATUS_PENDING)
    assert stored(newest) == (0, None)  # pending: no rank

    client.force_login(department)
    detail = reverse("certificates:detail", kwargs={"pk": pending.pk})
    assert client.post(detail, {"action": "verify"}).status_code == 302
    assert stored(newest) == (5, pending.expiry_date)
    client.logout()
    assert titles(client)[:2] == ["Mật ong chờ duyệt", "Kẹo cu đơ ba sao"]

    client.force_login(department)
    assert client.post(detail, {"action": "reject", "reason": "Không có trong danh sách của Sở"}).status_code == 302
    client.logout()
    assert stored(newest) == (0, None)
    assert titles(client)[:2] == ["Kẹo cu đơ ba sao", "Mật ong chờ duyệt"]
    # a certificate deleted (e.g. in the admin) takes its rank with it
    starred.certificates.get().delete()
    assert stored(starred) == (0, None)


def test_the_rank_in_force_follows_the_calendar_without_any_write(client, vendor, monkeypatch):
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    ending = create_product(vendor=vendor, title="Nước mắm hết hạn hôm nay")
    certify(ending, 5, issue=today - datetime.timedelta(days=1000), expiry=today)
    starting = create_product(vendor=vendor, title="Rượu nếp mới đạt chuẩn")
    certify(starting, 4, issue=tomorrow)
    create_product(vendor=vendor, title="Bánh đa không chứng nhận")
    assert titles(client) == ["Nước mắm hết hạn hôm nay", "Bánh đa không chứng nhận", "Rượu nếp mới đạt chuẩn"]
    assert stored(ending) == (5, today) and stored(starting) == (0, today)

    # Midnight passes; the daily task has not run yet (the certificate is still "verified" in the database).
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert titles(client) == ["Rượu nếp mới đạt chuẩn", "Bánh đa không chứng nhận", "Nước mắm hết hạn hôm nay"]
    assert stored(ending) == (0, None) and stored(starting)[0] == 4
    assert ending.certificates.get().status == OcopCertificate.STATUS_VERIFIED
    assert "ocop-badge" not in client.get(ending.get_absolute_url()).content.decode()
    assert titles(client, "/catalogue/?sort=stars")[0] == "Rượu nếp mới đạt chuẩn"


def test_the_daily_task_catches_up_the_ranks_too(vendor):
    today = timezone.localdate()
    ending = create_product(vendor=vendor, title="Hết hạn hôm nay")
    certify(ending, 3, issue=today - datetime.timedelta(days=1000), expiry=today)
    assert stored(ending) == (3, today)
    from catalogue.certificates import certificates_daily

    certificates_daily(today=today + datetime.timedelta(days=1))
    assert stored(ending) == (0, None)
    assert ending.certificates.get().status == OcopCertificate.STATUS_EXPIRED


def test_refresh_after_a_bulk_update_and_for_the_whole_catalogue(vendor):
    from catalogue.certificates import refresh_ocop_ranks

    product = create_product(vendor=vendor, title="Kẹo lạc", stars=3)
    product.certificates.update(stars=5)  # a bulk update sends no signal
    assert stored(product)[0] == 3
    assert refresh_ocop_ranks() == 1
    assert stored(product)[0] == 5
    assert refresh_ocop_ranks() == 0
