"""The department checks OCOP certificates against its records before the badge shows."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from marketplace.roles import DepartmentRequiredMixin

from .certificates import certificate_reject, certificate_verify
from .models import OcopCertificate


def certificates_for_review():
    return OcopCertificate.objects.select_related("product", "classification", "verified_by").prefetch_related(
        "product__stockrecords__partner__vendor")


class CertificateListView(DepartmentRequiredMixin, ListView):
    template_name = "catalogue/review/certificate_list.html"
    context_object_name = "certificates"
    paginate_by = 30

    def get_queryset(self):
        self.status = self.request.GET.get("status") or OcopCertificate.STATUS_PENDING
        queryset = certificates_for_review().order_by("expiry_date", "pk")
        if self.status in dict(OcopCertificate.STATUS_CHOICES):
            queryset = queryset.filter(status=self.status)
        elif self.status == "expiring":  # verified, expiring soon: the count on the department's home
            from .certificates import certificates_expiring

            queryset = queryset.filter(pk__in=certificates_expiring().values("pk"))
        return queryset

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(status=self.status, status_choices=[
            *OcopCertificate.STATUS_CHOICES, ("expiring", _("Expiring within 60 days"))])
        return ctx


class CertificateDetailView(DepartmentRequiredMixin, DetailView):
    template_name = "catalogue/review/certificate_detail.html"
    context_object_name = "certificate"

    def get_queryset(self):
        return certificates_for_review()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["events"] = self.object.events.select_related("actor")
        return ctx

    def post(self, request, *args, **kwargs):
        self.object = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        action, reason = request.POST.get("action"), request.POST.get("reason", "").strip()[:255]
        try:
            if action == "verify":
                certificate_verify(certificate=self.object, reviewer=request.user, reason=reason)
            elif action == "reject":
                certificate_reject(certificate=self.object, reviewer=request.user, reason=reason)
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as exc:
            ctx = self.get_context_data(error=" ".join(exc.messages))
            return self.render_to_response(ctx, status=400)
        messages.success(request, _("Certificate %(number)s updated.") % {"number": self.object.number})
        return redirect("certificates:list")


class ListingChangeListView(DepartmentRequiredMixin, ListView):
    template_name = "catalogue/review/listing_list.html"
    context_object_name = "changes"
    paginate_by = 30

    def get_queryset(self):
        from .models import ListingChange

        return (ListingChange.objects.filter(status=ListingChange.PENDING)
                .select_related("product", "vendor__partner", "submitted_by").order_by("created", "pk"))


class ListingChangeDetailView(DepartmentRequiredMixin, DetailView):
    template_name = "catalogue/review/listing_detail.html"
    context_object_name = "change"

    def get_queryset(self):
        from .models import ListingChange

        return ListingChange.objects.select_related("product", "vendor__partner", "product__ocop_classification")

    def get_context_data(self, **kwargs):
        from .listings import listing_change_diff

        ctx = super().get_context_data(**kwargs)
        image = self.object.product.primary_image()
        ctx.update(rows=listing_change_diff(self.object),
                   current_image=image if getattr(image, "pk", None) else None)
        return ctx

    def post(self, request, *args, **kwargs):
        from .listings import listing_change_approve, listing_change_reject

        self.object = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        action, reason = request.POST.get("action"), request.POST.get("reason", "").strip()[:255]
        try:
            if action == "approve":
                listing_change_approve(change=self.object, reviewer=request.user, reason=reason)
            elif action == "reject":
                listing_change_reject(change=self.object, reviewer=request.user, reason=reason)
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as exc:
            return self.render_to_response(self.get_context_data(error=" ".join(exc.messages)), status=400)
        messages.success(request, _("Listing of “%(title)s” reviewed.") % {"title": self.object.product.title})
        return redirect("listings:list")
