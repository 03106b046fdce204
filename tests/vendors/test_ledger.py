"""Sellers' money: postings at delivery and refund, cash on delivery debt, payouts, statement figures."""
import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from payments.models import Payment
from payments.services import refund_line
from tests.checkout import place_order
from tests.factories import create_product, create_vendor
from tests.payments.test_ipn import ipn, ipn_params
from vendors.ledger import commission_on, statement_for
from vendors.models import Fulfilment, LedgerEntry
from vendors.services import fulfilment_set_status

pytestmark = pytest.mark.django_db


def deliver(part):
    for status in (Fulfilment.CONFIRMED, Fulfilment.SHIPPED, Fulfilment.DELIVERED):
        fulfilment_set_status(fulfilment=part, status=status, tracking_code="VN1")


@pytest.fixture
def seller(client):
    vendor = create_vendor(name="HTX Ledger")
    vendor.commission_rate_bp = 500  # 5 %
    vendor.save()
    user = get_user_model().objects.create_user(username="ledger", email="l@example.com", password="x")
    vendor.partner.users.add(user)
    return vendor, user, create_product(vendor=vendor, price=65000, stock=20)


def test_statement_arithmetic(client, seller):
    vendor, user, product = seller
    # 1) VNPay, paid, delivered: 2 × 65.000 + 30.000 shipping
    order, _ = place_order(client, [(product, 2)], "vnpay")
    assert ipn(client, ipn_params(Payment.objects.get(order=order)))["RspCode"] == "00"
    deliver(order.fulfilments.get())
    # 2) Cash on delivery, delivered: 1 × 65.000 + 30.000 shipping; the seller holds 95.000 in cash
    cod_order, _ = place_order(client, [(product, 1)], "cod")
    deliver(cod_order.fulfilments.get())
    # 3) After delivery one item of the VNPay order is refunded — through VNPay, so only recorded here via COD:
    #    refund a COD line instead (the seller hands 65.000 back to the shopper).
    refund_line(line=cod_order.lines.get(), quantity=1, actor=user, reason="hàng lỗi")
    # 4) The department pays the seller 100.000
    call_command("record_payout", vendor.code, "100000", "--reference", "UNC-001", stdout=StringIO())

    today = timezone.localdate()
    statement = statement_for(vendor=vendor, date_from=today.replace(day=1), date_to=today)
    assert statement.gross_sales == 130000 + 65000
    assert statement.shipping == 30000 + 30000
    assert statement.refunds == 65000
    assert statement.commission == commission_on(130000, 500) + commission_on(65000, 500) - commission_on(65000, 500)
    assert statement.commission == 6500
    assert statement.cash_held == 95000 - 65000
    assert statement.payouts == 100000
    # owed: 130.000 + 30.000 − 6.500 (VNPay part) − 3.250 (COD commission, reversed by the refund: 0) − 100.000
    assert statement.closing_balance == 130000 + 30000 - 6500 - 100000
    assert statement.opening_balance == 0
    assert sum(e.amount for e in statement.entries) == statement.closing_balance

    # Nothing before the period, nothing after.
    earlier = statement_for(vendor=vendor, date_from=today - datetime.timedelta(days=60),
                            date_to=today.replace(day=1) - datetime.timedelta(days=1))
    assert earlier.entries == [] and earlier.closing_balance == 0


def test_cash_on_delivery_commission_becomes_debt_netted_by_payouts(client, seller):
    vendor, user, product = seller
    order, _ = place_order(client, [(product, 2)], "cod")
    deliver(order.fulfilments.get())
    today = timezone.localdate()
    statement = statement_for(vendor=vendor, date_from=today, date_to=today)
    assert statement.closing_balance == -commission_on(130000, 500)  # the seller owes 6.500
    assert LedgerEntry.objects.filter(fulfilment=order.fulfilments.get(), kind=LedgerEntry.SALE).count() == 1


def test_ledger_is_append_only(seller):
    vendor, _, _ = seller
    entry = LedgerEntry(vendor=vendor, kind=LedgerEntry.PAYOUT, amount=-1)
    entry.save()
    entry.amount = -2
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()


def test_statement_page_and_exports_are_the_sellers_own(client, seller):
    vendor, user, product = seller
    order, _ = place_order(client, [(product, 1)], "cod")
    deliver(order.fulfilments.get())
    other = create_vendor(name="Cơ sở Khác")
    client.force_login(user)
    page = client.get(reverse("seller:statement"))
    assert page.status_code == 200 and "HTX Ledger" in page.content.decode()
    assert "Cơ sở Khác" not in page.content.decode()
    csv_response = client.get(reverse("seller:statement") + "?format=csv")
    assert csv_response["Content-Type"].startswith("text/csv")
    text = csv_response.content.decode("utf-8-sig")
    assert "Doanh thu bán hàng,65000" in text and order.fulfilments.get().number in text
    xlsx = client.get(reverse("seller:statement") + "?format=xlsx&from=01/01/2020&to=31/12/2030")
    workbook = load_workbook(__import__("io").BytesIO(xlsx.content))
    rows = {r[0]: r[1] for r in workbook["Tổng hợp"].iter_rows(values_only=True)}
    assert rows["Doanh thu bán hàng"] == 65000 and isinstance(rows["Phí hoa hồng"], int)
    assert other.ledger.count() == 0
    client.logout()
    assert client.get(reverse("seller:statement")).status_code == 302


def test_record_payout_command_rejects_bad_input(seller):
    from django.core.management import CommandError

    vendor, _, _ = seller
    with pytest.raises(CommandError, match="No seller"):
        call_command("record_payout", "NB-XXXX", "1000", "--reference", "x", stdout=StringIO())
    with pytest.raises(CommandError, match="positive"):
        call_command("record_payout", vendor.code, "0", "--reference", "x", stdout=StringIO())
    with pytest.raises(CommandError, match="dd/mm/yyyy"):
        call_command("record_payout", vendor.code, "1000", "--reference", "x", "--date", "2026-13-01",
                     stdout=StringIO())
    with pytest.raises(CommandError, match="cannot be later than today"):
        call_command("record_payout", vendor.code, "1000", "--reference", "x", "--date", "31/12/2099",
                     stdout=StringIO())
    assert vendor.payouts.count() == 0


def test_department_records_payouts_and_sees_balances(client, seller):
    from django.contrib.auth.models import Group

    from marketplace.roles import DEPARTMENT_GROUP

    vendor, user, product = seller
    order, _ = place_order(client, [(product, 2)], "vnpay")
    assert ipn(client, ipn_params(Payment.objects.get(order=order)))["RspCode"] == "00"
    deliver(order.fulfilments.get())  # owed 130.000 + 30.000 − 6.500 = 153.500
    client.force_login(user)
    assert client.get(reverse("payouts:list")).status_code == 403  # sellers do not record payouts
    reviewer = get_user_model().objects.create_user(username="dept", email="d@example.com", password="x")
    reviewer.groups.add(Group.objects.get_or_create(name=DEPARTMENT_GROUP)[0])
    client.force_login(reviewer)
    page = client.get(reverse("payouts:list")).content.decode()
    assert "153.500" in page
    response = client.post(reverse("payouts:list"), {"vendor": vendor.pk, "amount": "150000",
                                                      "reference": "UNC-9", "paid_on": "27/11/2026"})
    assert response.status_code == 302
    assert "3.500" in client.get(reverse("payouts:list")).content.decode()
    bad = client.post(reverse("payouts:list"), {"vendor": vendor.pk, "amount": "-5", "reference": "x",
                                                 "paid_on": "27/11/2026"}, follow=True)
    assert vendor.payouts.count() == 1 and bad.status_code == 200
    for data in ({"vendor": "abc", "amount": "1000", "reference": "x", "paid_on": "27/11/2026"},
                 {"vendor": vendor.pk, "amount": "1000", "reference": "x", "paid_on": "2026-13-45"},
                 {"vendor": vendor.pk, "amount": "mười", "reference": "x", "paid_on": "27/11/2026"},
                 {"vendor": vendor.pk, "amount": "1000", "reference": "x", "paid_on": "31/12/2099"},
                 {"vendor": vendor.pk, "amount": "1000", "reference": "x",
                  "paid_on": (timezone.localdate() + datetime.timedelta(days=1)).strftime("%d/%m/%Y")}):
        response = client.post(reverse("payouts:list"), data, follow=True)
        assert response.status_code == 200  # a message on the page, never a 500
        assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert vendor.payouts.count() == 1


def test_workspace_home_and_profile(client, seller):
    vendor, user, _ = seller
    client.force_login(user)
    assert client.get(reverse("seller:home")).status_code == 200
    url = reverse("seller:profile")
    assert client.get(url).status_code == 200
    data = {"description": "HTX làm kẹo từ 1990", "phone": "0912 345 678", "email": "htx@example.com",
            "commune": vendor.commune.pk, "street_address": "Thôn 3", "shipping_fee": "25000",
            "free_shipping_over": "300000"}
    assert client.post(url, {**data, "phone": "12345"}).status_code == 400
    assert client.post(url, data).status_code == 302
    vendor.refresh_from_db()
    assert vendor.phone == "0912345678" and vendor.shipping_fee == 25000 and vendor.free_shipping_over == 300000
    assert "HTX làm kẹo từ 1990" in client.get(vendor.get_absolute_url()).content.decode()
