from oscar.apps.dashboard.catalogue.apps import CatalogueDashboardConfig as CoreCatalogueDashboardConfig


class CatalogueDashboardConfig(CoreCatalogueDashboardConfig):
    """Oscar's catalogue dashboard for staff only.

    Oscar lets partner users edit their products there directly, which would skip the marketplace's
    moderation of descriptions and pictures and its picture checks. Sellers edit products in their
    workspace (/ban-hang/san-pham/) and get no Oscar dashboard access at all.
    """

    def configure_permissions(self):
        super().configure_permissions()
        partner_access = ["partner.dashboard_access"]
        # Keep Oscar's staff alternative (is_staff plus the model permissions); drop the partner one.
        self.permissions_map = {
            name: tuple(alt for alt in rule if alt != partner_access) if isinstance(rule, tuple) else rule
            for name, rule in self.permissions_map.items()
        }
