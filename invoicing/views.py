"""Seller invoice pages and the shopper's PDF download: thin views over the selectors."""
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.crypto import constant_time_compare
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from django.views import View
from django.views.generic import ListView
from oscar.core.loading import get_model

from vendors.selectors import vendor_for_user

from . import selectors
from .pdf import invoice_pdf_bytes
from .xml import invoice_export_bytes

Order = get_model("order", "Order")


class SellerInvoiceMixin(LoginRequiredMixin):
    """Like ``vendors.seller_views.SellerMixin``: a logged-in user working for an active seller."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.vendor = vendor_for_user(request.user)
            if self.vendor is None:
                raise PermissionDenied("Not a seller")
        return super().dispatch(request, *args, **kwargs)

    def get_invoice(self):
        return get_object_or_404(selectors.invoices_for_vendor(vendor=self.vendor), pk=self.kwargs["pk"])


def _download(content, *, filename, content_type):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def xml_response(invoice):
    return _download(invoice_export_bytes(invoice), filename=f"{invoice.file_stem}.xml",
                     content_type="application/xml; charset=utf-8")


def pdf_response(invoice):
    return _download(invoice_pdf_bytes(invoice), filename=f"{invoice.file_stem}.pdf", content_type="application/pdf")


class InvoiceListView(SellerInvoiceMixin, ListView):
    template_name = "invoicing/seller/invoice_list.html"
    context_object_name = "invoices"
    paginate_by = 50

    def get_queryset(self):
        return selectors.invoices_for_vendor(vendor=self.vendor)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["vendor"] = self.vendor
        ctx["alerts"] = selectors.deadline_alerts_for_vendor(vendor=self.vendor)
        ctx["own_provider"] = selectors.is_own_provider(vendor=self.vendor)
        return ctx


class InvoiceUploadView(SellerInvoiceMixin, View):
    """Own-provider sellers upload what their provider returned: one signed XML, or a ZIP of many.

    Bad files are answered on the same page with the reason per file (status 200, nothing stored).
    """

    template_name = "invoicing/seller/upload.html"

    def target(self):
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(selectors.invoices_for_vendor(vendor=self.vendor), pk=self.kwargs["pk"])

    def render(self, form, invoice, errors=()):
        from django.shortcuts import render

        return render(self.request, self.template_name, {"form": form, "invoice": invoice, "vendor": self.vendor,
                                                         "errors": errors, "own_provider": selectors.is_own_provider(
                                                             vendor=self.vendor)})

    def get(self, request, *args, **kwargs):
        from .forms import SignedUploadForm

        return self.render(SignedUploadForm(), self.target())

    def post(self, request, *args, **kwargs):
        from django.contrib import messages
        from django.shortcuts import redirect
        from django.utils.translation import gettext as _

        from .forms import SignedUploadForm
        from .imports import ImportRejected, invoices_import_signed, upload_files

        invoice = self.target()
        form = SignedUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form, invoice)
        try:
            files = upload_files(form.cleaned_data["file"])
            result = invoices_import_signed(vendor=self.vendor, files=files, invoice=invoice, actor=request.user)
        except ImportRejected as rejected:
            return self.render(form, invoice, errors=rejected.errors)
        messages.success(request, _("%(recorded)s invoice(s) recorded from the provider's files; %(unchanged)s "
                                    "already recorded.") % {"recorded": len(result.recorded),
                                                            "unchanged": len(result.unchanged)})
        return redirect("invoices:list")


class InvoiceXmlView(SellerInvoiceMixin, View):
    def get(self, request, *args, **kwargs):
        return xml_response(self.get_invoice())


class InvoicePdfView(SellerInvoiceMixin, View):
    def get(self, request, *args, **kwargs):
        return pdf_response(self.get_invoice())


class ShopperInvoicePdfView(View):
    """The order's owner, or anyone holding the anonymous order link's hash (like Oscar's anon-order page)."""

    def get(self, request, order_number, pk, hash=None):
        order = get_object_or_404(Order, number=order_number)
        if hash is not None:
            if not constant_time_compare(hash, order.verification_hash()):
                raise Http404
        elif not (request.user.is_authenticated and order.user_id == request.user.pk):
            raise Http404
        invoice = get_object_or_404(selectors.invoices_for_order(order=order), pk=pk)
        return pdf_response(invoice)


class InvoicingProfileView(SellerInvoiceMixin, View):
    """The seller chooses how its sales are invoiced and, for the marketplace to issue, signs the authorisation."""

    template_name = "invoicing/seller/profile.html"

    def form(self, data=None):
        from .forms import InvoicingProfileForm
        from .models import SellerInvoicingProfile

        instance = SellerInvoicingProfile.objects.filter(vendor=self.vendor).first() or SellerInvoicingProfile(
            vendor=self.vendor)
        return InvoicingProfileForm(data, instance=instance)

    def render(self, form, status=200):
        from django.shortcuts import render

        return render(self.request, self.template_name, {"form": form, "vendor": self.vendor,
                                                         "profile": form.instance}, status=status)

    def get(self, request, *args, **kwargs):
        return self.render(self.form())

    def post(self, request, *args, **kwargs):
        from django.contrib import messages
        from django.core.exceptions import ValidationError
        from django.shortcuts import redirect
        from django.utils.translation import gettext as _

        from .services import invoicing_profile_save

        form = self.form(request.POST)
        if form.is_valid():
            try:
                invoicing_profile_save(form=form, vendor=self.vendor, user=request.user)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Invoicing settings saved."))
                return redirect("invoices:list")
        return self.render(form, status=400)


class InvoiceExportView(SellerInvoiceMixin, View):
    """The workspace's export button: the same ZIP as `export_einvoices`, built on disk then streamed."""

    def get(self, request, *args, **kwargs):
        import tempfile

        from django.http import FileResponse

        from marketplace.periods import period_from_params

        from .exports import export_filename, invoices_export_zip

        date_from, date_to = period_from_params(request.GET)
        spool = tempfile.TemporaryFile()
        invoices_export_zip(vendor=self.vendor, date_from=date_from, date_to=date_to, fileobj=spool)
        spool.seek(0)
        filename = export_filename(vendor=self.vendor, date_from=date_from, date_to=date_to)
        return FileResponse(spool, as_attachment=True, filename=filename.rsplit("/", 1)[-1],
                            content_type="application/zip")


@method_decorator(csrf_exempt, name="dispatch")  # server-to-server, authenticated by its HMAC signature
class ProviderCallbackView(View):
    """The provider posts its answer again here (it may do so more than once): recorded once."""

    def post(self, request, *args, **kwargs):
        from django.http import JsonResponse

        from .provider import ProviderError
        from .provider.client import SIGNATURE_HEADER
        from .transmission import (
            TransmissionPending, invoice_from_provider_key, invoice_record_provider_answer, provider_client,
        )

        try:
            event = provider_client().webhooks.construct_event(request.body, request.headers.get(SIGNATURE_HEADER, ""))
        except ProviderError as exc:
            return JsonResponse({"error": str(exc)}, status=400)
        invoice = invoice_from_provider_key(event.submission.idempotency_key)
        if invoice is None:
            return JsonResponse({"error": "unknown invoice"}, status=404)
        try:
            invoice_record_provider_answer(invoice_id=invoice.pk, submission=event.submission)
        except (TransmissionPending, ValidationError) as exc:
            return JsonResponse({"error": str(exc)}, status=422)
        return JsonResponse({"received": True})
