"""Public endpoints: the checkout's live fees and the carriers' webhooks."""
from django.urls import path

from . import views

app_name = "carriers"
urlpatterns = [
    path("phi/", views.checkout_fees, name="checkout-fees"),
    # Before GHN's status hook: "webhooks/ghn/doi-soat/" would otherwise be read as a status call with the
    # token "doi-soat", and GHN's remittance statements would never reach their view.
    path("webhooks/<str:carrier>/doi-soat/", views.remittance_webhook, name="remittance-webhook"),
    path("webhooks/ghn/<str:token>/", views.ghn_webhook, name="webhook-ghn"),
    path("webhooks/vnpost/", views.vnpost_webhook, name="webhook-vnpost"),
]
