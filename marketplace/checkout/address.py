"""The Vietnamese delivery address, shared by the one-page checkout and the address book: recipient's full
name, mobile phone, province/city → ward/commune (GSO codes since 01/07/2025), house number and street."""
from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from phonenumber_field.phonenumber import PhoneNumber

from onboarding.validators import normalise_phone, validate_mobile_phone
from places.selectors import province_choices, ward_choices, ward_in_province


def format_vn_phone(value):
    """'+84912345678' or '0912345678' → '0912 345 678' (how Vietnamese write mobile numbers)."""
    digits = normalise_phone(str(value or ""))
    if len(digits) == 10 and digits.isdigit():
        return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
    return str(value or "")


class VietnameseAddressForm(forms.Form):
    full_name = forms.CharField(label=_("Recipient's full name"), max_length=255,
                                error_messages={"required": _("Please enter the recipient's full name.")})
    phone = forms.CharField(label=_("Mobile phone"), max_length=20,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel",
                                                          "inputmode": "tel", "placeholder": "0912 345 678"}),
                            error_messages={"required": _("Please enter a mobile number the courier can call.")})
    province = forms.ChoiceField(label=_("Province / city"),
                                 error_messages={"required": _("Please choose the province or city of delivery."),
                                                 "invalid_choice": _("Please choose the province or city of "
                                                                     "delivery.")})
    ward = forms.ChoiceField(label=_("Ward / commune"), required=False)
    street = forms.CharField(label=_("House number and street, or hamlet"), max_length=255,
                             widget=forms.TextInput(attrs={"autocomplete": "address-line1",
                                                           "placeholder": _("e.g. 12 Trần Phú, or Thôn 5")}),
                             error_messages={"required": _("Please enter the house number and street, "
                                                           "or the hamlet.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["province"].choices = [("", _("Choose the province or city"))] + province_choices()
        # Where the script fetches a province's wards ("00" stands for the chosen code).
        self.fields["province"].widget.attrs["data-ward-source"] = reverse("places-wards", args=["00"])
        province = (self.data.get(self.add_prefix("province")) if self.is_bound
                    else self.initial.get("province")) or ""
        wards = ward_choices(province_code=province) if province.isdigit() else []
        placeholder = _("Choose the ward or commune") if wards else _("Choose the province or city first")
        # Any code is accepted by the field; clean() checks it belongs to the chosen province.
        self.fields["ward"].choices = [("", placeholder)] + wards
        self.fields["ward"].widget.attrs.update({"data-choose": _("Choose the ward or commune"),
                                                 "data-first": _("Choose the province or city first")})
        self.fields["ward"].valid_value = lambda value: True

    def clean_full_name(self):
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_phone(self):
        value = self.cleaned_data["phone"]
        try:
            validate_mobile_phone(value)
        except forms.ValidationError:
            raise forms.ValidationError(_("Enter a Vietnamese mobile number: 10 digits starting with 03, 05, 07, "
                                          "08 or 09, e.g. 0912 345 678."), code="phone")
        return normalise_phone(value)

    def clean_street(self):
        return " ".join(self.cleaned_data["street"].split())

    def clean(self):
        data = super().clean()
        province, code = data.get("province"), data.get("ward")
        if province:
            ward = ward_in_province(ward_code=code, province_code=province) if code else None
            if ward is None:
                self.add_error("ward", _("Please choose the ward or commune of delivery."))
            else:
                data["ward_obj"] = ward
        return data

    def address_fields(self):
        """Fields of Oscar's ShippingAddress/UserAddress: names as chosen today, with their codes."""
        data = self.cleaned_data
        ward = data["ward_obj"]
        return {
            "first_name": data["full_name"], "last_name": "", "line1": data["street"], "line2": "", "line3": "",
            "line4": ward.name, "state": ward.province.name, "postcode": "", "country_id": "VN",
            "phone_number": PhoneNumber.from_string(data["phone"], region="VN"),
            "province_code": ward.province_id, "ward_code": ward.code,
        }

    @staticmethod
    def initial_from_address(address):
        """Initial values from a saved address (address book or an earlier order)."""
        if address is None:
            return {}
        name = " ".join(part for part in (address.first_name, address.last_name) if part)
        return {"full_name": name, "phone": format_vn_phone(address.phone_number), "street": address.line1,
                "province": getattr(address, "province_code", ""), "ward": getattr(address, "ward_code", "")}
