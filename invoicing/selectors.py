"""Reads of invoices, scoped in one place: a seller sees only its own, a shopper only its order's."""
from .models import Invoice

VISIBLE = (Invoice.ISSUED, Invoice.REPLACED)


def invoices_for_vendor(*, vendor):
    """The seller's issued invoices (and drafts waiting for its provider), newest first."""
    return Invoice.objects.filter(vendor=vendor).exclude(status=Invoice.DISCARDED).select_related("fulfilment")


def invoices_for_order(*, order):
    """Issued invoices of every seller part of one order (what the shopper may download)."""
    return Invoice.objects.filter(fulfilment__order=order, status__in=VISIBLE).order_by("pk")


def invoices_in_period(*, vendor, date_from, date_to):
    """Issued invoices of a seller by invoice date (inclusive), in number order, for exports."""
    return (Invoice.objects.filter(vendor=vendor, status__in=VISIBLE, issue_date__gte=date_from,
                                   issue_date__lte=date_to)
            .order_by("issue_date", "template_number", "symbol", "number"))
