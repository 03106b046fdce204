"""Bench-only URLconf: the shop's URLs plus ``/bench/trivial/``, the stack's ceiling (bench/load.py).

Selected by bench/settings.py only; production URLs are unchanged.
"""
from django.urls import path

from bench.trivial import trivial
from marketplace.urls import urlpatterns as shop_urlpatterns

# First: Wagtail's catch-all at the end of the shop's patterns would answer 404 otherwise.
urlpatterns = [path("bench/trivial/", trivial, name="bench-trivial"), *shop_urlpatterns]
