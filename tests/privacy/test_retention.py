"""The retention job anonymises only what is due: dates are set explicitly, the job is run with a
given "now"."""
import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from oscar.core.loading import get_model

from onboarding import services as onboarding_services
from onboarding.models import VendorApplication
from privacy.models import AccessLogEntry
from privacy.services import retention_apply
from reports.periods import Period
from reports.selectors import buyers
from tests.checkout import place_order
from tests.factories import create_product, create_vendor
from vendors.models import Fulfilment
from vendors.services import fulfilment_set_status

from .conftest import fill_application

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")
NOW = timezone.now()


def deliver(order):
    part = order.fulfilments.get()
    for status in (Fulfilment.CONFIRMED, Fulfilment.SHIPPED, Fulfilment.DELIVERED):
        fulfilment_set_status(fulfilment=part, status=status, tracking_code="VN1")


def placed(order, days_ago):
    Order.objects.filter(pk=order.pk).update(date_placed=NOW - datetime.timedelta(days=days_ago))
    return Order.objects.get(pk=order.pk)


@pytest.fixture
def product(db):
    return create_product(vendor=create_vendor(name="HTX Kẹo"), price=65000, stock=20)


def test_guest_orders_are_anonymised_a_year_after_they_finished_and_not_before(client, product, settings):
    settings.PRIVACY_GUEST_ORDER_RETENTION_DAYS = 365
    old_done = placed(place_order(client, [(product, 1)], "cod", email="cu@example.com")[0], 400)
    deliver(old_done)
    client.cookies.clear()
    old_open = placed(place_order(client, [(product, 1)], "cod", email="dang-giao@example.com")[0], 400)
    client.cookies.clear()
    recent = placed(place_order(client, [(product, 1)], "cod", email="moi@example.com")[0], 300)
    deliver(recent)
    year = Period.year((NOW - datetime.timedelta(days=400)).year)
    buyers_before = buyers(year)

    done = retention_apply(now=NOW)
    assert done["guest_orders"] == 1
    old_done = Order.objects.get(pk=old_done.pk)
    assert "cu@example.com" not in old_done.guest_email and old_done.guest_email.endswith("@an-danh.invalid")
    assert old_done.shipping_address.line1 == "—" and not old_done.shipping_address.phone_number
    assert old_done.total_incl_tax == 65000 + 30000 and old_done.shipping_address.state
    assert Order.objects.get(pk=old_open.pk).guest_email == "dang-giao@example.com"  # parcel still on its way
    assert Order.objects.get(pk=recent.pk).guest_email == "moi@example.com"  # not due yet
    assert buyers(year) == buyers_before
    assert retention_apply(now=NOW)["guest_orders"] == 0  # nothing twice


def test_abandoned_applications_lose_their_personal_data_after_six_months(applicant, other_applicant, settings):
    settings.PRIVACY_ABANDONED_APPLICATION_DAYS = 180
    stale = fill_application(onboarding_services.vendor_application_start(user=applicant), applicant)
    fresh = fill_application(onboarding_services.vendor_application_start(user=other_applicant), other_applicant)
    VendorApplication.objects.filter(pk=stale.pk).update(updated=NOW - datetime.timedelta(days=181))
    VendorApplication.objects.filter(pk=fresh.pk).update(updated=NOW - datetime.timedelta(days=179))
    stored = stale.documents.get().file.path

    assert retention_apply(now=NOW)["applications"] == 1
    stale = VendorApplication.objects.get(pk=stale.pk)
    assert (stale.legal_name, stale.representative_id_number, stale.bank_account_number, stale.phone) == (
        "—", "", "", "")
    assert not stale.documents.exists()
    assert stale.tax_code == "" and not VendorApplication.objects.filter(pk=stale.pk).exclude(tax_code_digest="")
    import os
    assert not os.path.exists(stored)
    assert VendorApplication.objects.get(pk=fresh.pk).representative_id_number == "040190012345"


def test_submitted_applications_are_never_touched_by_the_job(submitted_application):
    VendorApplication.objects.filter(pk=submitted_application.pk).update(updated=NOW - datetime.timedelta(days=999))
    assert retention_apply(now=NOW)["applications"] == 0


def test_old_access_log_lines_go_and_the_command_says_what_it_did(settings):
    settings.PRIVACY_ACCESS_LOG_RETENTION_DAYS = 730
    for days in (731, 729):
        AccessLogEntry.objects.create(action=AccessLogEntry.VIEW, record_type="x", record_id=str(days),
                                      at=NOW - datetime.timedelta(days=days))
    assert retention_apply(now=NOW)["access_log"] == 1
    assert list(AccessLogEntry.objects.values_list("record_id", flat=True)) == ["729"]
    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert "0 guest orders anonymised, 0 applications anonymised, 0 access-log lines deleted" in out.getvalue()


def test_the_job_is_scheduled_with_celery_beat_and_the_built_in_scheduler(settings):
    from marketplace.scheduler import jobs
    assert ("privacy.apply_retention", 24 * 3600.0) in jobs()
    from marketplace.celery import app
    app.loader.import_default_modules()
    assert "privacy.apply_retention" in app.tasks
