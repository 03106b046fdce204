from django.urls import path

from . import review_views

app_name = "listings"

urlpatterns = [
    path("", review_views.ListingChangeListView.as_view(), name="list"),
    path("<int:pk>/", review_views.ListingChangeDetailView.as_view(), name="detail"),
]
