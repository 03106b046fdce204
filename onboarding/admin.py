"""Read-mostly admin: changes of status must go through the services (and leave an event)."""
from django.contrib import admin

from .models import ApplicationEvent, VendorApplication


class EventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "reason", "created"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(VendorApplication)
class VendorApplicationAdmin(admin.ModelAdmin):
    list_display = ["legal_name", "seller_type", "status", "submitted_at", "assisted_by"]
    list_filter = ["status", "seller_type"]
    search_fields = ["legal_name"]
    inlines = [EventInline]
    #: Shown in full only on the department's review page, where each view is logged (privacy app).
    exclude = ["representative_id_number", "bank_account_number", "tax_code_digest"]

    def get_search_results(self, request, queryset, search_term):
        """The tax code is encrypted: a search for a whole tax code matches its keyed digest."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            results |= queryset.with_tax_code(search_term)
        return results, may_have_duplicates

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields if field.name not in self.exclude]

    def has_add_permission(self, request):
        return False
