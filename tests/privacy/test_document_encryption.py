"""Applicants' documents (ID card scans, registration and OCOP certificates) are encrypted at rest: the
storage holds a Fernet token, the people entitled download the bytes they sent, anyone else gets a 404;
files stored before encryption are encrypted by the migration, and key rotation covers the files."""
import importlib
from io import StringIO
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage
from django.core.management import call_command
from django.urls import reverse

from onboarding import services
from onboarding.models import ApplicationDocument
from privacy.files import decrypt_bytes, ensure_encrypted, rewrite_stored_file
from tests.onboarding.conftest import jpeg_bytes, make_user, pdf_bytes, upload

pytestmark = pytest.mark.django_db
migration = importlib.import_module("onboarding.migrations.0003_encrypt_documents")
MAGIC = (b"%PDF-", b"\xff\xd8\xff", b"\x89PNG")


def on_disk(document):
    return Path(document.file.path).read_bytes()


def download(client, user, document):
    client.force_login(user)
    response = client.get(reverse("onboarding:document", kwargs={"pk": document.pk}))
    return response.status_code, b"".join(response.streaming_content) if response.status_code == 200 else b""


@pytest.fixture
def documents(submitted_application, applicant):
    """The submitted application's PDF plus a JPEG scan of the ID card (added while it was a draft)."""
    pdf = submitted_application.documents.get()
    draft = services.vendor_application_start(user=make_user("household"))
    scan = services.application_document_add(application=draft, actor=draft.applicant, kind="id_card",
                                             upload=upload("cccd.jpg", jpeg_bytes()))
    return pdf, scan


def test_the_disk_holds_a_token_not_the_pdf_or_the_jpeg(documents):
    for document in documents:
        stored = on_disk(document)
        assert stored.startswith(b"gAAAA"), stored[:10]
        assert not any(magic in stored for magic in MAGIC)
        assert document.file.read_plain().startswith((b"%PDF-", b"\xff\xd8\xff"))
    assert documents[0].file.read_plain() == pdf_bytes()
    assert pdf_bytes()[9:60] not in on_disk(documents[0])


def test_the_owner_and_the_department_download_the_original_bytes(client, documents, applicant, reviewer):
    pdf, scan = documents
    assert download(client, applicant, pdf) == (200, pdf_bytes())
    assert download(client, reviewer, pdf) == (200, pdf_bytes())
    status, content = download(client, scan.application.applicant, scan)
    assert status == 200 and content.startswith(b"\xff\xd8\xff") and content == scan.file.read_plain()


def test_a_stranger_gets_404_and_never_the_bytes(client, documents, other_applicant):
    for document in documents:
        assert download(client, other_applicant, document)[0] == 404
    client.logout()
    assert client.get(reverse("onboarding:document", kwargs={"pk": documents[0].pk})).status_code == 404


def test_the_migration_encrypts_files_stored_before_it_and_can_go_back(
        client, applicant, documents, django_capture_on_commit_callbacks):
    pdf = documents[0]
    storage = pdf.file.storage
    plain_name = storage.save(f"applications/{pdf.application_id}/old.pdf", ContentFile(pdf_bytes()))
    ApplicationDocument.objects.filter(pk=pdf.pk).update(file=plain_name)  # as stored before the migration
    assert download(client, applicant, pdf) == (200, pdf_bytes())  # read as it is meanwhile

    with django_capture_on_commit_callbacks(execute=True):
        migration.encrypt_files(apps, None)
    pdf.refresh_from_db()
    assert pdf.file.name != plain_name and on_disk(pdf).startswith(b"gAAAA")
    assert not storage.exists(plain_name)  # the plain file is gone once the new one is recorded
    assert download(client, applicant, pdf) == (200, pdf_bytes())

    with django_capture_on_commit_callbacks(execute=True):
        migration.decrypt_files(apps, None)
    pdf.refresh_from_db()
    assert on_disk(pdf) == pdf_bytes()


def test_key_rotation_re_encrypts_the_files(client, applicant, documents, settings,
                                            django_capture_on_commit_callbacks):
    pdf = documents[0]
    before = on_disk(pdf)
    old_key = settings.PRIVACY_ENCRYPTION_KEY
    settings.PRIVACY_ENCRYPTION_KEY = Fernet.generate_key().decode()
    settings.PRIVACY_ENCRYPTION_OLD_KEYS = [old_key]
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rotate_encryption_keys", stdout=out)
    assert "2 files re-encrypted" in out.getvalue()
    pdf.refresh_from_db()
    assert on_disk(pdf) != before and on_disk(pdf).startswith(b"gAAAA")
    settings.PRIVACY_ENCRYPTION_OLD_KEYS = []  # the old key is gone: the new one reads every file
    assert download(client, applicant, pdf) == (200, pdf_bytes())
    assert Fernet(old_key.encode()).decrypt(before) == pdf_bytes()


def test_encryption_is_done_on_the_bytes_whatever_the_storage():
    """The same functions on an in-memory storage (as S3 would be): only a token is handed over."""
    storage = InMemoryStorage()
    name = storage.save("applications/1/scan.jpg", ContentFile(jpeg_bytes()))
    new_name = rewrite_stored_file(storage, name, ensure_encrypted)
    stored = storage.open(new_name).read()
    assert stored.startswith(b"gAAAA") and decrypt_bytes(stored) == jpeg_bytes()
    assert rewrite_stored_file(storage, new_name, ensure_encrypted) is None  # already a token: left alone
