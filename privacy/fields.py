"""Field-level encryption of sensitive personal data (citizen ID and bank account numbers).

Values are Fernet tokens (AES-128-CBC + HMAC-SHA256, from ``cryptography``) in a text column: a database
dump or backup shows ``gAAAA…`` and never the number. The key comes from the environment
(``PRIVACY_ENCRYPTION_KEY``); former keys in ``PRIVACY_ENCRYPTION_OLD_KEYS`` still decrypt, so a key can be
rotated without downtime (``manage.py rotate_encryption_keys`` then re-encrypts every value with the new one).
An empty value stays empty. Encrypted columns cannot be searched or compared in SQL (each encryption of a
value differs): a lookup by value goes through a ``KeyedDigestField`` beside the column, an HMAC-SHA256 of
the normalised value with ``PRIVACY_HASH_KEY`` (without the key, a digest cannot be matched against the
billion possible CCCD numbers).
"""
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models
from django.db.models.lookups import Exact

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


def keyed_digest(value, normalise=None):
    """HMAC-SHA256 (hex) of the value with PRIVACY_HASH_KEY; empty for an empty value."""
    value = normalise(value) if normalise else value
    if not value:
        return ""
    return hmac.new(settings.PRIVACY_HASH_KEY.encode(), str(value).encode(), hashlib.sha256).hexdigest()


class EmptyOnlyExact(Exact):
    """``field=""`` works (it is stored as ""); ``field="042…"`` would silently match nothing."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise FieldError(f"{self.lhs.target.name} is encrypted: compare its keyed digest column instead")
        return super().get_prep_lookup()


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
        if lookup_name == "exact":
            return EmptyOnlyExact
        if lookup_name != "isnull":
            return None  # in/contains/startswith on ciphertext would silently find nothing
        return super().get_lookup(lookup_name)


class KeyedDigestField(models.CharField):
    """The keyed digest of another (encrypted) field of the row, kept by every save and ``bulk_create``
    (``pre_save``): equality lookups and uniqueness checks use it. ``normalise`` (an importable function)
    folds the spellings of one value together before hashing."""

    def __init__(self, *args, source, normalise=None, **kwargs):
        self.source, self.normalise = source, normalise
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(source=self.source, normalise=self.normalise)
        return name, path, args, kwargs

    def digest_of(self, instance):
        return keyed_digest(getattr(instance, self.source), self.normalise)

    def pre_save(self, model_instance, add):
        value = self.digest_of(model_instance)
        setattr(model_instance, self.attname, value)
        return value


def rewrite_columns(connection, table, columns, transform, digests=(), pk_column="id"):
    """Rewrite encrypted columns row by row in SQL (the ORM would decrypt on the way): each value through
    ``transform`` (encrypt, rotate or decrypt) and each ``(digest_column, source_column, normalise)``
    recomputed from the plain value. Used by the migrations and key rotation; returns the rows changed."""
    quote = connection.ops.quote_name
    digest_columns = [digest for digest, _source, _normalise in digests]
    selected = [*columns, *digest_columns]
    changed = 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote(pk_column)}, {', '.join(map(quote, selected))} FROM {quote(table)}")
        for pk, *values in cursor.fetchall():
            plain = {column: decrypt(value) for column, value in zip(columns, values)}
            new = [transform(value) for value in values[:len(columns)]]
            new += [keyed_digest(plain[source], normalise) for _digest, source, normalise in digests]
            if new != list(values):
                assignments = ", ".join(f"{quote(column)} = %s" for column in selected)
                cursor.execute(f"UPDATE {quote(table)} SET {assignments} WHERE {quote(pk_column)} = %s", [*new, pk])
                changed += 1
    return changed


def encrypted_columns(model):
    """(encrypted columns, digests) of a model, as ``rewrite_columns`` takes them."""
    fields = model._meta.concrete_fields
    columns = [field.column for field in fields if isinstance(field, EncryptedCharField)]
    by_name = {field.name: field for field in fields}
    digests = [(field.column, by_name[field.source].column, field.normalise)
               for field in fields if isinstance(field, KeyedDigestField)]
    return columns, digests
