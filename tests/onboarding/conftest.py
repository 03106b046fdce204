"""Shared people, files and applications for the onboarding tests (real bytes, made in the test)."""
import io
import struct
import zlib

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalogue.models import OcopClassification
from marketplace.demo.users import COMMUNITY_GROUP, DEPARTMENT_GROUP
from onboarding import services
from onboarding.models import ApplicationDocument, VendorApplication
from places.models import Commune

#: Valid values: MST with its check digit, a CCCD of someone born in Nghệ An (040), not Hà Tĩnh.
MST = "0100233488"
CCCD = "040190012345"
HOUSEHOLD_CCCD = "042185054321"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "public"
    return settings.PRIVATE_MEDIA_ROOT


def make_user(username, *groups, **flags):
    user = get_user_model().objects.create_user(username=username, email=f"{username}@example.com",
                                                password="Pw-test-12345", **flags)
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


@pytest.fixture
def applicant(db):
    return make_user("applicant")


@pytest.fixture
def other_applicant(db):
    return make_user("other")


@pytest.fixture
def reviewer(db):
    return make_user("reviewer", DEPARTMENT_GROUP)


@pytest.fixture
def assistant(db):
    return make_user("assistant", COMMUNITY_GROUP)


def jpeg_bytes(size=(40, 30), exif=None):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="JPEG", **({"exif": exif} if exif else {}))
    return out.getvalue()


def png_bytes(size=(40, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, (30, 200, 30)).save(out, format="PNG")
    return out.getvalue()


def pdf_bytes():
    """A minimal, real one-page PDF."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def bomb_png_bytes(width=20000, height=20000):
    """A valid 1×1 PNG whose header claims ``width``×``height``: Pillow's bomb check reads only the header."""
    raw = png_bytes((1, 1))
    ihdr_start = 8 + 8  # signature, then length + b"IHDR"
    data = bytearray(raw[ihdr_start:ihdr_start + 13])
    data[0:8] = struct.pack(">II", width, height)
    crc = struct.pack(">I", zlib.crc32(b"IHDR" + bytes(data)) & 0xFFFFFFFF)
    return raw[:ihdr_start] + bytes(data) + crc + raw[ihdr_start + 13 + 4:]


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def fill_application(application, actor, **overrides):
    """Every step filled in with valid values (through the services, as the views do)."""
    data = {
        "seller_type": "cooperative", "legal_name": "Hợp tác xã Kẹo cu đơ Thử nghiệm", "tax_code": MST,
        "representative_name": "Nguyễn Văn An", "representative_id_number": CCCD, "phone": "0912345678",
        "email": "htx@example.com", "commune": Commune.objects.get(code="18073"), "street_address": "Thôn 1",
        "bank_code": "VBA", "bank_account_number": "3700205123456", "bank_account_holder": "HTX KEO CU DO",
    }
    data.update(overrides)
    application = services.vendor_application_save(application=application, actor=actor, data=data)
    services.application_document_add(application=application, actor=actor,
                                      kind=ApplicationDocument.BUSINESS_REGISTRATION,
                                      upload=upload("dkkd.pdf", pdf_bytes()))
    services.application_product_add(application=application, actor=actor, name="Kẹo cu đơ",
                                     classification=OcopClassification.objects.get(code="I.3.b"), stars=3)
    return application


@pytest.fixture
def submitted_application(applicant):
    application = fill_application(services.vendor_application_start(user=applicant), applicant)
    return services.vendor_application_submit(application=application, actor=applicant)


def reload(application):
    return VendorApplication.objects.get(pk=application.pk)
