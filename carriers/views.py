"""Carriers' webhooks, the checkout's live-fee fragment, the seller's shipments and labels, the department's
remittance follow-up and delivery report."""
import logging

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import TemplateView, View

from marketplace.roles import DepartmentRequiredMixin
from vendors.seller_views import SellerMixin

from . import conf, rates, selectors, services
from .client import InvalidRequestError, SignatureVerificationError
from .client.remittance import SIGNATURE_HEADER, construct_statement
from .client.vnpost import SIGNATURE_HEADER as VNPOST_HEADER
from .forms import RemittanceFileForm, SellerShippingForm
from .models import CARRIER_NAMES, Remittance

logger = logging.getLogger("carriers")


# --- checkout ------------------------------------------------------------------------------------------------

@require_GET
def checkout_fees(request):
    """The checkout's parcels section for a ward (the page's script asks when the ward changes)."""
    ward = request.GET.get("ward", "")[:5]
    basket = request.basket
    parcels, shipping_total = selectors.checkout_parcels(basket, ward_code=ward if ward.isdigit() else "")
    items_total = int(basket.total_incl_tax or 0)
    html = render_to_string("carriers/checkout_parcels.html", {
        "parcels": parcels, "shipping_total": shipping_total, "order_total": items_total + shipping_total,
        "ward_chosen": bool(ward), "fragment": True}, request=request)
    response = HttpResponse(html)
    response["Cache-Control"] = "private, no-store"
    return response


# --- webhooks ------------------------------------------------------------------------------------------------

def _apply(construct):
    try:
        event = construct()
    except SignatureVerificationError as exc:
        logger.warning("Carrier webhook refused: %s", exc)
        return JsonResponse({"code": 401, "message": "signature"}, status=401)
    except InvalidRequestError as exc:
        logger.warning("Carrier webhook unreadable: %s", exc)
        return JsonResponse({"code": 400, "message": str(exc)}, status=400)
    record = services.shipment_apply_event(event)
    return JsonResponse({"code": 200, "message": "Success", "recorded": record is not None})


@csrf_exempt  # server-to-server, authenticated by the secret token in the URL (GHN signs nothing)
@require_POST
def ghn_webhook(request, token):
    return _apply(lambda: conf.client("ghn").construct_event(request.body, token))


@csrf_exempt  # server-to-server, authenticated by its HMAC header
@require_POST
def vnpost_webhook(request):
    return _apply(lambda: conf.client("vnpost").construct_event(request.body, request.headers.get(VNPOST_HEADER, "")))


@csrf_exempt  # server-to-server, authenticated by its HMAC header
@require_POST
def remittance_webhook(request, carrier):
    if carrier not in CARRIER_NAMES:
        return JsonResponse({"code": 404, "message": "unknown carrier"}, status=404)
    try:
        statement = construct_statement(request.body, request.headers.get(SIGNATURE_HEADER, ""),
                                        secret=conf.webhook_secret(carrier))
    except SignatureVerificationError:
        return JsonResponse({"code": 401, "message": "signature"}, status=401)
    except InvalidRequestError as exc:
        return JsonResponse({"code": 400, "message": str(exc)}, status=400)
    if statement.carrier != carrier:
        return JsonResponse({"code": 400, "message": "carrier mismatch"}, status=400)
    remittance, created = services.remittance_import(statement=statement)
    return JsonResponse({"code": 200, "reference": remittance.reference, "imported": created})


# --- seller --------------------------------------------------------------------------------------------------

class SellerShippingView(SellerMixin, TemplateView):
    """The seller's carriers and pickup commune, and its parts waiting for a carrier or on their way."""

    template_name = "carriers/seller/shipping.html"

    def form(self, data=None):
        current = services.shipping_settings_for(self.vendor)
        initial = ({"carriers": current.carriers, "pickup_commune": current.pickup_commune_id,
                    "pickup_address": current.pickup_address, "pickup": "1" if current.pickup else "0"}
                   if current else {"pickup_commune": self.vendor.commune_id, "pickup": "1",
                                    "pickup_address": self.vendor.street_address})
        return SellerShippingForm(data, initial=initial)

    def get_context_data(self, **kwargs):
        from vendors.models import Fulfilment
        from vendors.selectors import fulfilments_for_vendor, with_payment_method

        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", self.form())
        ctx["ready"] = list(with_payment_method(fulfilments_for_vendor(vendor=self.vendor))
                            .filter(status=Fulfilment.CONFIRMED, shipment__isnull=True).order_by("created"))
        ctx["shipments"] = list(selectors.shipments_for_vendor(self.vendor)[:50])
        return ctx

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        data = form.cleaned_data
        services.seller_shipping_save(vendor=self.vendor, carriers=data["carriers"],
                                      pickup_commune=data["pickup_commune"], pickup_address=data["pickup_address"],
                                      pickup=data["pickup"])
        messages.success(request, _("Shipping settings saved."))
        return redirect("seller-shipping:home")


class ShipmentCreateView(SellerMixin, View):
    """Book the carrier for one confirmed part or a batch (the seller's own parts only; others are ignored)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        from vendors.selectors import fulfilments_for_vendor

        numbers = [n for n in request.POST.getlist("parts") if n][:100]
        parts = list(fulfilments_for_vendor(vendor=self.vendor).filter(number__in=numbers).order_by("number"))
        if not parts:
            messages.error(request, _("Choose at least one order to hand to the carrier."))
            return redirect("seller-shipping:home")
        done, errors = services.shipments_create(fulfilments=parts, actor=request.user)
        if done:
            messages.success(request, _("%(count)s parcel(s) booked. Print the labels and stick one on each parcel.")
                             % {"count": len(done)})
        for number, message in errors.items():
            messages.error(request, f"{number}: {message}")
        if len(parts) == 1 and request.POST.get("next") == "part":
            return redirect("seller:fulfilment", number=parts[0].number)
        return redirect("seller-shipping:home")


class LabelView(SellerMixin, TemplateView):
    """Shipping labels as a PDF: one A6 label per page, or four A6 labels on each A4 sheet (?size=a4)."""

    def get(self, request, *args, **kwargs):
        from .labels import labels_pdf

        numbers = [n for n in request.GET.get("parts", "").split(",") if n][:100]
        shipments = list(selectors.shipments_for_vendor(self.vendor).filter(fulfilment__number__in=numbers)
                         .select_related("fulfilment__order__shipping_address", "fulfilment__vendor__partner")
                         .order_by("fulfilment__number"))
        if not shipments:
            return HttpResponse(_("No label to print: book the carrier first."), status=404,
                                content_type="text/plain; charset=utf-8")
        size = "a4" if request.GET.get("size") == "a4" else "a6"
        response = HttpResponse(labels_pdf(shipments, size=size), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="nhan-van-chuyen-{size}.pdf"'
        return response


# --- department ----------------------------------------------------------------------------------------------

class RemittanceView(DepartmentRequiredMixin, TemplateView):
    """Carriers' COD statements: what does not match, what is overdue, and importing a statement file."""

    template_name = "carriers/department/remittances.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", RemittanceFileForm())
        ctx["problems"] = list(selectors.problem_lines()[:200])
        ctx["overdue"] = list(services.unremitted_overdue()[:200])
        ctx["remittances"] = selectors.recent_remittances()
        ctx["due_days"] = settings.CARRIER_REMITTANCE_DUE_DAYS
        return ctx

    def post(self, request, *args, **kwargs):
        form = RemittanceFileForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                statement = services.remittance_from_csv(carrier=data["carrier"], reference=data["reference"],
                                                         remitted_on=data["remitted_on"].isoformat(),
                                                         rows=data["file"])
            except (InvalidRequestError, ValueError):
                form.add_error("file", _("Amounts must be whole numbers of đồng."))
            else:
                remittance, created = services.remittance_import(statement=statement, source=Remittance.FILE,
                                                                 actor=request.user)
                if created:
                    messages.success(request, _("Statement %(ref)s imported.") % {"ref": remittance.reference})
                else:
                    messages.warning(request, _("Statement %(ref)s was already imported.") % {"ref": remittance.reference})
                return redirect("carriers-office:remittances")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class DeliveryReportView(DepartmentRequiredMixin, TemplateView):
    """On-time delivery, failed-delivery and return rates per carrier and former district."""

    template_name = "carriers/department/report.html"

    def get_context_data(self, **kwargs):
        from marketplace.periods import period_from_params

        ctx = super().get_context_data(**kwargs)
        date_from, date_to = period_from_params(self.request.GET)
        ctx.update(date_from=date_from, date_to=date_to, rows=rates.delivery_rates(date_from=date_from,
                                                                                     date_to=date_to))
        return ctx


