"""The restore drill (issue 18 §5): trade through the real services, `bin/backup`, destroy, `bin/restore` into a
fresh database and empty media folders, and compare row counts and checksums of orders, payments, ledger
entries and invoices, every signed invoice XML byte for byte, and every uploaded file.

The data: two sellers (one with VAT), products with pictures (media), a seller's document (private media),
cash-on-delivery orders placed through the checkout, delivered (ledger entries, invoices sent over HTTP to
the provider emulator, which answers with signed XML), one line refunded (refund, ledger, adjustment
invoice). PostgreSQL only (pg_dump/pg_restore): skipped, with the reason, on SQLite.
"""
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from oscar.core.loading import get_model
from PIL import Image

from invoicing.models import Invoice
from onboarding.storage import private_storage
from payments.services import refund_line
from tests.checkout import place_order
from tests.factories import create_product
from tests.invoicing.factories import create_invoicing_vendor
from vendors.models import Fulfilment
from vendors.services import fulfilment_set_status

ROOT = Path(__file__).resolve().parents[2]
ProductImage = get_model("catalogue", "ProductImage")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which("pg_dump") or not shutil.which("pg_restore"),
                       reason="pg_dump/pg_restore missing (apt-get install postgresql-client)"),
]

#: What the drill compares: each table's rows (count, and an MD5 of every row's text in id order).
TABLES = ("order_order", "order_line", "payments_payment", "payments_paymentevent", "payments_refund",
          "vendors_fulfilment", "vendors_ledgerentry", "invoicing_invoice", "invoicing_invoiceline",
          "catalogue_productimage")


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the restore drill needs PostgreSQL (DATABASE_URL=postgres://…, as CI runs it)")


@pytest.fixture
def provider(settings, live_server):
    settings.EINVOICE_PROVIDER_URL = live_server.url + "/sandbox/einvoice/api/"
    settings.EINVOICE_CALLBACK_URL = live_server.url + reverse("shop-invoices:provider-callback")
    settings.EINVOICE_PROVIDER_MAX_RETRIES = 0
    settings.EINVOICE_PROVIDER_TIMEOUT = 30
    return live_server


def database_url(name):
    s = connection.settings_dict
    credentials = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{credentials}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def snapshot(url):
    """Counts and checksums of the compared tables, and the signed XML of every invoice, read with psycopg."""
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as db:
        tables = {table: db.execute(f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) "
                                    f"FROM {table} t").fetchone() for table in TABLES}
        signed = db.execute("SELECT id, number, signed_xml FROM invoicing_invoice WHERE signed_xml IS NOT NULL "
                            "ORDER BY id").fetchall()
    return tables, [(pk, number, bytes(xml)) for pk, number, xml in signed]


def files(folder):
    import hashlib

    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(Path(folder).rglob("*")) if p.is_file()}


def picture(colour):
    data = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(data, "JPEG", quality=90)
    return data.getvalue()


def trade(client):
    """Orders, payments, deliveries, ledger, invoices with signed XML, a refund; pictures and a document."""
    sellers = [create_invoicing_vendor(vat=True), create_invoicing_vendor(vat=False)]
    products = [create_product(vendor=sellers[0], title="Mật ong Hương Sơn", price=200000, stock=50, ocop_code="I.2.b"),
                create_product(vendor=sellers[1], title="Kẹo cu đơ Thiên Cầm", price=45000, stock=80)]
    for n, product in enumerate(products):
        image = ProductImage(product=product, caption=product.title, display_order=0)
        image.original.save(f"{product.upc.lower()}.jpg", ContentFile(picture((200, 120 + 40 * n, 0))), save=False)
        image.save()
    private_storage.save("applications/1/giay-dang-ky.png", ContentFile(picture((10, 20, 30))))

    orders = [place_order(client, items, "cod")[0] for items in (
        [(products[0], 2)], [(products[1], 3)], [(products[0], 1), (products[1], 4)])]
    for order in orders:
        for part in order.fulfilments.all():
            for status in (Fulfilment.CONFIRMED, Fulfilment.SHIPPED, Fulfilment.DELIVERED):
                fulfilment_set_status(fulfilment=part, status=status, tracking_code="VN123")
    refund_line(line=orders[0].lines.get(), quantity=1, actor=None, reason="một chai bị vỡ")
    return orders


def run(script, *args, env=None):
    done = subprocess.run([sys.executable, str(ROOT / "bin" / script), *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600, env=env)
    return done


def test_backup_destroy_restore_drill(postgresql, provider, client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private-media")
    trade(client)
    source = database_url(connection.settings_dict["NAME"])
    before, signed = snapshot(source)
    assert before["order_order"][0] == 3 and before["vendors_ledgerentry"][0] >= 9
    assert before["payments_refund"][0] == 1 and before["invoicing_invoice"][0] >= 5  # + the adjustment
    assert len(signed) >= 4 and all(b"<MCCQT>" in xml and b"SignatureValue" in xml for _, _, xml in signed)
    media, private = files(settings.MEDIA_ROOT), files(settings.PRIVATE_MEDIA_ROOT)
    assert len(media) >= 2 and len(private) == 1

    # Two backups: the second hard-links the unchanged files; retention (keep 1, no day limit) drops the first.
    backups = tmp_path / "backups"
    common = ["--dir", str(backups), "--database-url", source, "--media", settings.MEDIA_ROOT,
              "--private-media", settings.PRIVATE_MEDIA_ROOT]
    first = run("backup", *common, "--keep", "5")
    assert first.returncode == 0, first.stderr
    first_folder = Path(first.stdout.strip().splitlines()[-1])
    second = run("backup", *common, "--keep", "1", "--keep-days", "0")
    assert second.returncode == 0, second.stderr
    folder = Path(second.stdout.strip().splitlines()[-1])
    assert [p.name for p in backups.iterdir()] == [folder.name] and not first_folder.exists()
    assert {p.name for p in folder.iterdir()} == {"database.dump", "media", "private-media", "MANIFEST.sha256",
                                                  "backup.json"}

    # Disaster: the media folders are gone and the database is emptied.
    shutil.rmtree(settings.MEDIA_ROOT)
    shutil.rmtree(settings.PRIVATE_MEDIA_ROOT)
    call_command("flush", interactive=False, verbosity=0)
    assert snapshot(source)[0]["order_order"][0] == 0

    target_name = connection.settings_dict["NAME"] + "_restored"
    target = database_url(target_name)
    restored_media, restored_private = tmp_path / "restored" / "media", tmp_path / "restored" / "private-media"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{target_name}" WITH (FORCE)')
    try:
        done = run("restore", str(folder), "--database-url", target, "--media", str(restored_media),
                   "--private-media", str(restored_private))
        assert done.returncode == 0, done.stderr
        after, signed_after = snapshot(target)
        assert after == before  # counts and checksums of every compared table
        assert signed_after == signed  # each invoice's signed XML, byte for byte
        assert files(restored_media) == media and files(restored_private) == private

        # Restoring again over the restored database is refused: a restore only goes into a fresh one.
        again = run("restore", str(folder), "--database-url", target, "--media", str(tmp_path / "m2"),
                    "--private-media", str(tmp_path / "p2"))
        assert again.returncode != 0 and "fresh database" in again.stderr
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target_name}" WITH (FORCE)')


@pytest.mark.django_db  # no data of its own: pg_dump sees what the migrations committed
def test_a_damaged_backup_is_refused_before_anything_is_restored(postgresql, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    Path(settings.MEDIA_ROOT, "images").mkdir(parents=True)
    Path(settings.MEDIA_ROOT, "images", "a.jpg").write_bytes(picture((1, 2, 3)))
    source = database_url(connection.settings_dict["NAME"])
    made = run("backup", "--dir", str(tmp_path / "backups"), "--database-url", source, "--media",
               settings.MEDIA_ROOT, "--private-media", str(tmp_path / "none"))
    assert made.returncode == 0, made.stderr
    folder = Path(made.stdout.strip().splitlines()[-1])
    damaged = folder / "media" / "images" / "a.jpg"
    damaged.write_bytes(damaged.read_bytes()[:-1] + b"\0")

    target_name = connection.settings_dict["NAME"] + "_damaged"
    refused = run("restore", str(folder), "--database-url", database_url(target_name), "--media",
                  str(tmp_path / "r-media"), "--private-media", str(tmp_path / "r-private"))
    assert refused.returncode != 0
    assert "missing or damaged, e.g. media/images/a.jpg: nothing was restored" in refused.stderr
    assert not (tmp_path / "r-media").exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [target_name])
        assert cursor.fetchone()[0] == 0

    sqlite = run("backup", "--dir", str(tmp_path / "backups"), "--database-url", "sqlite:///db.sqlite3")
    assert sqlite.returncode != 0 and "must be a PostgreSQL URL" in sqlite.stderr
