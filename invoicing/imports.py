"""Own-provider role (spec §0.4 b): the seller uploads what its provider returned — one signed XML or a ZIP of
many — and each file, once verified (``invoicing.signatures``), completes the matching draft through
``invoice_record_provider_result``, stored byte for byte.

Why all-or-nothing: a ZIP is one act of the seller; half of it recorded would leave the seller guessing which
files to send again. Every file is read and verified first; then all are recorded in one transaction.
Zip bombs: entry count, per-entry and total uncompressed sizes, and the compression ratio are bounded, and
entries are read with a hard cap rather than trusting the sizes the archive declares.
"""
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Invoice, SellerInvoicingProfile
from .services import invoice_record_provider_result
from .signatures import MAX_BYTES, SignedInvoiceError, read_header, verify_signed_invoice

MAX_ENTRIES = 500
MAX_TOTAL = 100 * 1024 * 1024
MAX_RATIO = 100


class ImportRejected(Exception):
    """Nothing was stored; ``errors`` are (file name, message) pairs for the seller."""

    def __init__(self, errors):
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors))
        self.errors = errors


@dataclass
class ImportResult:
    recorded: list
    unchanged: list


def upload_files(upload):
    """[(name, bytes)] of an uploaded XML or ZIP; raises ``ImportRejected`` on anything else."""
    name = upload.name or "upload"
    limit = getattr(settings, "UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
    if upload.size > limit:
        raise ImportRejected([(name, _("The file is larger than %(size)s MB.") % {"size": limit // (1024 * 1024)})])
    data = upload.read(limit + 1)
    if data[:4] == b"PK\x03\x04":
        return _zip_entries(name, data)
    if not data.lstrip()[:1] == b"<":
        raise ImportRejected([(name, _("Upload the provider's signed XML file, or a ZIP of such files."))])
    return [(name, data)]


def _zip_entries(name, data):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir() and not i.filename.startswith("__MACOSX/")]
    except (zipfile.BadZipFile, ValueError):
        raise ImportRejected([(name, _("The ZIP file cannot be read."))]) from None
    xmls = [i for i in infos if i.filename.lower().endswith(".xml")]
    if not xmls:
        raise ImportRejected([(name, _("The ZIP file holds no .xml file."))])
    if len(xmls) > MAX_ENTRIES:
        raise ImportRejected([(name, _("The ZIP file holds more than %(n)s files.") % {"n": MAX_ENTRIES})])
    if sum(i.file_size for i in xmls) > MAX_TOTAL:
        raise ImportRejected([(name, _("The ZIP file expands to more than 100 MB."))])
    files = []
    for info in xmls:
        if info.file_size > MAX_BYTES or info.file_size > MAX_RATIO * max(info.compress_size, 1) + 4096:
            raise ImportRejected([(info.filename, _("This file is too large or too compressed to be an invoice."))])
        try:
            with archive.open(info) as entry:
                content = entry.read(MAX_BYTES + 1)
        except (zipfile.BadZipFile, RuntimeError, ValueError, OSError):
            raise ImportRejected([(info.filename, _("This file cannot be extracted from the ZIP."))]) from None
        if len(content) > MAX_BYTES:
            raise ImportRejected([(info.filename, _("The file is larger than 2 MB."))])
        files.append((info.filename, content))
    return files


def _match(vendor, data, invoice):
    """The draft a file answers; None when it repeats an invoice already recorded with these exact bytes."""
    data_id, template, symbol, number = read_header(data)
    if invoice is not None:
        target = invoice
    else:
        target = Invoice.objects.filter(vendor=vendor, data_id=data_id).exclude(status=Invoice.DISCARDED).first()
        if target is None and number is not None:
            target = Invoice.objects.filter(vendor=vendor, template_number=template, symbol=symbol,
                                            number=number).first()
        if target is None:
            raise SignedInvoiceError(_("No invoice of yours waits for this file (DLHDon Id %(id)s).")
                                     % {"id": data_id or "—"})
    if target.status != Invoice.DRAFT:
        if target.signed_xml and bytes(target.signed_xml) == data:
            return None
        raise SignedInvoiceError(_("Invoice %(invoice)s is already recorded.") % {"invoice": str(target)})
    return target


def invoices_import_signed(*, vendor, files, invoice=None, actor=None):
    """Verify every file, then record them all or none. ``invoice`` pins a single file to one draft."""
    profile = SellerInvoicingProfile.objects.filter(vendor=vendor).first()
    if profile is None or profile.mode != SellerInvoicingProfile.MODE_OWN_PROVIDER:
        raise ImportRejected([("", _("Uploading signed invoices is for sellers whose own provider issues."))])
    if invoice is not None and len(files) != 1:
        raise ImportRejected([("", _("Upload exactly one XML file for this invoice."))])
    errors, ready, unchanged, seen = [], [], [], set()
    seller_ids = {vendor.tax_code}
    for name, data in files:
        try:
            target = _match(vendor, data, invoice)
            if target is None:
                unchanged.append(name)
                continue
            seller_ids_for = seller_ids | {target.seller_tax_code}
            signed = verify_signed_invoice(data, seller_ids=seller_ids_for, invoice=target)
        except SignedInvoiceError as exc:
            errors.append((name, exc.message))
            continue
        if target.pk in seen:
            errors.append((name, _("Two files answer the same invoice.")))
            continue
        seen.add(target.pk)
        ready.append((name, target, signed, data))
    if errors:
        raise ImportRejected(errors)
    recorded = []
    try:
        with transaction.atomic():
            for name, target, signed, data in ready:
                try:
                    recorded.append(invoice_record_provider_result(
                        invoice=target, number=signed.number, signed_xml=data,
                        tax_authority_code=signed.tax_authority_code, actor=actor))
                except ValidationError as exc:
                    raise ImportRejected([(name, " ".join(exc.messages))]) from None
    except ImportRejected:
        raise
    return ImportResult(recorded=recorded, unchanged=unchanged)
