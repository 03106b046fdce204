from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    """Project-wide pieces: template tags (VND, stars), demo data, locale middleware, page cache."""

    name = "marketplace"
    verbose_name = "Chợ OCOP Hà Tĩnh"

    def ready(self):
        from marketplace import served, signals

        signals.connect()
        served.connect()
