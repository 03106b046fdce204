"""Every view of a citizen ID, bank account or document is logged (who, when, which record); the
department reads the log and exports it for a period (breach readiness)."""
import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from privacy.models import AccessLogEntry

pytestmark = pytest.mark.django_db


def test_the_review_page_logs_each_view_of_the_full_numbers(client, reviewer, submitted_application):
    client.force_login(reviewer)
    url = reverse("review:application", args=[submitted_application.pk])
    for _ in range(2):
        assert client.get(url).status_code == 200
    entries = AccessLogEntry.objects.filter(record_type="onboarding.vendorapplication")
    assert entries.count() == 2
    entry = entries.first()
    assert (entry.actor, entry.action, entry.record_id) == (reviewer, AccessLogEntry.VIEW,
                                                            str(submitted_application.pk))
    assert "representative_id_number" in entry.fields and entry.ip_address == "127.0.0.1"


def test_a_refused_visitor_leaves_no_view_in_the_log(client, other_applicant, submitted_application):
    client.force_login(other_applicant)
    assert client.get(reverse("review:application", args=[submitted_application.pk])).status_code in (403, 404)
    assert not AccessLogEntry.objects.exists()


def test_document_downloads_are_logged(client, reviewer, submitted_application):
    document = submitted_application.documents.get()
    client.force_login(reviewer)
    response = client.get(reverse("onboarding:document", args=[document.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    entry = AccessLogEntry.objects.get()
    assert (entry.actor, entry.action, entry.record_type) == (reviewer, AccessLogEntry.DOWNLOAD,
                                                              "onboarding.applicationdocument")


def test_django_admin_does_not_show_the_numbers(client, submitted_application, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "Pw-admin-12345")
    client.force_login(admin)
    page = client.get(reverse("admin:onboarding_vendorapplication_change",
                              args=[submitted_application.pk])).content.decode()
    assert submitted_application.legal_name in page
    assert "040190012345" not in page and "3700205123456" not in page


def test_the_department_reads_and_exports_the_log_of_a_period(client, reviewer, submitted_application,
                                                              django_assert_max_num_queries):
    client.force_login(reviewer)
    client.get(reverse("review:application", args=[submitted_application.pk]))
    old = AccessLogEntry.objects.create(actor=reviewer, actor_label="cu@example.com", action=AccessLogEntry.VIEW,
                                        record_type="onboarding.vendorapplication", record_id="1")
    old.at = timezone.now() - datetime.timedelta(days=90)
    old.save()
    today = timezone.localdate().strftime("%d/%m/%Y")
    url = reverse("privacy:department-access-log")
    with django_assert_max_num_queries(12):
        page = client.get(url, {"from": today, "to": today}).content.decode()
    assert submitted_application.reference in page and "cu@example.com" not in page
    response = client.get(url, {"from": today, "to": today, "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert len(rows) == 2 and rows[1][1] == "reviewer@example.com"
    assert rows[1][4] == f"onboarding.vendorapplication#{submitted_application.pk}"
    # exporting the log is itself logged
    assert AccessLogEntry.objects.filter(action=AccessLogEntry.EXPORT, actor=reviewer).exists()
