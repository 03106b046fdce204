from django import forms
from django.utils.translation import gettext_lazy as _


class CertifiedTotalForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    total = forms.IntegerField(label=_("Certified OCOP products (3 stars or more) in the province"), min_value=0,
                               max_value=100000)
    source = forms.CharField(label=_("Source"), max_length=255, required=False,
                             help_text=_("E.g. the department's decision or report the figure comes from"))
