from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Personal data: the notice, consents, data subjects' requests, the access log, retention."""

    name = "privacy"
    verbose_name = _("Personal data")
    default_auto_field = "django.db.models.AutoField"
