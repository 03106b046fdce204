from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvoicingConfig(AppConfig):
    """E-invoices for each seller's sale (Decree 123/2020, Circular 78/2021, updated 2025–2026)."""

    name = "invoicing"
    verbose_name = _("E-invoices")
