"""The seller's shipping, at /ban-hang/van-chuyen/."""
from django.urls import path

from . import views

app_name = "seller-shipping"
urlpatterns = [
    path("", views.SellerShippingView.as_view(), name="home"),
    path("tao-van-don/", views.ShipmentCreateView.as_view(), name="create"),
    path("nhan.pdf", views.LabelView.as_view(), name="labels"),
]
