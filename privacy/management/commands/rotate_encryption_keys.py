"""Re-encrypt every encrypted value with PRIVACY_ENCRYPTION_KEY (after moving the former key to
PRIVACY_ENCRYPTION_OLD_KEYS); afterwards the old key can be removed."""
from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from privacy.fields import EncryptedCharField, rotate


def encrypted_fields():
    for model in apps.get_models():
        names = [field.attname for field in model._meta.concrete_fields if isinstance(field, EncryptedCharField)]
        if names:
            yield model, names


class Command(BaseCommand):
    help = "Re-encrypt citizen ID and bank account numbers with the current PRIVACY_ENCRYPTION_KEY."

    def handle(self, *args, **options):
        total = 0
        for model, names in encrypted_fields():
            # Read the raw tokens (values() would decrypt them) and write rotated tokens back as they are.
            table = model._meta.db_table
            with transaction.atomic():
                from django.db import connection

                quote = connection.ops.quote_name
                with connection.cursor() as cursor:
                    columns = ", ".join(quote(name) for name in names)
                    cursor.execute(f"SELECT {quote(model._meta.pk.column)}, {columns} FROM {quote(table)}")
                    rows = cursor.fetchall()
                    for pk, *values in rows:
                        rotated = [rotate(value) for value in values]
                        if rotated != list(values):
                            sets = ", ".join(f"{quote(name)} = %s" for name in names)
                            cursor.execute(f"UPDATE {quote(table)} SET {sets} WHERE {quote(model._meta.pk.column)} = %s",
                                           [*rotated, pk])
                            total += 1
        self.stdout.write(f"{total} rows re-encrypted")
