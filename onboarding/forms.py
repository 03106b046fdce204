"""The application's steps as forms. Each form checks its own fields; the services save them.

Personal numbers (citizen ID, bank account, a CCCD used as tax code) are never written back into a
form: the field shows the masked saved value and stays empty, and leaving it empty keeps the value.
"""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from catalogue.models import OcopClassification
from places.models import Commune, FormerDistrict, OldCommune
from vendors.models import Vendor
from vendors.validators import mask_identifier

from .models import ApplicationDocument, ApplicationProduct, VendorApplication
from .selectors import HOUSEHOLD_CCCD_MISMATCH, TAX_CODE_IN_USE, tax_code_in_use
from .validators import (
    normalise_citizen_id, normalise_phone, normalise_tax_code, validate_applicant_tax_code,
    validate_bank_account_number, validate_citizen_id_strict, validate_mobile_phone,
)


class StepForm(forms.ModelForm):
    """A step of the application; ``secret_fields`` are kept when left empty and never re-displayed."""

    secret_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.secret_fields:
            saved = getattr(self.instance, name)
            if saved and self._is_secret(name, saved):
                self.initial[name] = ""
                self.fields[name].required = False
                self.fields[name].help_text = _("Saved: %(masked)s. Leave empty to keep it.") % {
                    "masked": mask_identifier(saved)}
        for field in self.fields.values():
            css = "form-check-input" if isinstance(field.widget, forms.RadioSelect) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def _is_secret(self, name, value):
        return True

    def _kept(self, name, value):
        """An empty secret field means "keep what is saved"."""
        if not value and name in self.secret_fields and self.initial.get(name) == "" and getattr(self.instance, name):
            return getattr(self.instance, name)
        return value

    def valid_data(self):
        """The fields that passed their checks, to be saved even when others did not."""
        return {name: value for name, value in self.cleaned_data.items() if name not in self.errors}


class IdentityForm(StepForm):
    secret_fields = ("tax_code",)
    tax_code = forms.CharField(label=_("Tax code"), max_length=20, required=False)

    class Meta:
        model = VendorApplication
        fields = ["seller_type", "legal_name", "tax_code"]
        widgets = {"seller_type": forms.RadioSelect}
        help_texts = {
            "legal_name": _("As written on the business registration certificate."),
            "tax_code": _("10 digits (13 for a branch, e.g. 0100233488-001). A household business without "
                          "a tax code enters the owner's 12-digit citizen ID number."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seller_type"].required = self.fields["legal_name"].required = True
        self.fields["seller_type"].choices = Vendor.TYPE_CHOICES
        self.fields["legal_name"].widget.attrs["maxlength"] = 128

    def _is_secret(self, name, value):
        return len(value) == 12  # a personal ID used as tax code; an organisation's MST is public

    def clean_legal_name(self):
        value = " ".join(self.cleaned_data["legal_name"].split())
        if len(value) > 128:
            raise ValidationError(_("The name is too long (at most 128 characters)."), code="max_length")
        return value

    def clean_tax_code(self):
        value = self._kept("tax_code", normalise_tax_code(self.cleaned_data.get("tax_code")))
        if not value:
            raise ValidationError(_("Enter the tax code."), code="required")
        return value

    def clean(self):
        data = super().clean()
        tax_code, seller_type = data.get("tax_code"), data.get("seller_type")
        if tax_code and seller_type:
            try:
                validate_applicant_tax_code(tax_code, household=seller_type == Vendor.TYPE_HOUSEHOLD)
            except ValidationError as error:
                self.add_error("tax_code", error)
                return data
            if tax_code_in_use(tax_code=tax_code, exclude_application=self.instance):
                self.add_error("tax_code", ValidationError(TAX_CODE_IN_USE, code="tax_code_in_use"))
        return data


class ContactForm(StepForm):
    secret_fields = ("representative_id_number",)
    representative_id_number = forms.CharField(label=_("Representative's citizen ID"), max_length=20,
                                               required=False)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20)

    class Meta:
        model = VendorApplication
        fields = ["representative_name", "representative_id_number", "phone", "email"]
        help_texts = {
            "representative_id_number": _("12 digits, on the front of the chip-based citizen ID card."),
            "phone": _("A mobile number, e.g. 0912 345 678 or +84 912 345 678."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("representative_name", "phone", "email"):
            self.fields[name].required = True
        self.fields["representative_id_number"].widget.attrs.update(inputmode="numeric", autocomplete="off")
        self.fields["phone"].widget.attrs.update(inputmode="tel")

    def clean_representative_name(self):
        return " ".join(self.cleaned_data["representative_name"].split())

    def clean_representative_id_number(self):
        value = self._kept("representative_id_number",
                           normalise_citizen_id(self.cleaned_data.get("representative_id_number")))
        if not value:
            raise ValidationError(_("Enter the representative's citizen ID number."), code="required")
        validate_citizen_id_strict(value)
        instance = self.instance
        if instance.is_household and len(instance.tax_code) == 12 and value != instance.tax_code:
            raise ValidationError(HOUSEHOLD_CCCD_MISMATCH, code="household_cccd_mismatch")
        return value

    def clean_phone(self):
        value = self.cleaned_data["phone"]
        validate_mobile_phone(value)
        return normalise_phone(value)


class CommuneChoiceField(forms.ModelChoiceField):
    """The 69 communes and wards of Hà Tĩnh, grouped by former district, chosen by GSO code."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Commune.objects.select_related("former_district"), to_field_name="code",
                         **kwargs)
        self.error_messages["invalid_choice"] = _(
            "This commune or ward is not in Hà Tĩnh province or does not exist; choose one from the list.")

    def label_from_instance(self, obj):
        return obj.name

    def grouped_choices(self):
        groups = {}
        for commune in self.queryset:
            groups.setdefault(commune.former_district, []).append((commune.code, commune.name))
        return [("", "---------")] + [
            (district.name, items) for district, items in sorted(groups.items(), key=lambda item: item[0].code)]

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            old = OldCommune.objects.filter(code=value, successor__isnull=False).select_related("successor").first()
            if old is not None:
                raise ValidationError(
                    _("%(old)s no longer exists since 1 July 2025: it is now part of %(new)s.")
                    % {"old": old.name, "new": old.successor.name}, code="old_commune") from None
            raise


class AddressForm(StepForm):
    commune = CommuneChoiceField(label=_("Commune or ward"))

    class Meta:
        model = VendorApplication
        fields = ["commune", "street_address"]
        help_texts = {"street_address": _("Village (thôn/xóm), house number, street.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street_address"].required = True
        self.fields["commune"].widget.choices = self.fields["commune"].grouped_choices()
        if self.instance.commune_id:
            self.initial["commune"] = self.instance.commune.code


class BankForm(StepForm):
    secret_fields = ("bank_account_number",)
    bank_account_number = forms.CharField(label=_("Bank account number"), max_length=30, required=False)

    class Meta:
        model = VendorApplication
        fields = ["bank_code", "bank_account_number", "bank_account_holder"]
        help_texts = {"bank_account_holder": _("The name exactly as the bank spells it; payouts go only to "
                                               "an account of the seller or its representative.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank_code"].required = True
        self.fields["bank_account_holder"].required = True
        self.fields["bank_account_number"].widget.attrs.update(inputmode="numeric", autocomplete="off")

    def clean_bank_account_number(self):
        value = self._kept("bank_account_number", "".join(
            ch for ch in self.cleaned_data.get("bank_account_number", "") if ch not in " .-"))
        if not value:
            raise ValidationError(_("Enter the bank account number."), code="required")
        validate_bank_account_number(value)
        return value

    def clean_bank_account_holder(self):
        return " ".join(self.cleaned_data["bank_account_holder"].split()).upper()


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=ApplicationDocument.KIND_CHOICES)
    file = forms.FileField(label=_("File (JPEG, PNG or PDF)"),
                           widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.attrs["class"] = "form-control"
        self.fields["file"].widget.attrs["class"] = "form-control-file"


class ProductForm(forms.ModelForm):
    class Meta:
        model = ApplicationProduct
        fields = ["name", "classification", "stars", "certificate_number", "certificate_issue_date",
                  "certificate_expiry_date", "certificate_document"]
        widgets = {"certificate_issue_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "certificate_expiry_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classification"].queryset = OcopClassification.objects.filter(children__isnull=True)
        self.fields["classification"].label_from_instance = lambda node: f"{node.code} – {node.name_vi}"
        self.fields["certificate_document"].queryset = application.documents.filter(
            kind=ApplicationDocument.OCOP_CERTIFICATE)
        self.fields["certificate_document"].label_from_instance = lambda doc: doc.original_name
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    def clean(self):
        data = super().clean()
        issued, expires = data.get("certificate_issue_date"), data.get("certificate_expiry_date")
        if issued and expires and expires <= issued:
            self.add_error("certificate_expiry_date",
                           _("The expiry date must come after the issue date (certificates last 36 months)."))
        if (data.get("certificate_number") or issued) and not data.get("stars"):
            self.add_error("stars", _("Give the number of stars on the certificate."))
        return data


class DecisionForm(forms.Form):
    APPROVE, REJECT, REQUEST_CHANGES = "approve", "reject", "request_changes"
    action = forms.ChoiceField(choices=[(APPROVE, _("Approve")), (REJECT, _("Reject")),
                                        (REQUEST_CHANGES, _("Request changes"))])
    reason = forms.CharField(label=_("Reason (sent to the applicant)"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
                             error_messages={"required": _("Give a reason: the applicant will read it.")})


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All"))] + [
        choice for choice in VendorApplication.STATUS_CHOICES if choice[0] != VendorApplication.DRAFT])
    seller_type = forms.ChoiceField(label=_("Seller type"), required=False,
                                    choices=[("", _("All"))] + Vendor.TYPE_CHOICES)
    former_district = forms.ChoiceField(label=_("Former district"), required=False)
    assisted = forms.ChoiceField(label=_("Assisted"), required=False,
                                 choices=[("", _("All")), ("yes", _("Assisted")), ("no", _("Not assisted"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["former_district"].choices = [("", _("All"))] + [
            (d.code, d.name) for d in FormerDistrict.objects.all()]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"
