"""The department's review: the queue, one application with everything in full, and the decisions."""
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from privacy.models import AccessLogEntry
from privacy.services import access_log

from . import selectors, services
from .forms import DecisionForm, QueueFilterForm

DECISIONS = {
    DecisionForm.APPROVE: (services.vendor_application_approve,
                           gettext_lazy("The application was approved; the seller account is ready.")),
    DecisionForm.REJECT: (services.vendor_application_reject, gettext_lazy("The application was rejected.")),
    DecisionForm.REQUEST_CHANGES: (services.vendor_application_request_changes,
                                   gettext_lazy("The application was sent back for changes.")),
}


class ReviewerRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    def test_func(self):
        return selectors.user_is_reviewer(self.request.user)


class QueueView(ReviewerRequiredMixin, ListView):
    template_name = "onboarding/review/queue.html"
    context_object_name = "applications"
    paginate_by = 25

    def get_queryset(self):
        self.filter_form = QueueFilterForm(self.request.GET or None)
        filters = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        filters = {key: filters.get(key, "") for key in ("status", "seller_type", "former_district", "assisted")}
        return selectors.applications_for_review(**filters)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(filter_form=self.filter_form, querystring=query.urlencode())
        return context


class ApplicationReviewView(ReviewerRequiredMixin, View):
    """Everything the applicant sent, personal numbers in full (the one page where they are)."""

    def get_application(self, pk):
        return get_object_or_404(selectors.applications_for_review(), pk=pk)

    def get(self, request, pk, form=None):
        application = self.get_application(pk)
        # The full citizen ID and bank account are on this page: every view is in the access log.
        access_log(request=request, action=AccessLogEntry.VIEW, record=application, label=application.reference,
                   fields="representative_id_number, bank_account_number, tax_code")
        return render(request, "onboarding/review/application.html", {
            "application": application, "documents": application.documents.all(),
            "products": application.products.select_related("classification", "certificate_document"),
            "events": application.events.select_related("actor"),
            "decision_form": form or DecisionForm(),
            "can_decide": application.status == application.SUBMITTED,
        })

    def post(self, request, pk):
        application = self.get_application(pk)
        form = DecisionForm(request.POST)
        if not form.is_valid():
            return self.get(request, pk, form=form)
        service, done = DECISIONS[form.cleaned_data["action"]]
        try:
            service(application=application, reviewer=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except IntegrityError:
            messages.error(request, _("Another decision was saved at the same moment; please try again."))
        else:
            messages.success(request, done)
        return redirect("review:application", pk=pk)
