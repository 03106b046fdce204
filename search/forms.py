from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.models import OCOP_STARS

MAX_QUERY_LENGTH = 200
#: Price ranges in đồng (lower bound inclusive, upper bound exclusive; None: open).
PRICE_RANGES = {
    "duoi-100k": (None, 100_000),
    "100k-300k": (100_000, 300_000),
    "300k-1tr": (300_000, 1_000_000),
    "tren-1tr": (1_000_000, None),
}


class BrowseForm(forms.Form):
    """Filters shared by the catalogue, category, seller and search pages. Bad values are dropped."""

    q = forms.CharField(required=False, label=_("Search"))
    group = forms.CharField(required=False)
    district = forms.SlugField(required=False)
    stars = forms.TypedChoiceField(required=False, coerce=int, empty_value=None,
                                   choices=[("", "")] + [(str(s), label) for s, label in OCOP_STARS])
    specialty = forms.BooleanField(required=False)
    in_stock = forms.BooleanField(required=False)
    seller_type = forms.CharField(required=False)
    commune = forms.CharField(required=False, max_length=5)
    category = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    price = forms.ChoiceField(required=False, choices=[("", "")] + [(key, key) for key in PRICE_RANGES])
    sort = forms.ChoiceField(required=False, choices=[("relevance", ""), ("newest", ""), ("title", ""), ("stars", ""),
                                                      ("price_asc", ""), ("price_desc", "")])

    def clean_q(self):
        return (self.cleaned_data.get("q") or "").strip()[:MAX_QUERY_LENGTH]

    def filters(self):
        """Valid filters only: an unknown value means "no filter", never an error page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "group": data.get("group") or None,
            "district": data.get("district") or None,
            "stars": data.get("stars"),
            "specialty": bool(data.get("specialty")),
            "in_stock": bool(data.get("in_stock")),
            "seller_type": data.get("seller_type") or None,
            "commune": data.get("commune") or None,
            "price": data.get("price") or None,
            "category": data.get("category") or None,
        }
