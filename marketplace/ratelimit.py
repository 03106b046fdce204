"""Per-client request limits on the endpoints that attackers hammer: logins, password resets, the
VNPay IPN and search suggestions.

A middleware rather than view decorators because the login views belong to Oscar, Django's admin and
Wagtail; one table here covers them all. Counting uses django-ratelimit's cache counters (Redis in
production, so every worker shares them). Account lockout after repeated wrong passwords is
django-axes' job (settings.AXES_*); this only slows clients down.
"""
import logging

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

logger = logging.getLogger(__name__)

#: (group, path prefixes, methods) — the rate of each group is settings.RATE_LIMITS[group].
RULES = [
    ("login", ("/accounts/login/", "/accounts/register/", "/django-admin/login/", "/cms/login/", "/password-reset/",
               "/cms/password_reset/"), ("POST",)),
    ("ipn", ("/payments/vnpay/ipn/",), ("GET", "POST")),
    ("order_lookup", ("/don-hang/tra-cuu/", "/accounts/order-status-form/"), ("POST",)),
    ("suggest", ("/search/suggest/",), ("GET",)),
]


def rule_for(request):
    for group, prefixes, methods in RULES:
        if request.method in methods and request.path_info.startswith(prefixes):
            return group
    return None


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        group = rule_for(request)
        if group and is_ratelimited(request, group=f"marketplace.{group}", key="ip",
                                    rate=settings.RATE_LIMITS[group], method=request.method, increment=True):
            logger.warning("Rate limit %s exceeded by %s on %s", group, request.META.get("REMOTE_ADDR"),
                           request.path_info)
            return too_many_requests(request, group)
        return self.get_response(request)


def too_many_requests(request, group):
    if group == "ipn":
        # VNPay reads RspCode; 99 makes it retry later (spec §5), and the 429 says why.
        return JsonResponse({"RspCode": "99", "Message": "Too many requests"}, status=429)
    if group == "suggest":
        return JsonResponse({"products": [], "sellers": [], "groups": []}, status=429)
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "60"
    return response


def account_locked(request, original_response, credentials):
    """django-axes' lockout page (settings.AXES_LOCKOUT_CALLABLE), in the shop's language and layout."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "account_locked.html", {"lockout_minutes": minutes},
                  status=settings.AXES_HTTP_RESPONSE_CODE)


def lockout_username(request, credentials):
    """One lockout key per account, whether it was typed as an e-mail or a mobile number (Oscar's login) or a username
    (Django's admin, and django-axes itself when a login succeeds and resets the count)."""
    from django.contrib.auth import get_user_model

    value = ((credentials or {}).get("username") or request.POST.get("login-username")
             or request.POST.get("username") or "").strip()
    if "@" in value:
        user = get_user_model().objects.filter(email__iexact=value).only("username").first()
        if user is not None:
            return user.get_username()
    else:
        from accounts.phones import as_mobile

        number = as_mobile(value)
        if number is not None:  # a mobile number: the same lockout as the account's e-mail
            user = get_user_model().objects.filter(phone__number=number).only("username").first()
            return user.get_username() if user is not None else number
    return value.lower()
