from django.urls import path

from . import seller_views

app_name = "seller_reports"
urlpatterns = [
    path("", seller_views.SellerStatisticsView.as_view(), name="statistics"),
]
