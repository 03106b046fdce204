"""Citizen ID and bank account numbers move to encrypted text columns, and the rows already there are
encrypted (reversible: going back writes the plain numbers again)."""
import privacy.fields
from django.db import migrations

FIELDS = ("representative_id_number", "bank_account_number")


def _rewrite(apps, schema_editor, transform):
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    table = quote("onboarding_vendorapplication")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {', '.join(quote(f) for f in FIELDS)} FROM {table}")
        for pk, *values in cursor.fetchall():
            new = [transform(value) for value in values]
            if new != values:
                cursor.execute(f"UPDATE {table} SET {', '.join(quote(f) + ' = %s' for f in FIELDS)} WHERE id = %s",
                               [*new, pk])


def encrypt_rows(apps, schema_editor):
    _rewrite(apps, schema_editor, privacy.fields.rotate)  # plain text gets encrypted, tokens stay tokens


def decrypt_rows(apps, schema_editor):
    _rewrite(apps, schema_editor, privacy.fields.decrypt)


class Migration(migrations.Migration):

    dependencies = [
        ('onboarding', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='vendorapplication',
            name='bank_account_number',
            field=privacy.fields.EncryptedCharField(blank=True, max_length=19, verbose_name='bank account number'),
        ),
        migrations.AlterField(
            model_name='vendorapplication',
            name='representative_id_number',
            field=privacy.fields.EncryptedCharField(blank=True, max_length=12, verbose_name="representative's citizen ID"),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
    ]
