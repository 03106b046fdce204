from django.db.models import Count, Q

from .models import Fulfilment, Vendor


def active_vendors():
    return Vendor.objects.filter(is_active=True).select_related("partner", "commune", "former_district")


def vendors_with_product_counts():
    return active_vendors().annotate(
        product_count=Count("partner__stockrecords__product", filter=Q(partner__stockrecords__product__is_public=True),
                            distinct=True)
    )


def shipping_fees_for_basket(basket):
    """[(vendor, items_total, fee)] for a basket, one entry per seller, in basket order (integer đồng)."""
    totals = {}
    for line in basket.all_lines():
        record = line.stockrecord
        if record is None:
            continue
        totals.setdefault(record.partner_id, 0)
        totals[record.partner_id] += int(round(line.line_price_incl_tax or 0))
    vendors = {v.partner_id: v for v in Vendor.objects.filter(partner_id__in=totals).select_related("partner")}
    return [(vendors[pid], total, vendors[pid].shipping_fee_for(total)) for pid, total in totals.items() if pid in vendors]


def fulfilments_for_vendor(*, vendor):
    """A seller's own order parts, once released to it (paid, or cash on delivery)."""
    return (
        Fulfilment.objects.filter(vendor=vendor, is_released=True)
        .select_related("order", "order__shipping_address", "vendor")
    )


def vendor_for_user(user):
    """The seller a logged-in user works for (through Oscar's ``Partner.users``), or None."""
    if not user.is_authenticated:
        return None
    return Vendor.objects.select_related("partner", "commune").filter(partner__users=user, is_active=True).first()
