from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from oscar.apps.shipping.methods import Base
from oscar.core import prices

from vendors.selectors import shipping_fees_for_basket


class PerSellerShipping(Base):
    """Each seller ships its own parcel at its own fee (flat, or free above its threshold)."""

    code = "per-seller"
    name = _("Delivery by each seller")
    description = _("Each seller sends its own parcel; the fee is the sum of the sellers' fees.")

    def calculate(self, basket):
        total = sum(fee for _vendor, _items, fee in shipping_fees_for_basket(basket))
        amount = Decimal(total)
        return prices.Price(currency=basket.currency or "VND", excl_tax=amount, incl_tax=amount)
