"""Stock Oscar's URLs (as its documentation wires them) plus the same trivial view as bench/urls.py."""
from django.apps import apps
from django.urls import include, path

from bench.trivial import trivial

urlpatterns = [
    path("bench/trivial/", trivial, name="bench-trivial"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include(apps.get_app_config("oscar").urls[0])),
]
