from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.address.abstract_models import AbstractShippingAddress


class ShippingAddress(AbstractShippingAddress):
    """A Vietnamese delivery address: ``state`` holds the province/city and ``line4`` the ward/commune as the
    shopper chose them, with their GSO codes, so the order keeps both when a unit is later renamed or merged."""

    province_code = models.CharField(_("province code"), max_length=2, blank=True, default="", db_default="")
    ward_code = models.CharField(_("ward/commune code"), max_length=5, blank=True, default="", db_default="")


from oscar.apps.order.models import *  # noqa: E402,F401,F403
