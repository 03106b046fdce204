"""The emulated provider's digital signature (spec §3.9), made with signxml and a throw-away key.

Why a key generated at runtime: nothing secret is committed and nothing is downloaded. Each seller gets a
self-signed RSA certificate whose subject carries its tax code (``UID=MST:…``) or personal ID
(``UID=CCCD:…``), as Vietnamese signing certificates do, so that the marketplace's own import checks
(``invoicing.signatures``) can be exercised on what the emulator returns. Keys live in this process only.

The signature is the shape the spec describes (with the usual ``ds:`` prefix: signxml cannot sign with XMLDSig
as the default namespace): enveloped, in ``HDon/DSCKS/NBan``, ``Reference
URI="#<DLHDon Id>"`` plus a second reference to an ``Object`` holding ``SigningTime``, inclusive C14N 1.0,
rsa-sha256, ``KeyInfo/X509Data`` with ``X509SubjectName`` and ``X509Certificate``.
"""
import base64
import datetime
import threading

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from signxml import XMLSigner
from signxml.algorithms import CanonicalizationMethod

DS = "http://www.w3.org/2000/09/xmldsig#"
C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>'

_keys = {}
_lock = threading.Lock()


def subject_id(tax_code):
    """``MST:3001234567`` for organisations, ``CCCD:042185000123`` for a 12-digit personal ID."""
    return f"CCCD:{tax_code}" if len(tax_code) == 12 and tax_code.isdigit() else f"MST:{tax_code}"


def _common_name(text):
    """At most 64 bytes of UTF-8 (X.509's limit): a long Vietnamese seller name is cut at a whole character."""
    encoded = text.encode("utf-8")[:64]
    return encoded.decode("utf-8", errors="ignore")


def credentials(tax_code, name):
    """(private key, certificate) for one seller, made once per process (RSA 2048, valid 2 years)."""
    with _lock:
        if tax_code in _keys:
            return _keys[tax_code]
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        subject = x509.Name([
            x509.NameAttribute(NameOID.COMMON_NAME, _common_name(name or tax_code)),
            x509.NameAttribute(NameOID.USER_ID, subject_id(tax_code)),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "SANDBOX - Chợ OCOP Hà Tĩnh e-invoice emulator"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        ])
        now = datetime.datetime.now(datetime.timezone.utc)
        cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
                .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=30))
                .not_valid_after(now + datetime.timedelta(days=730))
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .sign(key, hashes.SHA256()))
        _keys[tax_code] = (key, cert)
        return key, cert


def _ds(tag):
    return f"{{{DS}}}{tag}"


def _key_info(cert):
    key_info = etree.Element(_ds("KeyInfo"), nsmap={"ds": DS})
    data = etree.SubElement(key_info, _ds("X509Data"))
    etree.SubElement(data, _ds("X509SubjectName")).text = cert.subject.rfc4514_string()
    der = cert.public_bytes(serialization.Encoding.DER)
    etree.SubElement(data, _ds("X509Certificate")).text = base64.b64encode(der).decode()
    return key_info


def sign_invoice(xml, *, tax_code, name, signing_time, tax_authority_code=""):
    """The invoice XML signed in ``DSCKS/NBan`` (and ``MCCQT`` added when given), as UTF-8 bytes.

    ``signing_time`` is a naive local (GMT+7) datetime, written ``YYYY-MM-DDThh:mm:ss``.
    """
    root = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True,
                                                        remove_blank_text=True))
    data_id = root.find("DLHDon").get("Id")
    suffix = data_id.split("-", 1)[-1]
    for old in root.findall("MCCQT") + root.findall("DSCKS"):
        root.remove(old)
    if tax_authority_code:
        etree.SubElement(root, "MCCQT").text = tax_authority_code
    holder = etree.SubElement(etree.SubElement(root, "DSCKS"), "NBan")
    placeholder = etree.SubElement(holder, _ds("Signature"), nsmap={"ds": DS}, Id="placeholder")
    obj = etree.SubElement(placeholder, _ds("Object"), Id=f"SigningTime-{suffix}")
    prop = etree.SubElement(etree.SubElement(obj, _ds("SignatureProperties")), _ds("SignatureProperty"),
                            Target=f"#NBan-{suffix}")
    etree.SubElement(prop, "SigningTime").text = signing_time.strftime("%Y-%m-%dT%H:%M:%S")
    key, cert = credentials(tax_code, name)
    signer = XMLSigner(signature_algorithm="rsa-sha256", digest_algorithm="sha256",
                       c14n_algorithm=CanonicalizationMethod.CANONICAL_XML_1_0)
    signed = signer.sign(root, key=key, reference_uri=[f"#{data_id}", f"#SigningTime-{suffix}"],
                         key_info=_key_info(cert), id_attribute="Id")
    signature = signed.find(f"DSCKS/NBan/{_ds('Signature')}")
    signature.set("Id", f"NBan-{suffix}")
    obj = signature.find(_ds("Object"))
    signature.append(obj)  # signxml put SignedInfo after it; XMLDSig wants the Object last (moving it keeps digests)
    return DECLARATION + etree.tostring(signed, encoding="UTF-8")
