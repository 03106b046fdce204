# The English UI keeps the province's conventions (dd/mm/yyyy dates).
from marketplace.formats.vi.formats import *  # noqa: F401,F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
