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

# Oscar's basket and stock messages (basket forms, availability policy, basket view), shown on the basket's lines.
BASKET_STRINGS = [
    gettext_noop("a maximum of %(max)d can be bought"),
    gettext_noop("no stock available"),
    gettext_noop("Your basket has got some issues. Please correct any validation errors below."),
    gettext_noop("Available stock is only %(max)d, which has been exceeded because multiple lines contain the same "
                 "product."),
    gettext_noop("Due to technical limitations we are not able to ship more than %(threshold)d items in one order."),
    gettext_noop("Due to technical limitations we are not able to ship more than %(threshold)d items in one order. "
                 "Your basket currently has %(basket)d items."),
    gettext_noop("'%(product)s' is no longer available"),
    gettext_noop("The price of '%(product)s' has increased from %(old_price)s to %(new_price)s since you added it "
                 "to your basket"),
    gettext_noop("The price of '%(product)s' has decreased from %(old_price)s to %(new_price)s since you added it "
                 "to your basket"),
    gettext_noop("This product cannot be added to the basket because a price could not be determined for it."),
    gettext_noop("Please select a valid product"),
    gettext_noop("Your basket is empty."),
]
