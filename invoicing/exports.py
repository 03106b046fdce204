"""Batch export of a seller's invoices as one ZIP (spec §6.2), streamed.

Why streamed: a seller's year can hold tens of thousands of invoices. Invoices are read with
``iterator()`` in chunks, each XML goes into the ZIP as soon as it is read, and the summary rows are
spooled to temporary files (CSV) and openpyxl's write-only sheets; nothing keeps all invoices in memory.
"""
import csv
import datetime
import hashlib
import json
import re
import tempfile
import zipfile

from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from marketplace.spreadsheets import csv_writer, is_formula_like, xlsx_text_cell

from .models import Invoice, InvoiceLine
from .selectors import invoices_in_period
from .xml import invoice_export_bytes

HEADERS = [
    "STT", "Ký hiệu mẫu số hóa đơn, ký hiệu hóa đơn", "Số hóa đơn", "Ngày tháng năm lập hóa đơn", "Tên người mua",
    "Mã số thuế người mua/mã khách hàng", "Mặt hàng", "Số lượng",
    "Tổng giá trị hàng hóa, dịch vụ bán ra chưa có thuế GTGT", "Thuế suất thuế GTGT", "Tổng tiền phí, lệ phí (nếu có)",
    "Tổng tiền giảm trừ (nếu có)", "Tổng số thuế GTGT", "Tổng tiền thanh toán", "Tỷ giá", "Trạng thái",
    "Kỳ điều chỉnh dữ liệu", "Thông tin hóa đơn liên quan (nếu có)", "Địa chỉ người mua (nếu có)", "Ghi chú",
    "Số tiền bằng chữ", "Mã của cơ quan thuế", "Mã đơn hàng", "Hình thức thanh toán", "Phiên bản XML", "Tệp XML",
    "SHA-256 XML",
]
DETAIL_HEADERS = ["Ký hiệu", "Số hóa đơn", "Ngày lập", "STT", "Tính chất", "Mã hàng", "Tên hàng hóa, dịch vụ", "ĐVT",
                  "Số lượng", "Đơn giá", "Thành tiền", "Thuế suất"]
DATE_COLUMNS = {3}
PBAN_RE = re.compile(rb"<PBan>([^<]*)</PBan>")


def _status(invoice):
    if invoice.status == Invoice.REPLACED:
        return "Bị thay thế"
    if invoice.relation != Invoice.ORIGINAL:
        return "Hóa đơn thay thế, điều chỉnh"
    if invoice.is_adjusted:
        return "Bị điều chỉnh"
    return "Mới"


def _rate(invoice):
    if not invoice.is_vat_invoice:
        return ""
    rates = [group["rate"] for group in invoice.rate_totals]
    return rates[0] if len(rates) == 1 else "Nhiều mức"


def summary_row(index, invoice, lines, *, path, digest, version):
    """One row of tong_hop (columns 1–20 follow Mẫu 01/TH-HĐĐT, 21–27 are the product's)."""
    goods = [line for line in lines if line.nature == InvoiceLine.GOODS]
    related = ""
    if invoice.relation != Invoice.ORIGINAL:
        related = (f"{invoice.related_template}{invoice.related_symbol}, {invoice.related_number}, "
                   f"{invoice.related_date.isoformat() if invoice.related_date else ''}")
    return [
        index, f"{invoice.template_number}{invoice.symbol}", invoice.number or "", invoice.issue_date,
        invoice.buyer_name or invoice.buyer_person_name, invoice.buyer_tax_code or invoice.buyer_code,
        "; ".join(line.name for line in goods)[:500],
        sum((line.quantity or 0) for line in goods).normalize() if goods else 0,
        invoice.total_net if invoice.is_vat_invoice else invoice.total_payable, _rate(invoice), 0,
        invoice.total_discount, invoice.total_vat, invoice.total_payable, 1, _status(invoice),
        invoice.issue_date.strftime("%m/%Y") if invoice.relation == Invoice.ADJUSTMENT else "", related,
        invoice.buyer_address, "", invoice.amount_in_words, invoice.tax_authority_code, invoice.order_reference,
        invoice.payment_method, version, path, digest,
    ]


def _csv_value(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def _xlsx_row(sheet, row, date_columns):
    cells = []
    for index, value in enumerate(row):
        if index in date_columns and isinstance(value, datetime.date):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = "dd/mm/yyyy"
            cells.append(cell)
        elif is_formula_like(value):
            cells.append(xlsx_text_cell(WriteOnlyCell(sheet, value=value)))
        else:
            cells.append(float(value) if hasattr(value, "as_tuple") else value)
    sheet.append(cells)


def export_queryset(*, vendor, date_from, date_to):
    adjusted = Invoice.objects.filter(related_invoice=OuterRef("pk"), relation=Invoice.ADJUSTMENT,
                                      status=Invoice.ISSUED)
    return (invoices_in_period(vendor=vendor, date_from=date_from, date_to=date_to)
            .annotate(is_adjusted=Exists(adjusted))
            .prefetch_related(Prefetch("lines", queryset=InvoiceLine.objects.order_by("position"))))


def invoices_export_zip(*, vendor, date_from, date_to, fileobj, with_pdf=False, chunk_size=500):
    """Write the ZIP into ``fileobj``; returns the manifest (counts and SHA-256 of every file)."""
    hashes, count = {}, 0
    csv_file = tempfile.TemporaryFile(mode="w+", encoding="utf-8-sig", newline="")
    writer = csv_writer(csv_file, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(HEADERS)
    workbook = Workbook(write_only=True)
    summary, detail = workbook.create_sheet("TongHop"), workbook.create_sheet("ChiTiet")
    summary.append(HEADERS)
    detail.append(DETAIL_HEADERS)
    with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        queryset = export_queryset(vendor=vendor, date_from=date_from, date_to=date_to)
        for count, invoice in enumerate(queryset.iterator(chunk_size=chunk_size), start=1):
            data = invoice_export_bytes(invoice)
            path = f"xml/{invoice.file_stem}.xml"
            digest = hashlib.sha256(data).hexdigest()
            archive.writestr(path, data)
            hashes[path] = digest
            if with_pdf:
                from .pdf import invoice_pdf_bytes

                pdf = invoice_pdf_bytes(invoice)
                archive.writestr(f"pdf/{invoice.file_stem}.pdf", pdf)
                hashes[f"pdf/{invoice.file_stem}.pdf"] = hashlib.sha256(pdf).hexdigest()
            version = (PBAN_RE.search(data) or [b"", b""])[1].decode()
            lines = list(invoice.lines.all())
            row = summary_row(count, invoice, lines, path=path, digest=digest, version=version)
            writer.writerow([_csv_value(v) for v in row])
            _xlsx_row(summary, row, DATE_COLUMNS)
            for line in lines:
                _xlsx_row(detail, [f"{invoice.template_number}{invoice.symbol}", invoice.number or "",
                                   invoice.issue_date, line.position, line.nature, line.code, line.name, line.unit,
                                   line.quantity, line.unit_price, line.amount, line.vat_rate], {2})
        csv_file.seek(0)
        hashes["tong_hop.csv"] = _copy_into(archive, "tong_hop.csv", csv_file, text=True)
        with tempfile.TemporaryFile() as xlsx:
            workbook.save(xlsx)
            xlsx.seek(0)
            hashes["tong_hop.xlsx"] = _copy_into(archive, "tong_hop.xlsx", xlsx)
        manifest = {
            "exported_at": timezone.localtime().isoformat(timespec="seconds"), "seller_tax_code": vendor.tax_code,
            "seller_code": vendor.code, "filters": {"from": date_from.isoformat(), "to": date_to.isoformat()},
            "counts": {"invoices": count, "files": len(hashes)}, "sha256": hashes,
        }
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    csv_file.close()
    return manifest


def _copy_into(archive, name, source, *, text=False):
    """Copy a spooled file into the ZIP in blocks, hashing as it goes."""
    digest = hashlib.sha256()
    with archive.open(name, "w") as target:
        if text:
            # utf-8-sig wrote a BOM into the spool file but drops it when reading back: put it in front again.
            target.write(b"\xef\xbb\xbf")
            digest.update(b"\xef\xbb\xbf")
        while True:
            block = source.read(1 << 16)
            if not block:
                break
            data = block.encode("utf-8") if text else block
            target.write(data)
            digest.update(data)
    return digest.hexdigest()


def export_filename(*, vendor, date_from, date_to):
    return f"hoadon_{vendor.tax_code}_{date_from:%Y%m%d}_{date_to:%Y%m%d}.zip"
