from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CARRIER_CHOICES


class SellerShippingForm(forms.Form):
    carriers = forms.MultipleChoiceField(label=_("Carriers you ship with"), choices=CARRIER_CHOICES, required=False,
                                         widget=forms.CheckboxSelectMultiple,
                                         help_text=_("Checkout shows the buyer the cheapest of them for the buyer's "
                                                     "ward; without any, your flat fee applies."))
    pickup_commune = forms.ModelChoiceField(label=_("Pickup commune (Hà Tĩnh)"), queryset=None,
                                            error_messages={"required": _("Choose the commune where parcels are "
                                                                          "collected."),
                                                            "invalid_choice": _("Choose a commune of Hà Tĩnh.")})
    pickup_address = forms.CharField(label=_("Pickup address (house number, hamlet)"), max_length=255,
                                     required=False)
    pickup = forms.TypedChoiceField(label=_("Handing parcels over"), coerce=lambda v: v == "1",
                                    choices=[("1", _("The carrier collects them at my address")),
                                             ("0", _("I drop them at the carrier's office"))],
                                    widget=forms.RadioSelect, initial="1")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from places.models import Commune

        self.fields["pickup_commune"].queryset = Commune.objects.order_by("name")


def parcel_fields():
    """Fields the seller's product form gains (grams and cm), added the way invoicing adds the VAT rate."""
    return {
        "weight_g": forms.IntegerField(label=_("Shipping weight (g)"), min_value=1, max_value=50_000, required=False,
                                       help_text=_("Packed, one item. Empty: the usual weight of its OCOP group.")),
        "length_cm": forms.IntegerField(label=_("Length (cm)"), min_value=1, max_value=200, required=False),
        "width_cm": forms.IntegerField(label=_("Width (cm)"), min_value=1, max_value=200, required=False),
        "height_cm": forms.IntegerField(label=_("Height (cm)"), min_value=1, max_value=200, required=False),
    }


class RemittanceFileForm(forms.Form):
    carrier = forms.ChoiceField(label=_("Carrier"), choices=CARRIER_CHOICES)
    reference = forms.CharField(label=_("Statement reference"), max_length=64)
    remitted_on = forms.DateField(label=_("Remitted on (dd/mm/yyyy)"), input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    file = forms.FileField(label=_("Statement (CSV: tracking_code, cod_amount, fee)"))

    def clean_file(self):
        import csv
        import io

        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        try:
            text = upload.read().decode("utf-8-sig")
            rows = list(csv.DictReader(io.StringIO(text), dialect=csv.Sniffer().sniff(text[:2048], ",;\t")))
        except (UnicodeDecodeError, csv.Error):
            raise forms.ValidationError(_("Upload a UTF-8 CSV file.")) from None
        if not rows or "tracking_code" not in rows[0] or "cod_amount" not in rows[0]:
            raise forms.ValidationError(_("The file needs the columns tracking_code and cod_amount (fee optional)."))
        return rows
