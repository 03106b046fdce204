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


class ListingForm(forms.Form):
    """A seller's product: the moderated description, the price and stock, an optional picture and certificate."""

    title = forms.CharField(label=_("Product name"), max_length=255)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    ocop_code = forms.ChoiceField(label=_("OCOP product group"))
    sales_unit = forms.CharField(label=_("Unit"), max_length=32, required=False)
    is_typical_specialty = forms.BooleanField(label=_("Typical specialty of Hà Tĩnh"), required=False)
    other_certifications = forms.CharField(label=_("Other certifications"), max_length=255, required=False)
    price = forms.IntegerField(label=_("Price (đồng)"), min_value=1, max_value=1_000_000_000)
    stock = forms.IntegerField(label=_("Stock"), min_value=0, max_value=1_000_000)
    image = forms.FileField(label=_("Picture (JPEG or PNG)"), required=False)
    certificate_number = forms.CharField(label=_("OCOP certificate number"), max_length=64, required=False)
    certificate_stars = forms.TypedChoiceField(label=_("Stars"), required=False, coerce=int, empty_value=None,
                                               choices=[("", "—"), ("3", "3★"), ("4", "4★"), ("5", "5★")])
    certificate_issuer = forms.CharField(label=_("Issuing body"), max_length=255, required=False)
    certificate_issue_date = forms.DateField(label=_("Issue date (dd/mm/yyyy)"), required=False,
                                             input_formats=["%d/%m/%Y", "%Y-%m-%d"])

    def __init__(self, *args, with_certificate=True, vat_rate=None, **kwargs):
        super().__init__(*args, **kwargs)
        if vat_rate is not None:  # only sellers issuing VAT invoices choose a rate per product (invoicing)
            from invoicing.forms import vat_rate_field

            self.fields["vat_rate"] = vat_rate_field(vat_rate)
        from carriers.forms import parcel_fields  # shipping weight and size (carriers/), grams and cm

        self.fields.update(parcel_fields())
        from catalogue.models import OcopClassification

        self.fields["ocop_code"].choices = [
            (node.code, f"{node.code} {node.name_vi}")
            for node in OcopClassification.objects.exclude(level=OcopClassification.LEVEL_GROUP)
        ]
        if not with_certificate:
            for name in ("certificate_number", "certificate_stars", "certificate_issuer", "certificate_issue_date"):
                del self.fields[name]

    def clean_image(self):
        from marketplace.uploads import clean_image

        upload = self.cleaned_data.get("image")
        return clean_image(upload) if upload else None

    def clean_certificate_number(self):
        from catalogue.models import OcopCertificate

        number = self.cleaned_data.get("certificate_number", "").strip()
        if number and OcopCertificate.objects.filter(number=number).exists():
            raise forms.ValidationError(_("This certificate number is already registered."))
        return number

    def clean(self):
        data = super().clean()
        keys = ("certificate_number", "certificate_stars", "certificate_issuer", "certificate_issue_date")
        present = [k for k in keys if k in self.fields and data.get(k)]
        if present and len(present) < 4:
            for key in keys:
                if not data.get(key) and key in self.fields:
                    self.add_error(key, _("Fill in every field of the certificate, or none."))
        return data

    def listing_data(self):
        keys = ("title", "description", "ocop_code", "sales_unit", "is_typical_specialty", "other_certifications")
        return {k: self.cleaned_data[k] for k in keys}

    def certificate(self):
        from catalogue.models import OcopCertificate

        data = self.cleaned_data
        if not data.get("certificate_number"):
            return None
        return {"number": data["certificate_number"], "stars": data["certificate_stars"],
                "issuing_body": data["certificate_issuer"], "issue_date": data["certificate_issue_date"],
                "expiry_date": OcopCertificate.default_expiry(data["certificate_issue_date"])}


class StorefrontProfileForm(forms.ModelForm):
    """What shoppers see of the seller, and its shipping rule."""

    logo_upload = forms.FileField(label=_("Logo (JPEG or PNG)"), required=False)

    class Meta:
        from .models import Vendor

        model = Vendor
        fields = ["description", "phone", "email", "commune", "street_address", "shipping_fee", "free_shipping_over"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def clean_logo_upload(self):
        from marketplace.uploads import clean_image

        upload = self.cleaned_data.get("logo_upload")
        return clean_image(upload) if upload else None

    def clean_phone(self):
        import re

        phone = re.sub(r"[\s.\-]", "", self.cleaned_data.get("phone", ""))
        if phone.startswith("+84"):
            phone = "0" + phone[3:]
        if phone and not re.fullmatch(r"0[35789]\d{8}|02\d{9}", phone):
            raise forms.ValidationError(_("Enter a Vietnamese phone number, e.g. 0912 345 678."))
        return phone

    def save(self, commit=True):
        vendor = super().save(commit=False)
        vendor.former_district = vendor.commune.former_district
        if self.cleaned_data.get("logo_upload"):
            vendor.logo.save(self.cleaned_data["logo_upload"].name, self.cleaned_data["logo_upload"], save=False)
        if commit:
            vendor.save()
        return vendor
