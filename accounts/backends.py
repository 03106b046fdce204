from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from accounts.phones import as_mobile


class PhoneBackend(ModelBackend):
    """Signs in with the account's mobile number and password. Listed after django-axes' backend, so a
    phone sign-in is counted and locked out like an e-mail one (the request is always passed)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        number = as_mobile(username)
        if number is None or password is None:
            return None
        user = get_user_model()._default_manager.filter(phone__number=number).first()
        if user is None:
            get_user_model()().set_password(password)  # same time as a real check (Django's own defence)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
