from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from oscar.apps.shipping.methods import Base
from oscar.core import prices

from vendors.selectors import shipping_fees_for_basket


class PerSellerShipping(Base):
    """Each seller ships its own parcel at its own fee: its carriers' live fee for the delivery ward (carriers/),
    or its flat rule (free above its threshold) without a ward or when its carriers do not answer."""

    code = "per-seller"
    name = _("Delivery by each seller")
    description = _("Each seller sends its own parcel; the fee is the sum of the sellers' fees.")

    def __init__(self, ward_code=""):
        self.ward_code = ward_code
        #: {vendor pk: carriers.services.PartQuote} of the last calculation (recorded on the order's parts).
        self.quotes = None

    def fees(self, basket):
        if not self.ward_code:
            return None
        if self.quotes is None:
            from carriers.services import basket_quotes

            self.quotes = basket_quotes(basket, self.ward_code)
        return {pk: quote.fee for pk, quote in self.quotes.items()}

    def calculate(self, basket):
        total = sum(fee for _vendor, _items, fee in shipping_fees_for_basket(basket, self.fees(basket)))
        amount = Decimal(total)
        return prices.Price(currency=basket.currency or "VND", excl_tax=amount, incl_tax=amount)
