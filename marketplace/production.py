"""Production refuses to run on development defaults.

The sandbox secrets are published in settings.py: with DEBUG=False and no VNPAY_* set, an IPN signed with
the sandbox secret marked an order paid with no money paid. So, whenever DEBUG is off (and not under the
test runner), a system check *error* names every development secret still in use, every sandbox still
mounted, every payment or e-invoice endpoint that is unset or points at this machine, and static files not
collected (or collected before the code changed) — `manage.py
check`, `migrate` and `runserver` stop on it — and the WSGI application and the Celery worker and beat
refuse to start with the same list.
"""
import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

ENDPOINTS = ("VNPAY_PAYMENT_URL", "VNPAY_API_URL", "EINVOICE_PROVIDER_URL")
SANDBOXES = ("VNPAY_SANDBOX_ENABLED", "EINVOICE_SANDBOX_ENABLED", "CARRIERS_SANDBOX_ENABLED")


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


def static_problems():
    """Static files must be collected before the site serves: with hashed names (the manifest storage),
    a file missing from the manifest makes every page that links it answer 500."""
    from django.contrib.staticfiles.finders import get_finders
    from django.contrib.staticfiles.storage import staticfiles_storage

    if not hasattr(staticfiles_storage, "load_manifest"):
        return []
    manifest = staticfiles_storage.load_manifest()  # (hashed names, manifest hash) since Django 4.2
    manifest = manifest[0] if isinstance(manifest, tuple) else manifest
    if not manifest:
        return [("STATIC_ROOT", f"holds no collected static files ({settings.STATIC_ROOT}): "
                                "run `python manage.py collectstatic --noinput`")]
    missing = sorted({path for finder in get_finders() for path, _ in finder.list(["CVS", ".*", "*~"])
                      if path.replace("\\", "/") not in manifest})
    if missing:
        shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
        return [("STATIC_ROOT", f"is out of date: {shown} not collected; "
                                "run `python manage.py collectstatic --noinput` again")]
    return []


def unsafe_settings():
    """(setting, why) for everything that must change before the site may serve real shoppers."""
    problems = static_problems()
    for name, default in settings.DEVELOPMENT_SECRETS.items():
        if getattr(settings, name, None) == default:
            problems.append((name, "is the development default published in settings.py"))
    if settings.DEVELOPMENT_SECRETS["PRIVACY_ENCRYPTION_KEY"] in getattr(settings, "PRIVACY_ENCRYPTION_OLD_KEYS", ()):
        problems.append(("PRIVACY_ENCRYPTION_OLD_KEYS", "still holds the development key published in settings.py"))
    if len(getattr(settings, "PRIVACY_HASH_KEY", "")) < 32:
        problems.append(("PRIVACY_HASH_KEY", "must be a long random value (32+ characters)"))
    if len(settings.SECRET_KEY) < 50 or settings.SECRET_KEY.startswith("django-insecure"):
        problems.append(("SECRET_KEY", "must be a long random value (50+ characters)"))
    for name in SANDBOXES:
        if getattr(settings, name, False):
            problems.append((name, "mounts a sandbox that fakes payments or e-invoices"))
    for carrier in ("GHN", "VNPOST"):  # optional: a carrier is offered once its URL is set
        url = getattr(settings, f"{carrier}_API_URL", "")
        if not url:
            continue
        if urlsplit(url).scheme != "https" or _loopback(url):
            problems.append((f"{carrier}_API_URL", f"must be the carrier's https address ({url})"))
        for name in (f"{carrier}_TOKEN", f"{carrier}_WEBHOOK_SECRET"):
            if getattr(settings, name, "") in ("", settings.CARRIER_SANDBOX_SECRETS.get(name)):
                problems.append((name, "is empty or the emulator's value published in settings.py"))
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
    return [Error(f"{name} {why}.", id="marketplace.E001",
                  hint="Collect them as the README's production section says." if name == "STATIC_ROOT"
                  else "Set it in the environment (see the README's production section).")
            for name, why in unsafe_settings()]


def refuse_unsafe_production():
    """Called by the WSGI application and the Celery worker/beat at start-up."""
    if not is_production():
        return
    problems = unsafe_settings()
    if problems:
        raise ImproperlyConfigured("Refusing to start in production (DEBUG=False): "
                                   + "; ".join(f"{name} {why}" for name, why in problems))
