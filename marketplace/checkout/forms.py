from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout.forms import ShippingAddressForm as OscarShippingAddressForm

from payments.models import Payment
from places.provinces import PROVINCES


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


class CompanyInvoiceForm(forms.Form):
    """Optional: an invoice made out to a company (Xuất hóa đơn công ty). Individuals need nothing."""

    company_invoice = forms.BooleanField(label=_("I need an invoice for a company"), required=False)
    invoice_name = forms.CharField(label=_("Company name"), max_length=400, required=False)
    invoice_tax_code = forms.CharField(label=_("Company tax code"), max_length=14, required=False)
    invoice_address = forms.CharField(label=_("Company address"), max_length=400, required=False)
    invoice_email = forms.EmailField(label=_("E-mail for the invoice"), max_length=50, required=False)

    def clean(self):
        from stdnum.exceptions import ValidationError as StdnumError
        from stdnum.vn import mst

        data = super().clean()
        if not data.get("company_invoice"):
            return {"company_invoice": False}
        for field in ("invoice_name", "invoice_tax_code", "invoice_address"):
            if not data.get(field):
                self.add_error(field, _("Required for a company invoice."))
        code = (data.get("invoice_tax_code") or "").replace(" ", "")
        if code:
            try:
                data["invoice_tax_code"] = mst.format(mst.validate(code))
            except StdnumError:
                self.add_error("invoice_tax_code", _("Invalid tax code: 10 digits with a valid check digit, "
                                                     "or 13 digits for a branch."))
        return data

    def details(self):
        data = self.cleaned_data
        if not data.get("company_invoice"):
            return None
        return {"name": data["invoice_name"], "tax_code": data["invoice_tax_code"],
                "address": data["invoice_address"], "email": data.get("invoice_email", "")}


class ShippingAddressForm(OscarShippingAddressForm):
    """A Vietnamese delivery address: the province or city is picked from the 34 units in force since
    01/07/2025. Couriers need it, and the department's reports count buyers by province of delivery."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"] = forms.ChoiceField(
            label=_("Province / city"), choices=[("", _("Choose the province or city"))] + [(p, p) for p in PROVINCES],
            error_messages={"required": _("Please choose the province or city of delivery."),
                            "invalid_choice": _("Please choose the province or city of delivery.")})
