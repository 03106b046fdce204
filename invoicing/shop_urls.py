"""The shopper's invoice PDF for an order; mounted under /hoa-don/."""
from django.urls import path

from . import views

app_name = "shop-invoices"

urlpatterns = [
    path("<str:order_number>/<int:pk>/", views.ShopperInvoicePdfView.as_view(), name="pdf"),
    path("<str:order_number>/<str:hash>/<int:pk>/", views.ShopperInvoicePdfView.as_view(), name="anon-pdf"),
]
