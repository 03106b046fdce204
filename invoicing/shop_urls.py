"""The shopper's invoice PDF for an order, and the provider's callback; mounted under /hoa-don/."""
from django.urls import path

from . import views

app_name = "shop-invoices"

urlpatterns = [
    # The e-invoice provider's answers (server to server); before the order patterns.
    path("nha-cung-cap/thong-bao/", views.ProviderCallbackView.as_view(), name="provider-callback"),
    path("<str:order_number>/<int:pk>/", views.ShopperInvoicePdfView.as_view(), name="pdf"),
    path("<str:order_number>/<str:hash>/<int:pk>/", views.ShopperInvoicePdfView.as_view(), name="anon-pdf"),
]
