"""Applications' tax codes (a household's is its owner's CCCD) move to an encrypted column with a keyed digest
beside it for the uniqueness check; existing rows are encrypted and their digests computed (reversible)."""
import privacy.fields
import vendors.validators
from django.db import migrations


TABLE, COLUMNS = "onboarding_vendorapplication", ('tax_code',)
DIGESTS = [("tax_code_digest", "tax_code", vendors.validators.tax_code_lookup_key)]


def encrypt_rows(apps, schema_editor):
    privacy.fields.rewrite_columns(schema_editor.connection, TABLE, COLUMNS, privacy.fields.rotate, DIGESTS)


def decrypt_rows(apps, schema_editor):
    privacy.fields.rewrite_columns(schema_editor.connection, TABLE, COLUMNS, privacy.fields.decrypt)


class Migration(migrations.Migration):

    dependencies = [
        ('onboarding', '0003_encrypt_documents'),
    ]

    operations = [
        migrations.AddField(
            model_name='vendorapplication',
            name='tax_code_digest',
            field=privacy.fields.KeyedDigestField(blank=True, db_index=True, editable=False, max_length=64, normalise=vendors.validators.tax_code_lookup_key, source='tax_code'),
        ),
        migrations.AlterField(
            model_name='vendorapplication',
            name='tax_code',
            field=privacy.fields.EncryptedCharField(blank=True, max_length=14, verbose_name='tax code'),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
    ]
