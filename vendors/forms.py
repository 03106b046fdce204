from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Fulfilment

ACTIONS = {
    "confirm": Fulfilment.CONFIRMED,
    "ship": Fulfilment.SHIPPED,
    "deliver": Fulfilment.DELIVERED,
    "cancel": Fulfilment.CANCELLED,
}


class FulfilmentActionForm(forms.Form):
    action = forms.ChoiceField(choices=[(k, k) for k in ACTIONS])
    carrier = forms.CharField(label=_("Carrier"), max_length=64, required=False)
    tracking_code = forms.CharField(label=_("Tracking code"), max_length=64, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)

    def clean(self):
        data = super().clean()
        if data.get("action") == "ship" and not data.get("tracking_code"):
            self.add_error("tracking_code", _("A tracking code is required to mark a parcel as shipped."))
        if data.get("action") == "cancel" and not data.get("reason"):
            self.add_error("reason", _("Please give the reason for cancelling."))
        return data

    @property
    def target_status(self):
        return ACTIONS[self.cleaned_data["action"]]


class LineRefundForm(forms.Form):
    line = forms.IntegerField(widget=forms.HiddenInput)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1)
    reason = forms.CharField(label=_("Reason"), max_length=255,
                             error_messages={"required": _("Please give the reason for the refund.")})
