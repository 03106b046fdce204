from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.address.abstract_models import AbstractUserAddress


class UserAddress(AbstractUserAddress):
    """An address-book entry in the Vietnamese shape (see order.ShippingAddress): names and GSO codes."""

    province_code = models.CharField(_("province code"), max_length=2, blank=True, default="", db_default="")
    ward_code = models.CharField(_("ward/commune code"), max_length=5, blank=True, default="", db_default="")


from oscar.apps.address.models import *  # noqa: E402,F401,F403
