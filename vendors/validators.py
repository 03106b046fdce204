"""Identity numbers of Vietnamese sellers.

Organisations have a 10-digit tax code with a check digit (13 with a -NNN branch suffix). Since
01/07/2025 household businesses and individuals use their 12-digit citizen ID (CCCD) as tax code.
"""
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.vn import mst

from privacy.fields import keyed_digest

CCCD_RE = re.compile(r"^\d{12}$")


def validate_citizen_id(value):
    """CCCD: 3-digit province-of-birth code, century/gender digit, 2 birth-year digits, 6 digits.

    The province code may be any of the 63 pre-2025 codes (001–096); never require Hà Tĩnh's 042.
    """
    value = (value or "").strip()
    if not CCCD_RE.match(value):
        raise ValidationError(_("A citizen ID number has exactly 12 digits."), code="cccd_format")
    province = int(value[:3])
    if not 1 <= province <= 96:
        raise ValidationError(_("The first three digits must be a province code (001–096)."), code="cccd_province")
    if value[3] not in "0123456789":
        raise ValidationError(_("The fourth digit must be a century and gender code."), code="cccd_century")


def validate_tax_code(value):
    """10-digit tax code with check digit, 13-digit branch code, or a 12-digit personal ID."""
    compact = (value or "").replace(" ", "").replace("-", "")
    if len(compact) == 12:
        validate_citizen_id(compact)
        return
    try:
        mst.validate(value)
    except StdnumError:
        raise ValidationError(
            _("Invalid tax code: 10 digits with a valid check digit, 13 digits for a branch, "
              "or a 12-digit personal ID number for a household business."),
            code="tax_code",
        )


def tax_code_lookup_key(value):
    """One spelling per tax code, for its keyed digest: '0100233488-001', '0100 233 488 001' → digits only."""
    return re.sub(r"\D", "", value or "")


def tax_code_digest(value):
    """What the ``tax_code_digest`` columns hold for this tax code (the tax code itself is encrypted)."""
    return keyed_digest(value, tax_code_lookup_key)


def mask_identifier(value, visible=3):
    """'042190012345' → '042•••••••345': personal numbers are never shown in full."""
    value = value or ""
    if len(value) <= visible * 2:
        return "•" * len(value)
    return value[:visible] + "•" * (len(value) - 2 * visible) + value[-visible:]
