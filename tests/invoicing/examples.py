"""The spec's Example A (§3.10), Example B (§3.11) and the §4.4 adjustment as unsaved model objects."""
import datetime
from decimal import Decimal

from invoicing.models import Invoice, InvoiceLine

SELLER_A = dict(seller_name="Hộ kinh doanh Trần Thị Lan", seller_tax_code="042185000123",
                seller_address="Thôn 5, xã Vũ Quang, tỉnh Hà Tĩnh", seller_phone="0912000111")
SELLER_B = dict(seller_name="Hợp tác xã Nông nghiệp Thiên Cầm", seller_tax_code="3001234567",
                seller_address="Thôn Hòa Bình, xã Thiên Cầm, tỉnh Hà Tĩnh", seller_phone="02393000333",
                seller_email="htx.thiencam@example.vn", seller_bank_account="1234567890123",
                seller_bank_name="Ngân hàng Nông nghiệp và Phát triển Nông thôn – Chi nhánh Hà Tĩnh")
BUYER_B = dict(buyer_name="Công ty TNHH Thực phẩm Sạch Minh An", buyer_tax_code="0109998887",
               buyer_address="Số 8 phố Trần Duy Hưng, phường Yên Hòa, thành phố Hà Nội", buyer_code="KH-000457",
               buyer_email="ketoan@minhan.example.vn", buyer_person_name="Lê Thu Hà")


def line(position, nature, name, amount=None, code="", unit="", quantity=None, price=None, rate=""):
    return InvoiceLine(position=position, nature=nature, name=name, amount=amount, code=code, unit=unit,
                       quantity=None if quantity is None else Decimal(quantity),
                       unit_price=None if price is None else Decimal(price), vat_rate=rate)


def example_a():
    invoice = Invoice(
        template_number="2", symbol="C26THN", number=45, issue_date=datetime.date(2026, 11, 20),
        payment_method="Chuyển khoản", provider_tax_code="0100000009", order_reference="OCOP-HT-2026-000812",
        data_id="DLHDon-7f3c2a91", tax_authority_code="008F3A2C9D41B7E6054C1A9F2D3B8E7A6C", **SELLER_A,
        buyer_name="Nguyễn Văn Hùng", buyer_address="Số 12 đường Phan Đình Phùng, phường Thành Sen, tỉnh Hà Tĩnh",
        buyer_phone="0987000222", buyer_personal_id="042090001234", buyer_person_name="Nguyễn Văn Hùng",
        total_net=1492500, total_payable=1492500,
        amount_in_words="Một triệu bốn trăm chín mươi hai nghìn năm trăm đồng",
    )
    lines = [
        line(1, 1, "Cam Vũ Quang loại 1 (OCOP 4 sao)", 832500, "CAM-VQ-L1", "kg", "18.5", "45000"),
        line(2, 1, "Bưởi Phúc Trạch", 660000, "BUOI-PT", "quả", "12", "55000"),
        line(3, 4, "Sản phẩm trồng trọt do hộ tự sản xuất, chưa qua chế biến – thuộc đối tượng không chịu thuế GTGT"),
    ]
    return invoice, lines


def example_b_lines():
    return [
        line(1, 1, "Kẹo cu đơ Thiên Cầm hộp 500 g", 1800000, "KCD-500", "Hộp", "40", "45000", "10%"),
        line(2, 1, "Bưởi Phúc Trạch (thu mua, chưa qua chế biến)", 1200000, "BUOI-PT-TM", "kg", "30", "40000", "5%"),
        line(3, 1, "Cam Vũ Quang (HTX tự trồng, chưa qua chế biến)", 1750000, "CAM-VQ-L1", "kg", "50", "35000",
             "KCT"),
        line(4, 3, "Chiết khấu thương mại 5% cho kẹo cu đơ (dòng 1)", 90000, rate="10%"),
        line(5, 1, "Phí vận chuyển Hà Tĩnh – Hà Nội", 150000, "VC", "Lần", "1", "150000", "10%"),
    ]


def example_b(rate_totals=None, totals=None):
    invoice = Invoice(
        template_number="1", symbol="C26THT", number=128, issue_date=datetime.date(2026, 11, 20),
        payment_method="Chuyển khoản", provider_tax_code="0100000009", order_reference="OCOP-HT-2026-000815",
        data_id="DLHDon-b52e0d17", tax_authority_code="00C41E9B27D35A8F60B1E2D94C7A3F5B18", **SELLER_B, **BUYER_B,
        rate_totals=rate_totals or [{"rate": "5%", "net": 1200000, "vat": 60000},
                                    {"rate": "10%", "net": 1860000, "vat": 186000},
                                    {"rate": "KCT", "net": 1750000, "vat": 0}],
        total_net=4810000, total_vat=246000, total_discount=90000, total_payable=5056000,
        amount_in_words="Năm triệu không trăm năm mươi sáu nghìn đồng",
    )
    return invoice, example_b_lines()


def example_adjustment():
    invoice = Invoice(
        template_number="1", symbol="C26THT", number=131, issue_date=datetime.date(2026, 11, 28),
        payment_method="Chuyển khoản", provider_tax_code="0100000009", data_id="DLHDon-0a0b0c0d",
        relation=Invoice.ADJUSTMENT, related_template="1", related_symbol="C26THT", related_number="128",
        related_date=datetime.date(2026, 11, 20),
        related_note="Điều chỉnh giảm cho hóa đơn Mẫu số 1, ký hiệu C26THT, số 128, ngày 20 tháng 11 năm 2026 – "
                     "người mua trả lại 10 hộp kẹo cu đơ",
        **SELLER_B, **BUYER_B,
        rate_totals=[{"rate": "10%", "net": -427500, "vat": -42750}],
        total_net=-427500, total_vat=-42750, total_payable=-470250,
        amount_in_words="Âm bốn trăm bảy mươi nghìn hai trăm năm mươi đồng",
    )
    lines = [line(1, 1, "Kẹo cu đơ Thiên Cầm hộp 500 g – hàng trả lại (giá đã trừ chiết khấu 5%)", -427500,
                  "KCD-500", "Hộp", "-10", "42750", "10%")]
    return invoice, lines
