"""What the carrier emulator remembers (development, demo and tests only).

The tables belong to the ``carriers`` app (imported from ``carriers.models``); the project mounts the emulator's
URLs only where ``CARRIERS_SANDBOX_ENABLED``.
"""
from django.db import models


class EmulatedParcel(models.Model):
    carrier = models.CharField(max_length=16)
    tracking_code = models.CharField(max_length=32, unique=True)
    client_order_code = models.CharField(max_length=50)
    request = models.JSONField(default=dict)
    fee = models.PositiveIntegerField()
    cod_amount = models.PositiveBigIntegerField(default=0)
    carrier_status = models.CharField(max_length=32)
    #: [{"status", "time"}] oldest first, as the carrier's detail/tracking lists it.
    history = models.JSONField(default=list)
    remitted = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["carrier", "client_order_code"], name="emu_one_booking_per_code")]

    def __str__(self):
        return f"{self.carrier} {self.tracking_code} ({self.carrier_status})"


class EmulatorSwitch(models.Model):
    """How a carrier's emulated API behaves: up, down (HTTP 503), or refusing bookings."""

    UP, DOWN, REFUSE = "up", "down", "refuse"
    BEHAVIOURS = [(UP, "up"), (DOWN, "down (503)"), (REFUSE, "refuse bookings (400)")]

    carrier = models.CharField(max_length=16, unique=True)
    behaviour = models.CharField(max_length=8, choices=BEHAVIOURS, default=UP)

    def __str__(self):
        return f"{self.carrier}: {self.behaviour}"
