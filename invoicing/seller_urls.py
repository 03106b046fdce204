"""Seller invoice pages; mounted at /ban-hang/hoa-don/."""
from django.urls import path

from . import views

app_name = "invoices"

urlpatterns = [
    path("", views.InvoiceListView.as_view(), name="list"),
    path("cai-dat/", views.InvoicingProfileView.as_view(), name="settings"),
    path("xuat/", views.InvoiceExportView.as_view(), name="export"),
    path("tai-len/", views.InvoiceUploadView.as_view(), name="upload"),
    path("<int:pk>/tai-len/", views.InvoiceUploadView.as_view(), name="upload-one"),
    path("<int:pk>/xml/", views.InvoiceXmlView.as_view(), name="xml"),
    path("<int:pk>/pdf/", views.InvoicePdfView.as_view(), name="pdf"),
]
