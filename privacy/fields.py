"""Field-level encryption of sensitive personal data (citizen ID and bank account numbers).

Values are Fernet tokens (AES-128-CBC + HMAC-SHA256, from ``cryptography``) in a text column: a database
dump or backup shows ``gAAAA…`` and never the number. The key comes from the environment
(``PRIVACY_ENCRYPTION_KEY``); former keys in ``PRIVACY_ENCRYPTION_OLD_KEYS`` still decrypt, so a key can be
rotated without downtime (``manage.py rotate_encryption_keys`` then re-encrypts every value with the new one).
An empty value stays empty. Encrypted columns cannot be searched or compared in SQL: equality on them
would need a keyed hash column beside them (none of today's lookups needs one).
"""
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "gAAAA"  # every Fernet token starts so (version byte 0x80 + timestamp)


@lru_cache(maxsize=4)
def _fernet(primary, old):
    try:
        return MultiFernet([Fernet(key) for key in (primary, *old) if key])
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(f"PRIVACY_ENCRYPTION_KEY is not a Fernet key: {error}") from None


def fernet():
    return _fernet(settings.PRIVACY_ENCRYPTION_KEY, tuple(settings.PRIVACY_ENCRYPTION_OLD_KEYS))


def encrypt(value):
    if value in (None, ""):
        return value
    return fernet().encrypt(str(value).encode()).decode()


def decrypt(value):
    """Plain text of a token; a value that is not a token (a row written before encryption) as it is."""
    if not value or not value.startswith(PREFIX):
        return value
    try:
        return fernet().decrypt(value.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured("An encrypted value cannot be decrypted with PRIVACY_ENCRYPTION_KEY or "
                                   "PRIVACY_ENCRYPTION_OLD_KEYS: was the key changed without keeping the old one?")


def rotate(value):
    """The token re-encrypted with the primary key (``MultiFernet.rotate``); plain text gets encrypted."""
    if not value:
        return value
    if not value.startswith(PREFIX):
        return encrypt(value)
    return fernet().rotate(value.encode()).decode()


class EncryptedCharField(models.CharField):
    """A CharField for forms and validation (``max_length`` is the plain text's), stored encrypted in a
    text column."""

    def get_internal_type(self):
        return "TextField"

    def db_type(self, connection):
        return models.TextField().db_type(connection)

    def cast_db_type(self, connection):
        return models.TextField().cast_db_type(connection)

    def from_db_value(self, value, expression, connection):
        return decrypt(value)

    def get_db_prep_value(self, value, connection, prepared=False):
        value = super().get_db_prep_value(value, connection, prepared)
        return encrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name not in ("isnull", "exact"):
            return None  # contains/startswith on ciphertext would silently find nothing
        return super().get_lookup(lookup_name)
