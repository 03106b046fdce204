"""Oscar's (and Django's) own Python strings whose Vietnamese translation we replace in locale/vi (marked for makemessages).

Oscar's catalogue renders "In stock (%d available)" as "Trong kho ( %d có sẵn)"; ours reads naturally.
"""
from django.utils.translation import gettext_noop, ngettext_lazy

STRINGS = [
    gettext_noop("In stock (%d available)"),
    gettext_noop("In stock"),
    gettext_noop("Unavailable"),
    gettext_noop("Available"),
    # Django ships no Vietnamese for its password rules.
    ngettext_lazy("This password is too short. It must contain at least %d character.",
                  "This password is too short. It must contain at least %d characters.", 10),
    ngettext_lazy("Your password must contain at least %(min_length)d character.",
                  "Your password must contain at least %(min_length)d characters.", "min_length"),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("This password is too common."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("Your password can’t be entirely numeric."),
]
