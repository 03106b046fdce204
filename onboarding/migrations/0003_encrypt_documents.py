"""Applicants' documents are encrypted at rest: the files already stored are rewritten as Fernet tokens
(reversible: going back writes the plain bytes again). Each file is written under a new name and the
old one deleted after commit, so an interrupted run leaves every row pointing at a whole file."""
import onboarding.models
import onboarding.storage
import privacy.files
from django.db import migrations


def encrypt_files(apps, schema_editor):
    privacy.files.rewrite_files(apps.get_model("onboarding", "ApplicationDocument"), privacy.files.ensure_encrypted)


def decrypt_files(apps, schema_editor):
    privacy.files.rewrite_files(apps.get_model("onboarding", "ApplicationDocument"), privacy.files.decrypt_bytes)


class Migration(migrations.Migration):

    dependencies = [
        ('onboarding', '0002_encrypt_citizen_id_and_bank_account'),
    ]

    operations = [
        migrations.AlterField(
            model_name='applicationdocument',
            name='file',
            field=privacy.files.EncryptedFileField(max_length=200, storage=onboarding.storage.PrivateStorage(), upload_to=onboarding.models._document_path, verbose_name='file'),
        ),
        migrations.RunPython(encrypt_files, decrypt_files),
    ]
