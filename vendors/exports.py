"""A seller's statement as CSV or XLSX (numbers as numbers, Vietnamese headers)."""
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from marketplace.spreadsheets import csv_writer, xlsx_neutralise

SUMMARY = [
    ("opening_balance", "Số dư đầu kỳ"), ("gross_sales", "Doanh thu bán hàng"), ("shipping", "Phí giao hàng"),
    ("refunds", "Hoàn tiền"), ("commission", "Phí hoa hồng"), ("cash_held", "Tiền mặt người bán đã thu (COD)"),
    ("payouts", "Đã thanh toán cho người bán"), ("closing_balance", "Số dư cuối kỳ (sàn còn phải trả)"),
]
ENTRY_HEADERS = ["Ngày", "Loại", "Phần đơn hàng", "Số tiền (đồng)", "Ghi chú"]


def _entry_row(entry):
    return [entry.created.astimezone().strftime("%d/%m/%Y %H:%M"), entry.get_kind_display(),
            entry.fulfilment.number if entry.fulfilment else "", entry.amount, str(entry.note)]


def statement_csv(statement):
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["Người bán", statement.vendor.name])
    writer.writerow(["Kỳ", f"{statement.date_from:%d/%m/%Y} – {statement.date_to:%d/%m/%Y}"])
    for key, label in SUMMARY:
        writer.writerow([label, getattr(statement, key)])
    writer.writerow([])
    writer.writerow(ENTRY_HEADERS)
    for entry in statement.entries:
        writer.writerow(_entry_row(entry))
    return "\ufeff" + out.getvalue()  # BOM so Excel reads UTF-8


def statement_xlsx(statement):
    workbook = Workbook()
    summary = workbook.active
    summary.title = "Tổng hợp"
    summary.append(["Người bán", statement.vendor.name])
    summary.append(["Kỳ", f"{statement.date_from:%d/%m/%Y} – {statement.date_to:%d/%m/%Y}"])
    for key, label in SUMMARY:
        summary.append([label, getattr(statement, key)])
    for row in summary.iter_rows(min_row=3, min_col=2, max_col=2):
        row[0].number_format = "#,##0"
    summary.column_dimensions["A"].width = 40
    detail = workbook.create_sheet("Chi tiết")
    detail.append(ENTRY_HEADERS)
    for cell in detail[1]:
        cell.font = Font(bold=True)
    for entry in statement.entries:
        detail.append(_entry_row(entry))
        detail.cell(row=detail.max_row, column=4).number_format = "#,##0"
    buffer = io.BytesIO()
    xlsx_neutralise(workbook).save(buffer)
    return buffer.getvalue()
