"""The department's view of what each seller is owed (or owes), and recording payouts."""
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import ListView

from marketplace.periods import parse_date
from marketplace.roles import DepartmentRequiredMixin

from .ledger import payout_record, vendors_with_balance
from .models import Vendor


class BalanceListView(DepartmentRequiredMixin, ListView):
    template_name = "vendors/department/balances.html"
    context_object_name = "vendors"
    paginate_by = 50

    def get_queryset(self):
        queryset = vendors_with_balance().select_related("partner").order_by("-balance", "code")
        self.owed = self.request.GET.get("owed") == "1"
        if self.owed:  # the "sellers to pay" count on the department's home
            queryset = queryset.filter(balance__gt=0)
        return queryset

    def get_context_data(self, **kwargs):
        return super().get_context_data(owed=self.owed, querystring="owed=1" if self.owed else "", **kwargs)

    def post(self, request, *args, **kwargs):
        vendor_id = request.POST.get("vendor", "")
        vendor = get_object_or_404(Vendor, pk=int(vendor_id)) if vendor_id.isdigit() else None
        try:
            if vendor is None:
                raise ValueError(_("Choose a seller."))
            amount = int(request.POST.get("amount", ""))
            paid_on = parse_date(request.POST.get("paid_on"))
            if paid_on is None:
                raise ValueError(_("The payment date must be dd/mm/yyyy."))
            reference = request.POST.get("reference", "").strip()[:64]
            if not reference:
                raise ValueError(_("A bank transfer reference is required."))
            payout_record(vendor=vendor, amount=amount, reference=reference, paid_on=paid_on,
                          recorded_by=request.user)
        except ValueError as exc:
            messages.error(request, _("Payout not recorded: %(error)s") % {"error": exc})
            return redirect("payouts:list")
        messages.success(request, _("Payout to %(name)s recorded.") % {"name": vendor.name})
        return redirect("payouts:list")
