"""What the e-invoice provider emulator remembers (development, demo and tests only).

The tables belong to the ``invoicing`` app (imported from ``invoicing.models``): the project mounts the
emulator's URLs without installing it as an app of its own.
"""
from django.db import models


class SandboxSubmission(models.Model):
    """One invoice received under an idempotency key, and the answer given (replayed on a resubmission)."""

    idempotency_key = models.CharField(max_length=64, unique=True)
    reference = models.CharField(max_length=40, unique=True)  # the provider's id, "sub_…"
    seller_tax_code = models.CharField(max_length=14)
    body_sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=10)  # accepted / rejected
    tax_authority_code = models.CharField(max_length=34, blank=True)
    signed_xml = models.BinaryField(null=True, blank=True)
    error_code = models.CharField(max_length=40, blank=True)
    error_message = models.CharField(max_length=255, blank=True)
    answers = models.PositiveSmallIntegerField(default=1)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self):
        return f"{self.idempotency_key} ({self.status})"


class SandboxSwitch(models.Model):
    """How the emulator treats one seller's next submissions: accept, reject, time out, or answer twice."""

    ACCEPT, REJECT, TIMEOUT, TWICE = "accept", "reject", "timeout", "twice"
    BEHAVIOURS = [(ACCEPT, "accept"), (REJECT, "reject"), (TIMEOUT, "time out"), (TWICE, "answer twice")]

    seller_tax_code = models.CharField(max_length=14, unique=True)
    behaviour = models.CharField(max_length=10, choices=BEHAVIOURS, default=ACCEPT)
    #: How many submissions it applies to (0 = until changed).
    remaining = models.PositiveSmallIntegerField(default=0)
    #: Seconds a "time out" answer waits before answering.
    delay = models.FloatField(default=15.0)

    def __str__(self):
        return f"{self.seller_tax_code}: {self.behaviour}"
