"""Production refuses to run on development defaults.

The sandbox secrets are published in settings.py: with DEBUG=False and no VNPAY_* set, an IPN signed with
the sandbox secret marked an order paid with no money paid. So, whenever DEBUG is off (and not under the
test runner), a system check *error* names every development secret still in use, every sandbox still
mounted, and every payment or e-invoice endpoint that is unset or points at this machine — `manage.py
check`, `migrate` and `runserver` stop on it — and the WSGI application and the Celery worker and beat
refuse to start with the same list.
"""
import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

ENDPOINTS = ("VNPAY_PAYMENT_URL", "VNPAY_API_URL", "EINVOICE_PROVIDER_URL")
SANDBOXES = ("VNPAY_SANDBOX_ENABLED", "EINVOICE_SANDBOX_ENABLED")


def is_production():
    return not settings.DEBUG and not getattr(settings, "TESTING", False)


def _loopback(url):
    host = (urlsplit(url).hostname or "").lower()
    if host in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def unsafe_settings():
    """(setting, why) for everything that must change before the site may serve real shoppers."""
    problems = []
    for name, default in settings.DEVELOPMENT_SECRETS.items():
        if getattr(settings, name, None) == default:
            problems.append((name, "is the development default published in settings.py"))
    if settings.DEVELOPMENT_SECRETS["PRIVACY_ENCRYPTION_KEY"] in getattr(settings, "PRIVACY_ENCRYPTION_OLD_KEYS", ()):
        problems.append(("PRIVACY_ENCRYPTION_OLD_KEYS", "still holds the development key published in settings.py"))
    if len(settings.SECRET_KEY) < 50 or settings.SECRET_KEY.startswith("django-insecure"):
        problems.append(("SECRET_KEY", "must be a long random value (50+ characters)"))
    for name in SANDBOXES:
        if getattr(settings, name, False):
            problems.append((name, "mounts a sandbox that fakes payments or e-invoices"))
    for name in ENDPOINTS:
        url = getattr(settings, name, "")
        if not url:
            problems.append((name, "is not set (only the local sandbox answers)"))
        elif _loopback(url):
            problems.append((name, f"points at this machine ({url})"))
        elif urlsplit(url).scheme != "https":
            problems.append((name, f"must use https ({url})"))
    return problems


@register("security")
def check_production_settings(app_configs, **kwargs):
    if not is_production():
        return []
    return [Error(f"{name} {why}.", hint="Set it in the environment (see the README's production section).",
                  id="marketplace.E001") for name, why in unsafe_settings()]


def refuse_unsafe_production():
    """Called by the WSGI application and the Celery worker/beat at start-up."""
    if not is_production():
        return
    problems = unsafe_settings()
    if problems:
        raise ImproperlyConfigured("Refusing to start in production (DEBUG=False): "
                                   + "; ".join(f"{name} {why}" for name, why in problems))
