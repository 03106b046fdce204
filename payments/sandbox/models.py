"""What the emulated VNPay remembers: payments, refunds, API request ids and IPN deliveries."""

from django.db import models


class SandboxTransaction(models.Model):
    """A payment submitted on the sandbox page, with the outcome the tester chose.

    Amounts are integer đồng (VNPay's ×100 exists only on the wire).
    """

    tmn_code = models.CharField(max_length=8)
    txn_ref = models.CharField(max_length=100)
    amount = models.PositiveBigIntegerField()
    order_info = models.CharField(max_length=255)
    order_type = models.CharField(max_length=100, default="other")
    locale = models.CharField(max_length=5, default="vn")
    return_url = models.CharField(max_length=255)
    ip_addr = models.CharField(max_length=45)
    #: vnp_CreateDate exactly as the merchant sent it: querydr/refund must repeat it.
    create_date = models.CharField(max_length=14)
    expire_date = models.CharField(max_length=14)
    response_code = models.CharField(max_length=2)  # 00 paid, 24 cancelled, 51 insufficient funds, 11 timeout
    transaction_status = models.CharField(max_length=2)  # 00 successful, 02 error
    #: VNPay's number; "0" for a cancelled payment, as VNPay sends it.
    transaction_no = models.CharField(max_length=15)
    bank_code = models.CharField(max_length=20)
    bank_tran_no = models.CharField(max_length=255, blank=True)
    card_type = models.CharField(max_length=20)
    pay_date = models.DateTimeField()
    #: The signed callback query string sent to the IPN and the return URL.
    callback_query = models.TextField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tmn_code", "txn_ref"], name="vnpay_sandbox_unique_txn_ref")]
        ordering = ["-id"]

    def __str__(self):
        return f"{self.txn_ref} ({self.response_code})"

    @property
    def paid(self):
        return self.response_code == "00" and self.transaction_status == "00"

    @property
    def refunded_amount(self):
        return sum(refund.amount for refund in self.refunds.all())

    @property
    def refundable_amount(self):
        return self.amount - self.refunded_amount if self.paid else 0


class SandboxRefund(models.Model):
    """An accepted refund request (type 02 full, 03 partial)."""

    transaction = models.ForeignKey(SandboxTransaction, related_name="refunds", on_delete=models.CASCADE)
    request_id = models.CharField(max_length=32)
    transaction_type = models.CharField(max_length=2)  # 02 full, 03 partial
    amount = models.PositiveBigIntegerField()
    transaction_no = models.CharField(max_length=15, unique=True)
    created_by = models.CharField(max_length=255)
    order_info = models.CharField(max_length=255)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class SandboxApiRequest(models.Model):
    """Every vnp_RequestId seen by the merchant API, to answer 94 to a duplicate."""

    tmn_code = models.CharField(max_length=8)
    request_id = models.CharField(max_length=32)
    command = models.CharField(max_length=16)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["tmn_code", "request_id"])]


class SandboxIpnDelivery(models.Model):
    """The IPN of one transaction; retried until the merchant answers RspCode 00/02 or attempts run out."""

    PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"
    STATUS_CHOICES = [(PENDING, "pending"), (DELIVERED, "delivered"), (FAILED, "failed (attempts exhausted)")]

    transaction = models.OneToOneField(SandboxTransaction, related_name="ipn", on_delete=models.CASCADE)
    url = models.CharField(max_length=500)
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=PENDING)
    max_attempts = models.PositiveSmallIntegerField()
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"IPN {self.transaction.txn_ref} ({self.status})"


class SandboxIpnAttempt(models.Model):
    """One call to the merchant's IPN URL and what came back."""

    delivery = models.ForeignKey(SandboxIpnDelivery, related_name="attempts", on_delete=models.CASCADE)
    number = models.PositiveSmallIntegerField()
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    rsp_code = models.CharField(max_length=4, blank=True)
    error = models.CharField(max_length=255, blank=True)
    response_body = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
