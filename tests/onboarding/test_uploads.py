"""Uploads are judged by their bytes; bad files are refused with a message and change nothing else."""
import io
import os

import pytest
from django.urls import reverse
from PIL import Image

from onboarding.models import ApplicationDocument
from onboarding.uploads import clean_upload

from .conftest import bomb_png_bytes, jpeg_bytes, pdf_bytes, png_bytes, reload, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(client, applicant):
    from onboarding import services

    client.force_login(applicant)
    application = services.vendor_application_start(user=applicant)
    return services.vendor_application_save(application=application, actor=applicant,
                                            data={"legal_name": "HTX Đã lưu", "phone": "0912345678"})


def post_file(client, application, name, content, kind="business_registration"):
    url = reverse("onboarding:step", kwargs={"pk": application.pk, "step": "tai-lieu"})
    return client.post(url, {"kind": kind, "file": upload(name, content)})


def exif_bytes():
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x010E] = "Nhà riêng, 18.34N 105.9E"  # ImageDescription
    return exif.tobytes()


@pytest.mark.parametrize("name, content, expected", [
    ("giay-phep.jpg", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200, "JPEG, PNG hoặc PDF"),  # an .exe
    ("anh.jpg", jpeg_bytes((400, 300))[:600], "hỏng hoặc không đầy đủ"),  # truncated JPEG
    ("giay-phep.pdf", b"%PDF-1.4\n1 0 obj << >> endobj\n", "không đầy đủ"),  # no %%EOF trailer
    ("giay-phep.pdf", b"Just some text, not a PDF\n%%EOF", "JPEG, PNG hoặc PDF"),
    ("bom.png", bomb_png_bytes(), "quá nhiều điểm ảnh"),  # 20000×20000 declared
])
def test_bad_files_are_refused_with_a_message(client, draft, private_media, name, content, expected):
    response = post_file(client, draft, name, content)
    assert response.status_code == 200
    errors = [str(e) for e in response.context["document_form"].errors["file"]]
    assert any(expected in e for e in errors), errors
    assert expected in response.content.decode()
    assert not draft.documents.exists()
    assert not any(private_media.rglob("*.*")) if private_media.exists() else True
    assert reload(draft).legal_name == "HTX Đã lưu"  # the rest of the draft is untouched


def test_a_file_over_the_size_limit_is_refused(client, draft, settings):
    settings.UPLOAD_MAX_BYTES = 2000
    noisy = Image.frombytes("RGB", (100, 100), os.urandom(100 * 100 * 3))
    out = io.BytesIO()
    noisy.save(out, format="PNG")
    assert len(out.getvalue()) > 2000
    response = post_file(client, draft, "lon.png", out.getvalue())
    assert any("quá lớn" in str(e) for e in response.context["document_form"].errors["file"])
    assert not draft.documents.exists()


def test_an_image_just_over_pillows_pixel_limit_is_refused_too():
    # Between MAX_IMAGE_PIXELS and twice it Pillow only warns; the warning counts as a refusal.
    side = int(Image.MAX_IMAGE_PIXELS ** 0.5) + 10
    with pytest.raises(Exception) as error:
        clean_upload(upload("a.png", bomb_png_bytes(side, side)))
    assert error.value.code == "image_bomb"


def test_images_are_reencoded_without_metadata(client, draft, private_media, settings):
    original = jpeg_bytes(exif=exif_bytes())
    assert b"SecretCam" in original
    response = post_file(client, draft, "../../etc/cmnd mat truoc.JPG", original, kind="id_card")
    assert response.status_code == 302
    document = draft.documents.get()
    stored = document.file.read_plain()  # as uploaded, once decrypted (the disk holds a token)
    assert b"SecretCam" not in stored and b"Exif" not in stored
    assert Image.open(io.BytesIO(stored)).getexif() == {}
    assert (document.content_type, document.original_name, document.size) == (
        "image/jpeg", "cmnd mat truoc.JPG", len(stored))
    path = document.file.path
    assert path.startswith(str(private_media)) and not path.startswith(str(settings.MEDIA_ROOT))
    assert "cmnd" not in path  # stored under a random name
    with pytest.raises(ValueError):
        document.file.url


def test_pngs_and_pdfs_are_accepted(client, draft):
    assert post_file(client, draft, "chung-nhan.png", png_bytes(), kind="ocop_certificate").status_code == 302
    assert post_file(client, draft, "dkkd.pdf", pdf_bytes()).status_code == 302
    kinds = dict(draft.documents.values_list("content_type", "kind"))
    assert kinds == {"image/png": "ocop_certificate", "application/pdf": "business_registration"}
    pdf = draft.documents.get(content_type="application/pdf")
    assert pdf.file.read_plain() == pdf_bytes()


def test_a_png_named_pdf_is_stored_as_what_it_is(client, draft):
    assert post_file(client, draft, "scan.pdf", png_bytes()).status_code == 302
    assert draft.documents.get().content_type == "image/png"


def test_documents_can_be_removed_while_editable(client, draft):
    post_file(client, draft, "dkkd.pdf", pdf_bytes())
    document = draft.documents.get()
    path = document.file.path
    url = reverse("onboarding:document_delete", kwargs={"pk": draft.pk, "document_pk": document.pk})
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not ApplicationDocument.objects.filter(pk=document.pk).exists()
