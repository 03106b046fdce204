from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvoicingConfig(AppConfig):
    """E-invoices for each seller's sale (Nghị định 254/2026/NĐ-CP, Thông tư 91/2026/TT-BTC, XML PBan 2.1.0)."""

    name = "invoicing"
    verbose_name = _("E-invoices")

    def ready(self):
        from . import checks  # noqa: F401 (registers the deployment checks)
