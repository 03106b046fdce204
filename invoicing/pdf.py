"""The invoice PDF (bản thể hiện) with WeasyPrint, rendered from the invoice XML, never from order data.

Why from the XML (spec §6.1): the PDF must show exactly what was issued (or what the provider signed),
so it reads the exported file. Figures use "." for thousands and "," for decimals, amounts end in "đ",
and DejaVu Sans is embedded so every Vietnamese letter renders.
"""
import logging
from decimal import Decimal, InvalidOperation

from django.template.loader import render_to_string

from .xml import invoice_data_from_xml, invoice_export_bytes

FONT_DIR = "/usr/share/fonts/truetype/dejavu"
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # one INFO line per layout step otherwise


def format_number(text, *, money=False):
    """'1860000' → '1.860.000'; '18.5' → '18,5'; money adds ' đ'."""
    if text in (None, ""):
        return ""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return text
    sign = "-" if value < 0 else ""
    whole, _, fraction = format(abs(value).normalize(), "f").partition(".")
    result = sign + f"{int(whole):,}".replace(",", ".") + (f",{fraction}" if fraction else "")
    return f"{result} đ" if money else result


def _date_words(iso):
    year, month, day = iso.split("-") if iso else ("", "", "")
    return {"day": day, "month": month, "year": year}


def pdf_context(data):
    """The XML read back, with figures formatted the Vietnamese way."""
    lines = []
    for line in data["lines"]:
        lines.append({**line, "SLuong": format_number(line.get("SLuong")), "DGia": format_number(line.get("DGia")),
                      "ThTien": format_number(line.get("ThTien")), "is_note": line.get("TChat") == "4",
                      "is_discount": line.get("TChat") == "3"})
    rates = [{"TSuat": r.get("TSuat", ""), "ThTien": format_number(r.get("ThTien")),
              "TThue": format_number(r.get("TThue"))} for r in data["rates"]]
    totals = {key: format_number(value, money=True) if key != "TgTTTBChu" else value
              for key, value in data["totals"].items()}
    general = data["general"]
    return {"general": general, "title": general.get("THDon", "").upper(), "date": _date_words(general.get("NLap")),
            "is_vat": general.get("KHMSHDon") == "1", "seller": data["seller"], "buyer": data["buyer"],
            "lines": lines, "rates": rates, "totals": totals, "related": data["related"], "other": data["other"],
            "tax_authority_code": data["tax_authority_code"], "signing_time": data["signing_time"],
            "signed": data["signed"], "font_dir": FONT_DIR}


def invoice_pdf_html(invoice):
    return render_to_string("invoicing/invoice_pdf.html",
                            pdf_context(invoice_data_from_xml(invoice_export_bytes(invoice))))


def invoice_pdf_bytes(invoice, **options):
    """``options`` go to WeasyPrint's ``write_pdf`` (tests ask for ``uncompressed_pdf=True``)."""
    from weasyprint import HTML

    return HTML(string=invoice_pdf_html(invoice), base_url=FONT_DIR).write_pdf(**options)
