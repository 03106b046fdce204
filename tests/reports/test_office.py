"""The department's home (/so-cong-thuong/): every count links to its queue and says how many rows it shows."""
import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from catalogue.models import ListingChange, OcopCertificate
from invoicing.models import DeadlineAlert
from payments.models import Payment, Refund
from tests.reports.fixtures import build_marketplace, department_user
from vendors.ledger import ledger_post_delivery
from vendors.models import Fulfilment

pytestmark = pytest.mark.django_db

QUEUE = re.compile(r'data-queue="(?P<key>[\w]+)">\s*<a href="(?P<url>[^"]+)"><span class="office-work__count">(?P<n>\d+)</span>')
COUNT = re.compile(r'class="text-muted queue-count" data-count="(\d+)"')


@pytest.fixture
def office():
    market = build_marketplace()
    today = timezone.localdate()
    a1, b1 = market["products"]["a1"], market["products"]["b1"]
    OcopCertificate.objects.create(product=b1, number="77/GCN-CHO", stars=3, classification=b1.ocop_classification,
                                   issuing_body="UBND tỉnh Hà Tĩnh", issue_date=today - datetime.timedelta(days=5),
                                   expiry_date=today + datetime.timedelta(days=1000))
    OcopCertificate.objects.create(product=a1, number="78/GCN-HET", stars=4, classification=a1.ocop_classification,
                                   issuing_body="UBND tỉnh Hà Tĩnh", issue_date=today - datetime.timedelta(days=1000),
                                   expiry_date=today + datetime.timedelta(days=20),
                                   status=OcopCertificate.STATUS_VERIFIED)
    ListingChange.objects.create(product=a1, vendor=market["a"], kind=ListingChange.EDIT,
                                 data={"description": "Mô tả mới"})
    # April's COD part of A: delivered, never invoiced, alerted under R9.
    late = Fulfilment.objects.get(order__date_placed__month=4, vendor=market["a"])
    DeadlineAlert.objects.create(fulfilment=late, vendor=market["a"], delivered_on=datetime.date(2026, 4, 1),
                                 deadline=timezone.now(), problem="no issued invoice")
    # A VNPay sale of A posted to the ledger: the marketplace owes A.
    ledger_post_delivery(fulfilment=Fulfilment.objects.filter(vendor=market["a"], order__date_placed__day=10).get(),
                         cash_on_delivery=False)
    payment = Payment.objects.filter(method=Payment.VNPAY).first()
    Refund.objects.create(payment=payment, amount=10000, status=Refund.FAILED, reason="VNPay từ chối")
    Refund.objects.create(payment=payment, amount=20000, status=Refund.PENDING, reason="Đang chờ")
    return market


def test_each_count_links_to_its_queue_and_matches_what_the_queue_shows(client, office):
    client.force_login(department_user())
    page = client.get("/so-cong-thuong/").content.decode()
    found = {m["key"]: (m["url"].replace("&amp;", "&"), int(m["n"])) for m in QUEUE.finditer(page)}
    assert {key: n for key, (_url, n) in found.items()} == {
        "applications": 1, "applications_back": 0, "certificates": 1, "expiring": 1, "listings": 1,
        "late_invoices": 1, "payouts": 1, "refunds": 2}
    for key, (url, n) in found.items():
        queue = client.get(url)
        assert queue.status_code == 200, url
        shown = COUNT.search(queue.content.decode())
        assert shown and int(shown.group(1)) == n, (key, url)


def test_home_shows_this_months_figures_and_one_menu_to_every_tool(client, office):
    client.force_login(department_user())
    page = client.get("/so-cong-thuong/").content.decode()
    for href in ("/so-cong-thuong/ho-so/", "/so-cong-thuong/chung-nhan/", "/so-cong-thuong/san-pham/",
                 "/so-cong-thuong/doi-soat/", "/so-cong-thuong/hoa-don-tre-han/", "/so-cong-thuong/hoan-tien/",
                 "/bao-cao/", "/bao-cao/chi-so/", "/bao-cao/tong-so-ocop/", "/bao-cao/tep/", "/cms/"):
        assert f'href="{href}"' in page, href
    for key in ("orders", "gmv", "cashless_orders_share", "active_sellers"):
        assert f'data-figure="{key}"' in page
    assert "Việc đang chờ" in page and "Chỉ số chính" in page


def test_home_query_count_is_bounded(client, office, django_assert_max_num_queries):
    client.force_login(department_user())
    with django_assert_max_num_queries(60):
        assert client.get("/so-cong-thuong/").status_code == 200


@pytest.mark.parametrize("url", ["/so-cong-thuong/", "/so-cong-thuong/hoa-don-tre-han/", "/so-cong-thuong/hoan-tien/",
                                 "/bao-cao/tep/"])
def test_office_pages_are_for_the_department_and_admins_only(client, office, url):
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    shopper = get_user_model().objects.create_user(username="shopper", email="s@example.com", password="x")
    for user in (shopper, office["seller_a"]):
        client.force_login(user)
        assert client.get(url).status_code == 403
    admin = get_user_model().objects.create_user(username="root", email="r@example.com", password="x",
                                                 is_superuser=True, is_staff=True)
    for user in (department_user(), admin):
        client.force_login(user)
        assert client.get(url).status_code == 200
