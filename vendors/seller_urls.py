"""The seller workspace, at /ban-hang/."""
from django.urls import path

from . import seller_views

app_name = "seller"

urlpatterns = [
    path("don-hang/", seller_views.FulfilmentListView.as_view(), name="fulfilments"),
    path("don-hang/<str:number>/", seller_views.FulfilmentDetailView.as_view(), name="fulfilment"),
    path("doi-soat/", seller_views.StatementView.as_view(), name="statement"),
]
