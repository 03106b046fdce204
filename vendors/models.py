"""Sellers of the marketplace.

A seller is an Oscar ``Partner`` (which owns stock records and, through ``Partner.users``, the staff
who may act for it) plus this ``Vendor`` profile with what the province needs to know: the kind of
producer, where it is, and its tax identity. Onboarding and review come with the seller issue.
"""
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from privacy.fields import EncryptedCharField, KeyedDigestField

from .validators import mask_identifier, tax_code_digest, tax_code_lookup_key, validate_tax_code


class VendorQuerySet(models.QuerySet):
    def with_tax_code(self, tax_code):
        """Sellers trading under this tax code, however it is spelt (matched on the keyed digest)."""
        return self.filter(tax_code_digest=tax_code_digest(tax_code))


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
    #: MST, or a household's owner's CCCD (personal data): encrypted at rest, looked up by its digest.
    tax_code = EncryptedCharField(_("tax code"), max_length=14, blank=True, validators=[validate_tax_code])
    tax_code_digest = KeyedDigestField(source="tax_code", normalise=tax_code_lookup_key)
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
    logo = models.ImageField(_("logo"), upload_to="sellers/logos/", blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    #: The seller's shipping rule: a flat fee per order part, free above a threshold (đồng).
    shipping_fee = models.PositiveIntegerField(_("shipping fee (đồng)"), default=30000)
    #: Commission in basis points (500 = 5 %); empty: settings.MARKETPLACE_COMMISSION_RATE_BP.
    commission_rate_bp = models.PositiveSmallIntegerField(_("commission (basis points)"), null=True, blank=True)
    free_shipping_over = models.PositiveIntegerField(
        _("free shipping from (đồng)"), null=True, blank=True,
        help_text=_("Orders of this seller at or above this amount ship free; empty: never free"),
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = VendorQuerySet.as_manager()

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
    def effective_commission_rate_bp(self):
        from django.conf import settings as django_settings

        if self.commission_rate_bp is not None:
            return self.commission_rate_bp
        return django_settings.MARKETPLACE_COMMISSION_RATE_BP

    def shipping_fee_for(self, items_total):
        """The seller's fee for a part worth ``items_total`` đồng."""
        if self.free_shipping_over is not None and items_total >= self.free_shipping_over:
            return 0
        return self.shipping_fee

    @property
    def masked_tax_code(self):
        """Organisation tax codes are public; a 12-digit personal ID used as tax code is not."""
        if len(self.tax_code) == 12:
            return mask_identifier(self.tax_code)
        return self.tax_code


class Fulfilment(models.Model):
    """One seller's part of a customer order: its lines, shipping fee, status and tracking code.

    One basket, one payment, one Oscar ``Order``; inside it each seller ships and invoices its own part.
    Amounts are integer đồng, computed once at placement (``vendors.amounts.order_parts``) and stored so
    later price changes cannot alter what was sold: ``items_total`` is the goods after offers,
    ``discount_total`` the offers on them (goods at list price = the sum of both), ``shipping_fee`` what
    the shopper pays for this parcel. Payment, ledger, invoices and reports read these.
    """

    NEW, CONFIRMED, SHIPPED, DELIVERED, CANCELLED = "new", "confirmed", "shipped", "delivered", "cancelled"
    STATUS_CHOICES = [
        (NEW, _("New")),  # placed; for VNPay orders actionable once the payment is confirmed
        (CONFIRMED, _("Confirmed")),  # the seller accepted it and is preparing the parcel
        (SHIPPED, _("Shipped")),  # handed to the carrier, stock consumed
        (DELIVERED, _("Delivered")),  # received by the shopper (cash collected for COD)
        (CANCELLED, _("Cancelled")),  # stock released; money refunded when it was paid
    ]
    #: Allowed moves; anything else is refused with a message.
    TRANSITIONS = {
        NEW: {CONFIRMED, CANCELLED},
        CONFIRMED: {SHIPPED, CANCELLED},
        SHIPPED: {DELIVERED, CANCELLED},  # cancelled once shipped only when the carrier returned it (services)
        DELIVERED: set(),
        CANCELLED: set(),
    }

    order = models.ForeignKey("order.Order", on_delete=models.PROTECT, related_name="fulfilments")
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="fulfilments")
    #: "<order number>-<n>", shown to the seller and on the shopper's order page.
    number = models.CharField(_("number"), max_length=64, unique=True)
    status = models.CharField(_("status"), max_length=16, choices=STATUS_CHOICES, default=NEW, db_index=True)
    items_total = models.PositiveBigIntegerField(_("items total (đồng)"))
    shipping_fee = models.PositiveBigIntegerField(_("shipping fee (đồng)"), default=0)
    #: Offers on this seller's goods (đồng); empty when created without it: filled from the lines on save.
    discount_total = models.PositiveBigIntegerField(_("discounts (đồng)"), null=True, blank=True)
    #: True once the seller may act on it: at placement for cash on delivery, at the IPN for VNPay.
    is_released = models.BooleanField(_("released to the seller"), default=False, db_index=True)
    carrier = models.CharField(_("carrier"), max_length=64, blank=True)
    tracking_code = models.CharField(_("tracking code"), max_length=64, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("fulfilment")
        verbose_name_plural = _("fulfilments")
        constraints = [models.UniqueConstraint(fields=["order", "vendor"], name="one_fulfilment_per_seller")]

    def __str__(self):
        return self.number

    @property
    def total(self):
        return self.items_total + self.shipping_fee

    @property
    def goods_total(self):
        """The goods at list price, before offers."""
        return self.items_total + (self.discount_total or 0)

    def save(self, *args, **kwargs):
        if self.discount_total is None and self.order_id and self.vendor_id:
            from marketplace.money import to_dong

            before = sum(to_dong(line.line_price_before_discounts_incl_tax or line.line_price_incl_tax)
                         for line in self.lines())
            self.discount_total = max(0, before - self.items_total)
        super().save(*args, **kwargs)

    def lines(self):
        return self.order.lines.filter(partner_id=self.vendor.partner_id).order_by("pk")

    def can_move_to(self, status):
        return status in self.TRANSITIONS.get(self.status, set())

    @property
    def is_cash_on_delivery(self):
        method = getattr(self, "payment_method", None)  # annotated by selectors.with_payment_method
        if method is None:
            from payments.models import Payment

            method = (Payment.objects.filter(order_id=self.order_id).order_by("-pk")
                      .values_list("method", flat=True).first())
            self.payment_method = method
        return method == "cod"

    @property
    def to_collect(self):
        """Cash the carrier collects from the buyer for this parcel (đồng): its total for cash on delivery
        until it is delivered or cancelled, otherwise nothing."""
        if self.is_cash_on_delivery and self.status in (self.NEW, self.CONFIRMED, self.SHIPPED):
            return self.total
        return 0

    #: The seller's next step and the action the part's page takes for it.
    NEXT_ACTIONS = {NEW: ("confirm", _("Confirm")), CONFIRMED: ("ship", _("Hand to the carrier")),
                    SHIPPED: ("deliver", _("Mark as delivered"))}

    @property
    def next_action(self):
        return self.NEXT_ACTIONS.get(self.status)


class FulfilmentEvent(models.Model):
    """Every status change of a fulfilment: who, when, from, to, why."""

    fulfilment = models.ForeignKey(Fulfilment, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=255, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]

    def __str__(self):
        return f"{self.fulfilment}: {self.from_status or '∅'} → {self.to_status}"

    #: What happened, as the seller reads it in the history (not the status keys).
    LABELS = {
        Fulfilment.NEW: _("Order placed"),
        Fulfilment.CONFIRMED: _("Confirmed"),
        Fulfilment.SHIPPED: _("Handed to the carrier"),
        Fulfilment.DELIVERED: _("Delivered to the buyer"),
        Fulfilment.CANCELLED: _("Cancelled"),
    }
    #: Reasons written by the system (in English, for logs); the history shows them translated or not at all.
    SYSTEM_REASONS = {"order placed": None, "demo": None, "payment Failed": _("the payment did not go through"),
                      "payment Expired": _("the payment was not completed in time"),
                      "payment failed": _("the payment did not go through"),
                      "payment expired": _("the payment was not completed in time")}

    @property
    def label(self):
        return self.LABELS.get(self.to_status, self.to_status)

    @property
    def note(self):
        """The seller's or the department's own words; a system reason translated, or nothing."""
        if self.reason in self.SYSTEM_REASONS:
            return self.SYSTEM_REASONS[self.reason] or ""
        if self.reason.startswith("payment "):
            return _("the payment was not completed")
        if self.reason.startswith("fulfilment ") and self.reason.endswith(" cancelled"):
            return ""
        if self.reason.startswith("carrier "):  # written by carriers/ from the carrier's word
            return (_("the carrier brought the parcel back") if self.reason.endswith("returned to the seller")
                    else _("reported by the carrier"))
        return self.reason


class Payout(models.Model):
    """Money the department transferred to a seller (recorded after the bank transfer)."""

    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="payouts")
    amount = models.PositiveBigIntegerField(_("amount (đồng)"))
    reference = models.CharField(_("bank transfer reference"), max_length=64)
    paid_on = models.DateField(_("paid on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-paid_on", "-pk"]
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")

    def __str__(self):
        return f"{self.vendor} {self.amount} ({self.paid_on:%d/%m/%Y})"


class LedgerEntry(models.Model):
    """One line of a seller's money ledger, in đồng; positive: the marketplace owes the seller.

    Append-only: a mistake is corrected by a new entry, never by editing one. With cash on delivery
    the seller already holds the cash (a COD_CASH entry takes it back), so the commission becomes the
    seller's debt, netted against later payouts.
    """

    SALE, SHIPPING, COMMISSION, REFUND, COMMISSION_REVERSAL, COD_CASH, PAYOUT = (
        "sale", "shipping", "commission", "refund", "commission_reversal", "cod_cash", "payout")
    #: Cash on delivery collected by a carrier the marketplace contracts (carriers/): held by the carrier
    #: until its remittance; the carrier's fee for the parcel.
    CARRIER_COD, CARRIER_REMITTANCE, CARRIER_FEE = "carrier_cod", "carrier_remittance", "carrier_fee"
    KIND_CHOICES = [
        (SALE, _("Sale")), (SHIPPING, _("Shipping fee")), (COMMISSION, _("Commission")), (REFUND, _("Refund")),
        (COMMISSION_REVERSAL, _("Commission reversed")), (COD_CASH, _("Cash collected by the seller")),
        (PAYOUT, _("Payout")), (CARRIER_COD, _("Cash collected by the carrier")),
        (CARRIER_REMITTANCE, _("Cash remitted by the carrier")), (CARRIER_FEE, _("Carrier's fee")),
    ]

    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="ledger")
    kind = models.CharField(_("kind"), max_length=24, choices=KIND_CHOICES, db_index=True)
    amount = models.BigIntegerField(_("amount (đồng)"))
    fulfilment = models.ForeignKey(Fulfilment, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    refund = models.ForeignKey("payments.Refund", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    payout = models.ForeignKey(Payout, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    #: Commission rate in force when the entry was posted (basis points).
    commission_rate_bp = models.PositiveSmallIntegerField(null=True, blank=True)
    memo = models.CharField(max_length=255, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")

    def __str__(self):
        return f"{self.vendor} {self.kind} {self.amount}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Ledger entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Ledger entries are append-only")

    #: Notes the ledger writes itself (English, for exports and logs) and how the statement says them.
    SYSTEM_MEMOS = {"cash collected by the seller": _("you collected the cash from the buyer"),
                    "cash returned to the shopper": _("you paid the buyer back in cash"),
                    "cash collected by the carrier": _("the carrier collected the cash; it owes it until it remits")}

    @property
    def note(self):
        return self.SYSTEM_MEMOS.get(self.memo, self.memo)
