from django.db.models import Count, Q

from .models import Vendor


def active_vendors():
    return Vendor.objects.filter(is_active=True).select_related("partner", "commune", "former_district")


def vendors_with_product_counts():
    return active_vendors().annotate(
        product_count=Count("partner__stockrecords__product", filter=Q(partner__stockrecords__product__is_public=True),
                            distinct=True)
    )
