"""`import_ocop_products`: validation with line numbers, all-or-nothing, CSV and XLSX, idempotent re-import."""
import csv
import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import Workbook

from catalogue.models import OcopCertificate, Product
from catalogue.product_import import COLUMNS

pytestmark = pytest.mark.django_db


def row(**overrides):
    issue = timezone.localdate() - datetime.timedelta(days=200)
    values = {
        "product_code": "HT-0001", "name": "Kẹo cu đơ Thành Đạt", "ocop_code": "I.3.b", "seller_code": "T-VENDOR",
        "commune": "18073", "price": "150000", "stock": "25", "unit": "hộp", "typical_specialty": "có",
        "stars": "3", "certificate_number": "123/QĐ-UBND", "certificate_issuer": "UBND tỉnh Hà Tĩnh",
        "certificate_issue_date": issue.strftime("%d/%m/%Y"), "certificate_expiry_date": "",
        "other_certifications": "VietGAP", "description": "Kẹo truyền thống",
    }
    values.update(overrides)
    return values


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


def write_xlsx(path, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    for values in rows:
        sheet.append([values[c] for c in COLUMNS])
    workbook.save(path)
    return str(path)


def run(path, *args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_ocop_products", path, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_good_csv_imports_products_stock_and_certificates(tmp_path, vendor):
    path = write_csv(tmp_path / "ocop.csv", [
        row(),
        row(product_code="HT-0002", name="Nước mắm Thu Hùng", ocop_code="I.4.a", price="95.000", stars="4",
            certificate_number="77/QĐ-UBND", commune="Xã Cẩm Nhượng", typical_specialty="1"),
        row(product_code="HT-0003", name="Gạo Liên Nhật", ocop_code="I.2.a", stars="", certificate_number="",
            certificate_issuer="", certificate_issue_date="", typical_specialty="không"),
    ])
    out, _ = run(path)
    assert "3 created, 0 updated, 0 unchanged" in out

    candy = Product.objects.get(upc="HT-0001")
    assert candy.title == "Kẹo cu đơ Thành Đạt"
    assert candy.ocop_group_code == "I"
    assert candy.stockrecords.get().price == 150000
    assert candy.stockrecords.get().partner == vendor.partner
    assert candy.categories.get().name == "Thực phẩm chế biến"
    cert = candy.certificates.get()
    assert cert.stars == 3 and cert.status == OcopCertificate.STATUS_VERIFIED
    assert (cert.expiry_date - cert.issue_date).days in range(1090, 1097)  # 36 months
    assert candy.ocop_stars == 3

    fish_sauce = Product.objects.get(upc="HT-0002")
    assert fish_sauce.stockrecords.get().price == 95000  # "95.000" is a Vietnamese thousands separator
    # "Xã Cẩm Nhượng" (before 2025) is now part of a merged commune; its former district is kept.
    assert fish_sauce.origin_former_district.name == "Huyện Cẩm Xuyên"
    assert fish_sauce.origin_commune.former_district.code in {"446"}
    rice = Product.objects.get(upc="HT-0003")
    assert rice.certificates.count() == 0 and not rice.is_typical_specialty and rice.ocop_stars is None


def test_good_xlsx_imports_the_same_way(tmp_path, vendor):
    path = write_xlsx(tmp_path / "ocop.xlsx", [row(), row(product_code="HT-0002", certificate_number="9/QĐ")])
    out, _ = run(path)
    assert "2 created" in out
    assert Product.objects.filter(upc__in=["HT-0001", "HT-0002"]).count() == 2


@pytest.mark.parametrize("overrides, column, reason", [
    ({"stars": "6"}, "stars", "must be 3, 4 or 5"),
    ({"stars": "2"}, "stars", "must be 3, 4 or 5"),
    ({"ocop_code": "IX.9"}, "ocop_code", "is not a code of the OCOP classification"),
    ({"commune": "Xã Không Tồn Tại"}, "commune", "unknown commune"),
    ({"price": "0"}, "price", "must be at least 1"),
    ({"price": "150000.50"}, "price", "must be a whole number"),
    ({"price": "abc"}, "price", "must be a whole number"),
    ({"certificate_issue_date": "31/02/2024"}, "certificate_issue_date", "is not a date"),
    ({"certificate_expiry_date": "01/01/2020"}, "certificate_expiry_date", "must be after the issue date"),
    ({"seller_code": "NB-9999"}, "seller_code", "unknown seller"),
    ({"name": ""}, "name", "is required"),
    ({"certificate_number": ""}, "certificate_number", "is required for a certified product"),
])
def test_each_bad_row_is_reported_and_nothing_is_imported(tmp_path, vendor, overrides, column, reason):
    from io import StringIO

    bad = row(**{"product_code": "HT-0002", "certificate_number": "2/QĐ", **overrides})
    path = write_csv(tmp_path / "bad.csv", [row(), bad])
    err = StringIO()
    with pytest.raises(CommandError, match="1 of 2 rows are invalid.*nothing was imported"):
        call_command("import_ocop_products", path, stdout=StringIO(), stderr=err)
    reported = [line for line in err.getvalue().splitlines() if line.startswith(f"line 3: {column}: ")]
    assert reported and reason in reported[0]
    # The good first row was not imported either.
    assert not Product.objects.filter(upc__in=["HT-0001", "HT-0002"]).exists()


def test_every_bad_row_is_printed_with_line_and_reason(tmp_path, vendor, capsys):
    path = write_csv(tmp_path / "bad.csv", [
        row(),
        row(product_code="HT-0002", certificate_number="2/QĐ", stars="7"),
        row(product_code="HT-0003", certificate_number="3/QĐ", price="-5", commune="Atlantis"),
        row(product_code="HT-0001", certificate_number="4/QĐ"),
    ])
    from io import StringIO

    err = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_ocop_products", path, stdout=StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert "line 3: stars: must be 3, 4 or 5 (got '7')" in lines
    assert any(line.startswith("line 4: price:") for line in lines)
    assert any(line.startswith("line 4: commune: unknown commune") for line in lines)
    assert "line 5: product_code: 'HT-0001' already appears on line 2" in lines
    assert "3 of 4 rows are invalid" in str(excinfo.value)
    assert Product.objects.filter(upc__startswith="HT-").count() == 0


def test_dry_run_validates_without_writing(tmp_path, vendor):
    out, _ = run(write_csv(tmp_path / "ok.csv", [row()]), "--dry-run")
    assert "all 1 rows are valid" in out
    assert not Product.objects.filter(upc="HT-0001").exists()


def test_reimport_updates_instead_of_duplicating(tmp_path, vendor):
    path = write_csv(tmp_path / "ocop.csv", [row(), row(product_code="", name="Cu đơ theo số chứng nhận",
                                                        certificate_number="55/QĐ")])
    run(path)
    before = Product.objects.count()
    out, _ = run(path)
    assert "0 created, 0 updated, 2 unchanged" in out
    assert Product.objects.count() == before

    write_csv(tmp_path / "ocop.csv", [row(price="160000"), row(product_code="", name="Cu đơ (đổi tên)",
                                                                certificate_number="55/QĐ")])
    out, _ = run(path)
    assert "0 created, 2 updated, 0 unchanged" in out
    assert Product.objects.count() == before
    assert Product.objects.get(upc="HT-0001").stockrecords.get().price == 160000
    assert OcopCertificate.objects.get(number="55/QĐ").product.title == "Cu đơ (đổi tên)"


def test_unreadable_files_get_a_clear_message(tmp_path, vendor):
    bad_type = tmp_path / "list.pdf"
    bad_type.write_bytes(b"%PDF-1.4")
    with pytest.raises(CommandError, match="Unsupported file type"):
        run(str(bad_type))
    missing_cols = tmp_path / "cols.csv"
    missing_cols.write_text("name,price\nA,1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Missing required column"):
        run(str(missing_cols))
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes(",".join(COLUMNS).encode() + b"\nK\xe9o\n")
    with pytest.raises(CommandError, match="not UTF-8"):
        run(str(latin1))
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="Cannot read the XLSX"):
        run(str(broken))
