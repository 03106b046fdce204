"""Checks a provider's signed invoice before the marketplace stores it (spec §3.9, "verification on import").

Why each check: the file is stored byte for byte and re-exported as the legal invoice, so it must be the
invoice we built (same ``DLHDon/@Id``, template, symbol, seller, total), carry a signature that verifies
with the certificate it embeds (signxml; the XAdES variant with ``SignedProperties`` is accepted), signed by
the seller (its MST or personal ID in the certificate subject), signed in time (R9: ``SigningTime`` on
``NLap`` or by the next working day) and, for ``C`` symbols, coded by the tax authority (``MCCQT``: 34
characters, 23 for cash-register ``M`` symbols). Trust in the certificate's issuer (a licensed Vietnamese CA)
is not checked here: no CA list is available offline; the subject and the cryptography are.

Messages are user-facing (gettext); ``SignedInvoiceError.message`` is what the seller reads.
"""
import base64
import datetime
import re
from dataclasses import dataclass

from cryptography import x509
from django.utils.translation import gettext as _
from lxml import etree
from signxml import SignatureConfiguration, XMLVerifier
from signxml.algorithms import DigestAlgorithm, SignatureMethod
from signxml.exceptions import InvalidInput, InvalidSignature

from .workdays import next_working_day

DS = "http://www.w3.org/2000/09/xmldsig#"
MAX_BYTES = 2 * 1024 * 1024  # spec §3.2: one message ≤ 2 MB
#: Older provider files sign with rsa-sha1 (spec §3.9); accepted on import, never produced.
_CONFIG = dict(signature_methods=frozenset(SignatureMethod), digest_algorithms=frozenset(DigestAlgorithm))


class SignedInvoiceError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SignedInvoice:
    data_id: str
    template_number: str
    symbol: str
    number: int
    issue_date: datetime.date
    tax_authority_code: str
    signing_time: datetime.datetime
    seller_tax_code: str
    total_payable: int


def _parse(data):
    if len(data) > MAX_BYTES:
        raise SignedInvoiceError(_("The file is larger than 2 MB."))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError:
        raise SignedInvoiceError(_("The file is not well-formed XML.")) from None
    if root.getroottree().docinfo.doctype:
        raise SignedInvoiceError(_("The file declares a DOCTYPE, which invoices never do."))
    if root.tag != "HDon" or root.find("DLHDon") is None:
        raise SignedInvoiceError(_("The file is not an e-invoice (HDon/DLHDon is missing)."))
    return root


def read_header(data):
    """``(DLHDon Id, KHMSHDon, KHHDon, SHDon or None)`` of a file, to match it with an invoice; raises on junk."""
    root = _parse(data)
    tt = root.find("DLHDon/TTChung")
    number = (tt.findtext("SHDon") or "").strip() if tt is not None else ""
    return (root.find("DLHDon").get("Id", ""), tt.findtext("KHMSHDon", "") if tt is not None else "",
            tt.findtext("KHHDon", "") if tt is not None else "", int(number) if number.isdigit() else None)


def _seller_signature(root):
    signature = root.find(f"DSCKS/NBan/{{{DS}}}Signature")
    if signature is None:
        raise SignedInvoiceError(_("The file has no seller signature (DSCKS/NBan/Signature)."))
    return signature


def _certificate(signature):
    node = signature.find(f"{{{DS}}}KeyInfo/{{{DS}}}X509Data/{{{DS}}}X509Certificate")
    if node is None or not (node.text or "").strip():
        raise SignedInvoiceError(_("The signature carries no certificate (KeyInfo/X509Data/X509Certificate)."))
    try:
        return x509.load_der_x509_certificate(base64.b64decode("".join(node.text.split())))
    except ValueError:
        raise SignedInvoiceError(_("The certificate in the signature cannot be read.")) from None


def _signing_time(signature):
    """``SigningTime`` of the signature's Object (XMLDSig) or of XAdES ``SignedSignatureProperties``."""
    for node in signature.iter("{*}SigningTime", "SigningTime"):
        text = (node.text or "").strip()
        try:
            value = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            break
        if value.tzinfo is not None:  # GMT+7 is the invoice's time zone (spec §3.2)
            value = value.astimezone(datetime.timezone(datetime.timedelta(hours=7))).replace(tzinfo=None)
        return value
    raise SignedInvoiceError(_("The signature has no readable signing time (SigningTime)."))


def _verify(data, root, signature, data_id, cert, signing_time):
    references = signature.findall(f"{{{DS}}}SignedInfo/{{{DS}}}Reference")
    if f"#{data_id}" not in [r.get("URI") for r in references]:
        raise SignedInvoiceError(_("The signature does not cover the invoice data (no Reference to #%(id)s).")
                                 % {"id": data_id})
    config = SignatureConfiguration(location="./DSCKS/NBan/", expect_references=len(references),
                                    verification_time=signing_time.replace(
                                        tzinfo=datetime.timezone(datetime.timedelta(hours=7))), **_CONFIG)
    try:
        XMLVerifier().verify(data, x509_cert=cert, expect_config=config, validate_schema=False, id_attribute="Id")
    except (InvalidSignature, InvalidInput) as exc:
        raise SignedInvoiceError(_("The digital signature is not valid: %(reason)s") % {"reason": exc}) from None
    except Exception:  # noqa: BLE001 — signxml/lxml raise many kinds on hostile input; the answer is the same
        raise SignedInvoiceError(_("The digital signature cannot be verified.")) from None


def verify_signed_invoice(data, *, seller_ids, invoice=None, check_signing_window=True):
    """Every import check; returns the ``SignedInvoice`` read from the file or raises ``SignedInvoiceError``.

    ``seller_ids``: the seller's MST and/or personal ID, one of which the certificate subject must contain.
    ``invoice``: the draft it answers; its Id, template, symbol, seller and total must match.
    ``check_signing_window``: off for the answer to our own late send (a compliance alert, not a bad file).
    """
    data = bytes(data)
    root = _parse(data)
    dl = root.find("DLHDon")
    data_id = dl.get("Id", "")
    if not data_id or sum(1 for e in root.iter() if isinstance(e.tag, str) and e.get("Id") == data_id) != 1:
        raise SignedInvoiceError(_("DLHDon/@Id is missing or not unique in the file."))
    tt, nd = dl.find("TTChung"), dl.find("NDHDon")
    if tt is None or nd is None:
        raise SignedInvoiceError(_("The invoice data lacks TTChung or NDHDon."))
    template, symbol = tt.findtext("KHMSHDon", ""), tt.findtext("KHHDon", "")
    number_text, nlap = (tt.findtext("SHDon") or "").strip(), tt.findtext("NLap", "")
    if not re.fullmatch(r"0*[1-9]\d{0,7}", number_text):
        raise SignedInvoiceError(_("The invoice number (SHDon) is missing or not 1–99999999."))
    try:
        issue_date = datetime.date.fromisoformat(nlap)
    except ValueError:
        raise SignedInvoiceError(_("The invoice date (NLap) is not YYYY-MM-DD.")) from None
    seller_tax_code = nd.findtext("NBan/MST", "")
    total_text = nd.findtext("TToan/TgTTTBSo", "")
    try:
        total = int(float(total_text)) if total_text else None
    except ValueError:
        total = None
    if invoice is not None:
        if data_id != invoice.data_id:
            raise SignedInvoiceError(_("The file is for another invoice (DLHDon Id %(got)s, expected %(want)s).")
                                     % {"got": data_id, "want": invoice.data_id})
        if (template, symbol) != (invoice.template_number, invoice.symbol):
            raise SignedInvoiceError(_("Template and symbol %(got)s do not match the invoice's %(want)s.")
                                     % {"got": template + symbol, "want": invoice.template_number + invoice.symbol})
        if seller_tax_code != invoice.seller_tax_code:
            raise SignedInvoiceError(_("The seller's tax code in the file is not yours."))
        if total != invoice.total_payable:
            raise SignedInvoiceError(_("The total in the file (%(got)s) differs from the invoice (%(want)s).")
                                     % {"got": total_text, "want": invoice.total_payable})
    code = (root.findtext("MCCQT") or "").strip()
    if symbol.startswith("C"):
        length = 23 if len(symbol) > 3 and symbol[3] == "M" else 34
        if len(code) != length:
            raise SignedInvoiceError(_("A symbol starting with C needs the tax authority's code (MCCQT) of "
                                       "%(length)s characters.") % {"length": length})
    signature = _seller_signature(root)
    cert = _certificate(signature)
    subject = cert.subject.rfc4514_string()
    if not any(i and re.search(rf"(?<!\d){re.escape(i)}(?!\d)", subject) for i in seller_ids):
        raise SignedInvoiceError(_("The certificate (%(subject)s) is not the seller's: its subject does not "
                                   "contain your tax code or personal ID.") % {"subject": subject})
    signing_time = _signing_time(signature)
    latest = next_working_day(issue_date)
    if check_signing_window and not issue_date <= signing_time.date() <= latest:
        raise SignedInvoiceError(_("Signed on %(signed)s: the signing date must be between the invoice date "
                                   "%(date)s and the next working day %(latest)s.")
                                 % {"signed": signing_time.strftime("%d/%m/%Y"), "date": issue_date.strftime("%d/%m/%Y"),
                                    "latest": latest.strftime("%d/%m/%Y")})
    _verify(data, root, signature, data_id, cert, signing_time)
    return SignedInvoice(data_id=data_id, template_number=template, symbol=symbol, number=int(number_text),
                         issue_date=issue_date, tax_authority_code=code, signing_time=signing_time,
                         seller_tax_code=seller_tax_code, total_payable=total if total is not None else 0)
