"""Reads of invoices, scoped in one place: a seller sees only its own, a shopper only its order's."""
from django.db.models import Exists, OuterRef

from .models import DeadlineAlert, Invoice, ProductVatRate, SellerInvoicingProfile

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


def is_own_provider(*, vendor):
    return SellerInvoicingProfile.objects.filter(vendor=vendor, mode=SellerInvoicingProfile.MODE_OWN_PROVIDER).exists()


def deadline_alerts_for_vendor(*, vendor):
    """R9 alerts of the seller whose part still has no issued (and, for C symbols, coded) invoice."""
    from .deadlines import satisfied_invoices

    return (DeadlineAlert.objects.filter(vendor=vendor)
            .filter(~Exists(satisfied_invoices().filter(fulfilment=OuterRef("fulfilment_id"))))
            .select_related("fulfilment").order_by("delivered_on", "pk"))


def product_vat_rate_initial(*, vendor, product=None):
    """The VAT rate to show on the seller's product form, or None when the seller issues no VAT invoices
    (direct method, or no invoicing through the marketplace): then the form has no VAT field at all."""
    profile = SellerInvoicingProfile.objects.filter(vendor=vendor).first()
    if (profile is None or profile.mode == SellerInvoicingProfile.MODE_NONE
            or profile.vat_method != SellerInvoicingProfile.METHOD_CREDIT):
        return None
    if product is not None:
        rate = ProductVatRate.objects.filter(product=product).values_list("rate", flat=True).first()
        if rate:
            return rate
    return profile.default_vat_rate
