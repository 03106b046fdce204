"""Uploaded documents encrypted at rest (ID card scans, registration and OCOP certificates).

The bytes are encrypted before they reach the storage, with the same key ring as the encrypted columns
(``privacy.fields``): whatever the storage is (a private folder, S3 through django-storages), it only ever
holds a Fernet token, never a JPEG or PDF. ``EncryptedFileField`` encrypts on every save (services, forms,
admin); the permission-checked view reads the plain bytes with ``read_plain()``. A file written before
encryption (its bytes are not a token) is read as it is until the migration or
``manage.py rotate_encryption_keys`` encrypts it.
"""
import posixpath
import uuid

from cryptography.fernet import InvalidToken
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models.fields.files import FieldFile

from .fields import PREFIX, fernet

TOKEN_PREFIX = PREFIX.encode()


def is_encrypted(data):
    return data.startswith(TOKEN_PREFIX)


def encrypt_bytes(data):
    return fernet().encrypt(data)


def decrypt_bytes(data):
    if not is_encrypted(data):
        return data
    try:
        return fernet().decrypt(data)
    except InvalidToken:
        raise ImproperlyConfigured("An encrypted document cannot be decrypted with PRIVACY_ENCRYPTION_KEY or "
                                   "PRIVACY_ENCRYPTION_OLD_KEYS: was the key changed without keeping the old one?")


def ensure_encrypted(data):
    return data if is_encrypted(data) else encrypt_bytes(data)


def rotate_bytes(data):
    """The token re-encrypted with the primary key; plain bytes get encrypted."""
    return fernet().rotate(data) if is_encrypted(data) else encrypt_bytes(data)


class EncryptedFieldFile(FieldFile):
    def save(self, name, content, save=True):
        content.seek(0)
        super().save(name, ContentFile(encrypt_bytes(content.read())), save)

    def read_plain(self):
        """The document as uploaded (``FileNotFoundError`` when the storage has lost it)."""
        with self.storage.open(self.name, "rb") as handle:
            return decrypt_bytes(handle.read())


class EncryptedFileField(models.FileField):
    attr_class = EncryptedFieldFile


def rewrite_stored_file(storage, name, transform):
    """Store ``transform(bytes)`` under a new random name beside the old one and return that name (or
    None when nothing changes). The old file is deleted once the caller's transaction commits, so a
    failure half-way leaves the row pointing at a complete file: never overwritten in place."""
    with storage.open(name, "rb") as handle:
        data = handle.read()
    new = transform(data)
    if new == data:
        return None
    folder, base = posixpath.split(name)
    extension = base.rsplit(".", 1)[-1] if "." in base else "bin"
    new_name = storage.save(posixpath.join(folder, f"{uuid.uuid4().hex}.{extension}"), ContentFile(new))
    transaction.on_commit(lambda: storage.delete(name))
    return new_name


def rewrite_files(model, transform):
    """Apply ``transform`` to every stored file of the model's encrypted file fields (a migration passes
    its historical model, which carries the same field class); returns how many files were rewritten."""
    total = 0
    for field in model._meta.concrete_fields:
        if not isinstance(field, EncryptedFileField):
            continue
        rows = list(model._default_manager.exclude(**{field.name: ""}).values_list("pk", field.attname))
        for pk, name in rows:
            try:
                new_name = rewrite_stored_file(field.storage, name, transform)
            except FileNotFoundError:
                continue  # the row outlived its file: nothing to protect
            if new_name:
                model._default_manager.filter(pk=pk).update(**{field.attname: new_name})
                total += 1
    return total

