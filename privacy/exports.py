"""A person's own data as a readable PDF (beside the JSON and CSV of ``services.subject_data``).

Same data, nothing more: each section titled, each value labelled in words, money as ``150.000 ₫``, order
statuses as the shop names them; rendered with WeasyPrint and DejaVu Sans (every Vietnamese letter).
"""
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from invoicing.pdf import FONT_DIR
from marketplace.order.statuses import LABELS as ORDER_STATUSES
from marketplace.templatetags.ocop import format_vnd

from .services import SECTION_TITLES

def _(label):
    return pgettext_lazy("personal data", label)


LABELS = {
    "email": _("E-mail"), "first_name": _("First name"), "last_name": _("Last name"), "mobile": _("Mobile phone"),
    "joined": _("Account created"), "last_login": _("Last signed in"), "name": _("Full name"),
    "phone": _("Phone"), "street": _("Street address"), "ward": _("Ward or commune"),
    "province": _("Province or city"), "number": _("Order number"), "placed": _("Placed on"),
    "status": _("Status"), "total": _("Total"), "delivery": _("Delivery"), "lines": _("Products"),
    "product": _("Product"), "quantity": _("Quantity"), "price": _("Amount"), "reference": _("Reference"),
    "legal_name": _("Legal name"), "tax_code": _("Tax code"), "representative": _("Representative"),
    "citizen_id": _("Citizen ID number"), "bank": _("Bank"), "bank_account_number": _("Bank account number"),
    "bank_account_holder": _("Account holder"), "documents": _("Documents sent"), "purpose": _("Purpose"),
    "notice_version": _("Notice version"), "given_at": _("Given on"), "withdrawn_at": _("Withdrawn on"),
    "request": _("Request"), "received": _("Received on"), "answer": _("Answer"),
}
MONEY = {"total", "price"}


def _value(key, value, section):
    if value in (None, ""):
        return "—"
    if key in MONEY:
        return format_vnd(value)
    if key == "status" and section == "orders":
        return ORDER_STATUSES.get(value, value)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "—"
    return str(value)


def _rows(section, item):
    """(label, value) rows; a nested dict is prefixed with its label, a list of dicts becomes a small table."""
    rows, tables = [], []
    for key, value in item.items():
        label = LABELS.get(key, key)
        if isinstance(value, dict):
            rows += [(f"{label} – {LABELS.get(inner, inner)}", _value(inner, v, section)) for inner, v in value.items()]
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            columns = list(value[0])
            tables.append({"title": label, "columns": [LABELS.get(c, c) for c in columns],
                           "rows": [[_value(c, line.get(c), section) for c in columns] for line in value]})
        else:
            rows.append((label, _value(key, value, section)))
    return {"rows": rows, "tables": tables}


def subject_data_sections(data):
    sections = []
    for key, content in data.items():
        items = content if isinstance(content, list) else [content]
        sections.append({"title": SECTION_TITLES.get(key, key), "items": [_rows(key, item) for item in items]})
    return sections


def subject_data_pdf(data, *, user, **options):
    """``options`` go to WeasyPrint's ``write_pdf``."""
    from weasyprint import HTML

    html = render_to_string("privacy/my_data_pdf.html", {
        "sections": subject_data_sections(data), "person": user.get_full_name() or user.email,
        "made_at": timezone.localtime(), "font_dir": FONT_DIR})
    return HTML(string=html, base_url=FONT_DIR).write_pdf(**options)
