from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.models import OCOP_STARS

MAX_QUERY_LENGTH = 200


class BrowseForm(forms.Form):
    """Filters shared by the catalogue, category, seller and search pages. Bad values are dropped."""

    q = forms.CharField(required=False, label=_("Search"))
    group = forms.CharField(required=False)
    district = forms.SlugField(required=False)
    stars = forms.TypedChoiceField(required=False, coerce=int, empty_value=None,
                                   choices=[("", "")] + [(str(s), label) for s, label in OCOP_STARS])
    specialty = forms.BooleanField(required=False)
    sort = forms.ChoiceField(required=False, choices=[("relevance", ""), ("newest", ""), ("title", ""),
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
        }
