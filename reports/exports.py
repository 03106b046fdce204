"""The report as XLSX, CSV, open-data CSV, PDF and JSON — all in Vietnamese, numbers kept as numbers.

Every export renders the same ``tables.build_sections`` (so the file says what the page says) inside
``translation.override("vi")``: the department files it whatever language the browser asked for.
"""
import base64
import datetime
import io
import logging

from django.template.loader import render_to_string
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.drawing.image import Image as XLImage
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from marketplace.spreadsheets import csv_writer, xlsx_neutralise

from .charts import report_charts
from .indicators import indicator_sheet
from .tables import COUNT, MONEY, PERCENT, build_sections, indicator_table, visible_cells

FONT_DIR = "/usr/share/fonts/truetype/dejavu"  # as invoicing/pdf.py: every Vietnamese letter renders
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
HEADER_FILL = PatternFill("solid", fgColor="E8F5E9")
FORMATS = {MONEY: "#,##0", COUNT: "#,##0", PERCENT: "0.0"}


def chart_pngs(report, dpi):
    """[(key, title, alt, PNG bytes)] of the report's charts. Drawing them is most of a month's export time, so
    when the report comes from the rollup they are cached under the report's own key (a refresh changes it)."""
    from django.core.cache import cache

    from .selectors import LIVE, report_cache_key, report_source

    key = None
    if report_source() is not LIVE:
        key = report_cache_key(report.period, f":png{dpi}:{translation.get_language()}")
        found = cache.get(key)
        if found is not None:
            return found
    drawn = [(chart.key, chart.title, chart.alt, chart.png(dpi=dpi)) for chart in report_charts(report)]
    if key:
        cache.set(key, drawn, 3600)
    return drawn


def _sheet_title(text):
    for char in "[]:*?/\\":
        text = text.replace(char, "-")
    return text[:31]


def report_xlsx(report):
    """One sheet per section (tables stacked), an indicator sheet and a sheet of charts (PNG)."""
    with translation.override("vi"):
        sections = build_sections(report)
        indicators = indicator_table(indicator_sheet(report))
        charts = chart_pngs(report, 90)
        workbook = Workbook()
        info = workbook.active
        info.title = "Thông tin"
        info.append(["Báo cáo thương mại điện tử OCOP Hà Tĩnh"])
        info["A1"].font = Font(bold=True, size=14)
        info.append(["Kỳ báo cáo", report.period.label])
        info.append(["Từ ngày", f"{report.period.start:%d/%m/%Y}"])
        info.append(["Đến ngày", f"{report.period.end:%d/%m/%Y}"])
        info.append(["Kỳ so sánh", report.previous.label])
        info.append(["Lập lúc", timezone.localtime().strftime("%d/%m/%Y %H:%M")])
        info.append(["Đơn vị tiền", "đồng (VND)"])
        info.column_dimensions["A"].width = 22
        info.column_dimensions["B"].width = 30
        for section in sections:
            _write_tables(workbook.create_sheet(_sheet_title(section.title)), section.tables)
        _write_tables(workbook.create_sheet("Chỉ số DTI"), [indicators], wrap_from=6)
        chart_sheet = workbook.create_sheet("Biểu đồ")
        row = 1
        for _key, title, _alt, png in charts:
            chart_sheet.cell(row=row, column=1, value=title).font = Font(bold=True)
            image = XLImage(io.BytesIO(png))
            chart_sheet.add_image(image, f"A{row + 1}")
            row += int(image.height / 20) + 4
    buffer = io.BytesIO()
    xlsx_neutralise(workbook).save(buffer)
    return buffer.getvalue()


def _write_tables(sheet, tables, wrap_from=None):
    row = 1
    widths = {}
    for table in tables:
        sheet.cell(row=row, column=1, value=table.title).font = Font(bold=True, size=12)
        row += 1
        for col, (label, _kind) in enumerate(table.columns, start=1):
            cell = sheet.cell(row=row, column=col, value=str(label))
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            widths[col] = max(widths.get(col, 10), min(len(str(label)) + 2, 40))
        row += 1
        for values in table.rows:
            for col, (value, kind) in enumerate(visible_cells(table, values), start=1):
                cell = sheet.cell(row=row, column=col, value=str(value) if isinstance(value, str) else value)
                if kind in FORMATS and isinstance(value, (int, float)):
                    cell.number_format = FORMATS[kind]
                if wrap_from and col >= wrap_from:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                text = str(value) if value is not None else ""
                widths[col] = max(widths.get(col, 10), min(len(text) + 2, 60 if not wrap_from else 50))
            row += 1
        row += 1
    for col, width in widths.items():
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.freeze_panes = None


def report_csv(report):
    """Every table one after another (title row, header row, rows), UTF-8 with a BOM for Excel."""
    out = io.StringIO()
    writer = csv_writer(out)
    with translation.override("vi"):
        writer.writerow(["Kỳ báo cáo", report.period.label, f"{report.period.start:%d/%m/%Y}",
                         f"{report.period.end:%d/%m/%Y}"])
        for section in build_sections(report) + [_indicator_section(report)]:
            for table in section.tables:
                writer.writerow([])
                writer.writerow([section.title, table.title])
                writer.writerow([str(label) for label, _ in table.columns])
                for values in table.rows:
                    writer.writerow(["" if v is None else v for v, _ in visible_cells(table, values)])
    return "\ufeff" + out.getvalue()


def _indicator_section(report):
    from .tables import Section

    return Section("indicators", "Chỉ số DTI", [indicator_table(indicator_sheet(report))])


#: The open-data columns: aggregates only, machine-readable keys next to the Vietnamese labels.
OPEN_DATA_HEADER = ["ky_tu_ngay", "ky_den_ngay", "bang", "ten_bang", "chieu", "gia_tri_chieu", "chi_tieu",
                    "gia_tri", "don_vi"]
UNITS = {MONEY: "đồng", COUNT: "số lượng", PERCENT: "%"}


def open_data_csv(report):
    """Aggregates in long form (one figure per row). No personal data: tables naming sellers or products
    (top lists) are left out, and nothing below a seller, a buyer or an order is ever written."""
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(OPEN_DATA_HEADER)
    start, end = report.period.start.isoformat(), report.period.end.isoformat()
    with translation.override("vi"):
        for section in build_sections(report):
            for table in section.tables:
                if table.personal or table.key == "comparison":
                    continue
                first_label = str(table.columns[0][0])
                for values in table.rows:
                    cells = visible_cells(table, values)
                    dimension_value = cells[0][0]
                    numeric = [(str(table.columns[i][0]), v, k) for i, (v, k) in enumerate(cells)
                               if k in UNITS]
                    text_dims = [str(v) for i, (v, k) in enumerate(cells[1:], start=1) if k == "text" and v]
                    dim_value = " ".join([str(dimension_value)] + text_dims)
                    for label, value, kind in numeric:
                        writer.writerow([start, end, table.key, table.title, first_label, dim_value, label,
                                         "" if value is None else value, UNITS[kind]])
    return "\ufeff" + out.getvalue()


def _data_uri(png):
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def report_pdf_html(report):
    with translation.override("vi"):
        sections = build_sections(report)
        charts = {key: {"title": title, "alt": alt, "src": _data_uri(png)}
                  for key, title, alt, png in chart_pngs(report, 120)}
        for section in sections:
            section.chart_images = [charts[key] for key in section.charts if key in charts]
            section.rendered = [_rendered_table(table) for table in section.tables]
        indicators = _rendered_table(indicator_table(indicator_sheet(report)))
        return render_to_string("reports/report_pdf.html", {
            "report": report, "sections": sections, "indicators": indicators, "font_dir": FONT_DIR,
            "generated": timezone.localtime(), "charts": charts,
        })


def _rendered_table(table):
    from marketplace.templatetags.ocop import format_vnd

    rows = []
    for values in table.rows:
        rows.append([format_cell(value, kind, format_vnd) for value, kind in visible_cells(table, values)])
    return {"title": table.title, "columns": [str(label) for label, _ in table.columns], "rows": rows,
            "numeric": [kind in UNITS or kind == "mixed" for _, kind in table.columns]}


def format_cell(value, kind, format_vnd=None):
    """A cell as shown to people: 150.000 ₫, 1.234, 12,5 %; empty for a figure that cannot be computed."""
    if value is None:
        return "—"
    if kind == MONEY:
        if format_vnd is None:
            from marketplace.templatetags.ocop import format_vnd
        return format_vnd(value)
    if kind == COUNT and isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if kind == PERCENT and isinstance(value, (int, float)):
        return f"{value:.1f}".replace(".", ",") + " %"
    return str(value)


def report_pdf(report, **options):
    from weasyprint import HTML

    return HTML(string=report_pdf_html(report), base_url=FONT_DIR).write_pdf(**options)


def _jsonable(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "__str__") and not isinstance(value, (int, float, str, bool, type(None))):
        return str(value)
    return value


def report_json(report):
    """The API's answer: machine keys, integer đồng, ISO dates, percentages with one decimal."""
    return _jsonable({
        "period": {"start": report.period.start, "end": report.period.end, "kind": report.period.kind},
        "previous_period": {"start": report.previous.start, "end": report.previous.end},
        "currency": "VND",
        "comparison": report.comparison(),
        "products": report.products,
        "sellers": report.sellers,
        "transactions": {**report.transactions, "by_district": report.by_district, "by_group": report.by_group,
                         "by_stars": report.by_stars},
        "cashless": report.cashless,
        "invoices": report.invoices,
        "refunds": report.refunds,
        "buyers": {**report.buyers, "by_province": report.by_province},
        "top_products": report.top_products,
        "top_sellers": report.top_sellers,
        "monthly_trend": report.trend,
        "indicators": [{k: row[k] for k in ("code", "name", "measure", "value", "unit", "kind")}
                       for row in indicator_sheet(report)],
    })
