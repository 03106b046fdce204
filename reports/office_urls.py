"""The department's office home and the queues that have no other app's page, under /so-cong-thuong/."""
from django.urls import path

from . import office

app_name = "office"

urlpatterns = [
    path("", office.OfficeHomeView.as_view(), name="home"),
    path("hoa-don-tre-han/", office.LateInvoiceListView.as_view(), name="late-invoices"),
    path("hoan-tien/", office.RefundListView.as_view(), name="refunds"),
]
