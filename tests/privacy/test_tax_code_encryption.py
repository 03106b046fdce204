"""Tax codes (a household's is its owner's CCCD) and buyers' personal ID numbers are encrypted at rest: the
raw columns hold tokens, a keyed digest keeps the "tax code already in use" check working (with its
Vietnamese message), invoices still print the numbers, and invoices already issued keep their XML byte
for byte when the migration encrypts their column."""
import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from invoicing.models import BuyerInvoiceDetails, Invoice
from invoicing.services import invoice_issue_for_fulfilment
from invoicing.xml import invoice_export_bytes
from marketplace.production import unsafe_settings
from onboarding import services
from onboarding.models import VendorApplication
from tests.factories import create_vendor
from tests.invoicing.factories import create_delivered_part, create_invoicing_vendor, products
from tests.onboarding.conftest import HOUSEHOLD_CCCD, MST, fill_application
from vendors.models import Vendor
from vendors.validators import tax_code_digest

pytestmark = pytest.mark.django_db
vendors_migration = importlib.import_module("vendors.migrations.0007_encrypt_tax_code")
applications_migration = importlib.import_module("onboarding.migrations.0004_encrypt_tax_code")
invoicing_migration = importlib.import_module("invoicing.migrations.0003_encrypt_buyer_personal_id")
BUYER_CCCD = "042090001234"
IN_USE = "Mã số thuế này đã thuộc về"


def raw(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def table_contains(table, text):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")
        return any(text in str(value) for row in cursor.fetchall() for value in row)


def household_application(assistant):
    application = services.vendor_application_start_assisted(assistant=assistant)
    return fill_application(application, assistant, seller_type="household_business", tax_code=HOUSEHOLD_CCCD,
                            representative_id_number=HOUSEHOLD_CCCD, legal_name="Hộ kinh doanh Lê Thị B")


def test_a_households_tax_code_is_a_token_in_the_application_and_the_seller(assistant, reviewer):
    application = services.vendor_application_submit(application=household_application(assistant), actor=assistant)
    services.vendor_application_approve(application=application, reviewer=reviewer, reason="Hồ sơ đầy đủ")
    vendor = Vendor.objects.with_tax_code(HOUSEHOLD_CCCD).get()
    for table, pk in (("onboarding_vendorapplication", application.pk), ("vendors_vendor", vendor.pk)):
        token, digest = raw(table, "tax_code", pk), raw(table, "tax_code_digest", pk)
        assert token.startswith("gAAAA") and HOUSEHOLD_CCCD not in token
        assert digest == tax_code_digest(HOUSEHOLD_CCCD) and HOUSEHOLD_CCCD not in digest
        assert not table_contains(table, HOUSEHOLD_CCCD)
    assert Vendor.objects.get(pk=vendor.pk).tax_code == HOUSEHOLD_CCCD
    assert vendor.masked_tax_code == "042••••••321"


@pytest.mark.parametrize("existing, typed", [(MST, "0100 233 488"), (HOUSEHOLD_CCCD, "042 185 054 321")])
def test_a_tax_code_already_trading_is_refused_with_the_vietnamese_message(client, applicant, existing, typed):
    create_vendor(tax_code=existing, seller_type=Vendor.TYPE_HOUSEHOLD if len(existing) == 12 else "cooperative")
    application = services.vendor_application_start(user=applicant)
    client.force_login(applicant)
    response = client.post(reverse("onboarding:step", kwargs={"pk": application.pk, "step": "loai-hinh"}), {
        "seller_type": "household_business" if len(existing) == 12 else "cooperative",
        "legal_name": "Người nộp thứ hai", "tax_code": typed})
    assert response.status_code == 200
    assert IN_USE in response.content.decode()
    assert VendorApplication.objects.get(pk=application.pk).tax_code == ""


def test_an_application_under_review_holds_its_tax_code(client, assistant, other_applicant):
    services.vendor_application_submit(application=household_application(assistant), actor=assistant)
    application = services.vendor_application_start(user=other_applicant)
    client.force_login(other_applicant)
    response = client.post(reverse("onboarding:step", kwargs={"pk": application.pk, "step": "loai-hinh"}), {
        "seller_type": "household_business", "legal_name": "Hộ khác", "tax_code": HOUSEHOLD_CCCD})
    assert IN_USE in response.content.decode()


def test_comparing_an_encrypted_column_with_a_value_is_refused_not_silently_empty():
    with pytest.raises(FieldError):
        Vendor.objects.filter(tax_code=MST).exists()
    assert Vendor.objects.filter(tax_code="").count() == Vendor.objects.filter(tax_code_digest="").count()


def test_invoices_still_print_the_households_tax_code_and_the_buyers_personal_id():
    vendor = create_invoicing_vendor(tax_code="042185000123")
    assert raw("vendors_vendor", "tax_code", vendor.pk).startswith("gAAAA")
    (product,) = products(vendor, 45000)
    part = create_delivered_part(vendor=vendor, items=[(product, 2, 45000, 0)])
    details = BuyerInvoiceDetails.objects.create(order=part.order, personal_id=BUYER_CCCD)
    assert raw("invoicing_buyerinvoicedetails", "personal_id", details.pk).startswith("gAAAA")

    invoice = invoice_issue_for_fulfilment(fulfilment=part)
    xml = invoice_export_bytes(invoice).decode()
    assert "<MST>042185000123</MST>" in xml and f"<CCCDan>{BUYER_CCCD}</CCCDan>" in xml
    token = raw("invoicing_invoice", "buyer_personal_id", invoice.pk)
    assert token.startswith("gAAAA") and BUYER_CCCD not in token
    assert Invoice.objects.get(pk=invoice.pk).buyer_personal_id == BUYER_CCCD


def test_the_migrations_encrypt_existing_rows_and_leave_issued_xml_untouched():
    vendor = create_invoicing_vendor(tax_code="042185000123")
    (product,) = products(vendor, 45000)
    part = create_delivered_part(vendor=vendor, items=[(product, 1, 45000, 0)])
    BuyerInvoiceDetails.objects.create(order=part.order, personal_id=BUYER_CCCD)
    invoice = invoice_issue_for_fulfilment(fulfilment=part)
    with connection.cursor() as cursor:  # the rows as they were before the migrations: plain numbers
        cursor.execute("UPDATE vendors_vendor SET tax_code = %s, tax_code_digest = '' WHERE id = %s",
                       ["042185000123", vendor.pk])
        cursor.execute("UPDATE invoicing_invoice SET buyer_personal_id = %s WHERE id = %s", [BUYER_CCCD, invoice.pk])
        cursor.execute("UPDATE invoicing_buyerinvoicedetails SET personal_id = %s", [BUYER_CCCD])
    xml_before = bytes(raw("invoicing_invoice", "xml", invoice.pk))
    assert f"<CCCDan>{BUYER_CCCD}</CCCDan>".encode() in xml_before
    schema_editor = connection.schema_editor()

    vendors_migration.encrypt_rows(apps, schema_editor)
    invoicing_migration.encrypt_rows(apps, schema_editor)
    assert raw("vendors_vendor", "tax_code", vendor.pk).startswith("gAAAA")
    assert Vendor.objects.with_tax_code("042185000123").get() == vendor
    assert raw("invoicing_invoice", "buyer_personal_id", invoice.pk).startswith("gAAAA")
    assert not table_contains("invoicing_buyerinvoicedetails", BUYER_CCCD)
    assert bytes(raw("invoicing_invoice", "xml", invoice.pk)) == xml_before  # byte for byte
    assert invoice_export_bytes(Invoice.objects.get(pk=invoice.pk)) == invoice_export_bytes(invoice)

    vendors_migration.decrypt_rows(apps, schema_editor)
    invoicing_migration.decrypt_rows(apps, schema_editor)
    assert raw("vendors_vendor", "tax_code", vendor.pk) == "042185000123"
    assert raw("invoicing_invoice", "buyer_personal_id", invoice.pk) == BUYER_CCCD
    assert bytes(raw("invoicing_invoice", "xml", invoice.pk)) == xml_before


def test_the_applications_migration_computes_the_digest(assistant):
    application = household_application(assistant)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE onboarding_vendorapplication SET tax_code = %s, tax_code_digest = '' WHERE id = %s",
                       [HOUSEHOLD_CCCD, application.pk])
    applications_migration.encrypt_rows(apps, connection.schema_editor())
    assert raw("onboarding_vendorapplication", "tax_code", application.pk).startswith("gAAAA")
    assert VendorApplication.objects.with_tax_code(HOUSEHOLD_CCCD).get() == application


def test_a_new_hash_key_needs_the_rotation_command_which_recomputes_the_digests(settings):
    vendor = create_vendor(tax_code=HOUSEHOLD_CCCD, seller_type=Vendor.TYPE_HOUSEHOLD)
    settings.PRIVACY_HASH_KEY = "a-new-lookup-key-for-the-digests-0123456789"
    assert not Vendor.objects.with_tax_code(HOUSEHOLD_CCCD).exists()
    call_command("rotate_encryption_keys", stdout=StringIO())
    assert Vendor.objects.with_tax_code(HOUSEHOLD_CCCD).get() == vendor


def test_production_refuses_the_development_hash_key(settings):
    settings.PRIVACY_HASH_KEY = settings.DEVELOPMENT_SECRETS["PRIVACY_HASH_KEY"]
    assert "PRIVACY_HASH_KEY" in [name for name, _why in unsafe_settings()]
    settings.PRIVACY_HASH_KEY = "short"
    assert "PRIVACY_HASH_KEY" in [name for name, _why in unsafe_settings()]
    settings.PRIVACY_HASH_KEY = "k" * 48
    assert "PRIVACY_HASH_KEY" not in [name for name, _why in unsafe_settings()]
