"""The XML reproduces the spec's examples element for element, and the checker catches broken files."""
import re

import pytest
from lxml import etree

from invoicing.calculations import DISCOUNT, GOODS, NOTE, Item, split_gross, totals_from_net
from invoicing.validation import xml_errors, xsd_errors
from invoicing.xml import invoice_data_from_xml, invoice_xml_bytes

from .examples import example_a, example_adjustment, example_b

EXAMPLE_A = """
<HDon><DLHDon Id="DLHDon-7f3c2a91"><TTChung><PBan>2.1.0</PBan><THDon>Hóa đơn bán hàng</THDon><KHMSHDon>2</KHMSHDon>
<KHHDon>C26THN</KHHDon><SHDon>45</SHDon><NLap>2026-11-20</NLap><HDDCKPTQuan>0</HDDCKPTQuan><DVTTe>VND</DVTTe>
<HTTToan>Chuyển khoản</HTTToan><MSTTCGP>0100000009</MSTTCGP><TTKhac><TTin><TTruong>MaDonHang</TTruong>
<KDLieu>string</KDLieu><DLieu>OCOP-HT-2026-000812</DLieu></TTin></TTKhac></TTChung><NDHDon><NBan>
<Ten>Hộ kinh doanh Trần Thị Lan</Ten><MST>042185000123</MST><DChi>Thôn 5, xã Vũ Quang, tỉnh Hà Tĩnh</DChi>
<SDThoai>0912000111</SDThoai></NBan><NMua><Ten>Nguyễn Văn Hùng</Ten>
<DChi>Số 12 đường Phan Đình Phùng, phường Thành Sen, tỉnh Hà Tĩnh</DChi><SDThoai>0987000222</SDThoai>
<CCCDan>042090001234</CCCDan><HVTNMHang>Nguyễn Văn Hùng</HVTNMHang></NMua><DSHHDVu><HHDVu><TChat>1</TChat>
<STT>1</STT><MHHDVu>CAM-VQ-L1</MHHDVu><THHDVu>Cam Vũ Quang loại 1 (OCOP 4 sao)</THHDVu><DVTinh>kg</DVTinh>
<SLuong>18.5</SLuong><DGia>45000</DGia><ThTien>832500</ThTien></HHDVu><HHDVu><TChat>1</TChat><STT>2</STT>
<MHHDVu>BUOI-PT</MHHDVu><THHDVu>Bưởi Phúc Trạch</THHDVu><DVTinh>quả</DVTinh><SLuong>12</SLuong><DGia>55000</DGia>
<ThTien>660000</ThTien></HHDVu><HHDVu><TChat>4</TChat><STT>3</STT><THHDVu>Sản phẩm trồng trọt do hộ tự sản xuất,
 chưa qua chế biến – thuộc đối tượng không chịu thuế GTGT</THHDVu></HHDVu></DSHHDVu><TToan><TgTTTBSo>1492500</TgTTTBSo>
<TgTTTBChu>Một triệu bốn trăm chín mươi hai nghìn năm trăm đồng</TgTTTBChu></TToan></NDHDon></DLHDon>
<MCCQT>008F3A2C9D41B7E6054C1A9F2D3B8E7A6C</MCCQT></HDon>
"""

EXAMPLE_B = """
<HDon><DLHDon Id="DLHDon-b52e0d17"><TTChung><PBan>2.1.0</PBan><THDon>Hóa đơn giá trị gia tăng</THDon>
<KHMSHDon>1</KHMSHDon><KHHDon>C26THT</KHHDon><SHDon>128</SHDon><NLap>2026-11-20</NLap><HDCTTChinh>0</HDCTTChinh>
<DVTTe>VND</DVTTe><HTTToan>Chuyển khoản</HTTToan><MSTTCGP>0100000009</MSTTCGP><TTKhac><TTin><TTruong>MaDonHang</TTruong>
<KDLieu>string</KDLieu><DLieu>OCOP-HT-2026-000815</DLieu></TTin></TTKhac></TTChung><NDHDon><NBan>
<Ten>Hợp tác xã Nông nghiệp Thiên Cầm</Ten><MST>3001234567</MST><DChi>Thôn Hòa Bình, xã Thiên Cầm, tỉnh Hà Tĩnh</DChi>
<SDThoai>02393000333</SDThoai><DCTDTu>htx.thiencam@example.vn</DCTDTu><STKNHang>1234567890123</STKNHang>
<TNHang>Ngân hàng Nông nghiệp và Phát triển Nông thôn – Chi nhánh Hà Tĩnh</TNHang></NBan><NMua>
<Ten>Công ty TNHH Thực phẩm Sạch Minh An</Ten><MST>0109998887</MST>
<DChi>Số 8 phố Trần Duy Hưng, phường Yên Hòa, thành phố Hà Nội</DChi><MKHang>KH-000457</MKHang>
<DCTDTu>ketoan@minhan.example.vn</DCTDTu><HVTNMHang>Lê Thu Hà</HVTNMHang></NMua><DSHHDVu>
<HHDVu><TChat>1</TChat><STT>1</STT><MHHDVu>KCD-500</MHHDVu><THHDVu>Kẹo cu đơ Thiên Cầm hộp 500 g</THHDVu>
<DVTinh>Hộp</DVTinh><SLuong>40</SLuong><DGia>45000</DGia><ThTien>1800000</ThTien><TSuat>10%</TSuat></HHDVu>
<HHDVu><TChat>1</TChat><STT>2</STT><MHHDVu>BUOI-PT-TM</MHHDVu><THHDVu>Bưởi Phúc Trạch (thu mua, chưa qua chế biến)</THHDVu>
<DVTinh>kg</DVTinh><SLuong>30</SLuong><DGia>40000</DGia><ThTien>1200000</ThTien><TSuat>5%</TSuat></HHDVu>
<HHDVu><TChat>1</TChat><STT>3</STT><MHHDVu>CAM-VQ-L1</MHHDVu><THHDVu>Cam Vũ Quang (HTX tự trồng, chưa qua chế biến)</THHDVu>
<DVTinh>kg</DVTinh><SLuong>50</SLuong><DGia>35000</DGia><ThTien>1750000</ThTien><TSuat>KCT</TSuat></HHDVu>
<HHDVu><TChat>3</TChat><STT>4</STT><THHDVu>Chiết khấu thương mại 5% cho kẹo cu đơ (dòng 1)</THHDVu>
<ThTien>90000</ThTien><TSuat>10%</TSuat></HHDVu>
<HHDVu><TChat>1</TChat><STT>5</STT><MHHDVu>VC</MHHDVu><THHDVu>Phí vận chuyển Hà Tĩnh – Hà Nội</THHDVu><DVTinh>Lần</DVTinh>
<SLuong>1</SLuong><DGia>150000</DGia><ThTien>150000</ThTien><TSuat>10%</TSuat></HHDVu></DSHHDVu>
<TToan><THTTLTSuat><LTSuat><TSuat>5%</TSuat><ThTien>1200000</ThTien><TThue>60000</TThue></LTSuat>
<LTSuat><TSuat>10%</TSuat><ThTien>1860000</ThTien><TThue>186000</TThue></LTSuat>
<LTSuat><TSuat>KCT</TSuat><ThTien>1750000</ThTien><TThue>0</TThue></LTSuat></THTTLTSuat>
<TgTCThue>4810000</TgTCThue><TgTThue>246000</TgTThue><TTCKTMai>90000</TTCKTMai><TgTTTBSo>5056000</TgTTTBSo>
<TgTTTBChu>Năm triệu không trăm năm mươi sáu nghìn đồng</TgTTTBChu></TToan></NDHDon></DLHDon>
<MCCQT>00C41E9B27D35A8F60B1E2D94C7A3F5B18</MCCQT></HDon>
"""


def compact(text):
    return re.sub(r">\s+<", "><", re.sub(r",\n ", ", ", text.strip())).encode()


def canonical(data):
    return etree.tostring(etree.fromstring(data), method="c14n")


def test_example_a_sales_invoice_matches_the_spec():
    invoice, lines = example_a()
    data = invoice_xml_bytes(invoice, lines)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?><HDon>')
    assert canonical(data) == canonical(compact(EXAMPLE_A))
    assert xml_errors(data) == []


def test_example_b_vat_invoice_matches_the_spec():
    invoice, lines = example_b()
    data = invoice_xml_bytes(invoice, lines)
    assert canonical(data) == canonical(compact(EXAMPLE_B))
    assert xml_errors(data) == []


def test_example_b_totals_follow_from_the_lines():
    _, lines = example_b()
    items = [Item(nature=l.nature, name=l.name, rate=l.vat_rate, net=l.amount) for l in lines]
    totals = totals_from_net(items, template_number="1")
    assert totals.rate_totals == [{"rate": "5%", "net": 1200000, "vat": 60000},
                                  {"rate": "10%", "net": 1860000, "vat": 186000},
                                  {"rate": "KCT", "net": 1750000, "vat": 0}]
    assert (totals.total_net, totals.total_vat, totals.total_discount, totals.total_payable) == (
        4810000, 246000, 90000, 5056000)


def test_shelf_prices_including_vat_split_back_to_example_b():
    """Marketplace prices include VAT: the split must find Example B's nets and reconcile to the đồng."""
    items = [Item(GOODS, "Kẹo", 1980000, quantity=40, rate="10%"), Item(GOODS, "Bưởi", 1260000, quantity=30, rate="5%"),
             Item(GOODS, "Cam", 1750000, quantity=50, rate="KCT"), Item(DISCOUNT, "CK", 99000, rate="10%"),
             Item(GOODS, "Ship", 165000, quantity=1, rate="10%")]
    totals = split_gross(items, template_number="1")
    assert [i.net for i in items] == [1800000, 1200000, 1750000, 90000, 150000]
    assert totals.total_payable == 1980000 + 1260000 + 1750000 - 99000 + 165000 == 5056000


@pytest.mark.parametrize("gross", [1, 5, 99, 100000, 123457, 45000 * 7, 999999, 65432])
@pytest.mark.parametrize("rate", ["5%", "8%", "10%"])
def test_split_always_reconciles_to_what_was_paid(gross, rate):
    items = [Item(GOODS, "A", gross, quantity=3, rate=rate), Item(GOODS, "B", 30000, quantity=1, rate=rate),
             Item(DISCOUNT, "CK", 1000, rate=rate), Item(NOTE, "note")]
    totals = split_gross(items, template_number="1")
    assert totals.total_payable == gross + 30000 - 1000
    group = totals.rate_totals[0]
    assert group["net"] == items[0].net + items[1].net - items[2].net


def test_adjustment_matches_section_4_4():
    invoice, lines = example_adjustment()
    data = invoice_xml_bytes(invoice, lines)
    root = etree.fromstring(data)
    related = root.find("DLHDon/TTChung/TTHDLQuan")
    assert [c.tag for c in related] == ["TCHDon", "LHDCLQuan", "KHMSHDCLQuan", "KHHDCLQuan", "SHDCLQuan",
                                        "NLHDCLQuan", "GChu"]
    assert [c.text for c in related][:6] == ["2", "1", "1", "C26THT", "128", "2026-11-20"]
    assert [c.tag for c in root.find("DLHDon/TTChung")][-3:] == ["MSTTCGP", "TTHDLQuan", "TTKhac"] or \
        [c.tag for c in root.find("DLHDon/TTChung")][-2:] == ["MSTTCGP", "TTHDLQuan"]
    item = root.find("DLHDon/NDHDon/DSHHDVu/HHDVu")
    assert [item.findtext(t) for t in ("SLuong", "DGia", "ThTien", "TSuat")] == ["-10", "42750", "-427500", "10%"]
    totals = root.find("DLHDon/NDHDon/TToan")
    assert [c.tag for c in totals] == ["THTTLTSuat", "TgTCThue", "TgTThue", "TgTTTBSo", "TgTTTBChu"]
    assert totals.findtext("TgTTTBSo") == "-470250"
    assert totals.findtext("TgTTTBChu") == "Âm bốn trăm bảy mươi nghìn hai trăm năm mươi đồng"
    assert xml_errors(data) == []


def test_sales_invoice_never_carries_vat():
    invoice, lines = example_a()
    root = etree.fromstring(invoice_xml_bytes(invoice, lines))
    assert root.find(".//TSuat") is None and root.find(".//TgTThue") is None and root.find(".//HDCTTChinh") is None


def test_text_is_nfc_and_special_characters_are_escaped():
    invoice, lines = example_a()
    invoice.buyer_name = "Nguye\u0302\u0303n & <Co>"  # decomposed ễ
    data = invoice_xml_bytes(invoice, lines)
    assert "<Ten>Nguyễn &amp; &lt;Co&gt;</Ten>".encode() in data
    assert b"> <" not in data and b">\n<" not in data


def test_draft_has_no_number_and_empty_optional_elements_are_omitted():
    invoice, lines = example_a()
    invoice.number, invoice.tax_authority_code, invoice.buyer_phone = None, "", ""
    root = etree.fromstring(invoice_xml_bytes(invoice, lines))
    assert root.find(".//SHDon") is None and root.find("MCCQT") is None and root.find(".//NMua/SDThoai") is None


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d.replace(b"<KHHDon>C26THT</KHHDon>", b"<KHHDon>C25THT</KHHDon>"), "year"),
    (lambda d: d.replace(b"<TgTThue>246000</TgTThue>", b"<TgTThue>246001</TgTThue>"), "TgTThue"),
    (lambda d: d.replace(b"<TSuat>5%</TSuat>", b"<TSuat>7%</TSuat>", 1), "TSuat"),
    (lambda d: d.replace(b"<MST>3001234567</MST>", b"<MST>30012</MST>"), "tax code"),
    (lambda d: d.replace("Năm triệu".encode(), "Sáu triệu".encode()), "TgTTTBChu"),
    (lambda d: d.replace(b"<PBan>2.1.0</PBan><THDon>", b"<THDon>"), "PBan"),
    (lambda d: d.replace(b"<DVTTe>VND</DVTTe><HTTToan>", b"<HTTToan>").replace(b"<MSTTCGP>", b"<DVTTe>VND</DVTTe><MSTTCGP>"),
     "order"),
])
def test_checker_catches_broken_files(change, message):
    invoice, lines = example_b()
    errors = xml_errors(change(invoice_xml_bytes(invoice, lines)))
    assert any(message in e for e in errors), errors


def test_read_back_for_the_pdf():
    invoice, lines = example_b()
    data = invoice_data_from_xml(invoice_xml_bytes(invoice, lines))
    assert data["general"]["KHHDon"] == "C26THT" and data["other"]["MaDonHang"] == "OCOP-HT-2026-000815"
    assert len(data["lines"]) == 5 and data["rates"][1] == {"TSuat": "10%", "ThTien": "1860000", "TThue": "186000"}
    assert data["tax_authority_code"] == "00C41E9B27D35A8F60B1E2D94C7A3F5B18"


def test_no_schema_is_provided():
    invoice, lines = example_b()
    assert xsd_errors(invoice_xml_bytes(invoice, lines)) is None  # /work/shared/einvoice-xsd does not exist
