"""The applicant's side: the step-by-step application, its status, and private document downloads.

Views only fetch through the selectors (anything not the user's is a 404) and call the services.
"""
import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.http import require_POST

from privacy.forms import ConsentForm
from privacy.models import AccessLogEntry, ConsentRecord
from privacy.services import access_log, consent_record

from . import selectors, services
from .forms import AddressForm, BankForm, ContactForm, DocumentForm, IdentityForm, ProductForm

#: (key, URL slug, title, form) in the order the applicant goes through them.
STEPS = (
    ("identity", "loai-hinh", gettext_lazy("Seller type and identity"), IdentityForm),
    ("contact", "nguoi-dai-dien", gettext_lazy("Representative and contact"), ContactForm),
    ("address", "dia-chi", gettext_lazy("Address"), AddressForm),
    ("bank", "ngan-hang", gettext_lazy("Bank account"), BankForm),
    ("documents", "tai-lieu", gettext_lazy("Documents"), None),
    ("products", "san-pham", gettext_lazy("Products"), None),
    ("review", "xac-nhan", gettext_lazy("Review and submit"), None),
)
STEP_BY_SLUG = {slug: (index, key, title, form) for index, (key, slug, title, form) in enumerate(STEPS)}
SLUG_BY_KEY = {key: slug for key, slug, _title, _form in STEPS}


def step_url(application, key):
    return reverse("onboarding:step", kwargs={"pk": application.pk, "step": SLUG_BY_KEY[key]})


def status_url(application):
    return reverse("onboarding:status", kwargs={"pk": application.pk})


class ApplyView(LoginRequiredMixin, View):
    """Entry point: resume the open application, or offer to start one (POST creates it)."""

    def get(self, request, consent_form=None):
        application = selectors.application_open_for_applicant(user=request.user)
        if application is not None:
            return redirect(step_url(application, "identity"))
        return render(request, "onboarding/apply_start.html", {
            "applications": selectors.applications_of_applicant(user=request.user),
            "is_assistant": selectors.user_is_assistant(request.user),
            "consent_form": consent_form or ConsentForm(),
        })

    def post(self, request):
        consent_form = ConsentForm(request.POST)
        if not consent_form.is_valid():
            return self.get(request, consent_form=consent_form)
        application = services.vendor_application_start(user=request.user)
        consent_record(purpose=ConsentRecord.SELLER_APPLICATION, user=request.user, application=application)
        return redirect(step_url(application, "identity"))


class ApplicationMixin(LoginRequiredMixin):
    """The application in the URL, if the user is its applicant or assistant; 404 for anyone else."""

    def get_application(self, pk):
        return get_object_or_404(selectors.applications_for_editor(user=self.request.user), pk=pk)


class StepView(ApplicationMixin, View):
    template_name = "onboarding/step.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.application = self.get_application(kwargs["pk"])
        if kwargs["step"] not in STEP_BY_SLUG:
            raise Http404
        self.index, self.key, self.title, self.form_class = STEP_BY_SLUG[kwargs["step"]]
        if not self.application.is_editable:
            messages.info(request, _("This application has been sent; it can no longer be changed."))
            return redirect(status_url(self.application))
        return super().dispatch(request, *args, **kwargs)

    def context(self, **extra):
        application = self.application
        steps = [{"key": key, "title": title, "url": step_url(application, key), "current": key == self.key}
                 for key, _slug, title, _form in STEPS]
        context = {"application": application, "steps": steps, "step_key": self.key, "step_title": self.title,
                   "step_number": self.index + 1, "step_count": len(STEPS),
                   "next_url": step_url(application, STEPS[self.index + 1][0]) if self.index + 1 < len(STEPS) else None,
                   "previous_url": step_url(application, STEPS[self.index - 1][0]) if self.index else None}
        if self.key == "documents":
            context.update(upload_limit=settings.UPLOAD_MAX_BYTES, documents=application.documents.all(),
                           document_form=extra.pop("document_form", None)
                           or DocumentForm())
        elif self.key == "products":
            context.update(products=application.products.select_related("classification", "certificate_document"),
                           product_form=extra.pop("product_form", None) or ProductForm(application=application))
        elif self.key == "review":
            context.update(problems=[(step_url(application, step), message) for step, message in
                                     selectors.application_problems(application=application)],
                           documents=application.documents.all(),
                           products=application.products.select_related("classification"))
        context.update(extra)
        return context

    def get(self, request, pk, step):
        form = self.form_class(instance=self.application) if self.form_class else None
        return render(request, self.template_name, self.context(form=form))

    def post(self, request, pk, step):
        if self.key == "documents":
            return self._post_document()
        if self.key == "products":
            return self._post_product()
        if self.key == "review":
            return self._post_submit()
        form = self.form_class(request.POST, instance=self.application)
        valid = form.is_valid()
        data = form.valid_data()
        try:
            if data:
                services.vendor_application_save(application=self.application, actor=request.user, data=data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(status_url(self.application))
        if not valid:
            messages.warning(request, _("Some fields need correcting (see the messages next to them); "
                                        "the other fields were saved."))
            self.application.refresh_from_db()
            return render(request, self.template_name, self.context(form=form))
        messages.success(request, _("Saved."))
        if "stay" in request.POST:
            return redirect(step_url(self.application, self.key))
        return redirect(step_url(self.application, STEPS[self.index + 1][0]))

    def _post_document(self):
        form = DocumentForm(self.request.POST, self.request.FILES)
        if form.is_valid():
            try:
                services.application_document_add(application=self.application, actor=self.request.user,
                                                  kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"])
            except ValidationError as error:
                form.add_error("file", error)
            else:
                messages.success(self.request, _("The document was uploaded."))
                return redirect(step_url(self.application, "documents"))
        return render(self.request, self.template_name, self.context(document_form=form))

    def _post_product(self):
        form = ProductForm(self.request.POST, application=self.application)
        if form.is_valid():
            try:
                services.application_product_add(application=self.application, actor=self.request.user,
                                                  **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(self.request, _("The product was added."))
                return redirect(step_url(self.application, "products"))
        return render(self.request, self.template_name, self.context(product_form=form))

    def _post_submit(self):
        try:
            services.vendor_application_submit(application=self.application, actor=self.request.user)
        except ValidationError:
            messages.error(self.request, _("The application is not complete yet: see the list below."))
            return render(self.request, self.template_name, self.context())
        messages.success(self.request, _("Your application was sent to the Department of Industry and Trade."))
        return redirect(status_url(self.application))


@method_decorator(require_POST, name="dispatch")
class DocumentDeleteView(ApplicationMixin, View):
    def post(self, request, pk, document_pk):
        application = self.get_application(pk)
        document = get_object_or_404(application.documents, pk=document_pk)
        try:
            services.application_document_delete(document=document, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(step_url(application, "documents"))


@method_decorator(require_POST, name="dispatch")
class ProductDeleteView(ApplicationMixin, View):
    def post(self, request, pk, product_pk):
        application = self.get_application(pk)
        product = get_object_or_404(application.products, pk=product_pk)
        try:
            services.application_product_delete(product=product, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(step_url(application, "products"))


class StatusListView(LoginRequiredMixin, View):
    def get(self, request):
        applications = selectors.applications_of_applicant(user=request.user)
        if len(applications) == 1:
            return redirect(status_url(applications[0]))
        return render(request, "onboarding/status_list.html", {"applications": applications})


class StatusView(ApplicationMixin, View):
    def get(self, request, pk):
        application = self.get_application(pk)
        return render(request, "onboarding/status.html", {
            "application": application, "events": application.events.all(),
            "documents": application.documents.all(),
            "products": application.products.select_related("classification"),
            "edit_url": step_url(application, "identity") if application.is_editable else None,
        })


class DocumentDownloadView(View):
    """The only way to a document's bytes: the applicant, the assistant, reviewers; 404 for anyone else.

    The stored bytes are encrypted (privacy.files): they are decrypted here, after the permission check.

    Images open inline, PDFs are downloaded; both with headers that stop the browser guessing types
    or running anything the file might contain.
    """

    def get(self, request, pk):
        document = selectors.document_for_user(user=request.user, pk=pk)
        if document is None:
            raise Http404
        access_log(request=request, action=AccessLogEntry.DOWNLOAD, record=document,
                   label=f"{document.application.reference}: {document.get_kind_display()}", fields=document.kind)
        try:
            content = document.file.read_plain()
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(io.BytesIO(content), content_type=document.content_type,
                                as_attachment=not document.is_image, filename=document.original_name)
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response


class AssistedListView(LoginRequiredMixin, View):
    """A community digital team member's households: the applications they filed, and a new one."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not selectors.user_is_assistant(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, consent_form=None):
        return render(request, "onboarding/assisted_list.html", {
            "applications": selectors.applications_assisted_by(user=request.user),
            "consent_form": consent_form or ConsentForm(assisted=True)})

    def post(self, request):
        consent_form = ConsentForm(request.POST, assisted=True)
        if not consent_form.is_valid():
            return self.get(request, consent_form=consent_form)
        application = services.vendor_application_start_assisted(assistant=request.user)
        # The household has no account yet: the assistant who heard its consent is recorded, with the time.
        consent_record(purpose=ConsentRecord.SELLER_APPLICATION, application=application, recorded_by=request.user)
        messages.info(request, _("A new application was started on behalf of a household."))
        return redirect(step_url(application, "identity"))
