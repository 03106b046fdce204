"""The department's review of seller applications, under /so-cong-thuong/."""
from django.urls import path

from . import review_views

app_name = "review"

urlpatterns = [
    path("ho-so/", review_views.QueueView.as_view(), name="queue"),
    path("ho-so/<int:pk>/", review_views.ApplicationReviewView.as_view(), name="application"),
]
