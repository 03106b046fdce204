"""Oscar's own Python strings whose Vietnamese translation we replace in locale/vi (marked for makemessages).

Oscar's catalogue renders "In stock (%d available)" as "Trong kho ( %d có sẵn)"; ours reads naturally.
"""
from django.utils.translation import gettext_noop

STRINGS = [
    gettext_noop("In stock (%d available)"),
    gettext_noop("In stock"),
    gettext_noop("Unavailable"),
    gettext_noop("Available"),
]
