"""The applicant's pages, under /ban-hang/ (shared with the seller workspace's URLs)."""
from django.urls import path

from . import views

app_name = "onboarding"

urlpatterns = [
    path("dang-ky/", views.ApplyView.as_view(), name="apply"),
    path("dang-ky/trang-thai/", views.StatusListView.as_view(), name="status_list"),
    path("dang-ky/ho-tro/", views.AssistedListView.as_view(), name="assisted"),
    path("dang-ky/tai-lieu/<int:pk>/", views.DocumentDownloadView.as_view(), name="document"),
    path("dang-ky/<int:pk>/trang-thai/", views.StatusView.as_view(), name="status"),
    path("dang-ky/<int:pk>/tai-lieu/<int:document_pk>/xoa/", views.DocumentDeleteView.as_view(),
         name="document_delete"),
    path("dang-ky/<int:pk>/san-pham/<int:product_pk>/xoa/", views.ProductDeleteView.as_view(), name="product_delete"),
    path("dang-ky/<int:pk>/<slug:step>/", views.StepView.as_view(), name="step"),
]
