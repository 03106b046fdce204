"""Checks an invoice XML against the spec's required elements, order, patterns and arithmetic.

Why not an XSD: no schema of the tax authority exists in any source available (spec §0.1, §7.1), and
``/work/shared/einvoice-xsd/`` is absent. When a schema is provided, ``xsd_errors`` validates against it
as well; these rules then remain as the business checks a schema cannot express (sums, words, year).
"""
import re
from decimal import Decimal
from pathlib import Path

from lxml import etree

from .models import KHHDON_RE, TSUAT_RE, VAT_PERCENT
from .words import amount_in_words

NCNAME_RE = re.compile(r"^[A-Za-z_][\w.\-]*$")
MST_RE = re.compile(r"^\d{10}$|^\d{10}-\d{3}$|^\d{12}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NUMBER_RE = re.compile(r"^-?\d{1,15}(\.\d{1,6})?$")

TTCHUNG_ORDER = ["PBan", "THDon", "KHMSHDon", "KHHDon", "SHDon", "MHSo", "NLap", "HDCTTChinh", "HDDCKPTQuan",
                 "SBKe", "NBKe", "DVTTe", "TGia", "HTTToan", "MSTTCGP", "MSTDVNUNLHDon", "TDVNUNLHDon",
                 "DCDVNUNLHDon", "TTHDLQuan", "TTKhac"]
TTHDLQUAN_ORDER = ["TCHDon", "LHDCLQuan", "KHMSHDCLQuan", "KHHDCLQuan", "SHDCLQuan", "NLHDCLQuan", "GChu",
                   "SBKCLQuan", "NBKCLQuan"]
NBAN_ORDER = ["Ten", "MST", "DChi", "MDDKDoanh", "TDDKDoanh", "DCDDKDoanh", "MCHang", "TCHang", "SDThoai", "DCTDTu",
              "STKNHang", "TNHang", "Fax", "Website", "TTKhac"]
NMUA_ORDER = ["Ten", "MST", "MDVQHNSach", "DChi", "MKHang", "SDThoai", "CCCDan", "SHChieu", "DCTDTu", "HVTNMHang",
              "STKNHang", "TNHang", "TTKhac"]
HHDVU_ORDER = ["TChat", "STT", "MHHDVu", "THHDVu", "DVTinh", "SLuong", "DGia", "TLCKhau", "STCKhau", "ThTien",
               "TSuat", "TTHHDTrung", "TTKhac"]
TTOAN_ORDER = ["THTTLTSuat", "TgTCThue", "TGTKCThue", "TgTThue", "DSLPhi", "TTCKTMai", "TGTKhac", "TgTTTBSo",
               "TgTTTBChu", "TTKhac"]
MAX_LENGTH = {"THDon": 100, "KHMSHDon": 1, "KHHDon": 6, "SHDon": 8, "HTTToan": 50, "MSTTCGP": 14, "Ten": 400,
              "MST": 14, "DChi": 400, "SDThoai": 20, "DCTDTu": 50, "MHHDVu": 50, "THHDVu": 500, "DVTinh": 50,
              "TSuat": 11, "TgTTTBChu": 255, "HVTNMHang": 100, "CCCDan": 12, "MKHang": 50, "GChu": 255}


def _order_errors(node, order, where):
    tags = [child.tag for child in node]
    unknown = [t for t in tags if t not in order]
    if unknown:
        return [f"{where}: unexpected {', '.join(unknown)}"]
    positions = [order.index(t) for t in tags]
    return [] if positions == sorted(positions) else [f"{where}: elements out of order: {tags}"]


def _require(node, tags, where):
    return [f"{where}/{tag} is required" for tag in tags if node.find(tag) is None]


def _int(node, tag):
    return int(Decimal(node.findtext(tag)))


def xml_errors(data):
    """Every rule the XML breaks, as messages; an empty list means it passes."""
    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        return [f"not well-formed: {exc}"]
    errors = []
    if root.tag != "HDon":
        return ["root element must be HDon"]
    if not data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>'):
        errors.append("missing UTF-8 XML declaration")
    for element in root.iter():
        if isinstance(element.tag, str) and len(element) == 0 and not (element.text or "").strip() \
                and not element.tag.startswith("{"):
            errors.append(f"empty element {element.tag}")
        limit = MAX_LENGTH.get(element.tag if isinstance(element.tag, str) else "")
        if limit and element.text and len(element.text) > limit:
            errors.append(f"{element.tag} longer than {limit}")
    children = [c.tag for c in root if isinstance(c.tag, str)]
    expected = [t for t in ("DLHDon", "DLQRCode", "MCCQT", "DSCKS") if t in children]
    if children != expected or "DLHDon" not in children:
        errors.append(f"HDon children must be DLHDon, DLQRCode, MCCQT, DSCKS in that order: {children}")
        return errors
    dl = root.find("DLHDon")
    if not NCNAME_RE.match(dl.get("Id", "")):
        errors.append("DLHDon/@Id must be an NCName")
    if [c.tag for c in dl if c.tag != "TTKhac"] != ["TTChung", "NDHDon"]:
        return errors + ["DLHDon must hold TTChung then NDHDon"]
    tt, nd = dl.find("TTChung"), dl.find("NDHDon")
    errors += _order_errors(tt, TTCHUNG_ORDER, "TTChung")
    errors += _require(tt, ["PBan", "THDon", "KHMSHDon", "KHHDon", "NLap", "DVTTe", "HTTToan", "MSTTCGP"], "TTChung")
    if errors:
        return errors
    template, symbol, issued = tt.findtext("KHMSHDon"), tt.findtext("KHHDon"), tt.findtext("NLap")
    vat = template == "1"
    if template not in ("1", "2"):
        errors.append("KHMSHDon must be 1 or 2 for marketplace invoices")
    if not KHHDON_RE.match(symbol) or symbol[3] != "T":
        errors.append(f"KHHDon {symbol!r} must match [CK]yyT.. (spec §2.2)")
    if not DATE_RE.match(issued):
        errors.append("NLap must be YYYY-MM-DD")
    elif symbol[1:3] != issued[2:4]:
        errors.append("KHHDon year must equal the year of NLap")
    number = tt.findtext("SHDon")
    if number is not None and not re.fullmatch(r"[1-9]\d{0,7}", number):
        errors.append("SHDon must be 1–99999999")
    errors += _require(tt, ["HDCTTChinh"] if vat else ["HDDCKPTQuan"], "TTChung")
    if tt.findtext("DVTTe") != "VND" or tt.find("TGia") is not None:
        errors.append("marketplace invoices are in VND without TGia")
    if tt.find("MSTDVNUNLHDon") is not None:
        errors += _require(tt, ["TDVNUNLHDon", "DCDVNUNLHDon"], "TTChung")
    related = tt.find("TTHDLQuan")
    if related is not None:
        errors += _order_errors(related, TTHDLQUAN_ORDER, "TTHDLQuan")
        errors += _require(related, TTHDLQUAN_ORDER[:6], "TTHDLQuan")
        if related.findtext("TCHDon") not in ("1", "2"):
            errors.append("TTHDLQuan/TCHDon must be 1 (replacement) or 2 (adjustment)")
    errors += _parties_errors(nd)
    errors += _content_errors(nd, vat=vat, adjustment=related is not None)
    return errors


def _parties_errors(nd):
    errors = []
    seller, buyer = nd.find("NBan"), nd.find("NMua")
    if seller is None or buyer is None:
        return ["NDHDon needs NBan and NMua"]
    errors += _order_errors(seller, NBAN_ORDER, "NBan") + _require(seller, ["Ten", "MST", "DChi"], "NBan")
    errors += _order_errors(buyer, NMUA_ORDER, "NMua")
    for node, where in ((seller, "NBan"), (buyer, "NMua")):
        mst = node.findtext("MST")
        if mst is not None and not MST_RE.match(mst):
            errors.append(f"{where}/MST {mst!r} is not a tax code")
    if buyer.find("MST") is not None:
        errors += _require(buyer, ["Ten", "DChi"], "NMua")
    if buyer.find("Ten") is None and buyer.find("HVTNMHang") is None:
        errors.append("NMua needs Ten or HVTNMHang (“Bán cho người tiêu dùng”)")
    return errors


def _content_errors(nd, *, vat, adjustment):
    errors = []
    items = nd.findall("DSHHDVu/HHDVu")
    if not items:
        return ["DSHHDVu needs at least one HHDVu"]
    nets, discount = {}, 0
    for item in items:
        where = f"HHDVu {item.findtext('STT')}"
        errors += _order_errors(item, HHDVU_ORDER, where)
        nature = item.findtext("TChat")
        if nature not in ("1", "3", "4"):
            errors.append(f"{where}: TChat {nature} is not used by the marketplace")
            continue
        if nature == "4":
            if {c.tag for c in item} - {"TChat", "STT", "THHDVu"}:
                errors.append(f"{where}: a note line holds only TChat, STT, THHDVu")
            continue
        errors += _require(item, ["THHDVu", "ThTien"], where)
        rate = item.findtext("TSuat")
        if vat and (rate is None or not TSUAT_RE.match(rate)):
            errors.append(f"{where}: TSuat missing or invalid")
        if not vat and rate is not None:
            errors.append(f"{where}: a sales invoice carries no TSuat")
        for tag in ("SLuong", "DGia", "ThTien"):
            value = item.findtext(tag)
            if value is not None and not NUMBER_RE.match(value):
                errors.append(f"{where}: {tag} {value!r} is not a number (21,6)")
        if errors:
            continue
        amount = _int(item, "ThTien")
        if item.find("SLuong") is not None and item.find("DGia") is not None:
            product = Decimal(item.findtext("SLuong")) * Decimal(item.findtext("DGia"))
            if abs(product - amount) > Decimal("0.5"):
                errors.append(f"{where}: ThTien ≠ SLuong × DGia")
        if not adjustment and amount < 0:
            errors.append(f"{where}: negative amounts only on adjustments")
        signed = -amount if nature == "3" else amount
        discount += amount if nature == "3" else 0
        nets[rate or ""] = nets.get(rate or "", 0) + signed
    totals = nd.find("TToan")
    if totals is None:
        return errors + ["TToan is required"]
    errors += _order_errors(totals, TTOAN_ORDER, "TToan") + _require(totals, ["TgTTTBSo", "TgTTTBChu"], "TToan")
    if errors:
        return errors
    if vat:
        errors += _require(totals, ["THTTLTSuat", "TgTCThue", "TgTThue"], "TToan")
        if errors:
            return errors
        groups = {g.findtext("TSuat"): g for g in totals.findall("THTTLTSuat/LTSuat")}
        if set(groups) != set(nets):
            errors.append(f"LTSuat rates {sorted(groups)} ≠ line rates {sorted(nets)}")
        for rate, group in groups.items():
            if _int(group, "ThTien") != nets.get(rate):
                errors.append(f"LTSuat {rate}: ThTien ≠ sum of its lines")
            expected_vat = Decimal(abs(_int(group, "ThTien"))) * VAT_PERCENT.get(rate, 0) / 100
            if abs(abs(_int(group, "TThue")) - expected_vat) > 1:
                errors.append(f"LTSuat {rate}: TThue is not {rate} of ThTien")
        if _int(totals, "TgTCThue") != sum(_int(g, "ThTien") for g in groups.values()):
            errors.append("TgTCThue ≠ Σ LTSuat/ThTien")
        if _int(totals, "TgTThue") != sum(_int(g, "TThue") for g in groups.values()):
            errors.append("TgTThue ≠ Σ LTSuat/TThue")
        if _int(totals, "TgTTTBSo") != _int(totals, "TgTCThue") + _int(totals, "TgTThue"):
            errors.append("TgTTTBSo ≠ TgTCThue + TgTThue")
    else:
        for tag in ("THTTLTSuat", "TgTCThue", "TgTThue"):
            if totals.find(tag) is not None:
                errors.append(f"a sales invoice carries no {tag}")
        if _int(totals, "TgTTTBSo") != sum(nets.values()):
            errors.append("TgTTTBSo ≠ Σ goods − Σ discounts")
    if discount and (totals.find("TTCKTMai") is None or _int(totals, "TTCKTMai") != discount):
        errors.append("TTCKTMai ≠ Σ discount lines")
    if totals.findtext("TgTTTBChu") != amount_in_words(_int(totals, "TgTTTBSo")):
        errors.append("TgTTTBChu does not read TgTTTBSo")
    return errors


def xsd_errors(data, schema_dir="/work/shared/einvoice-xsd"):
    """Validate against the tax authority's schema when one is provided; None when there is none."""
    files = sorted(Path(schema_dir).glob("*.xsd")) if Path(schema_dir).is_dir() else []
    if not files:
        return None
    schema = etree.XMLSchema(etree.parse(str(files[0])))
    document = etree.fromstring(data)
    return [] if schema.validate(document) else [str(e) for e in schema.error_log]
