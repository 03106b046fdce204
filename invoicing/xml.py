"""The tax authority's invoice XML (``HDon``, PBan 2.1.0), built with lxml from a stored ``Invoice``.

Why this shape (spec §3): element names are Vietnamese abbreviations, case-sensitive, in the order of
the format tables; no namespace on invoice elements; empty optional elements are omitted; no whitespace
between tags (the signature is computed over it); text is NFC-normalised; VND amounts are integers and
``TGia`` is omitted for VND. A sales invoice (KHMSHDon 2) never carries a VAT rate or VAT totals.
"""
import unicodedata
from decimal import Decimal

from lxml import etree

from . import conf
from .models import Invoice, InvoiceLine

#: Written by hand: lxml would use single quotes; the spec shows the usual double-quoted form.
DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>'


def _text(value):
    if isinstance(value, Decimal):
        value = format(value.normalize(), "f") if value != value.to_integral() else str(int(value))
    return unicodedata.normalize("NFC", str(value))


def _add(parent, tag, value=None, *, always=False):
    """Append <tag>value</tag>; optional values that are empty are not written at all."""
    if value is None or value == "":
        if not always:
            return None
        value = ""
    node = etree.SubElement(parent, tag)
    node.text = _text(value)
    return node


def _ttchung(parent, invoice):
    tt = etree.SubElement(parent, "TTChung")
    _add(tt, "PBan", conf.xml_version())
    _add(tt, "THDon", invoice.name)
    _add(tt, "KHMSHDon", invoice.template_number)
    _add(tt, "KHHDon", invoice.symbol)
    _add(tt, "SHDon", invoice.number)
    _add(tt, "NLap", invoice.issue_date.isoformat())
    _add(tt, "HDCTTChinh" if invoice.is_vat_invoice else "HDDCKPTQuan", 0)
    _add(tt, "DVTTe", invoice.currency)
    _add(tt, "HTTToan", invoice.payment_method)
    _add(tt, "MSTTCGP", invoice.provider_tax_code)
    if invoice.issuer_tax_code:
        _add(tt, "MSTDVNUNLHDon", invoice.issuer_tax_code)
        _add(tt, "TDVNUNLHDon", invoice.issuer_name)
        _add(tt, "DCDVNUNLHDon", invoice.issuer_address)
    if invoice.relation != Invoice.ORIGINAL:
        related = etree.SubElement(tt, "TTHDLQuan")
        _add(related, "TCHDon", Invoice.TCHDON[invoice.relation])
        _add(related, "LHDCLQuan", 1)  # e-invoice under the current decree (spec §4.2, §7.7)
        _add(related, "KHMSHDCLQuan", invoice.related_template)
        _add(related, "KHHDCLQuan", invoice.related_symbol)
        _add(related, "SHDCLQuan", invoice.related_number)
        _add(related, "NLHDCLQuan", invoice.related_date.isoformat() if invoice.related_date else "")
        _add(related, "GChu", invoice.related_note)
    if invoice.order_reference:
        other = etree.SubElement(tt, "TTKhac")
        info = etree.SubElement(other, "TTin")
        _add(info, "TTruong", "MaDonHang")
        _add(info, "KDLieu", "string")
        _add(info, "DLieu", invoice.order_reference)


def _parties(parent, invoice):
    seller = etree.SubElement(parent, "NBan")
    for tag, field in (("Ten", "seller_name"), ("MST", "seller_tax_code"), ("DChi", "seller_address"),
                       ("SDThoai", "seller_phone"), ("DCTDTu", "seller_email"),
                       ("STKNHang", "seller_bank_account"), ("TNHang", "seller_bank_name")):
        _add(seller, tag, getattr(invoice, field))
    buyer = etree.SubElement(parent, "NMua")
    for tag, field in (("Ten", "buyer_name"), ("MST", "buyer_tax_code"), ("DChi", "buyer_address"),
                       ("MKHang", "buyer_code"), ("SDThoai", "buyer_phone"), ("CCCDan", "buyer_personal_id"),
                       ("DCTDTu", "buyer_email"), ("HVTNMHang", "buyer_person_name")):
        _add(buyer, tag, getattr(invoice, field))


def _lines(parent, invoice, lines):
    items = etree.SubElement(parent, "DSHHDVu")
    for line in lines:
        item = etree.SubElement(items, "HHDVu")
        _add(item, "TChat", line.nature)
        _add(item, "STT", line.position)
        if line.nature == InvoiceLine.NOTE:
            _add(item, "THHDVu", line.name)
            continue
        _add(item, "MHHDVu", line.code)
        _add(item, "THHDVu", line.name)
        _add(item, "DVTinh", line.unit)
        _add(item, "SLuong", line.quantity)
        _add(item, "DGia", line.unit_price)
        _add(item, "ThTien", line.amount)
        if invoice.is_vat_invoice:
            _add(item, "TSuat", line.vat_rate)


def _totals(parent, invoice, lines):
    totals = etree.SubElement(parent, "TToan")
    has_discount = any(line.nature == InvoiceLine.DISCOUNT for line in lines)
    if invoice.is_vat_invoice:
        groups = etree.SubElement(totals, "THTTLTSuat")
        for group in invoice.rate_totals:
            rate = etree.SubElement(groups, "LTSuat")
            _add(rate, "TSuat", group["rate"])
            _add(rate, "ThTien", group["net"])
            _add(rate, "TThue", group["vat"])
        _add(totals, "TgTCThue", invoice.total_net)
        _add(totals, "TgTThue", invoice.total_vat)
    if has_discount:
        _add(totals, "TTCKTMai", invoice.total_discount)
    _add(totals, "TgTTTBSo", invoice.total_payable)
    _add(totals, "TgTTTBChu", invoice.amount_in_words)


def invoice_xml_tree(invoice, lines=None):
    """The ``HDon`` element of an invoice (unsigned; ``MCCQT`` only when the tax authority gave one)."""
    lines = list(lines if lines is not None else invoice.lines.order_by("position"))
    root = etree.Element("HDon")
    data = etree.SubElement(root, "DLHDon", Id=invoice.data_id)
    _ttchung(data, invoice)
    content = etree.SubElement(data, "NDHDon")
    _parties(content, invoice)
    _lines(content, invoice, lines)
    _totals(content, invoice, lines)
    _add(root, "MCCQT", invoice.tax_authority_code)
    return root


def invoice_xml_bytes(invoice, lines=None):
    """UTF-8 bytes with the XML declaration and no whitespace between tags."""
    return DECLARATION + etree.tostring(invoice_xml_tree(invoice, lines), encoding="UTF-8")


def invoice_export_bytes(invoice):
    """What leaves the marketplace: the provider's signed file verbatim, else the XML frozen at issue."""
    if invoice.signed_xml:
        return bytes(invoice.signed_xml)
    if invoice.xml:
        return bytes(invoice.xml)
    return invoice_xml_bytes(invoice)  # a draft: rebuilt, it has no number yet


# --- reading back (PDF and checks read the XML, never the order) -------------------------------------

def _find(node, path):
    found = node.find(path)
    return found.text if found is not None and found.text is not None else ""


def invoice_data_from_xml(data):
    """A plain dict of an invoice XML, for the PDF (spec §6.1: the PDF is rendered from the XML)."""
    root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    tt = root.find("DLHDon/TTChung")
    nd = root.find("DLHDon/NDHDon")
    party = lambda node: {child.tag: child.text or "" for child in node} if node is not None else {}  # noqa: E731
    related = tt.find("TTHDLQuan")
    return {
        "general": {child.tag: child.text or "" for child in tt if child.tag not in ("TTHDLQuan", "TTKhac")},
        "related": {child.tag: child.text or "" for child in related} if related is not None else {},
        "other": {_find(i, "TTruong"): _find(i, "DLieu") for i in tt.findall("TTKhac/TTin")},
        "seller": party(nd.find("NBan")),
        "buyer": party(nd.find("NMua")),
        "lines": [{child.tag: child.text or "" for child in item} for item in nd.findall("DSHHDVu/HHDVu")],
        "rates": [{child.tag: child.text or "" for child in rate} for rate in nd.findall("TToan/THTTLTSuat/LTSuat")],
        "totals": {child.tag: child.text or "" for child in nd.find("TToan") if child.tag != "THTTLTSuat"},
        "tax_authority_code": _find(root, "MCCQT"),
        "signing_time": next((n.text for n in root.iter("{*}SigningTime", "SigningTime")), ""),
        "signed": root.find("DSCKS") is not None,
    }
