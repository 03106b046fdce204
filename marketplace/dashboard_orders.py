from oscar.apps.dashboard.orders.apps import OrdersDashboardConfig as CoreOrdersDashboardConfig


class OrdersDashboardConfig(CoreOrdersDashboardConfig):
    """Oscar's order dashboard for staff only.

    Oscar lets partner users open any order that holds one of their lines and then shows every line
    of it (django-oscar #2240, by design), which would show a seller the other sellers' goods and
    prices. Sellers work on their own parts at /ban-hang/don-hang/ instead.
    """

    def configure_permissions(self):
        super().configure_permissions()
        self.permissions_map = {name: (["is_staff"],) for name in self.permissions_map}
