"""Public endpoints: the checkout's live fees and the carriers' webhooks."""
from django.urls import path

from . import views

app_name = "carriers"
urlpatterns = [
    path("phi/", views.checkout_fees, name="checkout-fees"),
    path("webhooks/ghn/<str:token>/", views.ghn_webhook, name="webhook-ghn"),
    path("webhooks/vnpost/", views.vnpost_webhook, name="webhook-vnpost"),
    path("webhooks/<str:carrier>/doi-soat/", views.remittance_webhook, name="remittance-webhook"),
]
