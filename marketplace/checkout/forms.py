from django import forms
from django.utils.translation import gettext_lazy as _

from payments.models import Payment


class PaymentMethodForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Payment method"),
        choices=[
            (Payment.VNPAY, _("Pay now with VNPay (ATM card, internet banking, VNPAY-QR, international card)")),
            (Payment.COD, _("Cash on delivery: pay each seller's parcel when it arrives")),
        ],
        widget=forms.RadioSelect,
        initial=Payment.VNPAY,
        error_messages={"required": _("Please choose how you will pay."),
                        "invalid_choice": _("Please choose how you will pay.")},
    )
