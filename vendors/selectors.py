from django.db.models import Count, Q

from .models import Fulfilment, Vendor


def active_vendors():
    return Vendor.objects.filter(is_active=True).select_related("partner", "commune", "former_district")


def vendors_with_product_counts():
    return active_vendors().annotate(
        product_count=Count("partner__stockrecords__product", filter=Q(partner__stockrecords__product__is_public=True),
                            distinct=True)
    )


def shipping_fees_for_basket(basket, fees=None):
    """[(vendor, items_total, fee)] for a basket, one entry per seller, in basket order (integer đồng).

    ``items_total`` is the seller's goods after offers (whole đồng), the amount its free-shipping
    threshold applies to, as for the order's parts (``vendors.amounts``).
    """
    from .amounts import basket_parts

    return [(part.vendor, part.items_total, part.shipping_fee) for part in basket_parts(basket, fees)]


def fulfilments_for_vendor(*, vendor):
    """A seller's own order parts, once released to it (paid, or cash on delivery)."""
    return (
        Fulfilment.objects.filter(vendor=vendor, is_released=True)
        .select_related("order", "order__shipping_address", "vendor")
    )


def with_payment_method(queryset):
    """Annotate each part with ``payment_method`` ("vnpay" or "cod"): the order's one payment."""
    from django.db.models import OuterRef, Subquery

    from payments.models import Payment  # payments builds on vendors: imported when asked

    method = Payment.objects.filter(order_id=OuterRef("order_id")).order_by("-pk").values("method")[:1]
    return queryset.annotate(payment_method=Subquery(method))


def vendor_for_user(user):
    """The seller a logged-in user works for (through Oscar's ``Partner.users``), or None."""
    if not user.is_authenticated:
        return None
    return Vendor.objects.select_related("partner", "commune").filter(partner__users=user, is_active=True).first()
