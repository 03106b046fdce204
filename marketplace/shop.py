from oscar.config import Shop


class ShopConfig(Shop):
    """Oscar's root app without its "/" redirect: the home page is a Wagtail page."""

    def get_urls(self):
        return [url for url in super().get_urls() if getattr(url, "name", None) != "home"]
