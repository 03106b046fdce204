"""What the marketplace keeps to show it handles personal data lawfully.

- ``PrivacyNotice``: the notice (what is processed, why, for how long, the subject's rights), edited by
  the department in /cms/ as a snippet; each published version is its own row, never edited once people
  have agreed to it, so a consent always points at the exact text the person saw.
- ``ConsentRecord``: who agreed to which notice version, when, where (sign-up, checkout, seller
  application) and, for an assisted application, which assistant recorded the household's consent.
- ``DataSubjectRequest``: a request to correct or delete data, or to withdraw consent, with its legal
  deadline; the department's queue.
- ``AccessLogEntry``: every view of sensitive data (citizen ID, bank account, documents) and every
  export of personal data: who, when, which record. The breach-readiness audit trail.
"""
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.snippets.models import register_snippet


class PrivacyNoticeQuerySet(models.QuerySet):
    def in_force(self, at=None):
        return self.filter(effective_from__lte=at or timezone.now()).order_by("-effective_from", "-pk")


@register_snippet
class PrivacyNotice(models.Model):
    version = models.CharField(_("version number"), max_length=20, unique=True,
                               help_text=_("e.g. 1.0, 2.0: a new version is a new notice, never an edited one"))
    title = models.CharField(_("title"), max_length=200)
    body = RichTextField(_("text"))
    effective_from = models.DateTimeField(_("in force from"), default=timezone.now)
    created = models.DateTimeField(auto_now_add=True)

    objects = PrivacyNoticeQuerySet.as_manager()

    panels = [FieldPanel("version"), FieldPanel("title"), FieldPanel("effective_from"), FieldPanel("body")]

    class Meta:
        ordering = ["-effective_from", "-pk"]
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")

    def __str__(self):
        return f"{self.title} ({self.version})"

    @classmethod
    def current(cls):
        return cls.objects.in_force().first()


class ConsentRecord(models.Model):
    ACCOUNT, ORDER, SELLER_APPLICATION = "account", "order", "seller_application"
    PURPOSE_CHOICES = [
        (ACCOUNT, _("Account sign-up")),
        (ORDER, _("Order (delivery and invoicing)")),
        (SELLER_APPLICATION, _("Seller application")),
    ]

    purpose = models.CharField(_("purpose"), max_length=32, choices=PURPOSE_CHOICES)
    notice = models.ForeignKey(PrivacyNotice, null=True, on_delete=models.PROTECT, related_name="consents",
                               verbose_name=_("notice"))
    #: Kept as text too: the record stays readable whatever happens to the notice row.
    notice_version = models.CharField(_("notice version"), max_length=20)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="privacy_consents", verbose_name=_("data subject's account"))
    order = models.ForeignKey("order.Order", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="privacy_consents")
    application = models.ForeignKey("onboarding.VendorApplication", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="privacy_consents")
    #: The community assistant who recorded a household's consent (assisted applications).
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["-given_at", "-pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self):
        return f"{self.get_purpose_display()} {self.notice_version} {self.given_at:%d/%m/%Y}"


class DataSubjectRequest(models.Model):
    CORRECTION, DELETION, WITHDRAW_CONSENT = "correction", "deletion", "withdraw_consent"
    KIND_CHOICES = [
        (CORRECTION, _("Correct my data")),
        (DELETION, _("Delete my data")),
        (WITHDRAW_CONSENT, _("Withdraw my consent")),
    ]
    OPEN, DONE, REFUSED = "open", "done", "refused"
    STATUS_CHOICES = [(OPEN, _("Waiting")), (DONE, _("Done")), (REFUSED, _("Refused"))]

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                             related_name="privacy_requests")
    kind = models.CharField(_("request"), max_length=20, choices=KIND_CHOICES)
    details = models.TextField(_("details"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=STATUS_CHOICES, default=OPEN, db_index=True)
    created = models.DateTimeField(_("received"), default=timezone.now)
    due_at = models.DateTimeField(_("answer due by"))
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)

    class Meta:
        ordering = ["status", "due_at", "pk"]
        verbose_name = _("data subject request")
        verbose_name_plural = _("data subject requests")

    def save(self, *args, **kwargs):
        if not self.due_at:
            self.due_at = self.created + timedelta(hours=settings.PRIVACY_REQUEST_DEADLINE_HOURS)
        super().save(*args, **kwargs)

    @property
    def reference(self):
        return f"YC-{self.pk:05d}"

    @property
    def is_overdue(self):
        return self.status == self.OPEN and timezone.now() > self.due_at


class AccessLogEntry(models.Model):
    VIEW, DOWNLOAD, EXPORT, ANONYMISE = "view", "download", "export", "anonymise"
    ACTION_CHOICES = [(VIEW, _("viewed")), (DOWNLOAD, _("downloaded")), (EXPORT, _("exported")),
                      (ANONYMISE, _("anonymised"))]

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("who"))
    #: Kept as text: the log must still say who it was after the account is anonymised or deleted.
    actor_label = models.CharField(_("who"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=ACTION_CHOICES)
    record_type = models.CharField(_("record"), max_length=64)
    record_id = models.CharField(_("record id"), max_length=64)
    record_label = models.CharField(_("record"), max_length=128, blank=True)
    fields = models.CharField(_("data"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data access log")

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor_label} {self.action} {self.record_type} {self.record_id}"
