"""Backups of media in object storage (issue 18 §5 with MEDIA_STORAGE=s3), against a local S3-compatible server
over real HTTP (moto's server mode, tests/marketplace/s3_server.py).

Real objects in both buckets — a product picture uploaded through the seller's form and its thumbnails made by
the product page (public bucket), a seller's document submitted with an application (private bucket) —
`bin/backup` with the settings the site reads (MEDIA_STORAGE=s3, MEDIA_BUCKET…): each object a file named by
its key, unchanged objects hard links to the previous backup; then the buckets are wiped and `bin/restore`
puts every object back, byte for byte with its headers and access, into new buckets the site then serves
from. A damaged object in a backup, a non-empty or missing target bucket are refused before anything is
restored. PostgreSQL only (pg_dump/pg_restore), as the filesystem drill.
"""
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import reverse

import marketplace.urls  # noqa: F401 — the URLconf as the site starts (with /media/), before a test's settings
from onboarding import services
from onboarding.storage import private_storage
from tests.marketplace.s3_server import PRIVATE_BUCKET, PUBLIC_BUCKET, S3Server
from tests.marketplace.test_object_storage import approved_product_with_picture
from tests.onboarding.conftest import fill_application, make_user, pdf_bytes

ROOT = Path(__file__).resolve().parents[2]
RESTORED_PUBLIC, RESTORED_PRIVATE = "ocop-media-restored", "ocop-private-restored"

pytestmark = [
    pytest.mark.django_db(transaction=True),  # pg_dump reads what the test committed
    pytest.mark.skipif(not shutil.which("pg_dump") or not shutil.which("pg_restore"),
                       reason="pg_dump/pg_restore missing (apt-get install postgresql-client)"),
]


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("backups need PostgreSQL (DATABASE_URL=postgres://…, as CI runs it)")


@pytest.fixture(scope="module")
def s3():
    with S3Server() as server:
        yield server


@pytest.fixture(autouse=True)
def fresh_buckets(s3):
    client = s3.client()
    for bucket in (RESTORED_PUBLIC, RESTORED_PRIVATE):
        if bucket in [b["Name"] for b in client.list_buckets()["Buckets"]]:
            for item in client.list_objects_v2(Bucket=bucket).get("Contents", []):
                client.delete_object(Bucket=bucket, Key=item["Key"])
            client.delete_bucket(Bucket=bucket)
    s3.empty()


@pytest.fixture
def fresh_thumbnail_storage(monkeypatch):
    from sorl.thumbnail import default

    monkeypatch.setattr(default, "storage", default.Storage())  # sorl builds its storage once per process


@pytest.fixture
def target_database():
    name = connection.settings_dict["NAME"] + "_s3restored"
    drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    with connection.cursor() as cursor:
        cursor.execute(drop)
    yield name
    with connection.cursor() as cursor:
        cursor.execute(drop)


def database_url(name):
    s = connection.settings_dict
    credentials = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{credentials}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def run(script, *args, env):
    return subprocess.run([sys.executable, str(ROOT / "bin" / script), *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600, env=env)


def operator_env(s3, **buckets):
    """What the site's operator sets (README, "Running on several nodes"), and nothing of the media folders."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MEDIA_ROOT", "PRIVATE_MEDIA_ROOT")}
    env.update(s3.env())
    env.update(buckets)
    env["PRIVATE_MEDIA_PREFIX"] = "private"
    return env


def contents(s3, bucket):
    """{key: (sha256, Content-Type, Cache-Control)} of every object of a bucket."""
    client, found = s3.client(), {}
    for item in client.list_objects_v2(Bucket=bucket).get("Contents", []):
        answer = client.get_object(Bucket=bucket, Key=item["Key"])
        found[item["Key"]] = (hashlib.sha256(answer["Body"].read()).hexdigest(), answer.get("ContentType"),
                              answer.get("CacheControl"))
    return found


def submitted_document():
    applicant = make_user("applicant")
    application = fill_application(services.vendor_application_start(user=applicant), applicant)
    services.vendor_application_submit(application=application, actor=applicant)
    return applicant, application.documents.get()


def test_buckets_are_backed_up_and_restored_byte_for_byte(postgresql, client, s3, settings, fresh_thumbnail_storage,
                                                         target_database, tmp_path):
    s3.apply(settings, served_by_django=True)
    product = approved_product_with_picture(client)  # the seller's upload form, approved by the department
    assert client.get(product.get_absolute_url()).status_code == 200  # its thumbnails, made once, in the bucket
    applicant, document = submitted_document()
    public, private = contents(s3, PUBLIC_BUCKET), contents(s3, PRIVATE_BUCKET)
    picture = product.images.get().original.name
    assert picture in public and any(key.startswith("cache/") for key in public)
    assert list(private) == [f"private/{document.file.name}"]

    backups = tmp_path / "backups"
    env = operator_env(s3)
    common = ["--dir", str(backups), "--database-url", database_url(connection.settings_dict["NAME"])]
    first = run("backup", *common, env=env)
    assert first.returncode == 0, first.stderr
    first_folder = Path(first.stdout.strip().splitlines()[-1])
    assert f"{len(public) + len(private)} objects of s3://{PUBLIC_BUCKET}/ and s3://{PRIVATE_BUCKET}/private/: " \
           f"{len(public) + len(private)} downloaded, 0 unchanged" in first.stdout
    # Keys are paths (the documents' less their prefix: the names the database records), as a folder backup.
    assert (first_folder / "media" / picture).read_bytes() == s3.client().get_object(
        Bucket=PUBLIC_BUCKET, Key=picture)["Body"].read()
    assert (first_folder / "private-media" / document.file.name).read_bytes() == s3.client().get_object(
        Bucket=PRIVATE_BUCKET, Key=f"private/{document.file.name}")["Body"].read()  # as stored (encrypted at rest)
    record = json.loads((first_folder / "objects.json").read_text())
    assert record["private-media"]["bucket"] == PRIVATE_BUCKET and record["private-media"]["prefix"] == "private/"
    assert record["media"]["objects"][picture]["content_type"] == "image/jpeg"
    assert "  objects.json\n" in (first_folder / "MANIFEST.sha256").read_text()

    # A second backup after one more document: only that object is downloaded, the rest are hard links.
    extra = private_storage.save("applications/extra/so-do-xuong.pdf", ContentFile(pdf_bytes()))
    private = contents(s3, PRIVATE_BUCKET)
    second = run("backup", *common, env=env)
    assert second.returncode == 0, second.stderr
    folder = Path(second.stdout.strip().splitlines()[-1])
    assert f"1 downloaded, {len(public) + len(private) - 1} unchanged" in second.stdout
    for name in (f"media/{picture}", f"private-media/{document.file.name}"):
        assert (folder / name).stat().st_ino == (first_folder / name).stat().st_ino  # one copy on disk
    assert (folder / "private-media" / extra).stat().st_nlink == 1
    checked = subprocess.run(["sha256sum", "--quiet", "-c", "MANIFEST.sha256"], cwd=folder, capture_output=True)
    assert checked.returncode == 0, checked.stdout

    # Disaster: every object is gone. The restore goes into new buckets (and a fresh database).
    s3.empty()
    client_s3 = s3.client()
    client_s3.create_bucket(Bucket=RESTORED_PUBLIC)
    target = ["--database-url", database_url(target_database)]
    restored_env = operator_env(s3, MEDIA_BUCKET=RESTORED_PUBLIC, PRIVATE_MEDIA_BUCKET=RESTORED_PRIVATE)
    missing = run("restore", str(folder), *target, env=restored_env)
    assert missing.returncode != 0 and f"bucket {RESTORED_PRIVATE} does not exist" in missing.stderr
    client_s3.create_bucket(Bucket=RESTORED_PRIVATE)
    client_s3.put_object(Bucket=RESTORED_PUBLIC, Key="la.txt", Body=b"stray")
    occupied = run("restore", str(folder), *target, env=restored_env)
    assert occupied.returncode != 0 and f"s3://{RESTORED_PUBLIC}/ is not empty (e.g. la.txt)" in occupied.stderr
    with connection.cursor() as cursor:  # refused before the database was touched
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [target_database])
        assert cursor.fetchone()[0] == 0
    client_s3.delete_object(Bucket=RESTORED_PUBLIC, Key="la.txt")

    done = run("restore", str(folder), *target, env=restored_env)
    assert done.returncode == 0, done.stderr
    assert contents(s3, RESTORED_PUBLIC) == public  # bytes, Content-Type and Cache-Control of every object
    assert contents(s3, RESTORED_PRIVATE) == private
    assert requests.get(f"{s3.url}/{RESTORED_PUBLIC}/{picture}", timeout=30).status_code == 200  # public-read
    assert requests.get(f"{s3.url}/{RESTORED_PRIVATE}/private/{document.file.name}",
                        timeout=30).status_code == 403  # private

    # The site on the restored buckets: the picture streams at /media/, the document through its view only.
    settings.AWS_STORAGE_BUCKET_NAME = RESTORED_PUBLIC
    settings.STORAGES = {**settings.STORAGES, "private": {**settings.STORAGES["private"], "OPTIONS": {
        **settings.STORAGES["private"]["OPTIONS"], "bucket_name": RESTORED_PRIVATE}}}
    response = client.get(product.images.get().original.url)
    assert response.status_code == 200
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == public[picture][0]
    client.force_login(applicant)
    response = client.get(reverse("onboarding:document", kwargs={"pk": document.pk}))
    assert response.status_code == 200 and b"".join(response.streaming_content) == pdf_bytes()

    # Restoring again is refused: the buckets (and the database) now hold the restored data.
    again = run("restore", str(folder), *target, env=restored_env)
    assert again.returncode != 0 and "is not empty" in again.stderr


def test_a_damaged_object_in_a_backup_is_refused_before_anything_is_restored(postgresql, s3, settings,
                                                                            target_database, tmp_path):
    s3.apply(settings, served_by_django=True)
    _, document = submitted_document()
    made = run("backup", "--dir", str(tmp_path / "backups"), "--database-url",
               database_url(connection.settings_dict["NAME"]), env=operator_env(s3))
    assert made.returncode == 0, made.stderr
    folder = Path(made.stdout.strip().splitlines()[-1])
    damaged = folder / "private-media" / document.file.name
    stored = damaged.read_bytes()
    damaged.write_bytes(damaged.read_bytes()[:-1] + b"\0")

    s3.empty()
    refused = run("restore", str(folder), "--database-url", database_url(target_database), env=operator_env(s3))
    assert refused.returncode != 0
    assert f"missing or damaged, e.g. private-media/{document.file.name}: nothing was restored" in refused.stderr
    assert not contents(s3, PUBLIC_BUCKET) and not contents(s3, PRIVATE_BUCKET)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [target_database])
        assert cursor.fetchone()[0] == 0

    # A damaged object is not carried into the next backup either: its file no longer has its checksum, so the
    # object is downloaded again instead of hard-linked.
    s3.client().put_object(Bucket=PRIVATE_BUCKET, Key=f"private/{document.file.name}", Body=stored,
                           ContentType="application/pdf")
    again = run("backup", "--dir", str(tmp_path / "backups"), "--database-url",
                database_url(connection.settings_dict["NAME"]), env=operator_env(s3))
    assert again.returncode == 0, again.stderr
    assert "1 downloaded, 0 unchanged" in again.stdout
    fresh = Path(again.stdout.strip().splitlines()[-1])
    assert (fresh / "private-media" / document.file.name).read_bytes() == stored


def test_a_backup_of_folders_restores_into_buckets(postgresql, s3, settings, target_database, tmp_path):
    """Moving a site from MEDIA_ROOT to object storage: the same backup layout, restored with MEDIA_STORAGE=s3;
    objects get the site's headers and access (no objects.json to say otherwise)."""
    media, private = tmp_path / "media", tmp_path / "private-media"
    (media / "images" / "products").mkdir(parents=True)
    (media / "images" / "products" / "mat-ong.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (private / "applications" / "3").mkdir(parents=True)
    (private / "applications" / "3" / "giay-phep.pdf").write_bytes(pdf_bytes())
    env = {k: v for k, v in os.environ.items() if k != "MEDIA_STORAGE"}
    made = run("backup", "--dir", str(tmp_path / "backups"), "--database-url",
               database_url(connection.settings_dict["NAME"]), "--media", str(media), "--private-media", str(private),
               env=env)
    assert made.returncode == 0, made.stderr
    folder = Path(made.stdout.strip().splitlines()[-1])

    done = run("restore", str(folder), "--database-url", database_url(target_database), env=operator_env(s3))
    assert done.returncode == 0, done.stderr
    public = contents(s3, PUBLIC_BUCKET)
    assert public == {"images/products/mat-ong.png": (
        hashlib.sha256((media / "images" / "products" / "mat-ong.png").read_bytes()).hexdigest(), "image/png",
        f"public, max-age={settings.MEDIA_CACHE_SECONDS}")}
    assert contents(s3, PRIVATE_BUCKET) == {"private/applications/3/giay-phep.pdf": (
        hashlib.sha256(pdf_bytes()).hexdigest(), "application/pdf", "private, no-store")}
    assert requests.get(f"{s3.url}/{PUBLIC_BUCKET}/images/products/mat-ong.png", timeout=30).status_code == 200
    assert requests.get(f"{s3.url}/{PRIVATE_BUCKET}/private/applications/3/giay-phep.pdf",
                        timeout=30).status_code == 403
