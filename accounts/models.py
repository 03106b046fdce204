from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountPhone(models.Model):
    """The Vietnamese mobile number an account signs in with (stored normalised: ``0912345678``).

    A separate table rather than a custom user model: the project keeps Django's ``auth.User``, which
    Oscar and Wagtail already reference in their migrations."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="phone")
    number = models.CharField(_("mobile number"), max_length=10, unique=True)

    class Meta:
        verbose_name = _("account mobile number")
        verbose_name_plural = _("account mobile numbers")

    def __str__(self):
        from accounts.phones import format_phone

        return format_phone(self.number)
