from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SellerInvoicingProfile


class InvoicingProfileForm(forms.ModelForm):
    """The seller's invoicing choices; choosing "the marketplace issues" requires accepting the authorisation."""

    accept_authorisation = forms.BooleanField(
        label=_("I authorise Chợ OCOP Hà Tĩnh to issue e-invoices on my behalf for sales made on the marketplace"),
        required=False,
    )

    class Meta:
        model = SellerInvoicingProfile
        fields = ["mode", "vat_method", "with_tax_authority_code", "management_code", "default_vat_rate",
                  "shipping_vat_rate", "note_line", "provider_tax_code", "bank_account", "bank_name"]

    def clean(self):
        data = super().clean()
        already = self.instance.pk and self.instance.authorised_at and self.initial.get("mode") == (
            SellerInvoicingProfile.MODE_AUTHORISED)
        if data.get("mode") == SellerInvoicingProfile.MODE_AUTHORISED and not already \
                and not data.get("accept_authorisation"):
            self.add_error("accept_authorisation", _("Accept the authorisation to let the marketplace issue invoices."))
        if data.get("mode") == SellerInvoicingProfile.MODE_OWN_PROVIDER and not data.get("provider_tax_code"):
            # MSTTCGP is a required element of every invoice the provider will number and sign.
            self.add_error("provider_tax_code", _("Enter the tax code of your e-invoice provider."))
        return data


class SignedUploadForm(forms.Form):
    """One file: the provider's signed XML, or a ZIP of them (checked in ``invoicing.imports``)."""

    file = forms.FileField(label=_("Signed XML or ZIP from your e-invoice provider"))


def vat_rate_field(initial):
    """The product form's VAT rate (only for sellers issuing VAT invoices; see ``product_vat_rate_initial``)."""
    from .models import VAT_RATE_CHOICES

    return forms.ChoiceField(label=_("VAT rate (VAT invoice)"), choices=VAT_RATE_CHOICES, initial=initial,
                             help_text=_("Your accountant's choice for this product; printed on its invoice lines."))
