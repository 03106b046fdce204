from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Shoppers' accounts: sign-in with e-mail or mobile number, where each role lands, guest order lookup."""

    name = "accounts"
    verbose_name = _("Accounts")
