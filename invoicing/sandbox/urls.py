"""The e-invoice provider emulator; the project mounts it at /sandbox/einvoice/ when EINVOICE_SANDBOX_ENABLED."""
from django.urls import path

from . import views

app_name = "einvoice_sandbox"
urlpatterns = [
    path("api/invoices", views.submit, name="submit"),
    path("api/invoices/<str:key>", views.retrieve, name="retrieve"),
    path("control/", views.control, name="control"),
]
