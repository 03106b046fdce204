"""The buyer's personal ID number on invoice details and invoices is encrypted at rest. Only these columns
change (in SQL: the model refuses to save an issued invoice); the XML frozen at issue and the signed XML
stay byte for byte as issued (reversible)."""
import privacy.fields
from django.db import migrations

COLUMNS = (("invoicing_buyerinvoicedetails", ("personal_id",)), ("invoicing_invoice", ("buyer_personal_id",)))


def encrypt_rows(apps, schema_editor):
    for table, columns in COLUMNS:
        privacy.fields.rewrite_columns(schema_editor.connection, table, columns, privacy.fields.rotate)


def decrypt_rows(apps, schema_editor):
    for table, columns in COLUMNS:
        privacy.fields.rewrite_columns(schema_editor.connection, table, columns, privacy.fields.decrypt)


class Migration(migrations.Migration):

    dependencies = [
        ('invoicing', '0002_provider_transmission_and_deadline_alerts'),
    ]

    operations = [
        migrations.AlterField(
            model_name='buyerinvoicedetails',
            name='personal_id',
            field=privacy.fields.EncryptedCharField(blank=True, max_length=12, verbose_name='personal ID number'),
        ),
        migrations.AlterField(
            model_name='invoice',
            name='buyer_personal_id',
            field=privacy.fields.EncryptedCharField(blank=True, max_length=12),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
    ]
