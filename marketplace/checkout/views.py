"""Checkout with a choice of VNPay or cash on delivery.

Money is never taken before the order exists: the order is placed first (stock reserved, one
fulfilment per seller), then a VNPay order sends the shopper to VNPay and waits for the IPN, while a
cash-on-delivery order goes straight to the sellers.
"""
import logging

from django import http
from django.urls import reverse
from django.utils.translation import gettext as _
from oscar.apps.checkout import views as oscar_views

from marketplace.order import statuses
from payments.models import Payment
from payments.services import payment_create_for_order, payment_start_vnpay
from payments.vnpay import VNPayError

from .forms import CompanyInvoiceForm, PaymentMethodForm

PAYMENT_NAMESPACE = "payment"
logger = logging.getLogger(__name__)


class IndexView(oscar_views.IndexView):
    """The gateway's "returning customer" sign-in, with the request passed to authenticate(): django-axes'
    backend refuses a call without it (a 500 for a right or a wrong password alike)."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


class PaymentDetailsView(oscar_views.PaymentDetailsView):
    def _chosen_method(self):
        return self.checkout_session._get(PAYMENT_NAMESPACE, "method")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        method = self._chosen_method()
        ctx.setdefault("payment_form", PaymentMethodForm(initial={"method": method or Payment.VNPAY}))
        ctx.setdefault("invoice_form", CompanyInvoiceForm())
        ctx["company_invoice"] = self.checkout_session._get(PAYMENT_NAMESPACE, "invoice")
        ctx["payment_method"] = method
        ctx["payment_method_label"] = dict(Payment.METHOD_CHOICES).get(method, "")
        return ctx

    def handle_payment_details_submission(self, request):
        form = PaymentMethodForm(request.POST)
        invoice_form = CompanyInvoiceForm(request.POST)
        if not (form.is_valid() & invoice_form.is_valid()):
            return self.render_payment_details(request, payment_form=form, invoice_form=invoice_form)
        self.checkout_session._set(PAYMENT_NAMESPACE, "method", form.cleaned_data["method"])
        self.checkout_session._set(PAYMENT_NAMESPACE, "invoice", invoice_form.details())
        return self.render_preview(request, payment_form=form)

    def handle_place_order_submission(self, request):
        if self._chosen_method() not in (Payment.VNPAY, Payment.COD):
            self.preview = False
            return self.render_payment_details(request, payment_form=PaymentMethodForm(),
                                               error=_("Please choose how you will pay."))
        return super().handle_place_order_submission(request)

    def build_submission(self, **kwargs):
        submission = super().build_submission(**kwargs)
        method = self._chosen_method()
        submission.setdefault("order_kwargs", {})["status"] = (
            statuses.CASH_ON_DELIVERY if method == Payment.COD else statuses.AWAITING_PAYMENT
        )
        submission.setdefault("payment_kwargs", {})["method"] = method
        return submission

    def handle_payment(self, order_number, total, **kwargs):
        """Nothing to take before the order exists (VNPay is paid after placement, COD on delivery)."""

    def handle_successful_order(self, order):
        method = self._chosen_method()
        details = self.checkout_session._get(PAYMENT_NAMESPACE, "invoice")
        if details:
            from invoicing.models import BuyerInvoiceDetails

            BuyerInvoiceDetails.objects.update_or_create(order=order, defaults=details)
        payment = payment_create_for_order(order=order, method=method)
        if method == Payment.COD:
            return super().handle_successful_order(order)
        # VNPay: the confirmation e-mail waits for the IPN; the browser goes to VNPay now.
        self.checkout_session.flush()
        self.request.session["checkout_order_id"] = order.id
        return_url = self.request.build_absolute_uri(reverse("payments:vnpay-return"))
        locale = "en" if getattr(self.request, "LANGUAGE_CODE", "vi") == "en" else "vn"
        try:
            url = payment_start_vnpay(payment=payment, ip_addr=self.request.META.get("REMOTE_ADDR"),
                                      return_url=return_url, locale=locale)
        except VNPayError:
            logger.exception("Order %s: could not build the VNPay payment URL", order.number)
            # The order stays "awaiting payment"; reconciliation cancels it and releases stock.
            return http.HttpResponseRedirect(reverse("payments:vnpay-return") + f"?order={order.number}")
        response = http.HttpResponseRedirect(url)
        self.send_signal(self.request, response, order)
        return response
