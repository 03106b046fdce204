"""The department's follow-up of carriers, at /so-cong-thuong/van-chuyen/."""
from django.urls import path

from . import views

app_name = "carriers-office"
urlpatterns = [
    path("doi-soat-cod/", views.RemittanceView.as_view(), name="remittances"),
    path("bao-cao/", views.DeliveryReportView.as_view(), name="report"),
]
