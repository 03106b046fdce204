"""Community digital team members file for households; the household gets the seller account."""
import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from onboarding import services
from onboarding.models import VendorApplication

from .conftest import CCCD, fill_application, reload

pytestmark = pytest.mark.django_db
HOUSEHOLD = dict(seller_type="household_business", tax_code="042185054321", representative_id_number="042185054321",
                 legal_name="Hộ kinh doanh Lê Thị B", email="Ho.LeThiB@Example.com")


def test_only_team_members_may_assist(client, applicant):
    client.force_login(applicant)
    assert client.get(reverse("onboarding:assisted")).status_code == 403
    assert client.post(reverse("onboarding:assisted")).status_code == 403
    assert not VendorApplication.objects.exists()


def test_assistant_starts_fills_and_follows_applications(client, assistant):
    client.force_login(assistant)
    first = client.post(reverse("onboarding:assisted"), {"privacy_consent": "on"})
    second = client.post(reverse("onboarding:assisted"), {"privacy_consent": "on"})
    applications = VendorApplication.objects.filter(assisted_by=assistant)
    assert applications.count() == 2  # one per household, never reused
    application = applications.first()
    assert application.applicant is None and application.seller_type == "household_business"
    assert first.status_code == second.status_code == 302
    step = reverse("onboarding:step", kwargs={"pk": application.pk, "step": "nguoi-dai-dien"})
    response = client.post(step, {"representative_name": "Lê Thị B", "representative_id_number": CCCD,
                                  "phone": "0987654321", "email": "ho.b@example.com"})
    assert response.status_code == 302
    listing = client.get(reverse("onboarding:assisted"))
    assert set(listing.context["applications"]) == set(applications)
    assert CCCD not in listing.content.decode()


def test_assisted_household_gets_a_new_account_at_approval(assistant, reviewer, django_capture_on_commit_callbacks):
    application = fill_application(services.vendor_application_start_assisted(assistant=assistant), assistant,
                                   **HOUSEHOLD)
    with django_capture_on_commit_callbacks(execute=True):
        services.vendor_application_submit(application=application, actor=assistant)
    assert mail.outbox[0].to == ["Ho.LeThiB@Example.com", "assistant@example.com"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.vendor_application_approve(application=application, reviewer=reviewer, reason="Đạt")
    application = reload(application)
    household = application.applicant
    assert household.email == "Ho.LeThiB@example.com" and not household.has_usable_password()
    assert not household.has_perm("partner.dashboard_access")  # the workspace, not Oscar's dashboard
    assert list(application.vendor.partner.users.all()) == [household]
    assert assistant not in application.vendor.partner.users.all()
    assert application.vendor.tax_code == "042185054321"
    bodies = {tuple(m.to): m.body for m in mail.outbox}
    assert "/password-reset/confirm/" in bodies[("Ho.LeThiB@example.com",)]
    assert any("assistant@example.com" in to for to in bodies)


def test_assisted_household_with_an_account_is_linked_by_email(assistant, reviewer):
    existing = get_user_model().objects.create_user(username="hob", email="ho.lethib@example.com", password="x")
    application = fill_application(services.vendor_application_start_assisted(assistant=assistant), assistant,
                                   **HOUSEHOLD)
    services.vendor_application_submit(application=application, actor=assistant)
    services.vendor_application_approve(application=application, reviewer=reviewer, reason="Đạt")
    assert reload(application).applicant == existing
    assert get_user_model().objects.filter(email__iexact="ho.lethib@example.com").count() == 1


def test_the_assistant_cannot_take_over_someone_elses_application(client, assistant, submitted_application):
    client.force_login(assistant)
    assert client.get(reverse("onboarding:status", args=[submitted_application.pk])).status_code == 404
