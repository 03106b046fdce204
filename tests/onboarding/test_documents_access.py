"""Documents are reachable only through the permission-checked view, and only by those entitled."""
import pytest
from django.urls import reverse

from onboarding import services
from onboarding.models import ApplicationDocument

from .conftest import fill_application, jpeg_bytes, make_user, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(submitted_application):
    return submitted_application.documents.get()


def url(document):
    return reverse("onboarding:document", kwargs={"pk": document.pk})


def test_the_applicant_downloads_its_document(client, applicant, document):
    client.force_login(applicant)
    response = client.get(url(document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]


def test_reviewers_and_superusers_open_submitted_documents(client, reviewer, document):
    client.force_login(reviewer)
    assert client.get(url(document)).status_code == 200
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    assert client.get(url(document)).status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "other applicant", "staff without the group", "assistant of others"])
def test_anyone_else_gets_404(client, document, other_applicant, assistant, who):
    if who == "other applicant":
        client.force_login(other_applicant)
    elif who == "staff without the group":
        client.force_login(make_user("staff", is_staff=True))
    elif who == "assistant of others":
        client.force_login(assistant)
    assert client.get(url(document)).status_code == 404


def test_another_applicant_cannot_touch_someone_elses_draft(client, applicant, other_applicant):
    application = services.vendor_application_start(user=applicant)
    document = services.application_document_add(application=application, actor=applicant, kind="id_card",
                                                 upload=upload("cccd.jpg", jpeg_bytes()))
    client.force_login(other_applicant)
    assert client.get(url(document)).status_code == 404
    for name, kwargs in (("step", {"pk": application.pk, "step": "loai-hinh"}),
                         ("status", {"pk": application.pk})):
        assert client.get(reverse(f"onboarding:{name}", kwargs=kwargs)).status_code == 404
    delete = reverse("onboarding:document_delete", kwargs={"pk": application.pk, "document_pk": document.pk})
    assert client.post(delete).status_code == 404
    assert ApplicationDocument.objects.filter(pk=document.pk).exists()


def test_reviewers_do_not_see_drafts(client, applicant, reviewer):
    application = services.vendor_application_start(user=applicant)
    document = services.application_document_add(application=application, actor=applicant, kind="id_card",
                                                 upload=upload("cccd.jpg", jpeg_bytes()))
    client.force_login(reviewer)
    assert client.get(url(document)).status_code == 404
    assert client.get(reverse("review:application", args=[application.pk])).status_code == 404


def test_images_are_shown_inline_with_a_sandbox(client, applicant):
    application = fill_application(services.vendor_application_start(user=applicant), applicant)
    document = services.application_document_add(application=application, actor=applicant, kind="id_card",
                                                 upload=upload("cccd.jpg", jpeg_bytes()))
    client.force_login(applicant)
    response = client.get(url(document))
    assert response["Content-Type"] == "image/jpeg" and "inline" in response["Content-Disposition"]
    assert "sandbox" in response["Content-Security-Policy"]


def test_no_public_url_serves_private_files(client, document, settings):
    assert not str(document.file.path).startswith(str(settings.MEDIA_ROOT))
    assert client.get(f"{settings.MEDIA_URL}{document.file.name}").status_code == 404
