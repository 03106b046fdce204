"""The address book's form: the same Vietnamese address as the checkout page (full name, mobile,
province/city → ward/commune by GSO code, street), not Oscar's Western one."""
from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.address.forms import *  # noqa: F401,F403  (Oscar's other address forms stay)

from marketplace.checkout.address import VietnameseAddressForm

from .models import UserAddress


class UserAddressForm(VietnameseAddressForm):
    """Used by Oscar's customer address views (create/update), which pass ``user`` and ``instance``."""

    is_default_for_shipping = forms.BooleanField(label=_("Use this address for my orders"), required=False)

    def __init__(self, user, *args, instance=None, **kwargs):
        self.user = user
        self.instance = instance or UserAddress(user=user)
        if instance is not None and not kwargs.get("initial"):
            kwargs["initial"] = {**self.initial_from_address(instance),
                                 "is_default_for_shipping": instance.is_default_for_shipping}
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if not self.errors:
            for name, value in self.address_fields().items():
                setattr(self.instance, name, value)
            duplicate = self.user.addresses.filter(hash=self.instance.generate_hash()).exclude(pk=self.instance.pk)
            if duplicate.exists():
                raise forms.ValidationError(_("This address is already in your address book."))
        return data

    def save(self, commit=True):
        self.instance.user = self.user
        self.instance.is_default_for_shipping = self.cleaned_data.get("is_default_for_shipping", False)
        if commit:
            self.instance.save()
        return self.instance
