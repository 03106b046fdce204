"""Department reports: the dashboard, its exports, the indicator sheet and the certified OCOP totals.

Thin views: the figures come from ``selectors.build_report``, the layout from ``tables``; access is the
department's (``DepartmentRequiredMixin``: anonymous → login, anybody else → 403).
"""
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView, TemplateView

from marketplace.roles import DepartmentRequiredMixin

from . import jobs
from .charts import report_charts
from .forms import CertifiedTotalForm
from .indicators import indicator_sheet
from .models import CertifiedOcopTotal, CertifiedOcopTotalChange, ReportExport
from .periods import KIND_CHOICES, Period, PeriodError, period_from_params
from .selectors import cached_report, db_alias
from .services import certified_total_set
from .exports import format_cell
from .tables import PERCENT, build_sections, indicator_table, visible_cells


class PeriodMixin:
    """The period from the query string; an unreadable one falls back to this month with a message."""

    def get_period(self):
        try:
            return period_from_params(self.request.GET), None
        except PeriodError as exc:
            today = timezone.localdate()
            return Period.month(today.year, today.month), str(exc)

    def period_context(self, period):
        return {"period": period, "kinds": KIND_CHOICES, "period_query": _query(period),
                "month_value": f"{period.start:%m/%Y}",
                "quarter_value": f"{(period.start.month - 1) // 3 + 1}/{period.start.year}",
                "year_value": period.start.year}


def _query(period):
    from urllib.parse import urlencode

    return urlencode(period.as_params())


def rendered_sections(sections):
    """Cells formatted for the page (the template only lays them out)."""
    from .exports import format_cell

    for section in sections:
        section.rendered = [{"title": t.title, "columns": [(str(label), kind != "text") for label, kind in t.columns],
                             "rows": [[(format_cell(v, k), k != "text") for v, k in visible_cells(t, row)]
                                      for row in t.rows]}
                            for t in section.tables]
    return sections


def rendered_charts(report):
    """The charts as SVG data URIs; cached with the report when it comes from the rollup (same cache key)."""
    from types import SimpleNamespace

    from django.core.cache import cache
    from django.utils.translation import get_language

    from .selectors import LIVE, report_cache_key, report_source

    key = report_cache_key(report.period, f":svg:{get_language()}") if report_source() is not LIVE else None
    rendered = cache.get(key) if key else None
    if rendered is None:
        rendered = [{"key": c.key, "title": c.title, "alt": c.alt, "src": c.data_uri()} for c in report_charts(report)]
        if key:
            cache.set(key, rendered, 3600)
    return [SimpleNamespace(**chart) for chart in rendered]


class DashboardView(DepartmentRequiredMixin, PeriodMixin, TemplateView):
    template_name = "reports/dashboard.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        period, error = self.get_period()
        if error:
            messages.error(self.request, _("The period could not be read (%(error)s); showing this month.")
                           % {"error": error})
        report = cached_report(period)
        charts = {chart.key: chart for chart in rendered_charts(report)}
        sections = rendered_sections(build_sections(report))
        for section in sections:
            section.chart_list = [charts[key] for key in section.charts if key in charts]
        ctx.update(self.period_context(period))
        kpis = [{"label": row[0][0], "value": row[1][0], "previous": row[2][0], "change": item["change"],
                 "change_text": format_cell(item["change"], PERCENT)}
                for item, row in zip(report.comparison(), sections[0].rendered[0]["rows"])]
        ctx.update({"report": report, "sections": sections, "previous": report.previous, "kpis": kpis,
                    "export_buttons": [(fmt, label, jobs.is_quick(period, fmt)) for fmt, label in FORMAT_LABELS.items()],
                    "any_job": not all(jobs.is_quick(period, fmt) for fmt in FORMAT_LABELS)})
        return ctx


class ExportView(DepartmentRequiredMixin, PeriodMixin, TemplateView):
    """XLSX, CSV, PDF or open-data CSV of the dashboard's period.

    A month (``jobs.is_quick``) is answered at once. A longer period is prepared in the background: GET shows
    the file's page (the one already made for the same data, or a button to prepare it), POST asks for it.
    """

    template_name = "reports/export_prepare.html"

    def _period_and_format(self):
        fmt = self.kwargs["fmt"]
        if fmt not in jobs.FORMATS:
            raise Http404("Unknown export format")
        period, error = self.get_period()
        return fmt, period, error

    def get(self, request, *args, **kwargs):
        fmt, period, error = self._period_and_format()
        if error:
            return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
        if jobs.is_quick(period, fmt):
            body = jobs.render(fmt, cached_report(period))
            response = HttpResponse(body, content_type=jobs.FORMATS[fmt][0])
            response["Content-Disposition"] = f'attachment; filename="{jobs.filename(fmt, period)}"'
            return response
        ctx = self.get_context_data(fmt=fmt, label=FORMAT_LABELS[fmt], **self.period_context(period))
        return self.render_to_response(ctx)

    def post(self, request, *args, **kwargs):
        fmt, period, error = self._period_and_format()
        if error:
            return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
        export, _created = jobs.export_request(period=period, fmt=fmt, user=request.user)
        return redirect("reports:export-job", pk=export.pk)


#: How each format is named on the pages.
FORMAT_LABELS = {"xlsx": "XLSX", "csv": "CSV", "pdf": "PDF", "open-data": gettext_lazy("Open data (CSV)")}


class ExportJobView(DepartmentRequiredMixin, TemplateView):
    """One prepared file: its progress while a worker builds it (the page reloads itself), then the link."""

    template_name = "reports/export_job.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        export = get_object_or_404(ReportExport.objects.defer("content"), pk=kwargs["pk"])
        period = Period(export.period_start, export.period_end, export.period_kind)
        ctx.update(export=export, period=period, label=FORMAT_LABELS.get(export.fmt, export.fmt),
                   period_query=_query(period),
                   working=export.status in (ReportExport.PENDING, ReportExport.RUNNING),
                   stale=export.status == ReportExport.READY and export.data_version != jobs.data_version())
        return ctx


class ExportDownloadView(DepartmentRequiredMixin, View):
    def get(self, request, pk):
        export = get_object_or_404(ReportExport, pk=pk, status=ReportExport.READY)
        response = HttpResponse(bytes(export.content), content_type=export.content_type)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        return response


class ExportListView(DepartmentRequiredMixin, ListView):
    """The files prepared lately (any department user's: they hold aggregates only)."""

    template_name = "reports/export_list.html"
    context_object_name = "exports"
    paginate_by = 30

    def get_queryset(self):
        return ReportExport.objects.defer("content").select_related("requested_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        for export in ctx["exports"]:
            export.period = Period(export.period_start, export.period_end, export.period_kind)
            export.label = FORMAT_LABELS.get(export.fmt, export.fmt)
        return ctx


class IndicatorSheetView(DepartmentRequiredMixin, PeriodMixin, TemplateView):
    template_name = "reports/indicators.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        period, error = self.get_period()
        if error:
            messages.error(self.request, _("The period could not be read (%(error)s); showing this month.")
                           % {"error": error})
        report = cached_report(period)
        table = indicator_table(indicator_sheet(report))
        from .exports import format_cell

        rows = [[format_cell(v, k) for v, k in visible_cells(table, row)] for row in table.rows]
        ctx.update(self.period_context(period))
        ctx.update({"report": report, "columns": [str(label) for label, _ in table.columns], "rows": rows})
        return ctx


class CertifiedTotalView(DepartmentRequiredMixin, TemplateView):
    """The province's certified OCOP total per year: list, history and a form to set a year's figure."""

    template_name = "reports/certified_totals.html"

    def get_context_data(self, form=None, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["form"] = form or CertifiedTotalForm(initial={"year": timezone.localdate().year})
        ctx["totals"] = CertifiedOcopTotal.objects.using(db_alias()).select_related("updated_by")
        ctx["changes"] = CertifiedOcopTotalChange.objects.using(db_alias()).select_related("actor")[:50]
        return ctx

    def post(self, request, *args, **kwargs):
        form = CertifiedTotalForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        certified_total_set(actor=request.user, **form.cleaned_data)
        messages.success(request, _("The certified total of %(year)s is now %(total)s.") % form.cleaned_data)
        return redirect("reports:certified-totals")
