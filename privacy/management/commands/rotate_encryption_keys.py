"""Re-encrypt every encrypted value and document with PRIVACY_ENCRYPTION_KEY (after moving the former key
to PRIVACY_ENCRYPTION_OLD_KEYS); afterwards the old key can be removed. Plain values and files left from
before encryption are encrypted on the way, and the keyed digests are recomputed with PRIVACY_HASH_KEY
(run it right after changing that key too)."""
from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from privacy.fields import encrypted_columns, rewrite_columns, rotate
from privacy.files import EncryptedFileField, rewrite_files, rotate_bytes


class Command(BaseCommand):
    help = "Re-encrypt citizen ID, tax code and bank account numbers and applicants' documents with the " \
           "current PRIVACY_ENCRYPTION_KEY; recompute the keyed digests with PRIVACY_HASH_KEY."

    def handle(self, *args, **options):
        rows = files = 0
        for model in apps.get_models():
            columns, digests = encrypted_columns(model)
            if columns:
                with transaction.atomic():
                    rows += rewrite_columns(connection, model._meta.db_table, columns, rotate, digests,
                                            pk_column=model._meta.pk.column)
            if any(isinstance(field, EncryptedFileField) for field in model._meta.concrete_fields):
                with transaction.atomic():
                    files += rewrite_files(model, rotate_bytes)
        self.stdout.write(f"{rows} rows re-encrypted, {files} files re-encrypted")
