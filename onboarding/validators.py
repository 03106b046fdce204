"""Checks of what applicants type, on top of ``vendors.validators`` (which stays the single source for
tax codes and the CCCD structure).

The CCCD check here adds the two facts the shared validator leaves open: the province-of-birth code
must be one of the 63 codes actually issued (any province, never only Hà Tĩnh's 042), and the
century/gender digit with the two year digits must give a birth year that is not in the future.
"""
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.vn import mst

from vendors.validators import validate_citizen_id, validate_tax_code

#: Province codes of the CCCD (Circular 07/2016/TT-BCA, 63 provinces before the 2025 mergers).
CCCD_PROVINCE_CODES = frozenset(
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036 037 "
    "038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075 077 079 "
    "080 082 083 084 086 087 089 091 092 093 094 095 096".split()
)
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
_MOBILE = re.compile(r"^0[35789]\d{8}$")
_ACCOUNT = re.compile(r"^\d{6,19}$")


def normalise_citizen_id(value):
    return re.sub(r"[\s.\-]", "", value or "")


def validate_citizen_id_strict(value):
    """The shared structural check, then a real province code and a birth year not in the future."""
    value = normalise_citizen_id(value)
    validate_citizen_id(value)
    if value[:3] not in CCCD_PROVINCE_CODES:
        raise ValidationError(
            _("The first three digits (%(code)s) are not a province code used on citizen ID cards."),
            code="cccd_province", params={"code": value[:3]},
        )
    century = 1900 + 100 * (int(value[3]) // 2)  # 0/1: 1900s, 2/3: 2000s, 4/5: 2100s ... (even: male)
    if century + int(value[4:6]) > timezone.localdate().year:
        raise ValidationError(
            _("The 4th to 6th digits (century/gender and birth year) give a birth year in the future."),
            code="cccd_birth_year",
        )


def normalise_tax_code(value):
    """'0100 233 488 001' → '0100233488-001'; 10- and 12-digit codes stay digits only."""
    compact = re.sub(r"[\s.\-]", "", value or "")
    if len(compact) == 13 and compact.isdigit():
        return mst.format(compact)
    return compact


def validate_applicant_tax_code(value, *, household):
    """An organisation's MST (10 digits with check digit, or 13 for a branch); a household may use the
    owner's 12-digit CCCD instead (since 01/07/2025)."""
    value = normalise_tax_code(value)
    if len(value) == 12 and value.isdigit():
        if not household:
            raise ValidationError(
                _("Only a household business may use a citizen ID number as its tax code; "
                  "an organisation has a 10-digit tax code."),
                code="tax_code_cccd_not_household",
            )
        validate_citizen_id_strict(value)
        return
    validate_tax_code(value)


def normalise_phone(value):
    """'+84 912 345 678', '84912345678', '0912.345.678' → '0912345678'."""
    value = _PHONE_SEPARATORS.sub("", value or "")
    if value.startswith("+84"):
        value = "0" + value[3:]
    elif value.startswith("84") and len(value) == 11:
        value = "0" + value[2:]
    return value


def validate_mobile_phone(value):
    if not _MOBILE.match(normalise_phone(value)):
        raise ValidationError(
            _("Enter a Vietnamese mobile number: 10 digits starting with 03, 05, 07, 08 or 09 "
              "(or +84 followed by 9 digits)."),
            code="phone",
        )


def validate_bank_account_number(value):
    if not _ACCOUNT.match(re.sub(r"[\s.\-]", "", value or "")):
        raise ValidationError(_("A bank account number has 6 to 19 digits."), code="bank_account")
