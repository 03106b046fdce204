"""Own-provider sellers upload their provider's signed XML (one file or a ZIP); it is verified, then kept verbatim."""
import datetime
import io
import re
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from lxml import etree

from invoicing.exports import invoices_export_zip
from invoicing.models import Invoice, SellerInvoicingProfile
from invoicing.sandbox.signing import sign_invoice
from invoicing.services import invoice_issue_for_fulfilment
from invoicing.xml import invoice_export_bytes

from .factories import create_delivered_part, create_invoicing_vendor, products

pytestmark = pytest.mark.django_db
CODE = "00C41E9B27D35A8F60B1E2D94C7A3F5B18"


@pytest.fixture
def own(client):
    vendor = create_invoicing_vendor(vat=True, mode=SellerInvoicingProfile.MODE_OWN_PROVIDER)
    user = get_user_model().objects.create_user(username="htx", email="htx@example.com", password="x")
    vendor.partner.users.add(user)
    client.force_login(user)
    return vendor


def draft_for(vendor, price=45000):
    (product,) = products(vendor, price)
    part = create_delivered_part(vendor=vendor, items=[(product, 2, price, 0)])
    invoice = invoice_issue_for_fulfilment(fulfilment=part)
    assert invoice.status == Invoice.DRAFT and invoice.number is None
    return invoice


def provider_file(invoice, number, *, tax_code=None, code=CODE, signed_on=None, edit=None):
    """What a provider returns: our DLHDon with its number, signed by the seller's certificate, coded."""
    root = etree.fromstring(invoice_export_bytes(invoice))
    symbol = root.find("DLHDon/TTChung/KHHDon")
    number_node = etree.Element("SHDon")
    number_node.text = str(number)
    symbol.addnext(number_node)
    if edit:
        edit(root)
    data = b'<?xml version="1.0" encoding="UTF-8"?>' + etree.tostring(root, encoding="UTF-8")
    when = signed_on or datetime.datetime.combine(invoice.issue_date, datetime.time(15, 42, 7))
    return sign_invoice(data, tax_code=tax_code or invoice.seller_tax_code, name=invoice.seller_name,
                        signing_time=when, tax_authority_code=code)


def upload(client, content, name="hd.xml", pk=None):
    url = reverse("invoices:upload-one", kwargs={"pk": pk}) if pk else reverse("invoices:upload")
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def zipped(files, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in files:
            archive.writestr(name, data)
    return buffer.getvalue()


def test_one_signed_file_completes_the_draft_and_is_re_exported_unchanged(client, own):
    invoice = draft_for(own)
    signed = provider_file(invoice, 128)
    response = upload(client, signed, pk=invoice.pk)
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert (invoice.status, invoice.number, invoice.tax_authority_code) == (Invoice.ISSUED, 128, CODE)
    assert bytes(invoice.signed_xml) == signed
    assert client.get(reverse("invoices:xml", kwargs={"pk": invoice.pk})).content == signed
    spool = io.BytesIO()
    invoices_export_zip(vendor=own, date_from=invoice.issue_date, date_to=invoice.issue_date, fileobj=spool)
    with zipfile.ZipFile(spool) as archive:
        assert archive.read(f"xml/{invoice.file_stem}.xml") == signed
    assert list(invoice.events.values_list("from_status", "to_status")) == [("", "draft"), ("draft", "issued")]
    # The same file again is recognised, not recorded twice.
    assert upload(client, signed).status_code == 302
    assert Invoice.objects.filter(number=128).count() == 1


def test_a_zip_is_matched_by_id_and_recorded_all_or_nothing(client, own):
    first, second = draft_for(own), draft_for(own, 50000)
    good = [("a.xml", provider_file(first, 5)), ("b/b.xml", provider_file(second, 6, code="00" + "A" * 32))]
    tampered = provider_file(second, 6).replace(b"<SLuong>2</SLuong>", b"<SLuong>3</SLuong>")

    response = upload(client, zipped([good[0], ("b.xml", tampered)]), name="hd.zip")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="upload-errors"' in page and "b.xml" in page
    assert Invoice.objects.filter(status=Invoice.DRAFT).count() == 2  # the good file was not kept either

    assert upload(client, zipped(good), name="hd.zip").status_code == 302
    assert sorted(Invoice.objects.values_list("number", flat=True)) == [5, 6]


@pytest.mark.parametrize("problem", ["not_xml", "other_cert", "late", "early", "short_code", "no_code", "tampered",
                                     "total", "unsigned", "no_signature", "doctype", "other_id"])
def test_bad_files_are_refused_with_a_message_and_nothing_is_stored(client, own, problem):
    invoice = draft_for(own)
    other = draft_for(own, 60000)
    issue = invoice.issue_date
    content = {
        "not_xml": lambda: b"%PDF-1.4 not an invoice",
        "other_cert": lambda: provider_file(invoice, 9, tax_code="0109998887"),
        "late": lambda: provider_file(invoice, 9, signed_on=datetime.datetime.combine(
            issue + datetime.timedelta(days=12), datetime.time(9))),
        "early": lambda: provider_file(invoice, 9, signed_on=datetime.datetime.combine(
            issue - datetime.timedelta(days=1), datetime.time(9))),
        "short_code": lambda: provider_file(invoice, 9, code="00ABC"),
        "no_code": lambda: provider_file(invoice, 9, code=""),
        "tampered": lambda: provider_file(invoice, 9).replace(b"<SHDon>9</SHDon>", b"<SHDon>8</SHDon>"),
        "total": lambda: provider_file(invoice, 9, edit=lambda r: r.find("DLHDon/NDHDon/TToan/TgTTTBSo").__setattr__(
            "text", "1")),
        "unsigned": lambda: invoice_export_bytes(invoice),
        "no_signature": lambda: re.sub(rb"<DSCKS>.*</DSCKS>", b"", provider_file(invoice, 9), flags=re.S),
        "doctype": lambda: b'<?xml version="1.0"?><!DOCTYPE HDon [<!ENTITY x "y">]><HDon><DLHDon Id="a"/></HDon>',
        "other_id": lambda: provider_file(other, 9),
    }[problem]()
    response = upload(client, content, pk=invoice.pk)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="upload-errors"' in page
    invoice.refresh_from_db()
    assert invoice.status == Invoice.DRAFT and invoice.signed_xml is None


def test_messages_are_in_vietnamese(client, own):
    invoice = draft_for(own)
    page = upload(client, provider_file(invoice, 9, tax_code="0109998887"), pk=invoice.pk).content.decode()
    assert "Chứng thư số" in page


def test_zip_bomb_and_oversized_uploads_are_refused(client, own, settings):
    invoice = draft_for(own)
    bomb = zipped([("bomb.xml", b"<HDon>" + b" " * (3 * 1024 * 1024) + b"</HDon>")])
    assert len(bomb) < 64 * 1024
    response = upload(client, bomb, name="bomb.zip")
    assert response.status_code == 200 and 'id="upload-errors"' in response.content.decode()
    settings.UPLOAD_MAX_BYTES = 1000
    response = upload(client, provider_file(invoice, 9), pk=invoice.pk)
    assert response.status_code == 200 and 'id="upload-errors"' in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.status == Invoice.DRAFT


def test_xades_variant_is_accepted(client, own):
    """Some systems sign with XAdES (SignedProperties/SigningTime instead of SignatureProperties)."""
    from signxml.xades import XAdESSigner

    from invoicing.sandbox.signing import credentials

    invoice = draft_for(own)
    root = etree.fromstring(invoice_export_bytes(invoice))
    number_node = etree.Element("SHDon")
    number_node.text = "77"
    root.find("DLHDon/TTChung/KHHDon").addnext(number_node)
    etree.SubElement(root, "MCCQT").text = CODE
    holder = etree.SubElement(etree.SubElement(root, "DSCKS"), "NBan")
    etree.SubElement(holder, "{http://www.w3.org/2000/09/xmldsig#}Signature", Id="placeholder")
    key, cert = credentials(invoice.seller_tax_code, invoice.seller_name)
    signer = XAdESSigner(signature_algorithm="rsa-sha256", digest_algorithm="sha256",
                         c14n_algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315")
    signed = signer.sign(root, key=key, cert=[cert], reference_uri=[f"#{invoice.data_id}"])
    data = b'<?xml version="1.0" encoding="UTF-8"?>' + etree.tostring(signed, encoding="UTF-8")
    assert b"SignedProperties" in data
    response = upload(client, data, pk=invoice.pk)
    invoice.refresh_from_db()
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert invoice.number == 77 and bytes(invoice.signed_xml) == data


def test_other_sellers_invoices_are_out_of_reach(client, own):
    stranger = create_invoicing_vendor(vat=True, mode=SellerInvoicingProfile.MODE_OWN_PROVIDER, code="OTHER",
                                       tax_code="0109998887")
    theirs = draft_for(stranger)
    assert client.get(reverse("invoices:upload-one", kwargs={"pk": theirs.pk})).status_code == 404
    assert upload(client, provider_file(theirs, 3), pk=theirs.pk).status_code == 404
    response = upload(client, provider_file(theirs, 3))  # matched by Id: not one of ours
    assert response.status_code == 200 and 'id="upload-errors"' in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.status == Invoice.DRAFT
