"""Vietnamese mobile numbers for accounts: one normal form (``0912345678``), one display (``0912 345 678``).

Validation and normalisation are the onboarding application's (the same rules for sellers' contacts)."""
from django.core.exceptions import ValidationError

from onboarding.validators import normalise_phone, validate_mobile_phone  # noqa: F401  (re-exported)


def as_mobile(value):
    """The normalised mobile number if ``value`` is one, else None (e.g. an e-mail address)."""
    if not value or "@" in value:
        return None
    try:
        validate_mobile_phone(value)
    except ValidationError:
        return None
    return normalise_phone(value)


def format_phone(value):
    """'0912345678' or '+84912345678' → '0912 345 678'; anything else is returned as it was."""
    number = normalise_phone(str(value or ""))
    if len(number) == 10 and number.isdigit():
        return f"{number[:4]} {number[4:7]} {number[7:]}"
    return value or ""
