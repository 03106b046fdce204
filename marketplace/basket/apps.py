import oscar.apps.basket.apps as apps


class BasketConfig(apps.BasketConfig):
    """Oscar's basket app (models, migrations and label unchanged) with our basket page view.

    Not a fork: ``name`` stays ``oscar.apps.basket``; only the summary view is replaced after Oscar's
    ``ready()`` so the page loads each line's stock record and product class with the lines.
    """

    def ready(self):
        super().ready()
        from .views import BasketView

        self.summary_view = BasketView
