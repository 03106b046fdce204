"""Oscar's catalogue, extended with what makes a product an OCOP product of Hà Tĩnh.

A product *may* carry an OCOP certification (the province lists 544 products, only part of them
certified); the badge shows only while a verified certificate is in force. Certificates are their
own rows because a product is re-evaluated every 36 months and keeps its history.
"""
import datetime
import re

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.abstract_models import AbstractProduct

from search.folding import fold, fold_words

_URL_RE = re.compile(r"https?://\S+")

#: OCOP certificates are valid for 36 months (Decision 148/QĐ-TTg).
CERTIFICATE_VALIDITY_MONTHS = 36
OCOP_STARS = [(3, "3★"), (4, "4★"), (5, "5★")]


def add_months(date, months):
    """Same day ``months`` later, clamped to the month's end (29/02 → 28/02)."""
    month_index = date.month - 1 + months
    year, month = date.year + month_index // 12, month_index % 12 + 1
    for day in (date.day, 30, 29, 28):
        try:
            return date.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise ValueError(date)


def rank_in_force(certificates, on):
    """(stars in force on ``on``, last day that holds) from a product's verified certificates.

    ``certificates`` are (stars, issue_date, expiry_date) of *verified* certificates. The rank is the best
    stars among those whose dates cover ``on`` (0: none); it holds until the first of them expires or a
    later one starts (None: no change ahead). Listings order by the stored pair (see
    ``catalogue.certificates.refresh_ocop_ranks``), so the sort is an index scan, not a subquery per product.
    """
    rank, until = 0, None
    for stars, issue, expiry in certificates:
        if expiry < on:
            continue
        if issue <= on:
            rank = max(rank, stars)
            last = expiry
        else:
            last = issue - datetime.timedelta(days=1)
        until = last if until is None else min(until, last)
    return rank, until


class OcopClassification(models.Model):
    """A node of the OCOP product classification: ngành → nhóm → phân nhóm (Decision 148, Annex I)."""

    LEVEL_GROUP, LEVEL_SUBGROUP, LEVEL_CLASS = "nganh", "nhom", "phan_nhom"
    LEVEL_CHOICES = [
        (LEVEL_GROUP, _("Product group")),
        (LEVEL_SUBGROUP, _("Subgroup")),
        (LEVEL_CLASS, _("Sub-subgroup")),
    ]

    code = models.CharField(_("code"), max_length=16, unique=True)
    level = models.CharField(_("level"), max_length=16, choices=LEVEL_CHOICES)
    name_vi = models.CharField(_("Vietnamese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    #: One of the 26 criteria sets used to score products of this node.
    criteria_set_no = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("OCOP classification")
        verbose_name_plural = _("OCOP classification")

    def __str__(self):
        return f"{self.code} {self.name_vi}"

    @property
    def group_code(self):
        """Code of the top-level product group: 'I.3.b' → 'I'."""
        return self.code.split(".")[0]

    def ancestors_and_self(self):
        node, chain = self, []
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


class Product(AbstractProduct):
    #: Node of the OCOP classification the product belongs to (whether or not it is certified).
    ocop_classification = models.ForeignKey(
        OcopClassification,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("OCOP classification"),
    )
    #: Top-level product group code ("I".."VI"), denormalised for cheap browsing and facets.
    ocop_group_code = models.CharField(_("OCOP product group"), max_length=4, blank=True, db_index=True)
    origin_commune = models.ForeignKey(
        "places.Commune", null=True, blank=True, on_delete=models.PROTECT, related_name="products",
        verbose_name=_("origin commune"),
    )
    #: The province still counts by the 13 former districts; kept explicitly because a certificate's
    #: district may differ from the district the merged commune is attributed to.
    origin_former_district = models.ForeignKey(
        "places.FormerDistrict", null=True, blank=True, on_delete=models.PROTECT, related_name="products",
        verbose_name=_("former district"),
    )
    is_typical_specialty = models.BooleanField(_("typical specialty of Hà Tĩnh"), default=False, db_index=True)
    other_certifications = models.CharField(
        _("other certifications"), max_length=255, blank=True, help_text=_("E.g. VietGAP, HACCP, ISO 22000")
    )
    sales_unit = models.CharField(_("unit"), max_length=32, blank=True, help_text=_("E.g. hộp, chai, kg"))
    #: Folded (diacritic-free, lower-case) text the database search matches against: everything,
    #: the name alone and the seller's name (name and seller matches rank above description matches).
    search_text = models.TextField(blank=True, editable=False)
    search_title = models.CharField(max_length=255, blank=True, editable=False, db_index=True)
    search_seller = models.CharField(max_length=255, blank=True, editable=False)
    #: Stars of the verified certificate in force (0: none) and the last day that holds (None: no change
    #: ahead), denormalised for the listings' default order; kept by ``catalogue.certificates`` (on every
    #: certificate change, and when the day passes ``ocop_rank_until``). The badge itself always reads the
    #: certificates (``certificate_in_force``).
    ocop_rank = models.PositiveSmallIntegerField(default=0, editable=False)
    ocop_rank_until = models.DateField(null=True, blank=True, editable=False, db_index=True)

    class Meta(AbstractProduct.Meta):
        indexes = [
            # The listings' default order ("relevance" without words): read in index order, no sort.
            models.Index(models.F("ocop_rank").desc(), models.F("is_typical_specialty").desc(),
                         models.F("date_created").desc(), models.F("id").desc(), name="product_listing_order"),
        ]

    def save(self, *args, **kwargs):
        if self.ocop_classification_id:
            self.ocop_group_code = self.ocop_classification.group_code
        if self.origin_commune_id and not self.origin_former_district_id:
            self.origin_former_district_id = self.origin_commune.former_district_id
        for field, value in self.search_fields().items():
            setattr(self, field, value)
        super().save(*args, **kwargs)

    def search_fields(self):
        sellers = [sr.partner.name for sr in self.stockrecords.select_related("partner")] if self.pk else []
        # Name and seller as bare folded words: a query is compared with them word for word (search ranking).
        return {"search_text": self.build_search_text(), "search_title": fold_words(self.title)[:255],
                "search_seller": fold_words(" ".join(sellers))[:255]}

    def refresh_search_fields(self):
        """Recompute the folded search columns (after stock records or sellers change); True if changed."""
        fields = self.search_fields()
        if all(getattr(self, k) == v for k, v in fields.items()):
            return False
        type(self).objects.filter(pk=self.pk).update(**fields)
        for field, value in fields.items():
            setattr(self, field, value)
        return True

    def build_search_text(self, seller_names=()):
        # Links (e.g. a source in the description) are not words a shopper searches for; nor are the
        # long OCOP classification names ("…các sản phẩm từ mật ong…" would make any sausage "honey").
        parts = [self.title, self.upc, _URL_RE.sub(" ", self.description or ""), self.other_certifications]
        if self.origin_commune_id:
            parts.append(self.origin_commune.name)
            # Shoppers and certificates still say "Cẩm Nhượng" for a commune merged in 2025.
            parts += [old.name for old in self.origin_commune.predecessors.all()]
        if self.origin_former_district_id:
            parts.append(self.origin_former_district.name)
        if self.pk:
            parts += [sr.partner.name for sr in self.stockrecords.select_related("partner")]
        parts += list(seller_names)
        return fold(" ".join(p for p in parts if p))

    def has_review_by(self, user):
        """Oscar's, which the product page asks twice (the reviews' summary, the link to write one): once."""
        if user.is_anonymous:
            return False
        known = self.__dict__.setdefault("_reviewed_by", {})
        if user.pk not in known:
            known[user.pk] = super().has_review_by(user)
        return known[user.pk]

    @property
    def num_approved_reviews(self):
        """Oscar's count, or the one the product page's own query brought (``approved_review_count``)."""
        counted = getattr(self, "approved_review_count", None)
        return counted if counted is not None else super().num_approved_reviews

    # --- OCOP certification -----------------------------------------------------------------
    def certificate_in_force(self, on=None):
        """The verified certificate valid on ``on`` (today), best stars first; None if there is none.

        Reads ``self.certificates.all()`` so a prefetched list costs no query.
        """
        on = on or timezone.localdate()
        valid = [c for c in self.certificates.all() if c.is_valid(on)]
        return max(valid, key=lambda c: (c.stars, c.expiry_date), default=None)

    @property
    def ocop_certificate(self):
        if not hasattr(self, "_ocop_certificate"):
            self._ocop_certificate = self.certificate_in_force()
        return self._ocop_certificate

    @property
    def ocop_stars(self):
        cert = self.ocop_certificate
        return cert.stars if cert else None

    @property
    def vendor(self):
        """The seller of the product: the partner of its first stock record (one seller per product)."""
        for record in self.stockrecords.all():
            return getattr(record.partner, "vendor", None)
        return None


class OcopCertificate(models.Model):
    """An OCOP certificate (Giấy chứng nhận sản phẩm OCOP) for one product."""

    STATUS_PENDING, STATUS_VERIFIED, STATUS_REJECTED, STATUS_EXPIRED = "pending", "verified", "rejected", "expired"
    STATUS_CHOICES = [
        (STATUS_PENDING, _("Awaiting verification")),  # entered by a seller, not checked yet
        (STATUS_VERIFIED, _("Verified")),  # checked by the department or imported from its list
        (STATUS_REJECTED, _("Rejected")),  # does not match the department's records (or revoked)
        (STATUS_EXPIRED, _("Expired")),  # past its expiry date: set by the daily task, badge hidden
    ]
    #: Who may move a certificate where; the daily task alone moves verified → expired.
    TRANSITIONS = {
        STATUS_PENDING: {STATUS_VERIFIED, STATUS_REJECTED},
        STATUS_VERIFIED: {STATUS_REJECTED, STATUS_EXPIRED},
        STATUS_REJECTED: {STATUS_PENDING},
        STATUS_EXPIRED: set(),
    }

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="certificates")
    number = models.CharField(_("certificate number"), max_length=64, unique=True)
    stars = models.PositiveSmallIntegerField(
        _("stars"), choices=OCOP_STARS, validators=[MinValueValidator(3), MaxValueValidator(5)]
    )
    classification = models.ForeignKey(
        OcopClassification, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("classification")
    )
    issuing_body = models.CharField(_("issuing body"), max_length=255)
    issue_date = models.DateField(_("issue date"))
    expiry_date = models.DateField(_("expiry date"))
    status = models.CharField(_("status"), max_length=16, choices=STATUS_CHOICES, default=STATUS_PENDING)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: Set when the seller was warned that the certificate expires soon (sent once).
    expiry_warning_sent_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-issue_date"]
        verbose_name = _("OCOP certificate")
        verbose_name_plural = _("OCOP certificates")
        constraints = [
            models.CheckConstraint(condition=models.Q(stars__gte=3, stars__lte=5), name="ocop_stars_3_to_5"),
            models.CheckConstraint(
                condition=models.Q(expiry_date__gt=models.F("issue_date")), name="ocop_expiry_after_issue"
            ),
        ]

    def __str__(self):
        return f"{self.number} ({self.stars}★)"

    @staticmethod
    def default_expiry(issue_date):
        return add_months(issue_date, CERTIFICATE_VALIDITY_MONTHS) - datetime.timedelta(days=1)

    def days_left(self, on=None):
        return (self.expiry_date - (on or timezone.localdate())).days

    def is_valid(self, on=None):
        on = on or timezone.localdate()
        return self.status == self.STATUS_VERIFIED and self.issue_date <= on <= self.expiry_date


class ListingChange(models.Model):
    """A seller's new product or change of description, waiting for the department's moderation.

    The live listing stays as it was until the change is approved (price and stock are not moderated:
    they change at once). ``data`` holds the proposed field values.
    """

    NEW, EDIT = "new", "edit"
    PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
    STATUS_CHOICES = [(PENDING, _("Awaiting moderation")), (APPROVED, _("Approved")), (REJECTED, _("Rejected"))]

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="listing_changes")
    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.PROTECT, related_name="listing_changes")
    kind = models.CharField(max_length=8, choices=[(NEW, _("New product")), (EDIT, _("Change"))])
    data = models.JSONField(default=dict)
    image = models.ImageField(upload_to="images/products/pending/%Y/%m/", blank=True)
    status = models.CharField(_("status"), max_length=16, choices=STATUS_CHOICES, default=PENDING, db_index=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("listing change")
        verbose_name_plural = _("listing changes")

    def __str__(self):
        return f"{self.get_kind_display()} {self.product} ({self.get_status_display()})"


class CertificateEvent(models.Model):
    """Every change of a certificate's status: who, when, from, to, why."""

    certificate = models.ForeignKey(OcopCertificate, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    reason = models.CharField(max_length=255, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]

    def __str__(self):
        return f"{self.certificate}: {self.from_status or '∅'} → {self.to_status}"


from oscar.apps.catalogue.models import *  # noqa: E402,F401,F403
