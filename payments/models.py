"""One payment per customer order, and a row for every change of it.

The IPN from VNPay is the only source of truth that an order is paid; the ``(method, txn_ref)``
constraint and the row lock in the IPN service make repeated or concurrent notifications harmless.
Amounts are integer đồng (×100 happens only inside the VNPay SDK).
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Payment(models.Model):
    VNPAY, COD = "vnpay", "cod"
    METHOD_CHOICES = [(VNPAY, _("VNPay")), (COD, _("Cash on delivery"))]

    PENDING, PAID, FAILED, EXPIRED, COD_PENDING, COD_COLLECTED, COD_CANCELLED = (
        "pending", "paid", "failed", "expired", "cod_pending", "cod_collected", "cod_cancelled")
    STATUS_CHOICES = [
        (PENDING, _("Awaiting payment")),  # VNPay order placed, waiting for the IPN
        (PAID, _("Paid")),  # IPN (or querydr) confirmed the payment
        (FAILED, _("Payment failed")),  # VNPay reported a failure or cancellation
        (EXPIRED, _("Payment expired")),  # nothing confirmed before the deadline; stock released
        (COD_PENDING, _("To be paid on delivery")),  # cash on delivery, not collected yet
        (COD_COLLECTED, _("Paid on delivery")),  # every parcel delivered (or cancelled) and paid in cash
        (COD_CANCELLED, _("Nothing to pay")),  # cash on delivery, every parcel cancelled
    ]
    FINAL = {PAID, FAILED, EXPIRED, COD_COLLECTED, COD_CANCELLED}

    order = models.ForeignKey("order.Order", on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(_("method"), max_length=8, choices=METHOD_CHOICES)
    status = models.CharField(_("status"), max_length=16, choices=STATUS_CHOICES, db_index=True)
    amount = models.PositiveBigIntegerField(_("amount (đồng)"))
    amount_refunded = models.PositiveBigIntegerField(_("refunded (đồng)"), default=0)
    #: Our reference at the gateway (vnp_TxnRef), unique per method.
    txn_ref = models.CharField(_("reference"), max_length=64)
    #: vnp_CreateDate as sent (yyyyMMddHHmmss, GMT+7): querydr and refund need it back.
    gateway_create_date = models.CharField(max_length=14, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    transaction_no = models.CharField(_("VNPay transaction number"), max_length=32, blank=True)
    bank_code = models.CharField(max_length=32, blank=True)
    bank_tran_no = models.CharField(max_length=255, blank=True)
    card_type = models.CharField(max_length=32, blank=True)
    response_code = models.CharField(max_length=4, blank=True)
    transaction_status = models.CharField(max_length=4, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [models.UniqueConstraint(fields=["method", "txn_ref"], name="unique_gateway_reference")]

    def __str__(self):
        return f"{self.get_method_display()} {self.txn_ref} ({self.get_status_display()})"

    @property
    def refundable(self):
        """What can still be given back: what VNPay took, or the cash the sellers collected on delivery,
        less what was already refunded (a COD order's cash is collected part by part)."""
        if self.method == self.VNPAY:
            return self.amount - self.amount_refunded if self.status == self.PAID else 0
        return max(0, self.cash_collected - self.amount_refunded)

    @property
    def cash_collected(self):
        """Cash on delivery: the totals of the parts delivered (each seller collects its own part)."""
        if self.method != self.COD:
            return 0
        from vendors.models import Fulfilment

        parts = Fulfilment.objects.filter(order_id=self.order_id, status=Fulfilment.DELIVERED)
        return sum(part.total for part in parts.only("items_total", "shipping_fee"))


class PaymentEvent(models.Model):
    """What happened to a payment: created, IPN, return, querydr, expiry, refund (who, when, from, to)."""

    CREATED, IPN, QUERYDR, EXPIRED, REFUND, COLLECTED = "created", "ipn", "querydr", "expired", "refund", "collected"

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    amount = models.BigIntegerField(default=0)
    #: The gateway's answer codes and references (never a secret or a hash).
    data = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]

    def __str__(self):
        return f"{self.payment.txn_ref} {self.kind}: {self.from_status or '∅'} → {self.to_status or '∅'}"


class Refund(models.Model):
    """Money given back for a line or a seller's part: through VNPay's refund API, or recorded for COD."""

    PENDING, SUCCEEDED, FAILED = "pending", "succeeded", "failed"
    STATUS_CHOICES = [
        (PENDING, _("Refund requested")),  # amount reserved, waiting for VNPay's answer
        (SUCCEEDED, _("Refunded")),
        (FAILED, _("Refund failed")),  # VNPay refused or was unreachable; the amount is refundable again
    ]

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    fulfilment = models.ForeignKey("vendors.Fulfilment", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="refunds")
    line = models.ForeignKey("order.Line", null=True, blank=True, on_delete=models.PROTECT, related_name="refunds")
    amount = models.PositiveBigIntegerField(_("amount (đồng)"))
    status = models.CharField(_("status"), max_length=16, choices=STATUS_CHOICES)
    reason = models.CharField(_("reason"), max_length=255)
    #: vnp_RequestId of the refund call: resending it is how a lost answer is retried safely.
    request_id = models.CharField(max_length=32, blank=True)
    transaction_no = models.CharField(max_length=32, blank=True)
    message = models.CharField(max_length=255, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")

    def __str__(self):
        return f"{self.payment.txn_ref} −{self.amount} ({self.status})"
