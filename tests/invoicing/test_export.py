"""The batch ZIP: one XML per invoice of the period, CSV and XLSX summaries, a manifest with hashes."""
import csv
import datetime
import hashlib
import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook

from invoicing.exports import HEADERS
from invoicing.models import ProductVatRate
from invoicing.services import invoice_adjust_for_refund, invoice_issue_for_fulfilment
from invoicing.validation import xml_errors
from payments.models import Payment, Refund

from .factories import create_delivered_part, create_invoicing_vendor, products

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoiced(tmp_path):
    vendor = create_invoicing_vendor(vat=True, code="NB-0001")
    keo, cam = products(vendor, 49500, 35000)
    ProductVatRate.objects.create(product=cam, rate="KCT")
    invoices = []
    for items in ([(keo, 2, 49500, 0)], [(keo, 1, 49500, 0), (cam, 3, 35000, 0)], [(cam, 1, 35000, 0)]):
        invoices.append(invoice_issue_for_fulfilment(fulfilment=create_delivered_part(vendor=vendor, items=items)))
    part = invoices[1].fulfilment
    refund = Refund.objects.create(payment=Payment.objects.get(order=part.order), fulfilment=part, amount=35000,
                                   line=part.lines().get(product=cam), status=Refund.SUCCEEDED, reason="trả 1 kg")
    invoices.append(invoice_adjust_for_refund(refund=refund))
    other = create_invoicing_vendor(code="NB-0002")
    (item,) = products(other, 10000)
    invoice_issue_for_fulfilment(fulfilment=create_delivered_part(vendor=other, items=[(item, 1, 10000, 0)]))
    return vendor, invoices


def test_command_writes_the_zip(invoiced, tmp_path):
    vendor, invoices = invoiced
    today = timezone.localdate().strftime("%d/%m/%Y")
    output = tmp_path / "out.zip"
    call_command("export_einvoices", "--seller", "NB-0001", "--from", today, "--to", today, "--output", str(output))
    with zipfile.ZipFile(output) as archive:
        names = archive.namelist()
        xml_names = sorted(n for n in names if n.startswith("xml/"))
        assert xml_names == sorted(f"xml/{i.file_stem}.xml" for i in invoices)
        assert xml_names[0] == f"xml/3001234567_1{invoices[0].symbol}_00000001.xml"
        for name in xml_names:
            assert xml_errors(archive.read(name)) == []
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["counts"]["invoices"] == 4 and manifest["seller_tax_code"] == "3001234567"
        for name, digest in manifest["sha256"].items():
            assert hashlib.sha256(archive.read(name)).hexdigest() == digest
        raw = archive.read("tong_hop.csv")
        assert raw.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        assert rows[0] == HEADERS and len(rows) == 5 and len(HEADERS) == 27
        by_number = {r[2]: r for r in rows[1:]}
        assert by_number["1"][3] == timezone.localdate().isoformat()
        assert by_number["1"][9] == "10%" and by_number["2"][9] == "Nhiều mức"
        assert by_number["2"][15] == "Bị điều chỉnh" and by_number["4"][15] == "Hóa đơn thay thế, điều chỉnh"
        assert by_number["4"][13] == "-35000" and by_number["4"][17].startswith(f"1{invoices[1].symbol}, 2, ")
        assert by_number["1"][13] == str(2 * 49500 + 30000)
        workbook = load_workbook(io.BytesIO(archive.read("tong_hop.xlsx")))
        assert workbook.sheetnames == ["TongHop", "ChiTiet"]
        sheet = workbook["TongHop"]
        assert sheet.max_row == 5 and sheet.cell(2, 4).number_format == "dd/mm/yyyy"
        assert isinstance(sheet.cell(2, 4).value, datetime.datetime) and isinstance(sheet.cell(2, 14).value, int)
        assert workbook["ChiTiet"].max_row == 1 + sum(i.lines.count() for i in invoices)


def test_period_filters_and_bad_arguments(invoiced, tmp_path):
    output = tmp_path / "empty.zip"
    call_command("export_einvoices", "--seller", "NB-0001", "--from", "01/01/2020", "--to", "31/01/2020",
                 "--output", str(output))
    with zipfile.ZipFile(output) as archive:
        assert not [n for n in archive.namelist() if n.startswith("xml/")]
    with pytest.raises(CommandError):
        call_command("export_einvoices", "--seller", "NOPE", "--from", "01/01/2020", "--to", "31/01/2020")
    with pytest.raises(CommandError):
        call_command("export_einvoices", "--seller", "NB-0001", "--from", "2020-01-01", "--to", "31/01/2020")


def test_pdfs_are_included_on_request(invoiced, tmp_path):
    today = timezone.localdate().strftime("%d/%m/%Y")
    output = tmp_path / "pdf.zip"
    call_command("export_einvoices", "--seller", "NB-0001", "--from", today, "--to", today, "--output", str(output),
                 "--with-pdf")
    with zipfile.ZipFile(output) as archive:
        pdfs = [n for n in archive.namelist() if n.startswith("pdf/")]
        assert len(pdfs) == 4 and archive.read(pdfs[0]).startswith(b"%PDF")
