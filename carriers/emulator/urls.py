"""The carrier emulator; the project mounts it at /sandbox/carriers/ when CARRIERS_SANDBOX_ENABLED."""
from django.urls import path

from . import views

app_name = "carriers_emulator"
urlpatterns = [
    path("ghn/shiip/public-api/", views.root, name="ghn-root"),
    path("ghn/shiip/public-api/<path:name>", views.ghn_endpoint, name="ghn"),
    path("vnpost/MYVNP_API/", views.root, name="vnpost-root"),
    path("vnpost/MYVNP_API/<path:name>", views.vnpost_endpoint, name="vnpost"),
    path("control/", views.control, name="control"),
]
