"""The department's office at /so-cong-thuong/: the work waiting, this month's key figures, one menu.

Each count on the home is the size of a queue page, and both read the same queryset below (``QUEUES``), so
a count always says how many rows its link shows. Two queues had no page of their own (invoices late under
R9 and refunds not settled); they live here.
"""
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.generic import ListView, TemplateView

from marketplace.roles import DepartmentRequiredMixin

def applications_waiting():
    from onboarding.models import VendorApplication

    return VendorApplication.objects.filter(status=VendorApplication.SUBMITTED)


def applications_sent_back():
    from onboarding.models import VendorApplication

    return VendorApplication.objects.filter(status=VendorApplication.CHANGES_REQUESTED)


def certificates_to_verify():
    from catalogue.models import OcopCertificate

    return OcopCertificate.objects.filter(status=OcopCertificate.STATUS_PENDING)


def certificates_expiring():
    """Verified certificates expiring within 60 days (the rule is catalogue's, shared with the sellers' warning)."""
    from catalogue.certificates import certificates_expiring

    return certificates_expiring()


def listings_to_moderate():
    from catalogue.models import ListingChange

    return ListingChange.objects.filter(status=ListingChange.PENDING)


def invoices_late():
    """Delivered parts alerted under R9 that still have no invoice meeting the rule."""
    from invoicing.deadlines import satisfied_invoices
    from invoicing.models import DeadlineAlert

    return DeadlineAlert.objects.filter(~Exists(satisfied_invoices().filter(fulfilment=OuterRef("fulfilment_id"))))


def payouts_due():
    """Sellers the marketplace owes money to (a positive ledger balance)."""
    from vendors.ledger import vendors_with_balance

    return vendors_with_balance().filter(balance__gt=0)


def refunds_open():
    """Refunds still waiting for VNPay's answer, or refused and to be done again."""
    from payments.models import Refund

    return Refund.objects.filter(status__in=(Refund.PENDING, Refund.FAILED))


@dataclass
class Queue:
    key: str
    label: str
    queryset: object
    url: str
    hint: str = ""


def queues():
    """The work waiting, in the order a reviewer goes through it."""
    return [
        Queue("applications", _("Seller applications to review"), applications_waiting,
              reverse("review:queue") + "?status=submitted"),
        Queue("applications_back", _("Applications sent back to the applicant"), applications_sent_back,
              reverse("review:queue") + "?status=changes_requested", _("waiting for the applicant")),
        Queue("certificates", _("OCOP certificates to verify"), certificates_to_verify,
              reverse("certificates:list") + "?status=pending"),
        Queue("expiring", _("Certificates expiring within 60 days"), certificates_expiring,
              reverse("certificates:list") + "?status=expiring"),
        Queue("listings", _("Product listings to moderate"), listings_to_moderate, reverse("listings:list")),
        Queue("late_invoices", _("Invoices late (rule R9)"), invoices_late, reverse("office:late-invoices")),
        Queue("payouts", _("Sellers to pay"), payouts_due, reverse("payouts:list") + "?owed=1"),
        Queue("refunds", _("Refunds not settled"), refunds_open, reverse("office:refunds")),
    ]


def menu():
    """Every tool of the department, grouped; the CMS last (it opens Wagtail's own admin)."""
    return [
        (_("Sellers"), [(_("Seller applications"), reverse("review:queue")),
                        (_("Sellers' balances and payouts"), reverse("payouts:list"))]),
        (_("Products"), [(pgettext_lazy("heading", "OCOP certificates"), reverse("certificates:list")),
                         (_("Listing moderation"), reverse("listings:list"))]),
        (_("Orders and invoices"), [(_("Invoices late (rule R9)"), reverse("office:late-invoices")),
                                    (_("Refunds not settled"), reverse("office:refunds")),
                                    (_("Carriers' COD remittances"), reverse("carriers-office:remittances"))]),
        (_("Reports"), [(_("E-commerce report"), reverse("reports:dashboard")),
                        (_("DTI indicator sheet"), reverse("reports:indicators")),
                        (_("Certified OCOP totals"), reverse("reports:certified-totals")),
                        (_("Deliveries by carrier"), reverse("carriers-office:report")),
                        (_("Prepared files"), reverse("reports:export-list"))]),
        (_("Personal data"), [(_("Personal data requests"), reverse("privacy:department-requests")),
                               (_("Personal data access log"), reverse("privacy:department-access-log"))]),
        (_("Website content"), [(_("Pages, news and guides (CMS)"), "/cms/")]),
    ]


class OfficeHomeView(DepartmentRequiredMixin, TemplateView):
    template_name = "reports/office/home.html"

    def get_context_data(self, **kwargs):
        from .exports import format_cell
        from .periods import Period
        from .selectors import cached_report
        from .tables import COUNT, MONEY, PERCENT

        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        work = []
        for queue in queues():
            queue.count = queue.queryset().count()
            work.append(queue)
        period = Period.month(today.year, today.month)
        report = cached_report(period)
        found = {item["key"]: item for item in report.comparison()}
        figures = []
        for key, label, kind in (("orders", pgettext_lazy("report", "Orders"), COUNT), ("gmv", _("Sales value (GMV)"), MONEY),
                                 ("cashless_orders_share", _("Paid without cash"), PERCENT),
                                 ("active_sellers", _("Sellers with sales"), COUNT)):
            figures.append({"key": key, "label": label, "value": format_cell(found[key]["value"], kind),
                            "previous": format_cell(found[key]["previous"], kind)})
        ctx.update(work=work, menu=menu(), period=period, figures=figures,
                   period_query=f"period=month&month={period.start:%m/%Y}")
        return ctx


class LateInvoiceListView(DepartmentRequiredMixin, ListView):
    template_name = "reports/office/late_invoices.html"
    context_object_name = "alerts"
    paginate_by = 50

    def get_queryset(self):
        return invoices_late().select_related("vendor", "fulfilment__order").order_by("deadline", "pk")


class RefundListView(DepartmentRequiredMixin, ListView):
    template_name = "reports/office/refunds.html"
    context_object_name = "refunds"
    paginate_by = 50

    def get_queryset(self):
        return (refunds_open().select_related("payment__order", "fulfilment__vendor", "line")
                .order_by("created", "pk"))

