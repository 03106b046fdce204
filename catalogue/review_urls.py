from django.urls import path

from . import review_views

app_name = "certificates"

urlpatterns = [
    path("", review_views.CertificateListView.as_view(), name="list"),
    path("<int:pk>/", review_views.CertificateDetailView.as_view(), name="detail"),
]
