"""Reads for onboarding: who may see which application, the review queue, what is still missing."""
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace.demo.users import COMMUNITY_GROUP, DEPARTMENT_GROUP
from vendors.models import Vendor

from .models import ApplicationDocument, VendorApplication
from .validators import (
    validate_applicant_tax_code, validate_bank_account_number, validate_citizen_id_strict,
    validate_mobile_phone,
)

TAX_CODE_IN_USE = gettext_lazy(
    "This tax code already belongs to a seller of the marketplace or to another application under review.")
HOUSEHOLD_CCCD_MISMATCH = gettext_lazy(
    "A household business using a citizen ID as tax code must use the owner's: the representative's "
    "citizen ID must be the same number.")


def user_is_reviewer(user):
    return user.is_authenticated and (
        user.is_superuser or user.groups.filter(name=DEPARTMENT_GROUP).exists())


def user_is_assistant(user):
    return user.is_authenticated and user.groups.filter(name=COMMUNITY_GROUP).exists()


def _with_relations(queryset):
    return queryset.select_related("commune__former_district", "applicant", "assisted_by", "reviewed_by", "vendor")


def application_open_for_applicant(*, user):
    """The user's own application still being written or sent back for changes: resumed, never duplicated."""
    return (VendorApplication.objects.filter(applicant=user, assisted_by__isnull=True,
                                             status__in=VendorApplication.EDITABLE)
            .order_by("-created", "-pk").first())


def applications_of_applicant(*, user):
    return _with_relations(VendorApplication.objects.filter(applicant=user)).order_by("-created", "-pk")


def applications_assisted_by(*, user):
    return _with_relations(VendorApplication.objects.filter(assisted_by=user)).order_by("-created", "-pk")


def applications_for_editor(*, user):
    """Applications a user may fill in and follow: their own, and those they assist."""
    if not user.is_authenticated:
        return VendorApplication.objects.none()
    return _with_relations(VendorApplication.objects.filter(Q(applicant=user) | Q(assisted_by=user)))


def applications_for_review(*, status="", seller_type="", former_district="", assisted=""):
    """The department's queue: every application once submitted (drafts stay private), oldest first."""
    queryset = _with_relations(VendorApplication.objects.exclude(status=VendorApplication.DRAFT))
    if status:
        queryset = queryset.filter(status=status)
    if seller_type:
        queryset = queryset.filter(seller_type=seller_type)
    if former_district:
        queryset = queryset.filter(commune__former_district__code=former_district)
    if assisted == "yes":
        queryset = queryset.filter(assisted_by__isnull=False)
    elif assisted == "no":
        queryset = queryset.filter(assisted_by__isnull=True)
    return queryset.order_by("submitted_at", "pk")


def document_for_user(*, user, pk):
    """A document the user may open (applicant, assistant, reviewer of a submitted application), or None."""
    if not user.is_authenticated:
        return None
    allowed = Q(application__applicant=user) | Q(application__assisted_by=user)
    if user_is_reviewer(user):
        allowed |= ~Q(application__status=VendorApplication.DRAFT)
    return ApplicationDocument.objects.select_related("application").filter(allowed, pk=pk).first()


def tax_code_in_use(*, tax_code, exclude_application=None):
    """True when a seller already trades under this tax code or another application holds it."""
    if Vendor.objects.with_tax_code(tax_code).exists():
        return True
    others = VendorApplication.objects.with_tax_code(tax_code).filter(status__in=VendorApplication.OPEN)
    if exclude_application is not None:
        others = others.exclude(pk=exclude_application.pk)
    return others.exists()


#: The steps of the form, in order, with the fields each one fills in.
STEP_FIELDS = (
    ("identity", ("seller_type", "legal_name", "tax_code")),
    ("contact", ("representative_name", "representative_id_number", "phone", "email")),
    ("address", ("commune", "street_address")),
    ("bank", ("bank_code", "bank_account_number", "bank_account_holder")),
)


def application_problems(*, application):
    """What still stops a submission, as (step, message) pairs, rechecking every stored value.

    Values are checked as each step is saved, but a later step can contradict an earlier one (a
    household whose type is changed to cooperative keeps a CCCD as tax code), so all is checked again.
    """
    problems = []
    for step, fields in STEP_FIELDS:
        for field in fields:
            if not getattr(application, field if field != "commune" else "commune_id"):
                verbose = VendorApplication._meta.get_field(field).verbose_name
                problems.append((step, _("“%(field)s” is not filled in.") % {"field": verbose}))
    checks = (
        ("identity", application.tax_code and application.seller_type,
         lambda: validate_applicant_tax_code(application.tax_code, household=application.is_household)),
        ("contact", application.representative_id_number,
         lambda: validate_citizen_id_strict(application.representative_id_number)),
        ("contact", application.phone, lambda: validate_mobile_phone(application.phone)),
        ("bank", application.bank_account_number,
         lambda: validate_bank_account_number(application.bank_account_number)),
    )
    for step, present, check in checks:
        if present:
            try:
                check()
            except ValidationError as error:
                problems.extend((step, message) for message in error.messages)
    if (application.is_household and len(application.tax_code) == 12 and application.representative_id_number
            and application.tax_code != application.representative_id_number):
        problems.append(("contact", HOUSEHOLD_CCCD_MISMATCH))
    if application.tax_code and tax_code_in_use(tax_code=application.tax_code, exclude_application=application):
        problems.append(("identity", TAX_CODE_IN_USE))
    kinds = set(application.documents.values_list("kind", flat=True))
    if ApplicationDocument.BUSINESS_REGISTRATION not in kinds:
        problems.append(("documents", _("Upload the business registration certificate.")))
    if not application.products.exists():
        problems.append(("products", _("Add at least one OCOP product you will sell.")))
    return problems
