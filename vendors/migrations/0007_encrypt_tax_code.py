"""Sellers' tax codes (a household's is its owner's CCCD) move to an encrypted column with a keyed digest
beside it for lookups; existing rows are encrypted and their digests computed (reversible)."""
import privacy.fields
import vendors.validators
from django.db import migrations


TABLE, COLUMNS = "vendors_vendor", ('tax_code',)
DIGESTS = [("tax_code_digest", "tax_code", vendors.validators.tax_code_lookup_key)]


def encrypt_rows(apps, schema_editor):
    privacy.fields.rewrite_columns(schema_editor.connection, TABLE, COLUMNS, privacy.fields.rotate, DIGESTS)


def decrypt_rows(apps, schema_editor):
    privacy.fields.rewrite_columns(schema_editor.connection, TABLE, COLUMNS, privacy.fields.decrypt)


class Migration(migrations.Migration):

    dependencies = [
        ('vendors', '0006_fulfilment_discount_total'),
    ]

    operations = [
        migrations.AddField(
            model_name='vendor',
            name='tax_code_digest',
            field=privacy.fields.KeyedDigestField(blank=True, db_index=True, editable=False, max_length=64, normalise=vendors.validators.tax_code_lookup_key, source='tax_code'),
        ),
        migrations.AlterField(
            model_name='vendor',
            name='tax_code',
            field=privacy.fields.EncryptedCharField(blank=True, max_length=14, validators=[vendors.validators.validate_tax_code], verbose_name='tax code'),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
    ]
