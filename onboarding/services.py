"""Writes for seller onboarding. Views, commands and tasks all call these keyword-only use cases.

Status changes go through ``_application_set_status`` only: it refuses moves the transition map does
not allow and writes the ``ApplicationEvent``. Reviewers' decisions always carry a reason, which the
applicant sees; *reject* ends the application, *request changes* gives it back for editing.
"""
import uuid

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from search.folding import fold
from vendors.models import Vendor

from .models import ApplicationDocument, ApplicationEvent, ApplicationProduct, VendorApplication
from .notifications import notify_account_created, notify_status_change
from .selectors import (
    TAX_CODE_IN_USE, application_open_for_applicant, application_problems, tax_code_in_use, user_is_assistant,
    user_is_reviewer,
)
from .uploads import clean_upload

Partner = get_model("partner", "Partner")

#: Fields the applicant fills in through the steps (nothing else may be written by ``vendor_application_save``).
APPLICANT_FIELDS = frozenset({
    "seller_type", "legal_name", "tax_code", "representative_name", "representative_id_number", "phone",
    "email", "commune", "street_address", "bank_code", "bank_account_number", "bank_account_holder",
})


def _locked(application):
    return VendorApplication.objects.select_for_update().get(pk=application.pk)


def _require_editable(application):
    if not application.is_editable:
        raise ValidationError(
            _("This application is “%(status)s” and can no longer be changed.")
            % {"status": application.get_status_display()}, code="not_editable")


def _require_reviewer(user):
    if not user_is_reviewer(user):
        raise PermissionDenied(_("Only the department's reviewers may decide on applications."))


def _require_reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason: the applicant will read it."), code="reason_required")
    return reason


def _check_transition(application, status):
    if not application.can_move_to(status):
        raise ValidationError(
            _("An application that is “%(current)s” cannot become “%(target)s”.")
            % {"current": application.get_status_display(),
               "target": dict(VendorApplication.STATUS_CHOICES)[status]},
            code="illegal_transition",
        )


def _application_set_status(application, status, *, actor, reason=""):
    """The only way an application changes status: checked against the map, recorded as an event."""
    _check_transition(application, status)
    previous = application.status
    application.status = status
    application.save()
    event = ApplicationEvent.objects.create(application=application, from_status=previous, to_status=status,
                                            actor=actor, reason=reason)
    transaction.on_commit(lambda: notify_status_change(application=application, event=event))
    return event


@transaction.atomic
def vendor_application_start(*, user):
    """A user's own application: the open one is resumed, so nobody ends up with two half-filled drafts."""
    application = application_open_for_applicant(user=user)
    if application is None:
        application = VendorApplication.objects.create(applicant=user, email=user.email)
        ApplicationEvent.objects.create(application=application, to_status=VendorApplication.DRAFT, actor=user,
                                        reason="started")
    return application


@transaction.atomic
def vendor_application_start_assisted(*, assistant):
    """A community digital team member files for a household; its account is linked at approval."""
    if not user_is_assistant(assistant):
        raise PermissionDenied(_("Only members of a community digital team may file on behalf of a household."))
    application = VendorApplication.objects.create(assisted_by=assistant, seller_type=Vendor.TYPE_HOUSEHOLD)
    ApplicationEvent.objects.create(application=application, to_status=VendorApplication.DRAFT, actor=assistant,
                                    reason="started (assisted)")
    return application


@transaction.atomic
def vendor_application_save(*, application, actor, data):
    """Save one step's checked values; called with only the valid fields when a step has errors."""
    application = _locked(application)
    _require_editable(application)
    unknown = set(data) - APPLICANT_FIELDS
    if unknown:
        raise ValueError(f"not applicant fields: {sorted(unknown)}")
    for field, value in data.items():
        setattr(application, field, value)
    application.save()
    return application


@transaction.atomic
def application_document_add(*, application, actor, kind, upload):
    """Check the upload by its content, clean it, and store it privately; a refusal changes nothing."""
    application = _locked(application)
    _require_editable(application)
    clean = clean_upload(upload)
    document = ApplicationDocument(application=application, kind=kind, original_name=clean.original_name,
                                   content_type=clean.content_type, size=clean.size, uploaded_by=actor)
    document.file.save(f"{uuid.uuid4().hex}.{clean.extension}", ContentFile(clean.content), save=False)
    try:
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    return document


@transaction.atomic
def application_document_delete(*, document, actor):
    application = _locked(document.application)
    _require_editable(application)
    name, storage = document.file.name, document.file.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def application_product_add(*, application, actor, name, classification, stars=None, certificate_number="",
                            certificate_issue_date=None, certificate_expiry_date=None,
                            certificate_document=None):
    application = _locked(application)
    _require_editable(application)
    if certificate_document is not None and certificate_document.application_id != application.pk:
        raise ValidationError(_("Choose one of this application's documents."), code="foreign_document")
    return ApplicationProduct.objects.create(
        application=application, name=name, classification=classification, stars=stars,
        certificate_number=certificate_number, certificate_issue_date=certificate_issue_date,
        certificate_expiry_date=certificate_expiry_date, certificate_document=certificate_document,
    )


@transaction.atomic
def application_product_delete(*, product, actor):
    _require_editable(_locked(product.application))
    product.delete()


@transaction.atomic
def vendor_application_submit(*, application, actor):
    """Send a complete application to the department (again, after changes were requested)."""
    application = _locked(application)
    _check_transition(application, VendorApplication.SUBMITTED)
    problems = application_problems(application=application)
    if problems:
        raise ValidationError([message for _step, message in problems], code="incomplete")
    application.submitted_at = timezone.now()
    _application_set_status(application, VendorApplication.SUBMITTED, actor=actor)
    return application


@transaction.atomic
def vendor_application_request_changes(*, application, reviewer, reason):
    """Give the application back to the applicant with what to fix; it comes back through submit."""
    _require_reviewer(reviewer)
    reason = _require_reason(reason)
    application = _locked(application)
    _check_transition(application, VendorApplication.CHANGES_REQUESTED)
    _record_decision(application, reviewer, reason)
    _application_set_status(application, VendorApplication.CHANGES_REQUESTED, actor=reviewer, reason=reason)
    return application


@transaction.atomic
def vendor_application_reject(*, application, reviewer, reason):
    """End the application for good (the applicant may file a new one); frees its tax code."""
    _require_reviewer(reviewer)
    reason = _require_reason(reason)
    application = _locked(application)
    _check_transition(application, VendorApplication.REJECTED)
    _record_decision(application, reviewer, reason)
    _application_set_status(application, VendorApplication.REJECTED, actor=reviewer, reason=reason)
    return application


@transaction.atomic
def vendor_application_approve(*, application, reviewer, reason):
    """Make the applicant a seller, all or nothing: Partner, Vendor, the account linked to the partner
    and given dashboard access, the status change and its event commit together or not at all.

    An assisted household has no account yet: the active account with the application's e-mail is
    linked, or one is created without a password and a set-password link is e-mailed.
    """
    _require_reviewer(reviewer)
    reason = _require_reason(reason)
    application = _locked(application)
    _check_transition(application, VendorApplication.APPROVED)
    if tax_code_in_use(tax_code=application.tax_code, exclude_application=application):
        raise ValidationError(TAX_CODE_IN_USE, code="tax_code_in_use")
    user = application.applicant
    if user is None:
        user = _household_account(application)
        application.applicant = user
    vendor = _vendor_create(application)
    _grant_seller_access(user=user, partner=vendor.partner)
    application.vendor = vendor
    _record_decision(application, reviewer, reason)
    _application_set_status(application, VendorApplication.APPROVED, actor=reviewer, reason=reason)
    return application


def _record_decision(application, reviewer, reason):
    application.reviewer_notes = reason
    application.reviewed_by = reviewer
    application.decided_at = timezone.now()


def _household_account(application):
    """Link the assisted household's existing account (by e-mail) or create one with no usable password."""
    User = get_user_model()
    email = (application.email or "").strip()
    if not email:
        raise ValidationError(_("The application has no e-mail address to link the seller's account to."))
    matches = list(User.objects.filter(email__iexact=email, is_active=True).order_by("pk")[:2])
    if len(matches) > 1:
        raise ValidationError(
            _("Several accounts use the e-mail %(email)s; ask the household to use an address of its own.")
            % {"email": email}, code="email_ambiguous")
    if matches:
        return matches[0]
    local, _at, domain = email.rpartition("@")
    user = User(username=f"nb-{uuid.uuid4().hex[:20]}", email=f"{local}@{domain.lower()}",
                first_name=application.representative_name[:150])
    user.set_unusable_password()
    user.save()
    transaction.on_commit(lambda: notify_account_created(application=application, user=user))
    return user


def _next_vendor_code():
    """'NB-0001', 'NB-0002' ...: one more than the highest seller code of that form."""
    numbers = [int(code[3:]) for code in Vendor.objects.filter(code__regex=r"^NB-[0-9]+$")
               .values_list("code", flat=True)]
    return f"NB-{max(numbers, default=0) + 1:04d}"


def _unique_slug(name):
    base = slugify(fold(name))[:120].strip("-") or "nguoi-ban"
    slug, n = base, 2
    while Vendor.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _vendor_create(application):
    partner = Partner.objects.create(name=application.legal_name[:128])  # Oscar's limit
    commune = application.commune
    return Vendor.objects.create(
        partner=partner, code=_next_vendor_code(), slug=_unique_slug(application.legal_name),
        legal_name=application.legal_name, seller_type=application.seller_type, tax_code=application.tax_code,
        representative=application.representative_name, phone=application.phone, email=application.email,
        commune=commune, former_district=commune.former_district, street_address=application.street_address,
    )


def _grant_seller_access(*, user, partner):
    # The seller works in /ban-hang/ only: Oscar's dashboard would bypass moderation (no dashboard_access).
    partner.users.add(user)
