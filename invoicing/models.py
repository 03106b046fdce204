"""E-invoices of each seller's sales (Nghị định 254/2026/NĐ-CP, Thông tư 91/2026/TT-BTC, XML format PBan 2.1.0).

Why these rows look the way they do (``/work/shared/specs/einvoice.md``):

* An issued invoice is never edited or deleted (spec §4.1): every correction is a new ``Invoice``
  (adjustment or replacement) pointing at the original. ``save()``/``delete()`` and the queryset's
  ``update()``/``delete()`` refuse to touch issued rows; only the status may move (issued → replaced), and the
  provider's answer may be filled in: transmission bookkeeping, plus the tax authority's code (MCCQT) and the
  signed XML, each written once and never replaced (spec §0.3, §3.9).
* Seller, buyer, lines and totals are snapshots: the invoice must read the same after the vendor edits its
  profile or a product is renamed. The XML built at issue is stored and re-exported byte for byte.
* Numbers (``SHDon``) are gapless per (seller MST, ``KHMSHDon``, ``KHHDon``); the year lives in the symbol,
  so numbering restarts at 1 with each year's symbol (spec §2.3). ``InvoiceSequence`` is the counter row
  locked with ``SELECT … FOR UPDATE`` inside the issuing transaction.
* Money is integer đồng, signed (adjustments carry negative differences, spec §4.4).
"""
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from privacy.fields import EncryptedCharField

#: Spec §3.6: the rates the marketplace accepts per product line.
VAT_RATE_CHOICES = [
    ("0%", "0%"), ("5%", "5%"), ("8%", "8%"), ("10%", "10%"),
    ("KCT", _("Not subject to VAT (KCT)")),  # không chịu thuế GTGT, e.g. unprocessed farm produce
    ("KKKNT", _("Not declared (KKKNT)")),  # không kê khai, tính nộp thuế GTGT
]
#: Percent of each rate; the codes without a percentage carry no VAT.
VAT_PERCENT = {"0%": 0, "5%": 5, "8%": 8, "10%": 10, "KCT": 0, "KKKNT": 0}
TSUAT_RE = re.compile(r"^(0|5|8|10)%$|^KCT$|^KKKNT$|^KHAC(:\d{1,2}(\.\d{1,2})?%)?$|^CTTC$")
KHHDON_RE = re.compile(r"^[CK][0-9]{2}[TDLMNBGHXF][A-Z0-9]{2}$")

TEMPLATE_VAT, TEMPLATE_SALES = "1", "2"
INVOICE_NAMES = {TEMPLATE_VAT: "Hóa đơn giá trị gia tăng", TEMPLATE_SALES: "Hóa đơn bán hàng"}


class SellerInvoicingProfile(models.Model):
    """How one seller invoices: VAT method, symbol, default rates, and who issues (spec §0.4, §1.2).

    Kept here, one-to-one to ``Vendor``, so that the vendors app needs no invoicing fields. A seller
    without a profile (or with mode "none") gets no invoice from the marketplace.
    """

    MODE_NONE, MODE_AUTHORISED, MODE_OWN_PROVIDER = "none", "authorised", "own_provider"
    MODE_CHOICES = [
        (MODE_NONE, _("No e-invoices through the marketplace")),
        (MODE_AUTHORISED, _("The marketplace issues on my behalf (authorisation)")),  # ủy nhiệm: we number
        (MODE_OWN_PROVIDER, _("My own e-invoice provider issues")),  # we build data; the provider numbers
    ]
    METHOD_CREDIT, METHOD_DIRECT = "credit", "direct"
    METHOD_CHOICES = [
        (METHOD_CREDIT, _("Credit method (VAT invoice)")),  # khấu trừ → KHMSHDon 1
        (METHOD_DIRECT, _("Direct method (sales invoice)")),  # trực tiếp → KHMSHDon 2
    ]

    vendor = models.OneToOneField("vendors.Vendor", on_delete=models.CASCADE, related_name="invoicing_profile")
    mode = models.CharField(_("issuing"), max_length=16, choices=MODE_CHOICES, default=MODE_NONE)
    vat_method = models.CharField(_("VAT method"), max_length=8, choices=METHOD_CHOICES, default=METHOD_DIRECT)
    #: First character of KHHDon: C = with the tax authority's code, K = without.
    with_tax_authority_code = models.BooleanField(_("invoices carry the tax authority's code"), default=True)
    #: Characters 5–6 of KHHDon, chosen by the seller ("YY" when it needs none).
    management_code = models.CharField(_("symbol management code"), max_length=2, default="YY")
    default_vat_rate = models.CharField(_("default VAT rate"), max_length=8, choices=VAT_RATE_CHOICES, default="KCT")
    shipping_vat_rate = models.CharField(_("VAT rate of the shipping fee"), max_length=8, choices=VAT_RATE_CHOICES,
                                         default="10%")
    #: Sales invoices have no VAT column: this note line (TChat 4) states e.g. that the goods are not subject.
    note_line = models.CharField(_("note printed on every invoice"), max_length=500, blank=True)
    #: MSTTCGP: tax code of the e-invoice solution provider.
    provider_tax_code = models.CharField(_("provider tax code"), max_length=14, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=30, blank=True)
    bank_name = models.CharField(_("bank name"), max_length=400, blank=True)
    #: Authorisation (ủy nhiệm, spec R11): when, for what, and who accepted it; shown on each invoice.
    authorised_at = models.DateTimeField(_("authorisation signed at"), null=True, blank=True)
    authorised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    authorisation_scope = models.CharField(_("authorisation scope"), max_length=255, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("seller invoicing profile")
        verbose_name_plural = _("seller invoicing profiles")

    def __str__(self):
        return f"{self.vendor} ({self.mode})"

    @property
    def template_number(self):
        return TEMPLATE_VAT if self.vat_method == self.METHOD_CREDIT else TEMPLATE_SALES

    def symbol_for_year(self, year):
        """KHHDon for invoices made in ``year``: C26THT = coded, 2026, T (registered), seller code HT."""
        return f"{'C' if self.with_tax_authority_code else 'K'}{year % 100:02d}T{self.management_code}"

    def clean(self):
        from vendors.models import Vendor

        if not re.fullmatch(r"[A-Z0-9]{2}", self.management_code or ""):
            raise ValidationError({"management_code": _("Two upper-case letters or digits, e.g. YY or HT.")})
        direct_only = {Vendor.TYPE_HOUSEHOLD, Vendor.TYPE_COOPERATIVE_GROUP}
        if self.vat_method == self.METHOD_CREDIT and self.vendor.seller_type in direct_only:
            raise ValidationError({"vat_method": _("Household businesses and cooperative groups issue sales "
                                                   "invoices (direct method).")})


class ProductVatRate(models.Model):
    """The VAT rate a seller's accountant chose for one product (spec R15: the seller's decision)."""

    product = models.OneToOneField("catalogue.Product", on_delete=models.CASCADE, related_name="vat_rate")
    rate = models.CharField(_("VAT rate"), max_length=8, choices=VAT_RATE_CHOICES)

    def __str__(self):
        return f"{self.product_id}: {self.rate}"


class BuyerInvoiceDetails(models.Model):
    """What the shopper gave for the invoice ("Xuất hóa đơn công ty" or a personal ID, spec §3.5)."""

    order = models.OneToOneField("order.Order", on_delete=models.CASCADE, related_name="invoice_details")
    name = models.CharField(_("company or buyer name"), max_length=400, blank=True)
    tax_code = models.CharField(_("tax code"), max_length=14, blank=True)
    address = models.CharField(_("address"), max_length=400, blank=True)
    email = models.EmailField(_("e-mail"), max_length=50, blank=True)
    #: The buyer's CCCD (personal data): encrypted at rest, decrypted when the invoice is built.
    personal_id = EncryptedCharField(_("personal ID number"), max_length=12, blank=True)

    def __str__(self):
        return self.name or self.tax_code


class InvoiceSequence(models.Model):
    """The counter of one (seller MST, KHMSHDon, KHHDon): the last number used. Never goes back."""

    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.PROTECT, related_name="+")
    seller_tax_code = models.CharField(max_length=14)
    template_number = models.CharField(max_length=1)
    symbol = models.CharField(max_length=6)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["seller_tax_code", "template_number", "symbol"],
                                               name="one_sequence_per_symbol")]

    def __str__(self):
        return f"{self.seller_tax_code} {self.template_number}{self.symbol}: {self.last_number}"


class ImmutableInvoiceError(ValidationError):
    """Raised on any attempt to change or delete an issued invoice or its lines."""


#: What the provider's or tax authority's answer fills on an issued invoice (spec §0.3: stored, never built).
PROVIDER_FIELDS = frozenset({"provider_status", "provider_reason", "provider_attempts", "provider_next_attempt_at",
                             "provider_reference", "provider_answered_at", "tax_authority_code", "signed_xml"})
#: Of those, written once: a second, different code or signed file must never replace the first.
WRITE_ONCE_FIELDS = ("tax_authority_code", "signed_xml")
MUTABLE_AFTER_ISSUE = frozenset({"status", "replaced_by", "updated"}) | PROVIDER_FIELDS


def _plain(value):
    """BinaryField values come back as memoryview on PostgreSQL, bytes on SQLite."""
    return bytes(value) if isinstance(value, (memoryview, bytearray)) else value


class InvoiceQuerySet(models.QuerySet):
    """Bulk writes obey the same rule as ``save()``: issued rows only ever change status and transmission
    bookkeeping (never the code or the signed file, which go through ``save()`` and its write-once check)."""

    def update(self, **kwargs):
        allowed = {"status", "updated"} | (PROVIDER_FIELDS - set(WRITE_ONCE_FIELDS))
        if set(kwargs) - allowed and self.exclude(status=Invoice.DRAFT).exists():
            raise ImmutableInvoiceError("Issued invoices cannot be changed")
        return super().update(**kwargs)

    def delete(self):
        if self.exclude(status=Invoice.DRAFT).exists():
            raise ImmutableInvoiceError("Issued invoices cannot be deleted")
        return super().delete()


class Invoice(models.Model):
    """One e-invoice (``HDon``): an original for a delivered fulfilment, or an adjustment/replacement."""

    DRAFT, ISSUED, REPLACED, DISCARDED = "draft", "issued", "replaced", "discarded"
    STATUS_CHOICES = [
        (DRAFT, _("Draft")),  # built, no number; an own-provider invoice waits here for the provider's number
        (ISSUED, _("Issued")),  # numbered; frozen for ever
        (REPLACED, _("Replaced")),  # a replacement invoice took its place; data unchanged
        (DISCARDED, _("Discarded")),  # a draft that was never issued (consumed no number)
    ]
    TRANSITIONS = {DRAFT: {ISSUED, DISCARDED}, ISSUED: {REPLACED}, REPLACED: set(), DISCARDED: set()}

    ORIGINAL, ADJUSTMENT, REPLACEMENT = "original", "adjustment", "replacement"
    RELATION_CHOICES = [(ORIGINAL, _("Original")), (ADJUSTMENT, _("Adjustment")), (REPLACEMENT, _("Replacement"))]
    #: TCHDon of TTHDLQuan (spec §4.2).
    TCHDON = {REPLACEMENT: "1", ADJUSTMENT: "2"}
    #: The kind as sellers and buyers name it ("Original" alone reads as "origin" in Vietnamese).
    RELATION_LABELS = {ORIGINAL: _("Original invoice"), ADJUSTMENT: _("Adjustment invoice"),
                       REPLACEMENT: _("Replacement invoice")}

    #: Transmission to the provider / tax authority (authorised mode only; spec §0.4 adapter).
    PROVIDER_NONE, PROVIDER_PENDING, PROVIDER_ACCEPTED, PROVIDER_REJECTED = "", "pending", "accepted", "rejected"
    PROVIDER_STATUS_CHOICES = [
        (PROVIDER_NONE, _("Not sent by the marketplace")),
        (PROVIDER_PENDING, _("Waiting to be sent")),
        (PROVIDER_ACCEPTED, _("Accepted by the tax authority")),
        (PROVIDER_REJECTED, _("Rejected")),
    ]

    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.PROTECT, related_name="invoices")
    fulfilment = models.ForeignKey("vendors.Fulfilment", on_delete=models.PROTECT, related_name="invoices")
    status = models.CharField(_("status"), max_length=12, choices=STATUS_CHOICES, default=DRAFT, db_index=True)
    relation = models.CharField(_("kind"), max_length=12, choices=RELATION_CHOICES, default=ORIGINAL)
    related_invoice = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="corrections")
    #: The refund this adjustment answers (one adjustment per refund).
    refund = models.OneToOneField("payments.Refund", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="invoice")
    #: Set on a replaced invoice (status only; its data stay as issued).
    replaced_by = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    # TTChung
    template_number = models.CharField(_("template"), max_length=1)  # KHMSHDon
    symbol = models.CharField(_("symbol"), max_length=6)  # KHHDon
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)  # SHDon; none on a draft
    issue_date = models.DateField(_("invoice date"))  # NLap (delivery date, Asia/Ho_Chi_Minh)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    payment_method = models.CharField(_("payment method"), max_length=50)  # HTTToan
    currency = models.CharField(max_length=3, default="VND")
    provider_tax_code = models.CharField(max_length=14, blank=True)  # MSTTCGP
    issuer_tax_code = models.CharField(max_length=14, blank=True)  # MSTDVNUNLHDon (ủy nhiệm)
    issuer_name = models.CharField(max_length=400, blank=True)
    issuer_address = models.CharField(max_length=400, blank=True)
    order_reference = models.CharField(_("order"), max_length=64, blank=True)  # TTKhac MaDonHang
    #: DLHDon/@Id: an NCName referenced by the signature.
    data_id = models.CharField(max_length=20)
    # TTHDLQuan, frozen from the related invoice
    related_template = models.CharField(max_length=11, blank=True)
    related_symbol = models.CharField(max_length=8, blank=True)
    related_number = models.CharField(max_length=8, blank=True)
    related_date = models.DateField(null=True, blank=True)
    related_note = models.CharField(max_length=255, blank=True)  # GChu: the legally required sentence

    # NBan snapshot
    seller_name = models.CharField(max_length=400)
    seller_tax_code = models.CharField(max_length=14)
    seller_address = models.CharField(max_length=400)
    seller_phone = models.CharField(max_length=20, blank=True)
    seller_email = models.CharField(max_length=50, blank=True)
    seller_bank_account = models.CharField(max_length=30, blank=True)
    seller_bank_name = models.CharField(max_length=400, blank=True)
    # NMua snapshot
    buyer_name = models.CharField(max_length=400, blank=True)
    buyer_tax_code = models.CharField(max_length=14, blank=True)
    buyer_address = models.CharField(max_length=400, blank=True)
    buyer_code = models.CharField(max_length=50, blank=True)
    buyer_phone = models.CharField(max_length=20, blank=True)
    #: Encrypted at rest; the XML frozen at issue (and the signed XML) carry it as issued.
    buyer_personal_id = EncryptedCharField(max_length=12, blank=True)
    buyer_email = models.CharField(max_length=50, blank=True)
    buyer_person_name = models.CharField(max_length=100, blank=True)  # HVTNMHang

    # TToan (signed integer đồng)
    #: [{"rate": "10%", "net": 1860000, "vat": 186000}, …] in the order they are written (VAT invoices only).
    rate_totals = models.JSONField(default=list, blank=True)
    total_net = models.BigIntegerField(_("total before VAT"), default=0)  # TgTCThue
    total_vat = models.BigIntegerField(_("VAT"), default=0)  # TgTThue
    total_discount = models.BigIntegerField(_("commercial discount"), default=0)  # TTCKTMai
    total_payable = models.BigIntegerField(_("total payable"), default=0)  # TgTTTBSo
    amount_in_words = models.CharField(_("amount in words"), max_length=255)  # TgTTTBChu

    #: The XML built at issue (unsigned), re-exported byte for byte.
    xml = models.BinaryField(null=True, blank=True, editable=False)
    #: What the provider / tax authority returned, stored verbatim (MCCQT, signed XML).
    tax_authority_code = models.CharField(_("tax authority code"), max_length=34, blank=True)
    signed_xml = models.BinaryField(null=True, blank=True, editable=False)
    # Transmission to the provider (the only fields, with the two above, an issued invoice may still receive)
    provider_status = models.CharField(_("transmission"), max_length=10, choices=PROVIDER_STATUS_CHOICES,
                                       default=PROVIDER_NONE, blank=True, db_index=True)
    provider_reason = models.CharField(_("provider's answer"), max_length=255, blank=True)
    provider_attempts = models.PositiveSmallIntegerField(default=0)
    provider_next_attempt_at = models.DateTimeField(null=True, blank=True)
    #: The provider's id of the accepted submission.
    provider_reference = models.CharField(max_length=64, blank=True)
    provider_answered_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["-issue_date", "-pk"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.UniqueConstraint(fields=["seller_tax_code", "template_number", "symbol", "number"],
                                    name="unique_invoice_number"),
            models.UniqueConstraint(fields=["fulfilment"], condition=models.Q(relation="original"),
                                    name="one_original_invoice_per_fulfilment"),
        ]
        indexes = [models.Index(fields=["vendor", "issue_date"])]

    @property
    def relation_label(self):
        return self.RELATION_LABELS.get(self.relation, self.relation)

    def __str__(self):
        return f"{self.template_number}{self.symbol} {self.number or '—'}"

    @property
    def name(self):
        return INVOICE_NAMES[self.template_number]

    @property
    def is_vat_invoice(self):
        return self.template_number == TEMPLATE_VAT

    @property
    def provider_key(self):
        """The idempotency key of this invoice at the provider: unique like the number itself."""
        return f"{self.seller_tax_code}-{self.template_number}{self.symbol}-{self.number}"

    @property
    def file_stem(self):
        """Spec §6.1: {MST}_{KHMSHDon}{KHHDon}_{SHDon:08d}."""
        return f"{self.seller_tax_code}_{self.template_number}{self.symbol}_{self.number or 0:08d}"

    def can_move_to(self, status):
        return status in self.TRANSITIONS.get(self.status, set())

    def _stored_status(self):
        return type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()

    def save(self, *args, **kwargs):
        """Issued rows accept only a status move and the provider's answer (``update_fields`` required);
        the tax authority's code and the signed XML are written once and never replaced."""
        if self.pk:
            stored = self._stored_status()
            if stored not in (None, self.DRAFT):
                fields = set(kwargs.get("update_fields") or ())
                if not fields or fields - MUTABLE_AFTER_ISSUE:
                    raise ImmutableInvoiceError("An issued invoice cannot be changed; issue an adjustment or a "
                                                "replacement instead")
                if "status" in fields and self.status != stored and self.status not in self.TRANSITIONS[stored]:
                    raise ImmutableInvoiceError(f"An invoice cannot go from {stored} to {self.status}")
                written = set(fields) & set(WRITE_ONCE_FIELDS)
                if written:
                    before = type(self).objects.filter(pk=self.pk).values(*written).get()
                    for name in written:
                        old, new = _plain(before[name]), _plain(getattr(self, name))
                        if old and old != new:
                            raise ImmutableInvoiceError(f"{name} of an issued invoice is written once")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._stored_status() not in (None, self.DRAFT):
            raise ImmutableInvoiceError("An issued invoice cannot be deleted")
        return super().delete(*args, **kwargs)


class InvoiceLine(models.Model):
    """One ``HHDVu``: goods or shipping (TChat 1), a commercial discount (3) or a note (4)."""

    GOODS, DISCOUNT, NOTE = 1, 3, 4
    NATURE_CHOICES = [(GOODS, _("Goods or service")), (DISCOUNT, _("Commercial discount")), (NOTE, _("Note"))]

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()  # STT
    nature = models.PositiveSmallIntegerField(choices=NATURE_CHOICES, default=GOODS)  # TChat
    code = models.CharField(max_length=50, blank=True)  # MHHDVu
    name = models.CharField(max_length=500)  # THHDVu
    unit = models.CharField(max_length=50, blank=True)  # DVTinh
    quantity = models.DecimalField(max_digits=21, decimal_places=6, null=True, blank=True)  # SLuong
    #: DGia: price before VAT on a VAT invoice (up to 6 decimals so that quantity × price rounds to amount).
    unit_price = models.DecimalField(max_digits=21, decimal_places=6, null=True, blank=True)
    #: ThTien in đồng; written positive on a discount line, negative on a decreasing adjustment.
    amount = models.BigIntegerField(null=True, blank=True)
    vat_rate = models.CharField(max_length=11, blank=True)  # TSuat; empty on sales invoices
    order_line = models.ForeignKey("order.Line", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["invoice", "position"], name="unique_invoice_line_position")]

    def __str__(self):
        return f"{self.position}. {self.name}"

    def _invoice_is_draft(self):
        return Invoice.objects.filter(pk=self.invoice_id, status=Invoice.DRAFT).exists()

    def save(self, *args, **kwargs):
        if not self._invoice_is_draft():
            raise ImmutableInvoiceError("Lines of an issued invoice cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if not self._invoice_is_draft():
            raise ImmutableInvoiceError("Lines of an issued invoice cannot be deleted")
        return super().delete(*args, **kwargs)


class InvoiceEvent(models.Model):
    """Every status change of an invoice: who, when, from, to, why; ``kind`` says which status moved."""

    STATUS, TRANSMISSION = "status", "transmission"
    KIND_CHOICES = [(STATUS, _("Invoice status")), (TRANSMISSION, _("Transmission to the tax authority"))]

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=12, choices=KIND_CHOICES, default=STATUS)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    reason = models.CharField(max_length=255, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]

    def __str__(self):
        return f"{self.invoice}: {self.from_status or '∅'} → {self.to_status}"


class DeadlineAlert(models.Model):
    """R9: a delivered part still without its issued (and, for ``C`` symbols, coded) invoice after the end of the
    next working day. One row per fulfilment, so the seller and the department are told once."""

    fulfilment = models.OneToOneField("vendors.Fulfilment", on_delete=models.CASCADE, related_name="invoice_alert")
    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.CASCADE, related_name="invoice_alerts")
    invoice = models.ForeignKey(Invoice, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    delivered_on = models.DateField()
    deadline = models.DateTimeField()
    #: Why it fired, in English for the logs: "no issued invoice" / "no tax authority code".
    problem = models.CharField(max_length=64)
    recipients = models.TextField(blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]

    def __str__(self):
        return f"{self.fulfilment_id}: {self.problem}"


from .sandbox.models import SandboxSubmission, SandboxSwitch  # noqa: E402,F401  (emulator tables, this app's label)
