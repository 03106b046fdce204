"""Applications of would-be sellers and the department's review of them.

An application is filled in step by step (saved at every step), submitted, then reviewed: the
department approves it (which creates the Oscar ``Partner`` and the ``vendors.Vendor``), rejects it,
or sends it back for changes. Every status change leaves an ``ApplicationEvent``.
"""
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from privacy.fields import EncryptedCharField, KeyedDigestField
from privacy.files import EncryptedFileField
from vendors.models import Vendor
from vendors.validators import mask_identifier, tax_code_digest, tax_code_lookup_key

from .banks import BANK_NAMES, BANKS
from .storage import private_storage

PROVINCE_NAME = "Hà Tĩnh"


class VendorApplicationQuerySet(models.QuerySet):
    def with_tax_code(self, tax_code):
        """Applications under this tax code, however it is spelt (matched on the keyed digest)."""
        return self.filter(tax_code_digest=tax_code_digest(tax_code))


class VendorApplication(models.Model):
    DRAFT, SUBMITTED, CHANGES_REQUESTED, APPROVED, REJECTED = (
        "draft", "submitted", "changes_requested", "approved", "rejected")
    STATUS_CHOICES = [
        (DRAFT, _("Draft")),  # being filled in by the applicant (or the assistant); invisible to reviewers
        (SUBMITTED, _("Submitted")),  # waiting in the department's queue; read-only for the applicant
        (CHANGES_REQUESTED, _("Changes requested")),  # sent back with a reason; editable again, then resubmitted
        (APPROVED, _("Approved")),  # final: the seller exists (Partner + Vendor)
        (REJECTED, _("Rejected")),  # final: the applicant may start a new application
    ]
    #: Allowed moves; anything else is refused with a message.
    TRANSITIONS = {
        DRAFT: {SUBMITTED},
        SUBMITTED: {CHANGES_REQUESTED, APPROVED, REJECTED},
        CHANGES_REQUESTED: {SUBMITTED},
        APPROVED: set(),
        REJECTED: set(),
    }
    EDITABLE = (DRAFT, CHANGES_REQUESTED)
    #: Statuses that hold a tax code: another applicant may not use it meanwhile.
    OPEN = (SUBMITTED, CHANGES_REQUESTED)

    status = models.CharField(_("status"), max_length=20, choices=STATUS_CHOICES, default=DRAFT, db_index=True)
    #: The account the seller will work with. Empty for an assisted household until approval, when the
    #: account with the application's e-mail is linked (or created).
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="vendor_applications", verbose_name=_("applicant"),
    )
    #: The community digital team member who filed the application for the household.
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="assisted_vendor_applications", verbose_name=_("assisted by"),
    )

    seller_type = models.CharField(_("seller type"), max_length=32, choices=Vendor.TYPE_CHOICES, blank=True)
    legal_name = models.CharField(_("legal name"), max_length=255, blank=True)
    #: MST (10 digits, or 13 as "XXXXXXXXXX-NNN"), or for a household the owner's 12-digit CCCD: encrypted at
    #: rest; the uniqueness check matches the keyed digest.
    tax_code = EncryptedCharField(_("tax code"), max_length=14, blank=True)
    tax_code_digest = KeyedDigestField(source="tax_code", normalise=tax_code_lookup_key)

    representative_name = models.CharField(_("representative"), max_length=128, blank=True)
    #: Sensitive personal data: encrypted at rest (privacy.fields), shown in full only on the review page.
    representative_id_number = EncryptedCharField(_("representative's citizen ID"), max_length=12, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=10, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    commune = models.ForeignKey(
        "places.Commune", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("commune or ward"),
    )
    street_address = models.CharField(_("street address"), max_length=255, blank=True)

    bank_code = models.CharField(_("bank"), max_length=16, choices=BANKS, blank=True)
    bank_account_number = EncryptedCharField(_("bank account number"), max_length=19, blank=True)
    bank_account_holder = models.CharField(_("account holder"), max_length=128, blank=True)

    #: The last reviewer's reason, shown to the applicant on the status page.
    reviewer_notes = models.TextField(_("reviewer's reason"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("reviewed by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    #: The seller created at approval (payout bank details stay here until the seller has its own).
    vendor = models.OneToOneField(
        Vendor, null=True, blank=True, on_delete=models.PROTECT, related_name="onboarding_application",
        verbose_name=_("seller"),
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = VendorApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-created", "-pk"]
        verbose_name = _("seller application")
        verbose_name_plural = _("seller applications")

    def __str__(self):
        return self.legal_name or f"#{self.pk}"

    @property
    def reference(self):
        return f"HS-{self.pk:05d}"

    @property
    def is_editable(self):
        return self.status in self.EDITABLE

    @property
    def is_assisted(self):
        return self.assisted_by_id is not None

    @property
    def is_household(self):
        return self.seller_type == Vendor.TYPE_HOUSEHOLD

    @property
    def province_name(self):
        return PROVINCE_NAME

    @property
    def bank_name(self):
        return BANK_NAMES.get(self.bank_code, "")

    def can_move_to(self, status):
        return status in self.TRANSITIONS.get(self.status, set())

    @property
    def masked_id_number(self):
        return mask_identifier(self.representative_id_number)

    @property
    def masked_bank_account(self):
        return mask_identifier(self.bank_account_number)

    @property
    def masked_tax_code(self):
        """Organisation tax codes are public; a household's CCCD used as tax code is not."""
        if len(self.tax_code) == 12:
            return mask_identifier(self.tax_code)
        return self.tax_code


def _document_path(document, filename):
    """Random names, one folder per application: nothing about the person or the file leaks from a path."""
    return f"applications/{document.application_id}/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1]}"


class ApplicationDocument(models.Model):
    """A file an applicant sent (checked and cleaned by ``onboarding.uploads``), in private storage and
    encrypted there (``privacy.files``): ID card scans and certificates are personal data."""

    BUSINESS_REGISTRATION, OCOP_CERTIFICATE, ID_CARD, OTHER = (
        "business_registration", "ocop_certificate", "id_card", "other")
    KIND_CHOICES = [
        (BUSINESS_REGISTRATION, _("Business registration certificate")),
        (OCOP_CERTIFICATE, _("OCOP certificate")),
        (ID_CARD, _("Representative's citizen ID card")),
        (OTHER, _("Other document")),
    ]

    application = models.ForeignKey(VendorApplication, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=32, choices=KIND_CHOICES)
    file = EncryptedFileField(_("file"), upload_to=_document_path, storage=private_storage, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=32)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "uploaded_at", "pk"]
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.original_name}"

    @property
    def is_image(self):
        return self.content_type.startswith("image/")


class ApplicationProduct(models.Model):
    """An OCOP product the applicant will sell; certificate details are optional and checked later."""

    application = models.ForeignKey(VendorApplication, on_delete=models.CASCADE, related_name="products")
    name = models.CharField(_("product name"), max_length=200)
    classification = models.ForeignKey(
        "catalogue.OcopClassification", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("OCOP classification"),
    )
    stars = models.PositiveSmallIntegerField(
        _("OCOP stars"), null=True, blank=True, choices=[(3, "3 ★"), (4, "4 ★"), (5, "5 ★")],
        validators=[MinValueValidator(3), MaxValueValidator(5)],
    )
    certificate_number = models.CharField(_("certificate number"), max_length=64, blank=True)
    certificate_issue_date = models.DateField(_("certificate issue date"), null=True, blank=True)
    certificate_expiry_date = models.DateField(_("certificate expiry date"), null=True, blank=True)
    certificate_document = models.ForeignKey(
        ApplicationDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="products",
        verbose_name=_("certificate document"),
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("applied product")
        verbose_name_plural = _("applied products")

    def __str__(self):
        return self.name


class ApplicationEvent(models.Model):
    """Every status change of an application: who, when, from, to, why."""

    application = models.ForeignKey(VendorApplication, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    reason = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]

    def __str__(self):
        return f"{self.application}: {self.from_status or '∅'} → {self.to_status}"

    def get_from_status_display(self):
        return dict(VendorApplication.STATUS_CHOICES).get(self.from_status, "")

    def get_to_status_display(self):
        return dict(VendorApplication.STATUS_CHOICES).get(self.to_status, self.to_status)
