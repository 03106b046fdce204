"""Approval makes the seller in one transaction; a failure anywhere leaves nothing behind."""
import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from oscar.core.loading import get_model

from onboarding import services
from onboarding.models import ApplicationEvent, VendorApplication
from tests.factories import create_vendor
from vendors.models import Vendor

from .conftest import MST, fill_application, reload

pytestmark = pytest.mark.django_db
Partner = get_model("partner", "Partner")


def test_approval_creates_partner_vendor_and_access(submitted_application, applicant, reviewer,
                                                    django_capture_on_commit_callbacks):
    create_vendor(code="NB-0041", name="Người bán cũ")
    with django_capture_on_commit_callbacks(execute=True):
        services.vendor_application_approve(application=submitted_application, reviewer=reviewer,
                                            reason="Đủ điều kiện")
    application = reload(submitted_application)
    vendor = application.vendor
    assert application.status == VendorApplication.APPROVED and application.decided_at
    assert vendor.code == "NB-0042"
    assert vendor.slug == "hop-tac-xa-keo-cu-do-thu-nghiem"
    assert (vendor.tax_code, vendor.seller_type, vendor.legal_name) == (MST, "cooperative", application.legal_name)
    assert vendor.former_district == application.commune.former_district
    assert vendor.partner.name == application.legal_name
    assert list(vendor.partner.users.all()) == [applicant]
    applicant = get_user_model().objects.get(pk=applicant.pk)
    assert not applicant.has_perm("partner.dashboard_access")  # the workspace, not Oscar's dashboard
    assert [m.to for m in mail.outbox] == [["applicant@example.com", "htx@example.com"]]
    assert "NB-0042" in mail.outbox[0].body and "Đủ điều kiện" in mail.outbox[0].body


def test_slugs_stay_unique(applicant, other_applicant, reviewer):
    existing = create_vendor(code="NB-0001")
    Vendor.objects.filter(pk=existing.pk).update(slug="hop-tac-xa-keo-cu-do-thu-nghiem")
    application = fill_application(services.vendor_application_start(user=applicant), applicant)
    services.vendor_application_submit(application=application, actor=applicant)
    services.vendor_application_approve(application=application, reviewer=reviewer, reason="ok")
    assert reload(application).vendor.slug == "hop-tac-xa-keo-cu-do-thu-nghiem-2"


def test_a_failure_during_approval_rolls_everything_back(submitted_application, reviewer, monkeypatch,
                                                         django_capture_on_commit_callbacks):
    counts = (Partner.objects.count(), Vendor.objects.count(), ApplicationEvent.objects.count())

    def broken(**kwargs):
        raise RuntimeError("permission table unavailable")

    monkeypatch.setattr(services, "_grant_seller_access", broken)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        services.vendor_application_approve(application=submitted_application, reviewer=reviewer, reason="ok")
    assert (Partner.objects.count(), Vendor.objects.count(), ApplicationEvent.objects.count()) == counts
    application = reload(submitted_application)
    assert (application.status, application.vendor_id, application.reviewer_notes) == (
        VendorApplication.SUBMITTED, None, "")
    assert mail.outbox == []


def test_a_failure_after_the_vendor_exists_rolls_back_the_assisted_account_too(assistant, reviewer, monkeypatch):
    application = services.vendor_application_start_assisted(assistant=assistant)
    fill_application(application, assistant, seller_type="household_business", tax_code="042185054321",
                     representative_id_number="042185054321", email="ho.moi@example.com")
    services.vendor_application_submit(application=application, actor=assistant)
    users = get_user_model().objects.count()
    original = services._application_set_status

    def fail_on_approve(application, status, **kwargs):
        if status == VendorApplication.APPROVED:
            raise RuntimeError("disk full")
        return original(application, status, **kwargs)

    monkeypatch.setattr(services, "_application_set_status", fail_on_approve)
    with pytest.raises(RuntimeError):
        services.vendor_application_approve(application=application, reviewer=reviewer, reason="ok")
    assert get_user_model().objects.count() == users
    assert not Vendor.objects.with_tax_code("042185054321").exists()


def test_a_tax_code_taken_meanwhile_blocks_approval(submitted_application, reviewer):
    create_vendor(tax_code=MST)
    with pytest.raises(ValidationError):
        services.vendor_application_approve(application=submitted_application, reviewer=reviewer, reason="ok")
    assert reload(submitted_application).status == VendorApplication.SUBMITTED


@pytest.mark.parametrize("decide, status, words", [
    (services.vendor_application_reject, "rejected", "Sản phẩm chưa đạt OCOP"),
    (services.vendor_application_request_changes, "changes_requested", "Bổ sung ảnh giấy phép"),
])
def test_applicant_is_told_the_reason_by_mail_and_on_the_status_page(client, submitted_application, applicant,
                                                                     reviewer, django_capture_on_commit_callbacks,
                                                                     decide, status, words):
    with django_capture_on_commit_callbacks(execute=True):
        decide(application=submitted_application, reviewer=reviewer, reason=words)
    assert len(mail.outbox) == 1 and words in mail.outbox[0].body
    assert "applicant@example.com" in mail.outbox[0].to
    client.force_login(applicant)
    from django.urls import reverse

    page = client.get(reverse("onboarding:status", args=[submitted_application.pk])).content.decode()
    assert words in page
    assert reload(submitted_application).status == status


def test_submission_is_acknowledged_by_mail(applicant, django_capture_on_commit_callbacks):
    application = fill_application(services.vendor_application_start(user=applicant), applicant)
    with django_capture_on_commit_callbacks(execute=True):
        services.vendor_application_submit(application=application, actor=applicant)
    assert len(mail.outbox) == 1 and application.reference in mail.outbox[0].subject
