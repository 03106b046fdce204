"""Import of the province's OCOP product list from CSV or XLSX.

All-or-nothing: every row is validated first, every bad row is reported with its spreadsheet line
number and the reason, and nothing is written unless the whole file is clean. Re-importing the same
file updates products in place (stable key: product code, else certificate number) and leaves
unchanged rows untouched. The demo loader feeds its rows through the same functions.
"""
import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from oscar.apps.catalogue.categories import create_from_sequence
from oscar.core.loading import get_model

from places.models import Commune, OldCommune
from search.folding import fold
from vendors.models import Vendor

from .models import CERTIFICATE_VALIDITY_MONTHS, OcopCertificate, OcopClassification, Product, add_months

StockRecord = get_model("partner", "StockRecord")
ProductClass = get_model("catalogue", "ProductClass")
ProductCategory = get_model("catalogue", "ProductCategory")

PRODUCT_CLASS_NAME = "Sản phẩm OCOP"

#: Columns of the import file, in the order the template shows them.
COLUMNS = [
    "product_code", "name", "ocop_code", "seller_code", "commune", "price", "stock", "unit",
    "typical_specialty", "stars", "certificate_number", "certificate_issuer", "certificate_issue_date",
    "certificate_expiry_date", "other_certifications", "description",
]
REQUIRED_COLUMNS = {"name", "ocop_code", "seller_code", "commune", "price"}
MAX_PRICE = 1_000_000_000  # one billion đồng: anything above is a typo
CSV_CELL_LIMIT = 16 * 1024 * 1024  # characters; Python's default (131,072) would make a long cell a crash
MAX_STOCK = 1_000_000  # more than any cooperative holds: a typo (and beyond the stock column on PostgreSQL)
TRUE_WORDS = {"1", "x", "yes", "y", "true", "co", "có", "c"}
FALSE_WORDS = {"", "0", "no", "n", "false", "khong", "không", "k"}


class ImportFileError(Exception):
    """The file as a whole cannot be read (format, encoding, missing columns)."""


@dataclass
class RowError:
    line: int
    column: str
    message: str

    def __str__(self):
        return f"line {self.line}: {self.column}: {self.message}"


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


# --- reading ---------------------------------------------------------------------------------
def read_rows(path):
    """Return ``[(line_number, {column: text})]`` from a .csv or .xlsx file."""
    path = Path(path)
    if not path.exists():
        raise ImportFileError(f"File not found: {path}")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        header, rows = _read_csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        header, rows = _read_xlsx(path)
    else:
        raise ImportFileError(f"Unsupported file type '{suffix}': use .csv or .xlsx")
    header = [_normalise_header(h) for h in header]
    missing = sorted(REQUIRED_COLUMNS - set(header))
    if missing:
        raise ImportFileError(f"Missing required column(s): {', '.join(missing)}")
    duplicated = sorted({h for h in header if h and header.count(h) > 1})
    if duplicated:
        raise ImportFileError(f"Column(s) appear twice: {', '.join(duplicated)}")
    result = []
    for line, values in rows:
        if all(_cell(v) == "" for v in values):
            continue
        record = {name: _cell(values[i]) if i < len(values) else "" for i, name in enumerate(header) if name}
        result.append((line, record))
    return result


def _normalise_header(value):
    return fold(_cell(value)).replace(" ", "_")


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _read_csv(path):
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError("The CSV file is not UTF-8 encoded: save it as 'CSV UTF-8'")
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    # A cell may be long (a description); rows are checked cell by cell, with line numbers, after reading.
    csv.field_size_limit(max(csv.field_size_limit(), CSV_CELL_LIMIT))
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(reader)
        rows = [(reader.line_num, row) for row in reader]
    except StopIteration:
        raise ImportFileError("The file is empty")
    except csv.Error as exc:  # e.g. a cell longer than the csv module's limit (131,072 characters)
        raise ImportFileError(f"Line {reader.line_num}: the CSV cannot be read ({exc})")
    return header, rows


def _read_xlsx(path):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(f"Cannot read the XLSX file: {exc}")
    try:
        sheet = workbook.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
    except zipfile.BadZipFile as exc:
        raise ImportFileError(f"Cannot read the XLSX file: {exc}")
    finally:
        workbook.close()
    if not rows:
        raise ImportFileError("The file is empty")
    return list(rows[0]), [(i + 2, list(row)) for i, row in enumerate(rows[1:])]


# --- validation ------------------------------------------------------------------------------
@dataclass
class CleanRow:
    line: int
    product_code: str
    name: str
    classification: OcopClassification
    vendor: Vendor
    commune: Commune
    former_district_id: int
    price: int
    stock: int
    unit: str
    typical_specialty: bool
    other_certifications: str
    description: str
    certificate: dict | None


class _Lookups:
    """Reference data loaded once per import, not once per row."""

    def __init__(self):
        self.classification = {c.code.upper(): c for c in OcopClassification.objects.all()}
        self.vendors = {}
        for vendor in Vendor.objects.select_related("partner"):
            self.vendors[vendor.code.upper()] = vendor
            if vendor.tax_code:
                self.vendors.setdefault(vendor.tax_code.replace("-", ""), vendor)
        self.communes = {}
        self.commune_names = {}
        for commune in Commune.objects.all():
            self.communes[commune.code] = commune
            self.commune_names.setdefault(commune.folded_name, []).append(commune)
            self.commune_names.setdefault(fold(commune.short_name), []).append(commune)
        self.old_communes = {}
        for old in OldCommune.objects.select_related("successor", "former_district"):
            self.old_communes[old.code] = old
            for key in {old.folded_name, fold(_strip_unit(old.name))}:
                self.old_communes.setdefault(("name", key), []).append(old)


def _strip_unit(name):
    return re.sub(r"^(xã|phường|thị trấn)\s+", "", name, flags=re.IGNORECASE)


def _parse_int(text, column, errors, line, *, minimum=0, required=True):
    if text == "":
        if required:
            errors.append(RowError(line, column, "is required"))
        return None
    compact = text.replace(" ", "").replace("\xa0", "").replace("₫", "").replace("đ", "")
    # 150.000 and 150,000 are Vietnamese/English thousands separators; 150000.5 is not integer đồng.
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", compact):
        compact = re.sub(r"[.,]", "", compact)
    if not re.fullmatch(r"-?\d+", compact):
        errors.append(RowError(line, column, f"must be a whole number (got '{text}')"))
        return None
    value = int(compact)
    if value < minimum:
        errors.append(RowError(line, column, f"must be at least {minimum} (got {value})"))
        return None
    return value


def _parse_date(text, column, errors, line):
    if text == "":
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    errors.append(RowError(line, column, f"is not a date dd/mm/yyyy (got '{text}')"))
    return None


def _parse_bool(text, column, errors, line):
    folded = fold(text)
    if folded in TRUE_WORDS:
        return True
    if folded in FALSE_WORDS:
        return False
    errors.append(RowError(line, column, f"must be yes/no (có/không) (got '{text}')"))
    return False


def _resolve_commune(text, lookups):
    """A 5-digit GSO code, a current commune name, or a pre-2025 commune name ("Xã Sơn Diệm")."""
    if text.isdigit():
        if text in lookups.communes:
            return lookups.communes[text], None
        old = lookups.old_communes.get(text)
        if old and old.successor:
            return old.successor, old.former_district_id
        return None, None
    folded = fold(text)
    matches = lookups.commune_names.get(folded) or lookups.commune_names.get(fold(_strip_unit(text)))
    if matches and len({c.pk for c in matches}) == 1:
        return matches[0], None
    olds = lookups.old_communes.get(("name", folded)) or lookups.old_communes.get(("name", fold(_strip_unit(text))))
    olds = [o for o in (olds or []) if o.successor]
    if olds and len({o.successor_id for o in olds}) == 1:
        return olds[0].successor, olds[0].former_district_id
    return None, None


def validate_rows(rows, *, today=None):
    """Check every row; return ``(clean_rows, errors)``. Nothing is written."""
    today = today or timezone.localdate()
    lookups = _Lookups()
    errors, clean = [], []
    seen_codes, seen_certs = {}, {}
    for line, row in rows:
        row_errors = [RowError(line, column, "contains a NUL character (is the file damaged?)")
                      for column, value in row.items() if "\x00" in value]
        if row_errors:
            errors.extend(row_errors)
            continue
        name = row.get("name", "")
        if not name:
            row_errors.append(RowError(line, "name", "is required"))
        elif len(name) > 255:
            row_errors.append(RowError(line, "name", "is longer than 255 characters"))
        code = row.get("product_code", "")
        cert_number = row.get("certificate_number", "")
        if not code and not cert_number:
            row_errors.append(RowError(line, "product_code", "a product code or a certificate number is required"))
        if len(code) > 64:
            row_errors.append(RowError(line, "product_code", "is longer than 64 characters"))
        if code and code.upper() in seen_codes:
            row_errors.append(RowError(line, "product_code", f"'{code}' already appears on line {seen_codes[code.upper()]}"))
        if cert_number and cert_number.upper() in seen_certs:
            row_errors.append(RowError(line, "certificate_number",
                                       f"'{cert_number}' already appears on line {seen_certs[cert_number.upper()]}"))

        classification = lookups.classification.get(row.get("ocop_code", "").strip().upper().replace(" ", ""))
        if classification is None:
            row_errors.append(RowError(line, "ocop_code",
                                       f"'{row.get('ocop_code', '')}' is not a code of the OCOP classification "
                                       "(e.g. I.3.b, II.1.a, III.1)"))

        seller_ref = row.get("seller_code", "").strip()
        vendor = lookups.vendors.get(seller_ref.upper()) or lookups.vendors.get(seller_ref.replace("-", ""))
        if vendor is None:
            row_errors.append(RowError(line, "seller_code", f"unknown seller '{seller_ref}'" if seller_ref else "is required"))

        commune_text = row.get("commune", "")
        commune, district_override = _resolve_commune(commune_text, lookups) if commune_text else (None, None)
        if commune is None:
            row_errors.append(RowError(line, "commune", f"unknown commune of Hà Tĩnh '{commune_text}'"
                                       if commune_text else "is required"))

        price = _parse_int(row.get("price", ""), "price", row_errors, line, minimum=1)
        if price is not None and price > MAX_PRICE:
            row_errors.append(RowError(line, "price", f"is implausibly high ({price} đồng)"))
        stock = _parse_int(row.get("stock", ""), "stock", row_errors, line, minimum=0, required=False) or 0
        if stock > MAX_STOCK:
            row_errors.append(RowError(line, "stock", f"is implausibly high ({stock})"))
        specialty = _parse_bool(row.get("typical_specialty", ""), "typical_specialty", row_errors, line)

        certificate = None
        stars_text = row.get("stars", "")
        cert_fields = [row.get(k, "") for k in ("certificate_issuer", "certificate_issue_date", "certificate_expiry_date")]
        if stars_text or cert_number or any(cert_fields):
            certificate = _validate_certificate(row, line, row_errors, classification, today)

        if row_errors:
            errors.extend(row_errors)
            continue
        if code:
            seen_codes[code.upper()] = line
        if cert_number:
            seen_certs[cert_number.upper()] = line
        clean.append(CleanRow(
            line=line, product_code=code, name=name, classification=classification, vendor=vendor,
            commune=commune, former_district_id=district_override or commune.former_district_id,
            price=price, stock=stock, unit=row.get("unit", "")[:32], typical_specialty=specialty,
            other_certifications=row.get("other_certifications", "")[:255],
            description=row.get("description", ""), certificate=certificate,
        ))
    return clean, errors


def _validate_certificate(row, line, errors, classification, today):
    before = len(errors)
    stars = None
    stars_text = row.get("stars", "")
    if stars_text == "":
        errors.append(RowError(line, "stars", "is required for a certified product (3, 4 or 5)"))
    elif stars_text not in ("3", "4", "5"):
        errors.append(RowError(line, "stars", f"must be 3, 4 or 5 (got '{stars_text}')"))
    else:
        stars = int(stars_text)
    number = row.get("certificate_number", "")
    if not number:
        errors.append(RowError(line, "certificate_number", "is required for a certified product"))
    elif len(number) > 64:
        errors.append(RowError(line, "certificate_number", "is longer than 64 characters"))
    issuer = row.get("certificate_issuer", "")
    if not issuer:
        errors.append(RowError(line, "certificate_issuer", "is required for a certified product"))
    issue = _parse_date(row.get("certificate_issue_date", ""), "certificate_issue_date", errors, line)
    if row.get("certificate_issue_date", "") == "":
        errors.append(RowError(line, "certificate_issue_date", "is required for a certified product"))
    expiry = _parse_date(row.get("certificate_expiry_date", ""), "certificate_expiry_date", errors, line)
    if issue:
        if issue > today:
            errors.append(RowError(line, "certificate_issue_date", f"is in the future ({issue:%d/%m/%Y})"))
        if issue.year < 2018:
            errors.append(RowError(line, "certificate_issue_date",
                                   f"predates the OCOP programme's certificates ({issue:%d/%m/%Y})"))
        latest = OcopCertificate.default_expiry(issue)
        if expiry is None and row.get("certificate_expiry_date", "") == "":
            expiry = latest
        elif expiry is not None and expiry <= issue:
            errors.append(RowError(line, "certificate_expiry_date", "must be after the issue date"))
        elif expiry is not None and expiry > latest:
            errors.append(RowError(line, "certificate_expiry_date",
                                   f"exceeds the {CERTIFICATE_VALIDITY_MONTHS}-month validity "
                                   f"(latest {latest:%d/%m/%Y})"))
    if len(errors) > before:
        return None
    return {"number": number, "stars": stars, "issuing_body": issuer[:255], "issue_date": issue,
            "expiry_date": expiry, "classification": classification}


# --- writing ---------------------------------------------------------------------------------
def _category_for(classification):
    """Oscar category for a classification node: product group › subgroup."""
    chain = [n for n in classification.ancestors_and_self() if n.level != OcopClassification.LEVEL_CLASS]
    return create_from_sequence([node.name_vi for node in chain])[-1]


def _set_fields(obj, values):
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


@transaction.atomic
def apply_rows(clean_rows):
    """Create or update products, stock records, categories and certificates for validated rows."""
    product_class, _ = ProductClass.objects.get_or_create(
        name=PRODUCT_CLASS_NAME, defaults={"requires_shipping": True, "track_stock": True}
    )
    result = ImportResult(rows=len(clean_rows))
    categories = {}
    for row in clean_rows:
        product = None
        if row.product_code:
            product = Product.objects.filter(upc=row.product_code).first()
        if product is None and row.certificate:
            cert = OcopCertificate.objects.select_related("product").filter(number=row.certificate["number"]).first()
            product = cert.product if cert else None
        created = product is None
        if created:
            product = Product(product_class=product_class, structure=Product.STANDALONE)
        code = row.product_code or (product.upc if not created else None) or _code_from_certificate(row)
        changed = _set_fields(product, {
            "upc": code,
            "title": row.name,
            "description": row.description,
            "ocop_classification_id": row.classification.pk,
            "origin_commune_id": row.commune.pk,
            "origin_former_district_id": row.former_district_id,
            "is_typical_specialty": row.typical_specialty,
            "other_certifications": row.other_certifications,
            "sales_unit": row.unit,
            "is_public": True,
        })
        if created or changed:
            product.save()
        key = row.classification.pk
        if key not in categories:
            categories[key] = _category_for(row.classification)
        _, category_created = ProductCategory.objects.get_or_create(product=product, category=categories[key])
        stale = ProductCategory.objects.filter(product=product).exclude(category=categories[key])
        changed |= category_created | bool(stale.delete()[0])

        record = StockRecord.objects.filter(product=product).first()
        if record is None:
            record = StockRecord(product=product, partner=row.vendor.partner)
        record_changed = _set_fields(record, {
            "partner_id": row.vendor.partner_id,
            "partner_sku": code,
            "price_currency": "VND",
            "price": Decimal(row.price),
            "num_in_stock": row.stock,
        })
        if record_changed or record.pk is None:
            record.save()
            changed = True

        if row.certificate:
            changed |= _upsert_certificate(product, row.certificate)

        changed |= product.refresh_search_fields()
        if created:
            result.created += 1
        elif changed:
            result.updated += 1
        else:
            result.unchanged += 1
    return result


def _code_from_certificate(row):
    return "OCOP-" + re.sub(r"[^A-Za-z0-9]+", "-", fold(row.certificate["number"]).upper()).strip("-")[:58]


def _upsert_certificate(product, data):
    cert = OcopCertificate.objects.filter(number=data["number"]).first()
    values = {
        "product_id": product.pk, "stars": data["stars"], "issuing_body": data["issuing_body"],
        "issue_date": data["issue_date"], "expiry_date": data["expiry_date"],
        "classification_id": data["classification"].pk,
    }
    if cert is None:
        # The department's own list is the reference, so imported certificates count as verified.
        OcopCertificate.objects.create(number=data["number"], status=OcopCertificate.STATUS_VERIFIED,
                                       verified_at=timezone.now(), **values)
        return True
    if _set_fields(cert, values):
        cert.save()
        return True
    return False


def import_rows(rows, *, dry_run=False, today=None):
    """Validate then (unless ``dry_run`` or any row is bad) write; returns an ``ImportResult``."""
    clean, errors = validate_rows(rows, today=today)
    if errors or dry_run:
        return ImportResult(rows=len(rows), errors=errors)
    return apply_rows(clean)


def products_import(*, path, dry_run=False):
    return import_rows(read_rows(path), dry_run=dry_run)
