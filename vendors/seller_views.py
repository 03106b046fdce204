"""The seller's order parts: only its own, found through one selector; anything else is a 404."""
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView

from . import selectors
from marketplace.periods import period_from_params
from marketplace.templatetags.ocop import format_vnd

from .forms import FulfilmentActionForm, LineRefundForm
from .models import Fulfilment
from .services import fulfilment_set_status


class SellerMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.vendor = selectors.vendor_for_user(request.user)
            if self.vendor is None:
                raise PermissionDenied("Not a seller")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["vendor"] = self.vendor
        return ctx


class FulfilmentListView(SellerMixin, ListView):
    template_name = "vendors/seller/fulfilment_list.html"
    context_object_name = "fulfilments"
    paginate_by = 30

    def get_queryset(self):
        queryset = selectors.with_payment_method(selectors.fulfilments_for_vendor(vendor=self.vendor))
        status = self.request.GET.get("status")
        if status in dict(Fulfilment.STATUS_CHOICES):
            queryset = queryset.filter(status=status)
        return queryset

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["status_choices"] = Fulfilment.STATUS_CHOICES
        ctx["current_status"] = self.request.GET.get("status", "")
        return ctx


class FulfilmentDetailView(SellerMixin, DetailView):
    template_name = "vendors/seller/fulfilment_detail.html"
    context_object_name = "fulfilment"
    slug_field = "number"
    slug_url_kwarg = "number"

    def get_queryset(self):
        return selectors.with_payment_method(selectors.fulfilments_for_vendor(vendor=self.vendor))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["lines"] = self.object.lines()
        ctx["events"] = self.object.events.select_related("actor")
        ctx.setdefault("form", FulfilmentActionForm())
        return ctx

    def post(self, request, *args, **kwargs):
        self.object = get_object_or_404(self.get_queryset(), number=kwargs["number"])
        if request.POST.get("action") == "refund_line":
            return self.refund_line(request)
        form = FulfilmentActionForm(request.POST)
        if form.is_valid():
            try:
                fulfilment_set_status(fulfilment=self.object, status=form.target_status, actor=request.user,
                                      reason=form.cleaned_data["reason"],
                                      tracking_code=form.cleaned_data["tracking_code"],
                                      carrier=form.cleaned_data["carrier"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Fulfilment %(number)s is now “%(status)s”.") % {
                    "number": self.object.number, "status": dict(Fulfilment.STATUS_CHOICES)[form.target_status]})
                return redirect("seller:fulfilment", number=self.object.number)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def refund_line(self, request):
        """Refund items of one of this part's lines (a line of another seller is a 404)."""
        from payments.services import RefundRefused, refund_line

        form = LineRefundForm(request.POST)
        if form.is_valid():
            line = get_object_or_404(self.object.lines(), pk=form.cleaned_data["line"])
            try:
                refund = refund_line(line=line, quantity=form.cleaned_data["quantity"], actor=request.user,
                                     reason=form.cleaned_data["reason"])
            except RefundRefused as exc:
                form.add_error(None, exc.translated())
            else:
                if refund.status == refund.SUCCEEDED:
                    messages.success(request, _("Refunded %(amount)s.") % {"amount": format_vnd(refund.amount)})
                else:
                    messages.error(request, _("The refund failed: %(message)s") % {"message": refund.message})
                return redirect("seller:fulfilment", number=self.object.number)
        return self.render_to_response(self.get_context_data(refund_form=form), status=400)


class StatementView(SellerMixin, TemplateView):
    """The seller's statement for a period, on screen or as CSV/XLSX (?format=csv|xlsx)."""

    template_name = "vendors/seller/statement.html"

    def get(self, request, *args, **kwargs):
        from django.http import HttpResponse

        from .exports import statement_csv, statement_xlsx
        from .ledger import statement_for

        date_from, date_to = period_from_params(request.GET)
        statement = statement_for(vendor=self.vendor, date_from=date_from, date_to=date_to)
        name = f"doi-soat-{self.vendor.code}-{date_from:%Y%m%d}-{date_to:%Y%m%d}"
        if request.GET.get("format") == "csv":
            response = HttpResponse(statement_csv(statement), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
            return response
        if request.GET.get("format") == "xlsx":
            response = HttpResponse(
                statement_xlsx(statement),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
            return response
        return self.render_to_response(self.get_context_data(statement=statement))


class ProductListView(SellerMixin, ListView):
    template_name = "vendors/seller/product_list.html"
    context_object_name = "products"
    paginate_by = 30

    def get_queryset(self):
        from catalogue.certificates import certificates_expiring_for_vendor
        from catalogue.listings import products_for_vendor

        return products_for_vendor(vendor=self.vendor).order_by("-date_updated", "-pk")


class ProductFormView(SellerMixin, TemplateView):
    """Create (no pk) or edit (pk of one of the seller's own products; anything else is a 404)."""

    template_name = "vendors/seller/product_form.html"

    def get_product(self):
        from catalogue.certificates import certificates_expiring_for_vendor
        from catalogue.listings import products_for_vendor

        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(products_for_vendor(vendor=self.vendor), pk=self.kwargs["pk"])

    def initial(self, product):
        if product is None:
            return {"stock": 0}
        record = product.stockrecords.filter(partner=self.vendor.partner).first()
        from carriers.services import product_parcel_initial

        return {**product_parcel_initial(product), "title": product.title, "description": product.description,
                "ocop_code": product.ocop_classification.code if product.ocop_classification_id else "",
                "sales_unit": product.sales_unit, "is_typical_specialty": product.is_typical_specialty,
                "other_certifications": product.other_certifications,
                "price": int(record.price) if record and record.price is not None else None,
                "stock": record.num_in_stock if record else 0}

    def vat_rate(self, product):
        from invoicing.selectors import product_vat_rate_initial

        return product_vat_rate_initial(vendor=self.vendor, product=product)

    def get(self, request, *args, **kwargs):
        product = self.get_product()
        return self.render_to_response(self.get_context_data(
            product=product, form=self.form_class()(initial=self.initial(product), with_certificate=product is None,
                                                    vat_rate=self.vat_rate(product))))

    @staticmethod
    def form_class():
        from .forms import ListingForm

        return ListingForm

    def post(self, request, *args, **kwargs):
        from django.db import transaction

        from carriers.services import product_parcel_from_form
        from catalogue.listings import listing_create, listing_update
        from invoicing.services import product_vat_rate_set

        product = self.get_product()
        form = self.form_class()(request.POST, request.FILES, with_certificate=product is None,
                                 vat_rate=self.vat_rate(product))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(product=product, form=form), status=400)
        data = form.cleaned_data
        if product is None:
            with transaction.atomic():  # the VAT rate is saved with the product, or neither is
                product = listing_create(vendor=self.vendor, user=request.user, data=form.listing_data(),
                                         price=data["price"], stock=data["stock"], image=data["image"],
                                         certificate=form.certificate())
                if data.get("vat_rate"):
                    product_vat_rate_set(product=product, rate=data["vat_rate"])
                product_parcel_from_form(product=product, data=data)
            messages.success(request, _("Product saved. It will appear once the department approves it."))
        else:
            with transaction.atomic():
                change = listing_update(product=product, vendor=self.vendor, user=request.user,
                                        data=form.listing_data(), price=data["price"], stock=data["stock"],
                                        image=data["image"])
                if data.get("vat_rate"):
                    product_vat_rate_set(product=product, rate=data["vat_rate"])
                product_parcel_from_form(product=product, data=data)
            messages.success(request, _("Changes sent for moderation; price and stock are updated now.")
                             if change else _("Product updated."))
        return redirect("seller:products")


class WorkspaceHomeView(SellerMixin, TemplateView):
    template_name = "vendors/seller/home.html"

    def get_context_data(self, **kwargs):
        from catalogue.certificates import certificates_expiring_for_vendor
        from catalogue.listings import products_for_vendor

        from .ledger import statement_for

        ctx = super().get_context_data(**kwargs)
        from django.utils import timezone

        today = timezone.localdate()
        ctx["open_parts"] = selectors.fulfilments_for_vendor(vendor=self.vendor).filter(
            status__in=[Fulfilment.NEW, Fulfilment.CONFIRMED]).count()
        ctx["product_count"] = products_for_vendor(vendor=self.vendor).count()
        ctx["balance"] = statement_for(vendor=self.vendor, date_from=today, date_to=today).closing_balance
        ctx["expiring_certificates"] = list(certificates_expiring_for_vendor(vendor=self.vendor, today=today))
        for certificate in ctx["expiring_certificates"]:
            certificate.days = certificate.days_left(today)
        return ctx


class StorefrontProfileView(SellerMixin, TemplateView):
    template_name = "vendors/seller/profile.html"

    def form(self, data=None, files=None):
        from .forms import StorefrontProfileForm

        return StorefrontProfileForm(data, files, instance=self.vendor)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.form()))

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        form.save()
        messages.success(request, _("Storefront profile saved."))
        return redirect("seller:profile")
