"""Checkout with a choice of VNPay or cash on delivery.

Money is never taken before the order exists: the order is placed first (stock reserved, one
fulfilment per seller), then a VNPay order sends the shopper to VNPay and waits for the IPN, while a
cash-on-delivery order goes straight to the sellers.
"""
import logging

from django import http
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import RedirectView
from django_ratelimit.core import is_ratelimited
from oscar.apps.checkout import views as oscar_views

from marketplace.order import statuses
from payments.models import Payment
from payments.services import payment_create_for_order, payment_start_vnpay
from payments.vnpay import VNPayError
from privacy.models import ConsentRecord
from privacy.services import consent_record

from .forms import PAYMENT_EXPLANATIONS, CheckoutDetailsForm, CompanyInvoiceForm, PaymentMethodForm

PAYMENT_NAMESPACE = "payment"
logger = logging.getLogger(__name__)


class PaymentDetailsView(oscar_views.PaymentDetailsView):
    """Oscar's order placement with our payment rules; the one checkout page (below) builds on it."""

    def _chosen_method(self):
        return self.checkout_session._get(PAYMENT_NAMESPACE, "method")

    def build_submission(self, **kwargs):
        submission = super().build_submission(**kwargs)
        method = self._chosen_method()
        submission.setdefault("order_kwargs", {})["status"] = (
            statuses.CASH_ON_DELIVERY if method == Payment.COD else statuses.AWAITING_PAYMENT
        )
        submission.setdefault("payment_kwargs", {})["method"] = method
        return submission

    def send_order_placed_email(self, order):
        """A placed order stays placed when the mail server fails: the shopper still gets the confirmation
        page (its number, what to pay) instead of Oscar's "a problem occurred" and a second order."""
        if not order.email:  # guests may leave the e-mail out
            return
        try:
            super().send_order_placed_email(order)
        except Exception:
            logger.exception("Order %s: the confirmation e-mail could not be sent", order.number)

    def handle_payment(self, order_number, total, **kwargs):
        """Nothing to take before the order exists (VNPay is paid after placement, COD on delivery)."""

    def handle_order_placement(self, order_number, user, basket, shipping_address, shipping_method, shipping_charge,
                               billing_address, order_total, surcharges=None, **kwargs):
        """The order, its stock reservation, its sellers' parts, its company-invoice details and its payment
        commit together. A server that died in between used to leave an order without a payment, holding its
        stock for ever (reconciliation walks payments); now it leaves nothing."""
        with transaction.atomic():
            order = self.place_order(
                order_number=order_number, user=user, basket=basket, shipping_address=shipping_address,
                shipping_method=shipping_method, shipping_charge=shipping_charge, order_total=order_total,
                billing_address=billing_address, surcharges=surcharges, **kwargs)
            details = self.checkout_session._get(PAYMENT_NAMESPACE, "invoice")
            if details:
                from invoicing.models import BuyerInvoiceDetails

                BuyerInvoiceDetails.objects.update_or_create(order=order, defaults=details)
            consent_record(purpose=ConsentRecord.ORDER, user=order.user, order=order)
            self._placed_payment = payment_create_for_order(order=order, method=self._chosen_method())
            basket.submit()
        return self.handle_successful_order(order)

    def handle_successful_order(self, order):
        method = self._chosen_method()
        payment = self._placed_payment
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


class CheckoutView(PaymentDetailsView):
    """The one checkout page: delivery, each seller's parcel and fee, payment, company invoice, one button.

    Sections, not steps: one POST validates everything and places the order (COD → confirmation page,
    VNPay → the payment page). Built on Oscar's order placement (``submit``), so stock reservation,
    per-seller fulfilments and the payment records are the same as before."""

    template_name = "oscar/checkout/checkout.html"
    pre_conditions = ["check_basket_is_not_empty", "check_basket_is_valid"]
    skip_conditions = []
    preview = False

    def get_pre_conditions(self, request):
        return self.pre_conditions

    def get_skip_conditions(self, request):
        return self.skip_conditions

    def _is_guest(self):
        return not self.request.user.is_authenticated

    def _initial_details(self):
        from .address import VietnameseAddressForm

        user = self.request.user
        if not user.is_authenticated:
            return {"email": self.checkout_session.get_guest_email() or ""}
        address = user.addresses.filter(is_default_for_shipping=True).first() or user.addresses.order_by(
            "-num_orders_as_shipping_address", "-date_created").first()
        return VietnameseAddressForm.initial_from_address(address)

    def get(self, request, *args, **kwargs):
        return self.render_page(CheckoutDetailsForm(initial=self._initial_details(), guest=self._is_guest()),
                                PaymentMethodForm(initial={"method": self._chosen_method() or Payment.VNPAY}),
                                CompanyInvoiceForm())

    def post(self, request, *args, **kwargs):
        details = CheckoutDetailsForm(request.POST, guest=self._is_guest())
        payment_form = PaymentMethodForm(request.POST)
        invoice_form = CompanyInvoiceForm(request.POST)
        if "choose_province" in request.POST:
            # Without JavaScript: the shopper chose a province; show its wards, no errors yet.
            return self.render_page(CheckoutDetailsForm(initial=request.POST.dict(), guest=self._is_guest()),
                                    PaymentMethodForm(initial={"method": request.POST.get("method")}),
                                    CompanyInvoiceForm(initial=request.POST.dict()))
        if not (details.is_valid() & payment_form.is_valid() & invoice_form.is_valid()):
            return self.render_page(details, payment_form, invoice_form, status=200)
        fields = details.address_fields()
        fields["notes"] = details.cleaned_data["note"]
        if self._is_guest():
            self.checkout_session.set_guest_email(details.cleaned_data.get("email", ""))
        self.checkout_session.ship_to_new_address(fields)
        self.checkout_session.use_shipping_method(self.SHIPPING_CODE)
        self.checkout_session._set(PAYMENT_NAMESPACE, "method", payment_form.cleaned_data["method"])
        self.checkout_session._set(PAYMENT_NAMESPACE, "invoice", invoice_form.details())
        self._forms = (details, payment_form, invoice_form)
        if payment_form.cleaned_data["method"] == Payment.VNPAY and self._too_many_unpaid_orders():
            return self.render_page(details, payment_form, invoice_form, status=429, error=_(
                "You have placed several orders to pay with VNPay in the last few minutes. Pay for them first, or "
                "wait until they expire, or choose cash on delivery."))
        return self.submit(**self.build_submission())

    def _too_many_unpaid_orders(self):
        """Each order awaiting VNPay holds stock until it expires: one client address may place only a few
        in a row (settings.RATE_LIMITS["unpaid_orders"]), so nobody can tie up a seller's stock at will."""
        return is_ratelimited(self.request, group="marketplace.unpaid_orders", key="ip",
                              rate=settings.RATE_LIMITS["unpaid_orders"], increment=True)

    SHIPPING_CODE = "per-seller"

    def render_page(self, details, payment_form, invoice_form, error=None, status=200):
        from carriers.selectors import checkout_parcels

        basket = self.request.basket
        ward = (details.data.get("ward") if details.is_bound else details.initial.get("ward")) or ""
        parcels, shipping_total = checkout_parcels(basket, ward_code=str(ward)[:5])
        ctx = {
            "details_form": details, "payment_form": payment_form, "invoice_form": invoice_form,
            "payment_explanations": PAYMENT_EXPLANATIONS, "error": error, "basket": basket,
            "parcels": parcels, "shipping_total": shipping_total, "ward_chosen": bool(ward),
            "items_total": int(basket.total_incl_tax or 0),
            "order_total": int(basket.total_incl_tax or 0) + shipping_total,
            "guest": self._is_guest(),
            "show_invoice": bool(invoice_form.is_bound and invoice_form.data.get("company_invoice")),
        }
        return self.render_to_response(ctx, status=status)

    def _bound_forms_or_fresh(self):
        return getattr(self, "_forms", None) or (
            CheckoutDetailsForm(initial=self._initial_details(), guest=self._is_guest()),
            PaymentMethodForm(), CompanyInvoiceForm())

    def render_payment_details(self, request, **kwargs):
        """Oscar calls this when payment or placement fails: the same page, with the message on top."""
        return self.render_page(*self._bound_forms_or_fresh(), error=kwargs.get("error"))

    def render_preview(self, request, **kwargs):
        return self.render_page(*self._bound_forms_or_fresh(), error=kwargs.get("error"))


class StepRedirectView(RedirectView):
    """Oscar's former steps (address, shipping method, payment, preview) all lead to the one page."""

    pattern_name = "checkout:index"
    permanent = False
    preview = False  # Oscar's URLconf passes it to the preview URL's view
