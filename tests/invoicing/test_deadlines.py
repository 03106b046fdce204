"""R9: a part delivered on day D without an issued (and coded) invoice by the end of the next working day
alerts the seller and the department once, by e-mail and on the seller's invoice page."""
import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from invoicing.deadlines import deadline_for, invoices_check_deadlines
from invoicing.models import DeadlineAlert, Invoice, SellerInvoicingProfile
from invoicing.services import invoice_issue_for_fulfilment
from invoicing.workdays import is_working_day, next_working_day
from marketplace.roles import DEPARTMENT_GROUP
from vendors.models import FulfilmentEvent

from .factories import create_delivered_part, create_invoicing_vendor, products

pytestmark = pytest.mark.django_db


def local(*args):
    return timezone.make_aware(datetime.datetime(*args))


@pytest.fixture
def department():
    user = get_user_model().objects.create_user(username="sct", email="sct@example.com", password="x")
    user.groups.add(Group.objects.get_or_create(name=DEPARTMENT_GROUP)[0])
    return user


def delivered_part(vendor, when):
    (product,) = products(vendor, 50000)
    part = create_delivered_part(vendor=vendor, items=[(product, 1, 50000, 0)])
    FulfilmentEvent.objects.filter(fulfilment=part).update(created=when)
    return part


def test_working_days_follow_vietnamese_holidays():
    assert next_working_day(datetime.date(2026, 11, 27)) == datetime.date(2026, 11, 30)  # Friday → Monday
    assert next_working_day(datetime.date(2026, 4, 29)) == datetime.date(2026, 5, 4)  # 30/4, 1/5, weekend
    assert not is_working_day(datetime.date(2026, 9, 2))  # National Day
    assert not is_working_day(datetime.date(2027, 2, 8))  # Tết
    assert deadline_for(datetime.date(2026, 11, 27)) == local(2026, 12, 1, 0, 0)


def test_overdue_part_alerts_seller_and_department_once(client, department, settings):
    settings.INVOICING_DEADLINE_LOOKBACK_DAYS = 10_000
    vendor = create_invoicing_vendor(mode=SellerInvoicingProfile.MODE_OWN_PROVIDER)  # drafts wait for the provider
    vendor.email = "shop@example.com"
    vendor.save(update_fields=["email"])
    part = delivered_part(vendor, local(2026, 11, 27, 10, 0))  # Friday
    invoice_issue_for_fulfilment(fulfilment=part)  # a draft: not issued

    assert invoices_check_deadlines(now=local(2026, 11, 30, 23, 59)) == {"checked": 1, "alerted": 0}
    result = invoices_check_deadlines(now=local(2026, 12, 1, 0, 30))
    assert result == {"checked": 1, "alerted": 1}
    alert = DeadlineAlert.objects.get()
    assert (alert.fulfilment_id, alert.problem, alert.delivered_on) == (part.pk, "no issued invoice",
                                                                       datetime.date(2026, 11, 27))
    assert invoices_check_deadlines(now=local(2026, 12, 2, 9, 0)) == {"checked": 0, "alerted": 0}
    assert DeadlineAlert.objects.count() == 1

    # The seller's invoice page lists it.
    user = get_user_model().objects.create_user(username="shop", email="owner@example.com", password="x")
    vendor.partner.users.add(user)
    client.force_login(user)
    page = client.get(reverse("invoices:list")).content.decode()
    assert 'id="invoice-deadline-alerts"' in page and part.number in page


def test_alert_mail_goes_out_after_commit(department, settings, django_capture_on_commit_callbacks):
    settings.INVOICING_DEADLINE_LOOKBACK_DAYS = 10_000
    vendor = create_invoicing_vendor(mode=SellerInvoicingProfile.MODE_OWN_PROVIDER)
    vendor.email = "shop@example.com"
    vendor.save(update_fields=["email"])
    part = delivered_part(vendor, local(2026, 11, 27, 10, 0))
    with django_capture_on_commit_callbacks(execute=True):
        invoices_check_deadlines(now=local(2026, 12, 3, 8, 0))
    assert len(mail.outbox) == 2  # the seller and the department, each with the link to where they act
    to_seller, to_department = sorted(mail.outbox, key=lambda m: m.to[0] == "sct@example.com")
    assert to_seller.to == ["shop@example.com"] and to_department.to == ["sct@example.com"]
    for message in (to_seller, to_department):
        assert part.number in message.subject and "27/11/2026" in message.body
        assert "hóa đơn" in message.subject.lower()  # Vietnamese, the site's language
    assert "Xem tại: http" in to_seller.body and to_seller.body.rstrip().endswith("/ban-hang/hoa-don/")
    assert to_department.body.rstrip().endswith("/so-cong-thuong/hoa-don-tre-han/")


def test_holidays_extend_the_deadline_and_a_code_is_required_for_c_symbols(settings):
    settings.INVOICING_DEADLINE_LOOKBACK_DAYS = 10_000
    vendor = create_invoicing_vendor()  # authorised: issued at once, then waits for the tax authority's code
    part = delivered_part(vendor, local(2026, 4, 29, 16, 0))  # Wednesday before 30/4 and 1/5
    settings.EINVOICE_PROVIDER_URL = "http://127.0.0.1:9/"  # never called here: on_commit does not run
    invoice = invoice_issue_for_fulfilment(fulfilment=part)
    assert invoice.status == Invoice.ISSUED and not invoice.tax_authority_code

    assert invoices_check_deadlines(now=local(2026, 5, 2, 12, 0))["alerted"] == 0  # Saturday
    assert invoices_check_deadlines(now=local(2026, 5, 5, 0, 1))["alerted"] == 1  # after Monday 4/5
    assert DeadlineAlert.objects.get().problem == "no tax authority code"


def test_k_symbols_need_no_code_and_resolved_alerts_disappear(client, settings):
    settings.INVOICING_DEADLINE_LOOKBACK_DAYS = 10_000
    vendor = create_invoicing_vendor(with_tax_authority_code=False)
    part = delivered_part(vendor, local(2026, 11, 27, 10, 0))
    invoice_issue_for_fulfilment(fulfilment=part)
    assert invoices_check_deadlines(now=local(2026, 12, 5, 0, 0))["alerted"] == 0

    other = create_invoicing_vendor(mode=SellerInvoicingProfile.MODE_OWN_PROVIDER, code="LATE", tax_code="042185000999")
    late = delivered_part(other, local(2026, 11, 27, 10, 0))
    draft = invoice_issue_for_fulfilment(fulfilment=late)
    assert invoices_check_deadlines(now=local(2026, 12, 5, 0, 0))["alerted"] == 1
    user = get_user_model().objects.create_user(username="late", email="late@example.com", password="x")
    other.partner.users.add(user)
    client.force_login(user)
    assert 'id="invoice-deadline-alerts"' in client.get(reverse("invoices:list")).content.decode()
    Invoice.objects.filter(pk=draft.pk).update(status=Invoice.ISSUED, number=1, symbol=draft.symbol,
                                               tax_authority_code="0" * 34)
    assert 'id="invoice-deadline-alerts"' not in client.get(reverse("invoices:list")).content.decode()


def test_command_prints_a_summary(settings):
    settings.INVOICING_DEADLINE_LOOKBACK_DAYS = 10_000
    from io import StringIO

    out = StringIO()
    call_command("check_einvoice_deadlines", stdout=out)
    assert out.getvalue().strip() == "0 alerts sent (0 overdue candidates checked)"
