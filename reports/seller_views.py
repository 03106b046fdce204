"""A seller's own statistics in the workspace: only its own sales, never another seller's or the province's."""
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.generic import TemplateView

from vendors.selectors import vendor_for_user

from .charts import seller_charts
from .selectors import build_seller_report
from .exports import format_cell
from .tables import PERCENT
from .views import PeriodMixin


class SellerStatisticsView(LoginRequiredMixin, PeriodMixin, TemplateView):
    template_name = "reports/seller_statistics.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.vendor = vendor_for_user(request.user)
            if self.vendor is None:
                raise PermissionDenied("Not a seller")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        period, error = self.get_period()
        if error:
            messages.error(self.request, _("The period could not be read (%(error)s); showing this month.")
                           % {"error": error})
        report = build_seller_report(period, self.vendor)
        t, before = report.transactions, report.previous_transactions
        headline = []
        for key, label in (("orders", pgettext("report", "Orders")),
                           ("fulfilments", pgettext("report", "Seller parts sold (fulfilments)")),
                           ("gmv", pgettext("report", "Gross merchandise value (GMV)")),
                           ("gmv_net", pgettext("report", "GMV net of refunds")),
                           ("aov", pgettext("report", "Average order value"))):
            change = round(100 * (t[key] - before[key]) / before[key], 1) if before[key] else None
            headline.append({"key": key, "label": label, "value": t[key], "previous": before[key], "change": change,
                             "change_text": format_cell(change, PERCENT),
                             "money": key != "orders" and key != "fulfilments"})
        ctx.update(self.period_context(period))
        ctx.update({"vendor": self.vendor, "report": report, "headline": headline, "charts": seller_charts(report),
                    "previous": period.previous()})
        return ctx
