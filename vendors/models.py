"""Sellers of the marketplace.

A seller is an Oscar ``Partner`` (which owns stock records and, through ``Partner.users``, the staff
who may act for it) plus this ``Vendor`` profile with what the province needs to know: the kind of
producer, where it is, and its tax identity. Onboarding and review come with the seller issue.
"""
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .validators import mask_identifier, validate_tax_code


class Vendor(models.Model):
    TYPE_COOPERATIVE = "cooperative"
    TYPE_COOPERATIVE_GROUP = "cooperative_group"
    TYPE_HOUSEHOLD = "household_business"
    TYPE_ENTERPRISE = "enterprise"
    TYPE_CHOICES = [
        (TYPE_COOPERATIVE, _("Cooperative")),  # hợp tác xã (HTX)
        (TYPE_COOPERATIVE_GROUP, _("Cooperative group")),  # tổ hợp tác (THT)
        (TYPE_HOUSEHOLD, _("Household business")),  # hộ kinh doanh
        (TYPE_ENTERPRISE, _("Enterprise")),  # doanh nghiệp
    ]

    partner = models.OneToOneField("partner.Partner", on_delete=models.PROTECT, related_name="vendor")
    #: Stable seller reference used by spreadsheets and imports (e.g. "NB-0001").
    code = models.CharField(_("seller code"), max_length=32, unique=True)
    slug = models.SlugField(_("slug"), max_length=128, unique=True)
    legal_name = models.CharField(_("legal name"), max_length=255)
    seller_type = models.CharField(_("seller type"), max_length=32, choices=TYPE_CHOICES, db_index=True)
    tax_code = models.CharField(_("tax code"), max_length=14, blank=True, validators=[validate_tax_code])
    representative = models.CharField(_("representative"), max_length=128, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    commune = models.ForeignKey(
        "places.Commune", on_delete=models.PROTECT, related_name="vendors", verbose_name=_("commune")
    )
    former_district = models.ForeignKey(
        "places.FormerDistrict", on_delete=models.PROTECT, related_name="vendors", verbose_name=_("former district")
    )
    street_address = models.CharField(_("address"), max_length=255, blank=True)
    description = models.TextField(_("about the seller"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["partner__name"]
        verbose_name = _("seller")
        verbose_name_plural = _("sellers")

    def __str__(self):
        return self.partner.name

    @property
    def name(self):
        return self.partner.name

    def get_absolute_url(self):
        return reverse("vendors:storefront", kwargs={"slug": self.slug})

    @property
    def masked_phone(self):
        return mask_identifier(self.phone, visible=3)

    @property
    def masked_tax_code(self):
        """Organisation tax codes are public; a 12-digit personal ID used as tax code is not."""
        if len(self.tax_code) == 12:
            return mask_identifier(self.tax_code)
        return self.tax_code
