"""Matched before Oscar's customer URLs: the same paths for sign-in, sign-up and guest order pages (so
Oscar's links and reverse("customer:...") land here), plus the guest order lookup."""
from django.contrib.auth.decorators import login_required
from django.urls import path, re_path

from accounts import views

app_name = "accounts"

ORDER = r"(?P<order_number>[\w-]*)/(?P<hash>[A-z0-9-_=:]+)"

urlpatterns = [
    path("accounts/login/", views.AccountAuthView.as_view(), name="login"),
    path("accounts/register/", views.AccountRegistrationView.as_view(), name="register"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path("accounts/profile/edit/", login_required(views.ProfileUpdateView.as_view()), name="profile-update"),
    re_path(rf"^accounts/order-status-form/{ORDER}/$", views.GuestOrderLookupView.as_view(), name="anon-order-form"),
    re_path(rf"^accounts/order-status/{ORDER}/$", views.AnonymousOrderDetailView.as_view(), name="anon-order"),
    path("don-hang/tra-cuu/", views.GuestOrderLookupView.as_view(), name="order-lookup"),
]
