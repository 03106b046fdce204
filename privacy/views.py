"""The notice, a person's own data page (download, requests), and the department's pages."""
import csv
import datetime
import io

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from marketplace.periods import period_from_params
from marketplace.roles import DepartmentRequiredMixin
from marketplace.spreadsheets import csv_writer

from . import services
from .exports import subject_data_pdf
from .forms import RequestDecisionForm, SubjectRequestForm
from .models import AccessLogEntry, ConsentRecord, DataSubjectRequest, PrivacyNotice


class NoticeView(View):
    def get(self, request):
        notices = PrivacyNotice.objects.in_force()
        notice = notices.filter(version=request.GET["version"]).first() if request.GET.get("version") \
            else notices.first()
        if notice is None:
            raise Http404
        return render(request, "privacy/notice.html", {"notice": notice, "versions": notices})


class MyDataView(LoginRequiredMixin, View):
    def get(self, request, form=None):
        return render(request, "privacy/my_data.html", {
            "page_title": _("My personal data"),
            "form": form or SubjectRequestForm(),
            "consents": ConsentRecord.objects.filter(user=request.user).select_related("notice"),
            "requests": DataSubjectRequest.objects.filter(user=request.user).order_by("-created"),
        })

    def post(self, request):
        form = SubjectRequestForm(request.POST)
        if not form.is_valid():
            return self.get(request, form=form)
        item = services.request_create(user=request.user, kind=form.cleaned_data["kind"],
                                       details=form.cleaned_data["details"])
        messages.success(request, _("Your request %(reference)s was received; the Department answers by "
                                    "%(due)s.") % {"reference": item.reference,
                                                   "due": timezone.localtime(item.due_at).strftime("%d/%m/%Y %H:%M")})
        return redirect("privacy:my-data")


class MyDataExportView(LoginRequiredMixin, View):
    """The person's own data, as JSON (machine-readable), CSV (opens in a spreadsheet) or PDF (to read)."""

    CONTENT_TYPES = {"json": "application/json; charset=utf-8", "csv": "text/csv; charset=utf-8",
                     "pdf": "application/pdf"}

    def get(self, request, fmt):
        if fmt not in self.CONTENT_TYPES:
            raise Http404
        data = services.subject_data(request.user)
        services.access_log(request=request, action=AccessLogEntry.EXPORT, record=request.user,
                            fields=f"own data ({fmt})", label=request.user.get_username())
        stamp = timezone.localdate().strftime("%Y%m%d")
        if fmt == "json":
            response = HttpResponse(services.subject_data_json(data), content_type=self.CONTENT_TYPES[fmt])
        elif fmt == "pdf":
            response = HttpResponse(subject_data_pdf(data, user=request.user), content_type=self.CONTENT_TYPES[fmt])
        else:
            buffer = io.StringIO()
            writer = csv_writer(buffer)
            writer.writerow([_("Section"), _("Item no."), _("Field"), _("Stored value")])
            writer.writerows(services.subject_data_rows(data))
            response = HttpResponse("\ufeff" + buffer.getvalue(), content_type=self.CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="du-lieu-ca-nhan-{stamp}.{fmt}"'
        response["Cache-Control"] = "private, no-store"
        return response


class RequestQueueView(DepartmentRequiredMixin, View):
    """Requests to answer by hand, the most urgent first, each with its legal deadline."""

    def get(self, request, forms=None):
        status = request.GET.get("status", DataSubjectRequest.OPEN)
        items = DataSubjectRequest.objects.select_related("user", "handled_by")
        if status in dict(DataSubjectRequest.STATUS_CHOICES):
            items = items.filter(status=status)
        page = Paginator(items.order_by("due_at", "pk"), 50).get_page(request.GET.get("page"))
        return render(request, "privacy/department/requests.html", {
            "page_obj": page, "items": page.object_list, "status": status, "forms": forms or {},
            "statuses": DataSubjectRequest.STATUS_CHOICES, "now": timezone.now()})

    def post(self, request):
        item = get_object_or_404(DataSubjectRequest, pk=request.POST.get("request"))
        form = RequestDecisionForm(request.POST)
        if not form.is_valid():
            return self.get(request, forms={item.pk: form})
        services.request_close(data_request=item, actor=request.user, status=form.cleaned_data["status"],
                               answer=form.cleaned_data["answer"])
        messages.success(request, _("Request %(reference)s closed.") % {"reference": item.reference})
        return redirect("privacy:department-requests")


class AccessLogView(DepartmentRequiredMixin, View):
    """Who saw or exported which personal data, for a period; ?format=csv exports it (breach reports)."""

    def get(self, request):
        start, end = period_from_params(request.GET)
        tz = timezone.get_current_timezone()
        since = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
        until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
        entries = AccessLogEntry.objects.filter(at__gte=since, at__lt=until).order_by("-at", "-pk")
        if request.GET.get("format") == "csv":
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response.write("\ufeff")
            writer = csv_writer(response)
            writer.writerow([_("When"), _("Who"), _("What was done"), _("Record concerned"), _("Record id"), _("Data"),
                             _("IP address")])
            for entry in entries.iterator():
                writer.writerow([timezone.localtime(entry.at).strftime("%d/%m/%Y %H:%M:%S"), entry.actor_label,
                                 entry.get_action_display(), entry.record_label or entry.record_type,
                                 f"{entry.record_type}#{entry.record_id}", entry.fields, entry.ip_address or ""])
            response["Content-Disposition"] = (f'attachment; filename="nhat-ky-du-lieu-ca-nhan-'
                                               f'{start:%Y%m%d}-{end:%Y%m%d}.csv"')
            # the export itself is an access to personal data: logged after the rows were read
            services.access_log(request=request, action=AccessLogEntry.EXPORT, record=request.user,
                                fields=f"access log {start:%d/%m/%Y}-{end:%d/%m/%Y}",
                                label=request.user.get_username())
            return response
        page = Paginator(entries, 100).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(request, "privacy/department/access_log.html", {
            "page_obj": page, "entries": page.object_list, "start": start, "end": end,
            "querystring": query.urlencode()})
