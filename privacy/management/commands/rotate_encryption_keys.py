"""Re-encrypt every encrypted value and document with PRIVACY_ENCRYPTION_KEY (after moving the former key
to PRIVACY_ENCRYPTION_OLD_KEYS); afterwards the old key can be removed. Plain values and files left from
before encryption are encrypted on the way."""
from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from privacy.fields import EncryptedCharField, rotate
from privacy.files import EncryptedFileField, rewrite_files, rotate_bytes


def encrypted_columns():
    for model in apps.get_models():
        columns = [field.column for field in model._meta.concrete_fields if isinstance(field, EncryptedCharField)]
        if columns:
            yield model._meta.db_table, model._meta.pk.column, columns


class Command(BaseCommand):
    help = "Re-encrypt citizen ID and bank account numbers and applicants' documents with the current " \
           "PRIVACY_ENCRYPTION_KEY."

    def handle(self, *args, **options):
        quote, total = connection.ops.quote_name, 0
        for table, pk_column, columns in encrypted_columns():
            # The raw tokens are read and written back as they are (the ORM would decrypt them on the way).
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"SELECT {quote(pk_column)}, {', '.join(map(quote, columns))} FROM {quote(table)}")
                assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
                for pk, *values in cursor.fetchall():
                    rotated = [rotate(value) for value in values]
                    if rotated != list(values):
                        cursor.execute(f"UPDATE {quote(table)} SET {assignments} WHERE {quote(pk_column)} = %s",
                                       [*rotated, pk])
                        total += 1
        files = 0
        for model in apps.get_models():
            if any(isinstance(field, EncryptedFileField) for field in model._meta.concrete_fields):
                with transaction.atomic():
                    files += rewrite_files(model, rotate_bytes)
        self.stdout.write(f"{total} rows re-encrypted, {files} files re-encrypted")
