from django.apps import AppConfig


class VNPaySandboxConfig(AppConfig):
    """A local emulator of VNPay's payment page, IPN calls and merchant API (development, demo, tests)."""

    name = "payments.sandbox"
    label = "vnpay_sandbox"
    verbose_name = "VNPay sandbox"
