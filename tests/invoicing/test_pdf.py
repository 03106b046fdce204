"""The PDF shows the XML's content the Vietnamese way, with an embedded Unicode font."""
import re

from invoicing.pdf import format_number, invoice_pdf_bytes, invoice_pdf_html

from .examples import example_a, example_adjustment, example_b


class Stored:
    """An unsaved invoice with its XML, as ``invoice_export_bytes`` reads it."""

    def __init__(self, invoice, lines):
        from invoicing.xml import invoice_xml_bytes

        self.signed_xml, self.xml = None, invoice_xml_bytes(invoice, lines)


def test_vat_invoice_layout_shows_every_part():
    html = invoice_pdf_html(Stored(*example_b()))
    for text in ("HÓA ĐƠN GIÁ TRỊ GIA TĂNG", "Ngày 20 tháng 11 năm 2026", "Mẫu số: <b>1</b>", "Ký hiệu: <b>1C26THT</b>",
                 "Số: <b>128</b>", "00C41E9B27D35A8F60B1E2D94C7A3F5B18", "Mã số thuế: 0109998887", "1.860.000",
                 "186.000", "5.056.000 đ", "(90.000)", "Năm triệu không trăm năm mươi sáu nghìn đồng", "Thuế suất",
                 "Hình thức thanh toán: Chuyển khoản", "OCOP-HT-2026-000815"):
        assert text in html, text


def test_sales_invoice_has_no_vat_columns_and_keeps_decimals():
    html = invoice_pdf_html(Stored(*example_a()))
    assert "HÓA ĐƠN BÁN HÀNG" in html and "Thuế suất" not in html and "18,5" in html
    assert "thuộc đối tượng không chịu thuế GTGT" in html


def test_adjustment_states_what_it_corrects():
    html = invoice_pdf_html(Stored(*example_adjustment()))
    assert "Hóa đơn điều chỉnh" in html and "Điều chỉnh giảm cho hóa đơn Mẫu số 1, ký hiệu C26THT, số 128" in html
    assert "-470.250 đ" in html


def test_pdf_embeds_dejavu():
    pdf = invoice_pdf_bytes(Stored(*example_b()), uncompressed_pdf=True)
    assert pdf.startswith(b"%PDF") and b"/FontFile" in pdf
    assert re.search(rb"/BaseFont\s*/[A-Z]{6}\+DejaVu-Sans", pdf)  # a subset of DejaVu Sans is embedded


def test_number_format():
    assert format_number("1860000") == "1.860.000"
    assert format_number("18.5") == "18,5"
    assert format_number("-470250", money=True) == "-470.250 đ"
    assert format_number("40909.090909") == "40.909,090909"
