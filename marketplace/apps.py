from django.apps import AppConfig
from django.conf import settings


class MarketplaceConfig(AppConfig):
    """Project-wide pieces: template tags (VND, stars), demo data, locale middleware, page cache."""

    name = "marketplace"
    verbose_name = "Chợ OCOP Hà Tĩnh"

    def ready(self):
        from django.db.models.signals import post_migrate

        # checks and production register system checks (deploy, and production's refusal)
        from marketplace import checks, production, public_url, served, signals  # noqa: F401

        signals.connect()
        served.connect()
        post_migrate.connect(public_url.sync_site_after_migrate, dispatch_uid="marketplace-public-url-site")
        if settings.MEDIA_STORAGE == "s3":
            from marketplace.storage import ensure_missing_image

            post_migrate.connect(ensure_missing_image, sender=self, dispatch_uid="marketplace-missing-image")
