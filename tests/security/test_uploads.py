"""Every upload field refuses what is not a clean picture or document, says why in Vietnamese, stores nothing.

Fields: the seller's product picture and storefront logo (workspace), the applicant's documents
(onboarding), and the department's images and documents in the CMS. tests/onboarding and tests/vendors
already cover executables, truncated JPEG/PDF, decompression bombs and EXIF; this file adds scripts in
SVG/HTML, polyglots (a valid picture or PDF carrying HTML/JS), GIF/WebP/ICO, files over
``settings.UPLOAD_MAX_BYTES`` at the real limit, and the logo, which had no test.
"""
import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from .conftest import client_for

pytestmark = pytest.mark.django_db

SCRIPT = b"<script>alert(document.cookie)</script>"
SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
       b'<script>alert(document.domain)</script><rect width="10" height="10"/></svg>')
HTML = b"<!DOCTYPE html><html><body><img src=x onerror=alert(1)>" + SCRIPT + b"</body></html>"


def jpeg(size=(60, 40), noisy=False):
    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)) if noisy else \
        Image.new("RGB", size, (180, 90, 20))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    return out.getvalue()


def png(size=(60, 40)):
    out = io.BytesIO()
    Image.new("RGBA", size, (20, 160, 60, 255)).save(out, "PNG")
    return out.getvalue()


def other_format(fmt):
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (1, 2, 3)).save(out, fmt)
    return out.getvalue()


def jpeg_with_comment(payload):
    """A valid JPEG whose COM segment holds HTML: browsers sniffing it could run it; re-encoding must drop it."""
    data = jpeg()
    segment = b"\xff\xfe" + (len(payload) + 2).to_bytes(2, "big") + payload
    return data[:2] + segment + data[2:]


def over_the_limit():
    """A real JPEG padded past settings.UPLOAD_MAX_BYTES (bytes after EOI: still a decodable picture)."""
    data = jpeg()
    return data + b"\x00" * (settings.UPLOAD_MAX_BYTES + 1 - len(data))


#: (file name, bytes, what it is). All must be refused by the picture fields.
BAD_PICTURES = [
    ("logo.svg", SVG, "SVG with a script"),
    ("anh.jpg", SVG, "SVG named .jpg"),
    ("trang.html", HTML, "HTML page"),
    ("anh.png", HTML, "HTML named .png"),
    ("anh.gif", b"GIF89a/*" + b"\x00" * 20 + b"*/=1;" + SCRIPT, "GIF/JS polyglot"),
    ("anh.gif", other_format("GIF"), "real GIF"),
    ("anh.webp", other_format("WEBP"), "real WebP"),
    ("anh.ico", other_format("ICO"), "icon"),
    ("anh.bmp", other_format("BMP"), "bitmap"),
    ("anh.jpg", png()[:60], "truncated PNG"),
    ("anh.jpg", b"", "empty file"),
    ("anh.jpg", b"\xff\xd8\xff" + SCRIPT, "JPEG magic then a script"),
    ("anh.pdf", b"%PDF-1.4\n" + SCRIPT + b"\n%%EOF", "PDF (not a picture)"),
]


def vi(message):
    with translation.override("vi"):
        return translation.gettext(message)


def PICTURE_REFUSALS():  # noqa: N802  (a constant, translated when the test runs)
    return ([vi("This file is not a valid JPEG or PNG picture.")], [vi("Only JPEG and PNG pictures are accepted.")],
            [vi("The submitted file is empty.")])




def stored_files():
    return sorted(str(p) for root in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT)
                  if Path(root).exists() for p in Path(root).rglob("*") if p.is_file())


def listing(**overrides):
    data = {"title": "Ảnh thử nghiệm", "description": "Mô tả", "ocop_code": "I.3.b", "sales_unit": "hộp",
            "price": "55000", "stock": "3"}
    data.update(overrides)
    return data


# --- product pictures (seller workspace) -------------------------------------------------------------
@pytest.mark.parametrize("name, content, what", BAD_PICTURES, ids=[b[2] for b in BAD_PICTURES])
def test_product_picture_refuses_non_pictures(world, name, content, what):
    from catalogue.models import ListingChange, Product

    before = (stored_files(), ListingChange.objects.count())
    response = client_for(world, "seller_a").post(reverse("seller:product-create"), {
        **listing(), "image": SimpleUploadedFile(name, content, content_type="image/jpeg")})
    assert response.status_code == 400, what
    errors = [str(e) for e in response.context["form"].errors["image"]]
    assert errors in PICTURE_REFUSALS(), errors
    assert errors[0] in response.content.decode() and errors[0] != "This file is not a valid JPEG or PNG picture."
    assert not Product.objects.filter(title="Ảnh thử nghiệm").exists()
    assert (stored_files(), ListingChange.objects.count()) == before


def test_product_picture_over_the_limit_is_refused(world):
    from catalogue.models import Product

    before = stored_files()
    response = client_for(world, "seller_a").post(reverse("seller:product-create"), {
        **listing(), "image": SimpleUploadedFile("to.jpg", over_the_limit(), content_type="image/jpeg")})
    assert response.status_code == 400
    message = vi("The file is too large (at most %(mb)s MB).") % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
    assert [str(e) for e in response.context["form"].errors["image"]] == [message]
    assert not Product.objects.filter(title="Ảnh thử nghiệm").exists() and stored_files() == before


def test_product_picture_polyglot_is_stored_without_its_payload(world):
    """A valid JPEG carrying HTML in a comment is accepted as a picture, but re-encoded: the HTML is gone."""
    from catalogue.models import ListingChange, Product

    response = client_for(world, "seller_a").post(reverse("seller:product-create"), {
        **listing(), "image": SimpleUploadedFile("anh.jpg", jpeg_with_comment(HTML), content_type="image/jpeg")})
    assert response.status_code == 302
    change = ListingChange.objects.get(product=Product.objects.get(title="Ảnh thử nghiệm"))
    stored = Path(change.image.path).read_bytes()
    assert stored.startswith(b"\xff\xd8\xff") and b"<script" not in stored and b"onerror" not in stored
    assert Path(change.image.name).suffix == ".jpg"


# --- storefront logo (seller workspace), which had no test --------------------------------------------
def profile_form(world, **overrides):
    vendor = world["vendor_a"]
    data = {"description": vendor.description, "phone": "0912345678", "email": "a@example.com",
            "commune": vendor.commune_id, "street_address": "Thôn 5", "shipping_fee": "30000",
            "free_shipping_over": ""}
    data.update(overrides)
    return data


@pytest.mark.parametrize("name, content, what", BAD_PICTURES, ids=[b[2] for b in BAD_PICTURES])
def test_logo_refuses_non_pictures(world, name, content, what):
    vendor = world["vendor_a"]
    vendor.refresh_from_db()
    logo_before, files_before = vendor.logo.name, stored_files()
    response = client_for(world, "seller_a").post(reverse("seller:profile"), {
        **profile_form(world), "logo_upload": SimpleUploadedFile(name, content, content_type="image/png")})
    assert response.status_code == 400, what
    errors = [str(e) for e in response.context["form"].errors["logo_upload"]]
    assert errors in PICTURE_REFUSALS(), errors
    vendor.refresh_from_db()
    assert vendor.logo.name == logo_before and stored_files() == files_before


def test_logo_over_the_limit_is_refused(world):
    files_before = stored_files()
    response = client_for(world, "seller_a").post(reverse("seller:profile"), {
        **profile_form(world), "logo_upload": SimpleUploadedFile("logo.jpg", over_the_limit())})
    assert response.status_code == 400
    assert "Tệp quá lớn" in str(response.context["form"].errors["logo_upload"])
    assert stored_files() == files_before


def test_logo_polyglot_is_reencoded(world):
    response = client_for(world, "seller_a").post(reverse("seller:profile"), {
        **profile_form(world), "logo_upload": SimpleUploadedFile("logo.jpg", jpeg_with_comment(SCRIPT))})
    assert response.status_code == 302
    vendor = world["vendor_a"]
    vendor.refresh_from_db()
    stored = Path(vendor.logo.path).read_bytes()
    assert stored.startswith(b"\xff\xd8\xff") and b"<script" not in stored


def test_logo_png_with_text_chunks_loses_them(world):
    """PNG tEXt/iTXt chunks can carry markup; the re-encoded logo keeps pixels only."""
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SCRIPT.decode())
    out = io.BytesIO()
    Image.new("RGB", (30, 30), (5, 5, 5)).save(out, "PNG", pnginfo=info)
    response = client_for(world, "seller_a").post(reverse("seller:profile"), {
        **profile_form(world), "logo_upload": SimpleUploadedFile("logo.png", out.getvalue())})
    assert response.status_code == 302
    vendor = world["vendor_a"]
    vendor.refresh_from_db()
    assert b"<script" not in Path(vendor.logo.path).read_bytes()


# --- application documents (onboarding) -----------------------------------------------------------
BAD_DOCUMENTS = [
    ("giay-phep.svg", SVG, "SVG with a script"),
    ("giay-phep.html", HTML, "HTML page"),
    ("giay-phep.pdf", HTML, "HTML named .pdf"),
    ("giay-phep.jpg", b"\xff\xd8\xff" + SCRIPT, "JPEG magic then a script"),
    ("giay-phep.png", b"\x89PNG\r\n\x1a\n" + SCRIPT, "PNG magic then a script"),
    ("giay-phep.gif", other_format("GIF"), "GIF"),
    ("giay-phep.docx", b"PK\x03\x04" + b"\x00" * 64, "zip/docx"),
    ("giay-phep.pdf", b"", "empty file"),
]


def post_document(world, name, content, kind="business_registration"):
    url = reverse("onboarding:step", kwargs={"pk": world["draft"].pk, "step": "tai-lieu"})
    return client_for(world, "shopper").post(url, {"kind": kind, "file": SimpleUploadedFile(name, content)})


@pytest.mark.parametrize("name, content, what", BAD_DOCUMENTS, ids=[b[2] for b in BAD_DOCUMENTS])
def test_documents_refuse_scripts_and_other_types(world, name, content, what):
    draft = world["draft"]
    before = (stored_files(), draft.documents.count())
    response = post_document(world, name, content)
    assert response.status_code == 200, what
    errors = " ".join(str(e) for e in response.context["document_form"].errors["file"])
    assert errors and any(word in errors for word in ("JPEG, PNG hoặc PDF", "hỏng", "trống", "rỗng", "không")), errors
    assert (stored_files(), draft.documents.count()) == before


def test_document_over_the_limit_is_refused(world):
    before = (stored_files(), world["draft"].documents.count())
    response = post_document(world, "giay-phep.jpg", over_the_limit())
    assert response.status_code == 200
    assert "quá lớn" in " ".join(str(e) for e in response.context["document_form"].errors["file"])
    assert (stored_files(), world["draft"].documents.count()) == before


def test_pdf_polyglot_is_only_ever_served_as_an_inert_download(world):
    """A PDF that is also an HTML page passes the PDF check; it must come back as a sandboxed attachment."""
    polyglot = b"%PDF-1.4\n" + HTML + b"\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
    assert post_document(world, "giay-phep.pdf", polyglot).status_code == 302
    document = world["draft"].documents.latest("pk")
    response = client_for(world, "shopper").get(reverse("onboarding:document", kwargs={"pk": document.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_image_polyglot_document_loses_its_payload(world):
    assert post_document(world, "cccd.jpg", jpeg_with_comment(HTML), kind="id_card").status_code == 302
    document = world["draft"].documents.latest("pk")
    stored = document.file.read_plain()
    assert stored.startswith(b"\xff\xd8\xff") and b"<script" not in stored and b"onerror" not in stored


# --- the CMS: images and documents the department uploads -------------------------------------------
def root_collection():
    from wagtail.models import Collection

    return str(Collection.get_first_root_node().pk)


def test_cms_refuses_svg_and_html_images(world):
    from wagtail.images import get_image_model

    client = client_for(world, "department")
    before = get_image_model().objects.count()
    for name, content in (("logo.svg", SVG), ("anh.html", HTML), ("anh.jpg", HTML)):
        response = client.post(reverse("wagtailimages:add"), {
            "title": name, "collection": root_collection(), "file": SimpleUploadedFile(name, content)})
        assert response.status_code == 200, name  # the form again, with its error
        assert response.context["form"].errors.get("file"), name
    assert get_image_model().objects.count() == before


def test_cms_refuses_html_and_svg_documents(world):
    from wagtail.documents import get_document_model

    client = client_for(world, "department")
    before = get_document_model().objects.count()
    for name, content in (("trang.html", HTML), ("logo.svg", SVG), ("trang.htm", HTML), ("script.js", SCRIPT)):
        response = client.post(reverse("wagtaildocs:add"), {
            "title": name, "collection": root_collection(), "file": SimpleUploadedFile(name, content)})
        assert response.status_code == 200, name
        assert response.context["form"].errors.get("file"), name
    assert get_document_model().objects.count() == before


def test_cms_documents_are_served_as_attachments(world):
    """Even a .txt document holding HTML must not render in the site's origin."""
    from wagtail.documents import get_document_model

    document = get_document_model()(title="Có mã")
    document.file.save("co-ma.txt", ContentFile(HTML), save=True)
    response = client_for(world, "anonymous").get(f"/documents/{document.pk}/co-ma.txt")
    assert response.status_code == 200
    disposition = response.get("Content-Disposition", "")
    content_type = response.get("Content-Type", "")
    assert disposition.startswith("attachment") or not content_type.startswith("text/html"), (disposition,
                                                                                             content_type)


# --- e-invoice XML/ZIP upload (own-provider sellers: /ban-hang/hoa-don/tai-len/) -----------------------
def zip_of(entries, compression=None):
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression or zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return out.getvalue()


XXE = (b'<?xml version="1.0"?><!DOCTYPE HDon [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
       b'<HDon><DLHDon><TTChung><SHDon>&xxe;</SHDon></TTChung></DLHDon></HDon>')
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                     for i in range(1, 10))
          + b']><HDon>&lol9;</HDon>')
BAD_INVOICE_FILES = [
    ("hd.xml", XXE, "XXE (external entity)"),
    ("hd.xml", LAUGHS, "billion laughs"),
    ("hd.xml", SVG, "SVG with a script"),
    ("hd.xml", HTML, "HTML"),
    ("hd.xml", b"<HDon>", "truncated XML"),
    ("hd.zip", zip_of([("hd.xml", b"\x00" * 30_000_000)]), "zip bomb (30 MB of zeros)"),
    ("hd.zip", zip_of([("../../etc/cron.d/x.xml", XXE)]), "zip with a path traversal name"),
    ("hd.zip", zip_of([("hd.xml", XXE)])[:40], "truncated zip"),
    ("hd.pdf", b"%PDF-1.4\n%%EOF", "PDF"),
]


def invoices_state():
    from invoicing.models import Invoice

    return list(Invoice.objects.order_by("pk").values_list("pk", "status", "updated"))


@pytest.mark.parametrize("name, content, what", BAD_INVOICE_FILES, ids=[b[2] for b in BAD_INVOICE_FILES])
@pytest.mark.parametrize("target", ["upload", "upload-one"])
def test_invoice_upload_refuses_hostile_files(world, name, content, what, target):
    kwargs = {"pk": world["invoice"].pk} if target == "upload-one" else {}
    before = (invoices_state(), stored_files())
    response = client_for(world, "seller_a").post(reverse(f"invoices:{target}", kwargs=kwargs),
                                                  {"file": SimpleUploadedFile(name, content)})
    assert response.status_code in (200, 400), (what, response.status_code)
    html = response.content.decode()
    assert "root:x:0:0" not in html and "lollollol" not in html, what
    assert response.context.get("errors") or response.context["form"].errors, f"{what}: refused without a reason"
    assert (invoices_state(), stored_files()) == before, what
