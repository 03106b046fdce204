"""The department's queue and application page through HTTP: access, filters, masking, decisions."""
import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from onboarding import services
from onboarding.models import VendorApplication

from .conftest import CCCD, fill_application, make_user, reload

pytestmark = pytest.mark.django_db
QUEUE = reverse("review:queue")


def detail(application):
    return reverse("review:application", args=[application.pk])


def test_only_reviewers_enter(client, applicant, submitted_application):
    response = client.get(QUEUE)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(applicant)
    assert client.get(QUEUE).status_code == 403
    assert client.get(detail(submitted_application)).status_code == 403
    assert client.post(detail(submitted_application), {"action": "approve", "reason": "x"}).status_code == 403
    assert reload(submitted_application).status == VendorApplication.SUBMITTED
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    assert client.get(QUEUE).status_code == 200


@pytest.fixture
def queue(applicant, other_applicant, assistant, reviewer):
    """Three applications: a cooperative (self), an assisted household elsewhere, and a draft."""
    own = fill_application(services.vendor_application_start(user=applicant), applicant)
    services.vendor_application_submit(application=own, actor=applicant)
    assisted = services.vendor_application_start_assisted(assistant=assistant)
    from places.models import Commune

    elsewhere = Commune.objects.exclude(former_district=own.commune.former_district).first()
    fill_application(assisted, assistant, seller_type="household_business", tax_code="042185054321",
                     representative_id_number="042185054321", commune=elsewhere, legal_name="Hộ kinh doanh Lê Thị B",
                     email="ho.b@example.com")
    services.vendor_application_submit(application=assisted, actor=assistant)
    services.vendor_application_request_changes(application=assisted, reviewer=reviewer, reason="Bổ sung")
    draft = fill_application(services.vendor_application_start(user=other_applicant), other_applicant,
                             tax_code="0314409058", legal_name="Bản nháp riêng tư")
    return {"own": reload(own), "assisted": reload(assisted), "draft": draft}


def listed(client, **params):
    response = client.get(QUEUE, params)
    assert response.status_code == 200
    return {application.pk for application in response.context["applications"]}


def test_queue_filters(client, reviewer, queue):
    client.force_login(reviewer)
    own, assisted = queue["own"].pk, queue["assisted"].pk
    assert listed(client) == {own, assisted}  # drafts stay private
    assert listed(client, status="submitted") == {own}
    assert listed(client, status="changes_requested") == {assisted}
    assert listed(client, seller_type="household_business") == {assisted}
    assert listed(client, former_district=queue["own"].commune.former_district.code) == {own}
    assert listed(client, assisted="yes") == {assisted}
    assert listed(client, assisted="no") == {own}
    assert listed(client, status="draft") == {own, assisted}  # not a choice: the filter is ignored
    assert "Bản nháp riêng tư" not in client.get(QUEUE).content.decode()


def test_queue_paginates_and_keeps_filters(client, reviewer, settings):
    client.force_login(reviewer)
    for n in range(27):
        VendorApplication.objects.create(status=VendorApplication.SUBMITTED, legal_name=f"HTX {n}",
                                         seller_type="cooperative")
    first = client.get(QUEUE, {"seller_type": "cooperative"})
    assert len(first.context["applications"]) == 25 and first.context["is_paginated"]
    assert "seller_type=cooperative&amp;page=2" in first.content.decode()
    assert len(client.get(QUEUE, {"seller_type": "cooperative", "page": 2}).context["applications"]) == 2


def test_full_numbers_only_on_the_reviewer_page(client, reviewer, applicant, submitted_application):
    client.force_login(reviewer)
    page = client.get(detail(submitted_application)).content.decode()
    assert CCCD in page and "3700205123456" in page
    document = submitted_application.documents.get()
    assert reverse("onboarding:document", args=[document.pk]) in page
    client.force_login(applicant)
    for url in (reverse("onboarding:status", args=[submitted_application.pk]), reverse("onboarding:apply"),
                reverse("onboarding:status_list")):
        page = client.get(url, follow=True).content.decode()
        assert CCCD not in page and "3700205123456" not in page


def test_decisions_through_http_need_a_reason(client, reviewer, submitted_application):
    client.force_login(reviewer)
    response = client.post(detail(submitted_application), {"action": "reject", "reason": ""})
    assert response.status_code == 200 and response.context["decision_form"].errors["reason"]
    assert reload(submitted_application).status == VendorApplication.SUBMITTED
    response = client.post(detail(submitted_application), {"action": "approve", "reason": "Đạt"})
    assert response.status_code == 302
    assert reload(submitted_application).status == VendorApplication.APPROVED
    # a second decision is refused with a message, not an error page
    response = client.post(detail(submitted_application), {"action": "reject", "reason": "Nhầm"}, follow=True)
    assert reload(submitted_application).status == VendorApplication.APPROVED
    assert "không thể chuyển" in response.content.decode()


def test_decisions_are_csrf_protected(reviewer, submitted_application):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    response = client.post(detail(submitted_application), {"action": "approve", "reason": "Đạt"})
    assert response.status_code == 403
    assert reload(submitted_application).status == VendorApplication.SUBMITTED


def test_http_decision_mails_the_applicant(client, reviewer, submitted_application, django_capture_on_commit_callbacks):
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail(submitted_application), {"action": "request_changes", "reason": "Ảnh bị mờ"})
    assert len(mail.outbox) == 1 and "Ảnh bị mờ" in mail.outbox[0].body
