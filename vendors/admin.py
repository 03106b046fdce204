from django.contrib import admin

from .models import Vendor


@admin.register(Vendor)
class VendorAdmin(admin.ModelAdmin):
    list_display = ("code", "legal_name", "seller_type", "commune", "former_district", "is_active")
    list_filter = ("seller_type", "former_district", "is_active")
    search_fields = ("code", "legal_name", "partner__name")
    raw_id_fields = ("partner",)
