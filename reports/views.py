"""Department reports: the dashboard, its exports, the indicator sheet and the certified OCOP totals.

Thin views: the figures come from ``selectors.build_report``, the layout from ``tables``; access is the
department's (``DepartmentRequiredMixin``: anonymous → login, anybody else → 403).
"""
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from marketplace.roles import DepartmentRequiredMixin

from . import exports
from .charts import report_charts
from .forms import CertifiedTotalForm
from .indicators import indicator_sheet
from .models import CertifiedOcopTotal, CertifiedOcopTotalChange
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
        ctx.update({"report": report, "sections": sections, "previous": report.previous, "kpis": kpis})
        return ctx


class ExportView(DepartmentRequiredMixin, PeriodMixin, TemplateView):
    """?format=xlsx|csv|pdf|open-data for the period of the dashboard."""

    FORMATS = {
        "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
        "csv": ("text/csv; charset=utf-8", "csv"),
        "open-data": ("text/csv; charset=utf-8", "csv"),
        "pdf": ("application/pdf", "pdf"),
    }

    def get(self, request, *args, **kwargs):
        fmt = kwargs["fmt"]
        if fmt not in self.FORMATS:
            raise Http404("Unknown export format")
        period, error = self.get_period()
        if error:
            return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
        report = cached_report(period)
        content_type, extension = self.FORMATS[fmt]
        body = {"xlsx": exports.report_xlsx, "csv": exports.report_csv, "open-data": exports.open_data_csv,
                "pdf": exports.report_pdf}[fmt](report)
        name = f"bao-cao-ocop-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
        if fmt == "open-data":
            name = f"du-lieu-mo-ocop-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
        return response


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
