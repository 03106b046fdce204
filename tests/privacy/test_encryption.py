"""Citizen ID and bank account numbers are encrypted at rest: a database dump shows tokens, the ORM
gives the numbers back, existing rows are encrypted by the migration, keys rotate, and production
refuses the development key."""
import importlib
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from marketplace.production import unsafe_settings
from onboarding import services
from onboarding.models import VendorApplication

from .conftest import CCCD

pytestmark = pytest.mark.django_db
BANK = "3700205123456"
migration = importlib.import_module("onboarding.migrations.0002_encrypt_citizen_id_and_bank_account")


def raw_columns(pk):
    with connection.cursor() as cursor:
        cursor.execute("SELECT representative_id_number, bank_account_number FROM onboarding_vendorapplication "
                       "WHERE id = %s", [pk])
        return cursor.fetchone()


def dump_contains(text):
    """Every text column of the table, as a dump would show it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM onboarding_vendorapplication")
        return any(text in str(value) for row in cursor.fetchall() for value in row)


def test_the_raw_columns_hold_tokens_not_the_numbers(submitted_application):
    raw_id, raw_bank = raw_columns(submitted_application.pk)
    assert raw_id.startswith("gAAAA") and raw_bank.startswith("gAAAA")
    assert CCCD not in raw_id and BANK not in raw_bank
    assert not dump_contains(CCCD) and not dump_contains(BANK)
    fresh = VendorApplication.objects.get(pk=submitted_application.pk)
    assert (fresh.representative_id_number, fresh.bank_account_number) == (CCCD, BANK)
    assert fresh.masked_id_number == "040••••••345"  # masking still works on the decrypted value


def test_empty_values_stay_empty_and_substring_lookups_are_refused(applicant):
    application = services.vendor_application_start(user=applicant)
    assert raw_columns(application.pk) == ("", "")
    assert VendorApplication.objects.filter(representative_id_number="").count() == 1
    from django.core.exceptions import FieldError
    with pytest.raises(FieldError):
        list(VendorApplication.objects.filter(representative_id_number__contains="0401"))


def test_the_migration_encrypts_rows_written_before_it_and_can_go_back(applicant):
    application = services.vendor_application_start(user=applicant)
    with connection.cursor() as cursor:  # a row as it was before the migration: plain numbers
        cursor.execute("UPDATE onboarding_vendorapplication SET representative_id_number = %s, "
                       "bank_account_number = %s WHERE id = %s", [CCCD, BANK, application.pk])
    schema_editor = connection.schema_editor()
    migration.encrypt_rows(None, schema_editor)
    raw_id, raw_bank = raw_columns(application.pk)
    assert raw_id.startswith("gAAAA") and CCCD not in raw_id and BANK not in raw_bank
    assert VendorApplication.objects.get(pk=application.pk).representative_id_number == CCCD
    migration.decrypt_rows(None, schema_editor)
    assert raw_columns(application.pk) == (CCCD, BANK)


def test_key_rotation_keeps_every_value_readable(submitted_application, settings):
    old_key = settings.PRIVACY_ENCRYPTION_KEY
    old_token = raw_columns(submitted_application.pk)[0]
    settings.PRIVACY_ENCRYPTION_KEY = Fernet.generate_key().decode()
    settings.PRIVACY_ENCRYPTION_OLD_KEYS = [old_key]
    assert VendorApplication.objects.get(pk=submitted_application.pk).representative_id_number == CCCD
    out = StringIO()
    call_command("rotate_encryption_keys", stdout=out)
    assert "1 rows re-encrypted" in out.getvalue()
    assert raw_columns(submitted_application.pk)[0] != old_token
    settings.PRIVACY_ENCRYPTION_OLD_KEYS = []  # the old key is gone: the new one reads everything
    fresh = VendorApplication.objects.get(pk=submitted_application.pk)
    assert (fresh.representative_id_number, fresh.bank_account_number) == (CCCD, BANK)


def test_production_refuses_the_development_key(settings):
    dev = settings.DEVELOPMENT_SECRETS["PRIVACY_ENCRYPTION_KEY"]
    settings.PRIVACY_ENCRYPTION_KEY = dev
    assert "PRIVACY_ENCRYPTION_KEY" in [name for name, _why in unsafe_settings()]
    settings.PRIVACY_ENCRYPTION_KEY = Fernet.generate_key().decode()
    settings.PRIVACY_ENCRYPTION_OLD_KEYS = [dev]
    names = [name for name, _why in unsafe_settings()]
    assert "PRIVACY_ENCRYPTION_KEY" not in names and "PRIVACY_ENCRYPTION_OLD_KEYS" in names
