from oscar.apps.dashboard.orders.apps import OrdersDashboardConfig as CoreOrdersDashboardConfig


class OrdersDashboardConfig(CoreOrdersDashboardConfig):
    """Oscar's order dashboard, for the platform's administrators only.

    Oscar lets partner users open any order that holds one of their lines and then shows every line
    of it (django-oscar #2240, by design), which would show a seller the other sellers' goods and
    prices. Sellers work on their own parts at /ban-hang/don-hang/ instead. The department (staff, but
    not administrators) does not see buyers' names, phones and addresses here: its pages and reports
    show what it needs, masked.
    """

    def configure_permissions(self):
        super().configure_permissions()
        self.permissions_map = {name: (["is_superuser"],) for name in self.permissions_map}

    def ready(self):
        from marketplace.dashboard_order_views import OrderDetailView, OrderListView

        super().ready()
        self.order_list_view = OrderListView
        self.order_detail_view = OrderDetailView
