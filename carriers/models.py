"""Shipping with the carriers: sellers' choices, parcels' sizes, the fee each part was charged, shipments,
their tracking events and the carriers' COD remittances (integer đồng)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .client import base as statuses
from .emulator.models import EmulatedParcel, EmulatorSwitch  # noqa: F401  (the emulator's tables)

CARRIER_CHOICES = [("ghn", "GHN – Giao Hàng Nhanh"), ("vnpost", "VNPost – Bưu điện Việt Nam")]
CARRIER_NAMES = dict(CARRIER_CHOICES)


class SellerShipping(models.Model):
    """The carriers a seller ships with and where they collect its parcels (a commune of Hà Tĩnh)."""

    vendor = models.OneToOneField("vendors.Vendor", on_delete=models.CASCADE, related_name="shipping_settings")
    carriers = models.JSONField(_("carriers"), default=list, blank=True)
    pickup_commune = models.ForeignKey("places.Commune", on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("pickup commune"))
    pickup_address = models.CharField(_("pickup address"), max_length=255, blank=True)
    #: True: the carrier collects at the seller's; False: the seller drops parcels at the carrier's office.
    pickup = models.BooleanField(_("carrier collects the parcels"), default=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("seller's shipping")
        verbose_name_plural = _("sellers' shipping")

    def __str__(self):
        return f"{self.vendor}: {', '.join(self.carriers) or '—'}"


class ProductParcel(models.Model):
    """A product's shipping weight and packed size; without one, the defaults of its OCOP group apply."""

    product = models.OneToOneField("catalogue.Product", on_delete=models.CASCADE, related_name="parcel")
    weight_g = models.PositiveIntegerField(_("shipping weight (g)"))
    length_cm = models.PositiveSmallIntegerField(_("length (cm)"))
    width_cm = models.PositiveSmallIntegerField(_("width (cm)"))
    height_cm = models.PositiveSmallIntegerField(_("height (cm)"))

    def __str__(self):
        return f"{self.product_id}: {self.weight_g} g"


class ParcelQuote(models.Model):
    """The fee a part was charged at checkout and where it came from: a carrier's live quote or the seller's flat rule."""

    LIVE, FLAT = "live", "flat"
    SOURCES = [(LIVE, _("carrier's live fee")), (FLAT, _("seller's flat rule"))]

    fulfilment = models.OneToOneField("vendors.Fulfilment", on_delete=models.CASCADE, related_name="parcel_quote")
    source = models.CharField(max_length=8, choices=SOURCES)
    carrier = models.CharField(max_length=16, blank=True)
    fee = models.PositiveBigIntegerField()
    min_days = models.PositiveSmallIntegerField(null=True, blank=True)
    max_days = models.PositiveSmallIntegerField(null=True, blank=True)
    #: Why the flat rule applied ("carrier unavailable: …", "no carrier chosen"), in English for logs.
    reason = models.CharField(max_length=255, blank=True)
    weight_g = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.fulfilment_id}: {self.source} {self.carrier} {self.fee}"


class Shipment(models.Model):
    """A part booked with a carrier: its tracking number, where it is, the cash it collects."""

    STATUS_CHOICES = [
        (statuses.CREATED, _("Waiting for pickup")), (statuses.PICKED_UP, _("Picked up")),
        (statuses.IN_TRANSIT, _("In transit")), (statuses.DELIVERING, _("Out for delivery")),
        (statuses.DELIVERED, _("Delivered")), (statuses.FAILED, _("Delivery failed")),
        (statuses.RETURNING, _("Returning to the seller")), (statuses.RETURNED, _("Returned to the seller")),
        (statuses.CANCELLED, _("Cancelled")), (statuses.LOST, _("Lost or damaged")),
    ]

    fulfilment = models.OneToOneField("vendors.Fulfilment", on_delete=models.PROTECT, related_name="shipment")
    carrier = models.CharField(_("carrier"), max_length=16, choices=CARRIER_CHOICES)
    #: Our idempotency key with the carrier: the part's number.
    client_order_code = models.CharField(max_length=50, unique=True)
    tracking_code = models.CharField(_("tracking number"), max_length=32)
    status = models.CharField(_("status"), max_length=16, choices=STATUS_CHOICES, default=statuses.CREATED,
                              db_index=True)
    fee = models.PositiveBigIntegerField(_("carrier's fee (đồng)"), default=0)
    cod_amount = models.PositiveBigIntegerField(_("cash to collect (đồng)"), default=0)
    expected_delivery = models.DateField(null=True, blank=True)
    pickup = models.BooleanField(default=True)
    weight_g = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    last_event_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True, db_index=True)
    polled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [models.UniqueConstraint(fields=["carrier", "tracking_code"], name="one_tracking_code_per_carrier")]

    def __str__(self):
        return f"{self.carrier} {self.tracking_code}"

    @property
    def carrier_name(self):
        return CARRIER_NAMES.get(self.carrier, self.carrier)

    @property
    def is_final(self):
        return self.status in statuses.FINAL


class ShipmentEvent(models.Model):
    """One thing the carrier said about a parcel (webhook or polling), kept once even when repeated."""

    WEBHOOK, POLL, BOOKING = "webhook", "poll", "booking"

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=16, choices=Shipment.STATUS_CHOICES)
    carrier_status = models.CharField(max_length=32)
    occurred_at = models.DateTimeField()
    description = models.CharField(max_length=255, blank=True)
    #: "carrier:tracking:status:time": a replayed webhook or a poll that sees it again adds nothing.
    key = models.CharField(max_length=128, unique=True)
    source = models.CharField(max_length=8, default=WEBHOOK)
    #: False when it arrived after a later event (out of order): kept in the history, changed nothing.
    applied = models.BooleanField(default=True)
    received = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "pk"]

    def __str__(self):
        return f"{self.shipment}: {self.carrier_status} @ {self.occurred_at:%d/%m/%Y %H:%M}"

    @property
    def label(self):
        return dict(Shipment.STATUS_CHOICES).get(self.status, self.status)


class Remittance(models.Model):
    """One COD remittance statement of a carrier (đối soát COD): what it transferred and for which parcels."""

    WEBHOOK, FILE = "webhook", "file"

    carrier = models.CharField(max_length=16, choices=CARRIER_CHOICES)
    reference = models.CharField(_("statement reference"), max_length=64)
    remitted_on = models.DateField(_("remitted on"))
    total = models.BigIntegerField(_("amount transferred (đồng)"))
    source = models.CharField(max_length=8, default=WEBHOOK)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-remitted_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["carrier", "reference"], name="one_statement_per_reference")]

    def __str__(self):
        return f"{self.carrier} {self.reference}"


class RemittanceLine(models.Model):
    """One parcel of a statement, matched to its shipment; ``problem`` says why it needs the department."""

    OK, SHORT, OVER, UNKNOWN, DUPLICATE, NOT_DELIVERED, TOTAL = (
        "", "short", "over", "unknown", "duplicate", "not_delivered", "total")
    PROBLEMS = [(OK, _("Matched")), (SHORT, _("Paid less than collected")), (OVER, _("Paid more than expected")),
                (UNKNOWN, _("Parcel not found")), (DUPLICATE, _("Already remitted")),
                (NOT_DELIVERED, _("Parcel not delivered")), (TOTAL, _("Statement total does not add up"))]

    remittance = models.ForeignKey(Remittance, on_delete=models.CASCADE, related_name="lines")
    shipment = models.ForeignKey(Shipment, null=True, blank=True, on_delete=models.PROTECT, related_name="remittances")
    tracking_code = models.CharField(max_length=32)
    cod_amount = models.BigIntegerField()
    fee = models.BigIntegerField(default=0)
    expected = models.BigIntegerField(default=0)  #: the cash the part should have brought (its total for COD)
    problem = models.CharField(max_length=16, choices=PROBLEMS, blank=True, db_index=True)
    resolved = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.remittance}: {self.tracking_code} {self.cod_amount}"
