"""Links typed by editors must not run code: only site paths, web, mail and phone links."""
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SAFE_LINK = re.compile(r"^(/(?!/)|#|https?://|mailto:|tel:)", re.IGNORECASE)


def validate_safe_link(value):
    if value and not SAFE_LINK.match(value.strip()):
        raise ValidationError(_("Enter a link starting with /, https://, http://, mailto: or tel:."),
                              code="unsafe_link")
