"""Sign-in and sign-up with an e-mail address or a Vietnamese mobile number; the guest order lookup."""
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from oscar.apps.customer.forms import EmailAuthenticationForm, EmailUserCreationForm, UserForm
from oscar.apps.customer.utils import normalise_email

from accounts.models import AccountPhone
from accounts.phones import as_mobile, format_phone, normalise_phone, validate_mobile_phone
from privacy.forms import consent_field

User = get_user_model()


class LoginForm(EmailAuthenticationForm):
    username = forms.CharField(label=_("E-mail or mobile number"), max_length=254,
                               widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}))
    error_messages = {
        **EmailAuthenticationForm.error_messages,
        "invalid_login": _("The e-mail or mobile number and the password do not match any account. "
                           "Check them and try again."),
    }

    def clean_username(self):
        value = self.cleaned_data["username"].strip()
        return as_mobile(value) or value


class RegistrationForm(EmailUserCreationForm):
    """Oscar's sign-up form, where the e-mail may be replaced (or completed) by a mobile number."""

    email = forms.EmailField(label=_("E-mail"), required=False,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(label=_("Mobile number"), required=False, max_length=20,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel",
                                                          "placeholder": "0912 345 678"}),
                            help_text=_("An e-mail address, a mobile number or both: you can sign in with either."))
    field_order = ["email", "phone", "password1", "password2", "redirect_url"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["privacy_consent"] = consent_field()  # recorded by the view (privacy app)

    def clean_email(self):
        if not self.cleaned_data.get("email"):
            return ""
        return super().clean_email()

    def clean_phone(self):
        return _clean_account_phone(self.cleaned_data.get("phone"))

    def clean(self):
        data = super().clean()
        if not data.get("email") and not data.get("phone") and not self.has_error("email") \
                and not self.has_error("phone"):
            raise ValidationError(_("Enter an e-mail address or a mobile number."), code="no_login")
        return data

    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit and self.cleaned_data.get("phone"):
            AccountPhone.objects.create(user=user, number=self.cleaned_data["phone"])
        return user

    def login_name(self):
        """What the new account signs in with (for authenticate())."""
        return self.cleaned_data.get("email") or self.cleaned_data.get("phone")


def _clean_account_phone(value, user=None):
    value = (value or "").strip()
    if not value:
        return ""
    validate_mobile_phone(value)
    number = normalise_phone(value)
    taken = AccountPhone.objects.filter(number=number)
    if user is not None:
        taken = taken.exclude(user=user)
    if taken.exists():
        raise ValidationError(_("An account with this mobile number already exists."), code="phone_taken")
    return number


class ProfileForm(UserForm):
    """Oscar's profile form with the account's mobile number; the e-mail may be left out if there is one."""

    phone = forms.CharField(label=_("Mobile number"), required=False, max_length=20,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel",
                                                          "placeholder": "0912 345 678"}))

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["email"].required = False
        phone = AccountPhone.objects.filter(user=user).first()
        self.initial.setdefault("phone", format_phone(phone.number) if phone else "")

    def clean_email(self):
        if not self.cleaned_data.get("email"):
            return ""
        return super().clean_email()

    def clean_phone(self):
        return _clean_account_phone(self.cleaned_data.get("phone"), self.user)

    def clean(self):
        data = super().clean()
        if not data.get("email") and not data.get("phone") and not self.has_error("email") \
                and not self.has_error("phone"):
            raise ValidationError(_("Enter an e-mail address or a mobile number."), code="no_login")
        return data

    def save(self, commit=True):
        user = super().save(commit=commit)
        if self.cleaned_data.get("phone"):
            AccountPhone.objects.update_or_create(user=user, defaults={"number": self.cleaned_data["phone"]})
        else:
            AccountPhone.objects.filter(user=user).delete()
        return user


class GuestOrderLookupForm(forms.Form):
    number = forms.CharField(label=_("Order number"), max_length=128,
                             widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    contact = forms.CharField(label=_("Mobile number or e-mail used for the order"), max_length=254,
                              widget=forms.TextInput(attrs={"autocomplete": "tel"}))

    def clean_number(self):
        return self.cleaned_data["number"].strip().lstrip("#")

    def clean_contact(self):
        value = self.cleaned_data["contact"].strip()
        if "@" in value:
            return normalise_email(value)
        number = as_mobile(value)
        if number is None:
            raise ValidationError(_("Enter the mobile number (e.g. 0912 345 678) or the e-mail address used "
                                    "for the order."), code="contact")
        return number
