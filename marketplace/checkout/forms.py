from django import forms

from privacy.forms import consent_field
from django.utils.translation import gettext_lazy as _

from payments.models import Payment

from .address import VietnameseAddressForm


class PaymentMethodForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Payment method"),
        choices=[
            (Payment.VNPAY, _("Pay now with VNPay")),
            (Payment.COD, _("Cash on delivery")),
        ],
        widget=forms.RadioSelect,
        initial=Payment.VNPAY,
        error_messages={"required": _("Please choose how you will pay."),
                        "invalid_choice": _("Please choose how you will pay.")},
    )


#: One line under each payment choice on the checkout page.
PAYMENT_EXPLANATIONS = {
    Payment.VNPAY: _("ATM card, internet banking, VNPAY-QR or international card; you pay once for every seller."),
    Payment.COD: _("Pay each seller's courier in cash when its parcel arrives."),
}


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


class CheckoutDetailsForm(VietnameseAddressForm):
    """The one checkout page's delivery section: the address, an e-mail (guests only, optional: the phone
    number is what couriers and sellers use) and a note for the courier."""

    email = forms.EmailField(label=_("E-mail (optional, for the order confirmation)"), required=False,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}),
                             error_messages={"invalid": _("Enter a valid e-mail address, or leave it empty.")})
    note = forms.CharField(label=_("Note for the courier (optional)"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2,
                                                        "placeholder": _("e.g. call before delivering")}))

    field_order = ["full_name", "phone", "email", "province", "ward", "street", "note"]

    def __init__(self, *args, guest=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["privacy_consent"] = consent_field()  # recorded with the order (privacy app)
        if not guest:
            del self.fields["email"]
