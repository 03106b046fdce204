from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    """Payments of customer orders: VNPay (through payments.vnpay) and cash on delivery."""

    name = "payments"
    verbose_name = _("Payments")
