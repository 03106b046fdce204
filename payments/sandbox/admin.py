from django.contrib import admin

from .models import SandboxIpnAttempt, SandboxIpnDelivery, SandboxRefund, SandboxTransaction


class RefundInline(admin.TabularInline):
    model = SandboxRefund
    extra = 0


@admin.register(SandboxTransaction)
class SandboxTransactionAdmin(admin.ModelAdmin):
    list_display = ["txn_ref", "amount", "response_code", "transaction_status", "transaction_no", "pay_date"]
    search_fields = ["txn_ref", "transaction_no"]
    inlines = [RefundInline]


class AttemptInline(admin.TabularInline):
    model = SandboxIpnAttempt
    extra = 0


@admin.register(SandboxIpnDelivery)
class SandboxIpnDeliveryAdmin(admin.ModelAdmin):
    list_display = ["transaction", "status", "max_attempts", "next_attempt_at"]
    list_filter = ["status"]
    inlines = [AttemptInline]
