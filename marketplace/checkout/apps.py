import oscar.apps.checkout.apps as apps


class CheckoutConfig(apps.CheckoutConfig):
    name = "marketplace.checkout"

    def ready(self):
        super().ready()
        from .views import CheckoutView, StepRedirectView

        # One page instead of Oscar's five steps; the old step URLs lead to it.
        self.index_view = CheckoutView
        self.shipping_address_view = StepRedirectView
        self.shipping_method_view = StepRedirectView
        self.payment_method_view = StepRedirectView
        self.payment_details_view = StepRedirectView
