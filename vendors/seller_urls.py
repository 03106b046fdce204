"""The seller workspace, at /ban-hang/."""
from django.urls import path

from . import seller_views

app_name = "seller"

urlpatterns = [
    path("", seller_views.WorkspaceHomeView.as_view(), name="home"),
    path("ho-so-gian-hang/", seller_views.StorefrontProfileView.as_view(), name="profile"),
    path("don-hang/", seller_views.FulfilmentListView.as_view(), name="fulfilments"),
    path("don-hang/<str:number>/", seller_views.FulfilmentDetailView.as_view(), name="fulfilment"),
    path("doi-soat/", seller_views.StatementView.as_view(), name="statement"),
    path("san-pham/", seller_views.ProductListView.as_view(), name="products"),
    path("san-pham/them/", seller_views.ProductFormView.as_view(), name="product-create"),
    path("san-pham/<int:pk>/", seller_views.ProductFormView.as_view(), name="product-edit"),
]
