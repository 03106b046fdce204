from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    """Project-wide pieces: template tags (VND, stars), demo data, locale middleware, page cache."""

    name = "marketplace"
    verbose_name = "Chợ OCOP Hà Tĩnh"

    def ready(self):
        from marketplace import production, served, signals  # noqa: F401 — production registers its check

        signals.connect()
        served.connect()
