from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    """Sellers joining the marketplace: applications, documents and the department's review."""

    name = "onboarding"
    verbose_name = _("Seller onboarding")
