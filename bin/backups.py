"""Backups of the marketplace and their restore: `bin/backup` and `bin/restore` (README, "Operations").

A backup is the PostgreSQL database (pg_dump, custom format) and the uploaded files, in one folder per run
named by its UTC time:

    <BACKUP_DIR>/20261207T153000Z/database.dump     pg_dump --format=custom
                                  media/            public uploads (product pictures, logos)
                                  private-media/    sellers' documents
                                  objects.json      (buckets only) each object's ETag, size and headers
                                  MANIFEST.sha256   every file's SHA-256 (`sha256sum -c MANIFEST.sha256` works)
                                  backup.json       when, which pg_dump, how many files and bytes

The database is dumped first (one consistent snapshot), the folders after, so every file a row of the dump
names is in the copy. A run writes ``<name>.partial`` and renames it once complete: a folder without the
suffix is a whole backup. Unchanged files are hard links to the previous backup (rsync --link-dest), so a
daily backup of a large media folder costs what changed. Retention: a backup is deleted once it is neither
among the newest ``--keep`` nor younger than ``--keep-days`` days (at least --keep remain even if backups
stopped for a while).

A restore checks every checksum first, then restores into a *fresh* database (created if missing; refused
if it holds any table) and *empty* media folders, and checks the restored files again.

The media are the folders MEDIA_ROOT and PRIVATE_MEDIA_ROOT, or, with MEDIA_STORAGE=s3, the objects of the
public bucket (MEDIA_BUCKET) and of the sellers' documents (PRIVATE_MEDIA_BUCKET under PRIVATE_MEDIA_PREFIX),
read with the settings the site reads (AWS_S3_ENDPOINT_URL, AWS_ACCESS_KEY_ID…). Each object becomes a file
named by its key (less the prefix: the name the database records), so a backup of buckets looks like one of
folders; ``objects.json`` adds each object's ETag, size, Content-Type and Cache-Control. An object whose ETag
and size match the previous backup's record (and whose file there still has its checksum) is a hard link to
it: unchanged objects are neither downloaded nor stored again. A restore into buckets wants them to exist and
be empty, uploads every file with its MD5 (the store refuses a damaged body) and its recorded headers (public
objects public-read, documents private, as the site writes them), then lists the buckets and compares; a
failed upload deletes what it put.

Python's standard library, pg_dump/pg_restore/psql and rsync (and boto3 for buckets; no Django): it runs on
the host, in the image (roles ``backup`` and ``restore``) or from cron. Connection settings come from
DATABASE_URL and go to the PostgreSQL tools through PG* variables, never on a command line; the object
store's keys come from the environment too.
"""
import argparse
import base64
import datetime
import hashlib
import json
import mimetypes
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
NAME = re.compile(r"^\d{8}T\d{6}Z$")
MEDIA_FOLDERS = ("media", "private-media")
MANIFEST = "MANIFEST.sha256"
#: Query parameters of DATABASE_URL that libpq also reads from the environment.
LIBPQ_PARAMETERS = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT",
                    "sslkey": "PGSSLKEY", "connect_timeout": "PGCONNECT_TIMEOUT", "application_name": "PGAPPNAME"}


class Failure(Exception):
    """A refusal or a failed step, said in one line."""


def _log(command, message):
    print(f"{command}: {message}", flush=True)


# --- PostgreSQL ------------------------------------------------------------------------------------------------

def pg_env(url, database=None):
    """The PG* environment of a postgres:// URL (django-environ's schemes), optionally on another database."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("postgres", "postgresql", "pgsql", "postgis"):
        raise Failure("DATABASE_URL must be a PostgreSQL URL (postgres://user:password@host:5432/name); "
                      "a SQLite development database is a file to copy")
    env = {**os.environ}
    for key in ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE", "PGSERVICE"):
        env.pop(key, None)
    values = {"PGHOST": unquote(parts.hostname or ""), "PGPORT": str(parts.port or ""),
              "PGUSER": unquote(parts.username or ""), "PGPASSWORD": unquote(parts.password or ""),
              "PGDATABASE": database or unquote(parts.path.lstrip("/"))}
    for key, value in parse_qsl(parts.query):
        if key in LIBPQ_PARAMETERS:
            values[LIBPQ_PARAMETERS[key]] = value
    env.update({k: v for k, v in values.items() if v})
    if not values["PGDATABASE"]:
        raise Failure("DATABASE_URL names no database")
    return env


def psql(url, sql, *, database=None):
    done = subprocess.run(["psql", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "-tAq", "-c", sql],
                          env=pg_env(url, database), capture_output=True, text=True)
    if done.returncode:
        raise Failure(f"psql: {done.stderr.strip()}")
    return done.stdout.strip()


def _literal(value):
    return "'" + value.replace("'", "''") + "'"


def _identifier(value):
    return '"' + value.replace('"', '""') + '"'


# --- files -----------------------------------------------------------------------------------------------------

def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def tree_checksums(folder):
    """{relative path: sha256} of every file under ``folder`` (symlinks followed)."""
    folder = Path(folder)
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def copy_tree(source, target, previous=None):
    """Copy a folder's contents into ``target`` (a missing source is an empty folder). rsync hard-links
    the files unchanged since ``previous``; without rsync, a plain copy."""
    target.mkdir(parents=True, exist_ok=True)
    if not source.is_dir():
        return
    if shutil.which("rsync"):
        command = ["rsync", "-a"]
        if previous and previous.is_dir():
            command.append(f"--link-dest={previous.resolve()}")
        subprocess.run(command + [f"{source}/", f"{target}/"], check=True)
    else:
        shutil.copytree(source, target, dirs_exist_ok=True)


def complete_backups(directory):
    return sorted((p for p in Path(directory).iterdir() if p.is_dir() and NAME.match(p.name)), key=lambda p: p.name)


def apply_retention(directory, keep, keep_days, now):
    """Delete backups beyond the newest ``keep`` that are older than ``keep_days`` days, and dead .partial runs."""
    backups = complete_backups(directory)
    removed = []
    for folder in backups[:-max(keep, 1)]:
        made = datetime.datetime.strptime(folder.name, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
        if now - made > datetime.timedelta(days=keep_days):
            shutil.rmtree(folder)
            removed.append(folder.name)
    for partial in Path(directory).glob("*.partial"):
        if time.time() - partial.stat().st_mtime > 24 * 3600:  # a run that died; a running one is younger
            shutil.rmtree(partial, ignore_errors=True)
    return removed


# --- object storage (MEDIA_STORAGE=s3) ---------------------------------------------------------------------------

#: Objects downloaded or uploaded at once (boto3 clients are thread-safe; an object store answers many at a time).
S3_THREADS = 8
OBJECTS = "objects.json"


class Place:
    """Where a media folder lives in object storage: a bucket, and within it a prefix (``""``: the whole bucket),
    minus another folder's prefix when both share one bucket. A file's path in the backup is its object key
    without the prefix — the name the database records — so a backup of buckets and one of folders look alike."""

    def __init__(self, bucket, prefix="", exclude=None):
        self.bucket, self.prefix, self.exclude = bucket, _prefix(prefix), exclude

    def __str__(self):
        return f"s3://{self.bucket}/{self.prefix}"

    def objects(self, client):
        """{name: listing entry} of every object of the place; a key that cannot be a file path is refused."""
        found = {}
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix):
            for item in page.get("Contents", []):
                key = item["Key"]
                if self.exclude and key.startswith(self.exclude):
                    continue
                if key.endswith("/") and not item["Size"]:
                    continue  # a "folder" some consoles create: nothing to keep
                name = key[len(self.prefix):]
                if not _portable(name):
                    raise Failure(f"object {key!r} of bucket {self.bucket} cannot be kept as a file path "
                                  "(empty, '.' or '..' parts, or control characters)")
                found[name] = item
        names = set(found)
        for name in names:  # "a" and "a/b" cannot both be files
            parent = name.rsplit("/", 1)[0] if "/" in name else None
            while parent:
                if parent in names:
                    raise Failure(f"objects {self.prefix}{parent!s} and {self.prefix}{name} of bucket {self.bucket} "
                                  "cannot both be kept as files")
                parent = parent.rsplit("/", 1)[0] if "/" in parent else None
        return found


def _prefix(prefix):
    prefix = (prefix or "").strip("/")
    return prefix + "/" if prefix else ""


def _portable(name):
    return bool(name) and all(part not in ("", ".", "..") for part in name.split("/")) \
        and not any(ord(c) < 32 or c == "\x7f" for c in name)


class ObjectStore:
    """The buckets of MEDIA_STORAGE=s3, from the settings the application reads (marketplace/settings.py):
    AWS_S3_ENDPOINT_URL, AWS_S3_REGION_NAME, AWS_S3_ADDRESSING_STYLE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY
    (unset: boto3's own chain — a role, a profile), MEDIA_BUCKET, PRIVATE_MEDIA_BUCKET, PRIVATE_MEDIA_PREFIX."""

    def __init__(self, *, media_bucket, private_bucket=None, private_prefix="private", cache_seconds=7 * 24 * 3600,
                 environ=None):
        environ = os.environ if environ is None else environ
        if not media_bucket:
            raise Failure("MEDIA_STORAGE=s3 needs MEDIA_BUCKET (or --media-bucket)")
        private_bucket = private_bucket or media_bucket
        if private_bucket == media_bucket and not _prefix(private_prefix):
            raise Failure("sellers' documents share MEDIA_BUCKET: PRIVATE_MEDIA_PREFIX cannot be empty")
        self.places = {
            "media": Place(media_bucket, "", exclude=_prefix(private_prefix) if private_bucket == media_bucket else None),
            "private-media": Place(private_bucket, private_prefix)}
        #: What each folder's objects are given when uploaded again: the application's own ACL and cache headers
        #: (a backup records each object's Content-Type and Cache-Control, and those win).
        self.defaults = {"media": {"ACL": "public-read", "CacheControl": f"public, max-age={cache_seconds}"},
                         "private-media": {"ACL": "private", "CacheControl": "private, no-store"}}
        self.settings = {"endpoint_url": environ.get("AWS_S3_ENDPOINT_URL") or None,
                         "region_name": environ.get("AWS_S3_REGION_NAME") or None,
                         "aws_access_key_id": environ.get("AWS_ACCESS_KEY_ID") or None,
                         "aws_secret_access_key": environ.get("AWS_SECRET_ACCESS_KEY") or None}
        self.addressing_style = environ.get("AWS_S3_ADDRESSING_STYLE") or "path"
        self._client = None

    def __str__(self):
        return " and ".join(str(place) for place in self.places.values())

    @property
    def client(self):
        if self._client is None:
            try:
                import boto3
                from botocore.config import Config
            except ImportError:
                raise Failure("MEDIA_STORAGE=s3 needs boto3: run it with the project's Python "
                              "(.venv/bin/python bin/backup, or the image's backup/restore roles)") from None
            self._client = boto3.client("s3", **self.settings, config=Config(
                s3={"addressing_style": self.addressing_style}, max_pool_connections=S3_THREADS * 2,
                retries={"max_attempts": 5, "mode": "standard"}))
        return self._client

    def bucket_error(self, exc):
        return Failure(f"object storage: {exc}")

    # --- backup ---

    def download(self, folder, target, previous=None):
        """Copy the objects of ``folder`` ("media"/"private-media") into ``target``, a file per object; an object
        whose ETag and size match the previous backup's record, and whose file there still has its checksum, is
        a hard link to that file. Returns ({name: metadata}, {name: sha256}, objects downloaded)."""
        from botocore.exceptions import BotoCoreError, ClientError

        place = self.places[folder]
        target.mkdir(parents=True, exist_ok=True)
        before, before_sums = _previous_record(previous, folder)
        record, sums, fetch = {}, {}, []
        try:
            listing = place.objects(self.client)
        except (BotoCoreError, ClientError) as exc:
            raise self.bucket_error(exc) from exc
        for name, item in sorted(listing.items()):
            etag = item["ETag"].strip('"')
            old = before.get(name)
            source = previous / folder / name if previous else None
            if old and old["etag"] == etag and old["size"] == item["Size"] and source.is_file() \
                    and source.stat().st_size == item["Size"] and sha256(source) == before_sums.get(f"{folder}/{name}"):
                path = target / name
                path.parent.mkdir(parents=True, exist_ok=True)
                os.link(source, path)
                record[name], sums[name] = old, before_sums[f"{folder}/{name}"]
            else:
                fetch.append((name, item))

        def get(job):
            name, item = job
            path = target / name
            path.parent.mkdir(parents=True, exist_ok=True)
            answer = self.client.get_object(Bucket=place.bucket, Key=place.prefix + name)
            # MD5 only as S3 computes its ETag and checks Content-MD5: an integrity check, not a security one
            digest, md5 = hashlib.sha256(), hashlib.md5(usedforsecurity=False)
            with open(path, "wb") as handle:
                for block in answer["Body"].iter_chunks(1 << 20):
                    handle.write(block)
                    digest.update(block)
                    md5.update(block)
            etag = answer["ETag"].strip('"')
            size = path.stat().st_size
            if size != answer["ContentLength"] or (re.fullmatch(r"[0-9a-f]{32}", etag) and answer.get(
                    "ServerSideEncryption") != "aws:kms" and md5.hexdigest() != etag):
                raise Failure(f"{place.bucket}/{place.prefix}{name} arrived damaged (size or MD5 differs from the store's)")
            meta = {"etag": etag, "size": size}
            for field, key in (("ContentType", "content_type"), ("CacheControl", "cache_control"),
                               ("ContentEncoding", "content_encoding"), ("ContentDisposition", "content_disposition")):
                if answer.get(field):
                    meta[key] = answer[field]
            return name, meta, digest.hexdigest()

        try:
            for name, meta, digest in _in_threads(get, fetch):
                record[name], sums[name] = meta, digest
        except (BotoCoreError, ClientError) as exc:
            raise self.bucket_error(exc) from exc
        return {"bucket": place.bucket, "prefix": place.prefix, "objects": dict(sorted(record.items()))}, sums, len(fetch)

    # --- restore ---

    def check_empty(self):
        from botocore.exceptions import BotoCoreError, ClientError

        for place in self.places.values():
            try:
                self.client.head_bucket(Bucket=place.bucket)
                listed = self.client.list_objects_v2(Bucket=place.bucket, Prefix=place.prefix, MaxKeys=2)
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchBucket"):
                    raise Failure(f"bucket {place.bucket} does not exist: create it first (as for a first "
                                  "deploy), then restore into it") from exc
                raise self.bucket_error(exc) from exc
            except BotoCoreError as exc:
                raise self.bucket_error(exc) from exc
            keys = [item["Key"] for item in listed.get("Contents", [])
                    if not (place.exclude and item["Key"].startswith(place.exclude))]
            if keys:
                raise Failure(f"{place} is not empty (e.g. {keys[0]}): restore into empty buckets (new ones, "
                              "or empty these first)")

    def upload(self, folder, source, record, expected):
        """Put every file of ``source`` back as an object, with the recorded headers (else the application's),
        each with its MD5 for the store to check; then list the place and compare names, sizes and ETags.
        A failure deletes what this call put, leaving the place empty for another try."""
        from botocore.exceptions import BotoCoreError, ClientError

        place, defaults = self.places[folder], self.defaults[folder]
        names = sorted(expected)
        done = []

        def put(name):
            path = source / name
            meta = record.get(name, {})
            with open(path, "rb") as handle:
                md5 = hashlib.md5(usedforsecurity=False)
                for block in iter(lambda: handle.read(1 << 20), b""):
                    md5.update(block)
                handle.seek(0)
                extra = {"ContentType": meta.get("content_type") or mimetypes.guess_type(name)[0]
                         or "application/octet-stream", "CacheControl": meta.get("cache_control")
                         or defaults["CacheControl"]}
                for key, field in (("content_encoding", "ContentEncoding"), ("content_disposition", "ContentDisposition")):
                    if meta.get(key):
                        extra[field] = meta[key]
                self.client.put_object(Bucket=place.bucket, Key=place.prefix + name, Body=handle, ACL=defaults["ACL"],
                                       ContentMD5=base64.b64encode(md5.digest()).decode(), **extra)
            done.append(name)
            return name, md5.hexdigest()

        try:
            md5s = dict(_in_threads(put, names))
            stored = place.objects(self.client)
            wrong = [name for name in names if name not in stored or stored[name]["Size"] != (source / name).stat().st_size
                     or (re.fullmatch(r"[0-9a-f]{32}", stored[name]["ETag"].strip('"'))
                         and stored[name]["ETag"].strip('"') != md5s[name])]
            if wrong or set(stored) != set(names):
                raise Failure(f"{place} does not match the backup after uploading "
                              f"(e.g. {(wrong or sorted(set(stored) ^ set(names)))[0]})")
        except BaseException as exc:
            for name in done:
                try:
                    self.client.delete_object(Bucket=place.bucket, Key=place.prefix + name)
                except Exception:  # noqa: BLE001 — the original error is the one to report
                    pass
            if isinstance(exc, (BotoCoreError, ClientError)):
                raise self.bucket_error(exc) from exc
            raise
        return len(names)


def _in_threads(function, jobs):
    """``function(job)`` for every job, S3_THREADS at a time; the first error stops the rest and is raised."""
    from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait

    if not jobs:
        return []
    with ThreadPoolExecutor(max_workers=S3_THREADS) as pool:
        futures = [pool.submit(function, job) for job in jobs]
        finished, pending = wait(futures, return_when=FIRST_EXCEPTION)
        for future in pending:
            future.cancel()
        for future in futures:
            if future.done() and not future.cancelled() and future.exception():
                raise future.exception()
        return [future.result() for future in futures]


def _previous_record(previous, folder):
    """The previous backup's object record of ``folder`` and its manifest ({} when it has none)."""
    if not previous or not (previous / OBJECTS).is_file() or not (previous / MANIFEST).is_file():
        return {}, {}
    try:
        record = json.loads((previous / OBJECTS).read_text()).get(folder, {}).get("objects", {})
    except ValueError:
        return {}, {}
    sums = {}
    for line in (previous / MANIFEST).read_text().splitlines():
        digest, _, path = line.partition("  ")
        sums[path] = digest
    return record, sums


# --- backup ----------------------------------------------------------------------------------------------------

def backup(*, database_url, media, private_media, directory, keep=14, keep_days=30, now=None, store=None):
    """Write one backup; returns its folder. With ``store`` (an ObjectStore), the media are its buckets'
    objects instead of the ``media``/``private_media`` folders."""
    env = pg_env(database_url)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    now = now or datetime.datetime.now(datetime.timezone.utc)
    name = now.strftime("%Y%m%dT%H%M%SZ")
    while (directory / name).exists() or (directory / f"{name}.partial").exists():  # two runs in one second
        now += datetime.timedelta(seconds=1)
        name = now.strftime("%Y%m%dT%H%M%SZ")
    work = directory / f"{name}.partial"
    previous = (complete_backups(directory) or [None])[-1]
    started = time.monotonic()
    try:
        work.mkdir()
        dump = work / "database.dump"
        done = subprocess.run(["pg_dump", "--format=custom", "--compress=6", "--no-password", "--file", str(dump)],
                              env=env, capture_output=True, text=True)
        if done.returncode:
            raise Failure(f"pg_dump failed: {done.stderr.strip()}")
        _log("backup", f"database {env['PGDATABASE']} dumped in {time.monotonic() - started:.1f} s "
                       f"({dump.stat().st_size:,} bytes)")
        known = {}  # {path in the backup: sha256} already computed while copying
        if store is None:
            for folder, source in zip(MEDIA_FOLDERS, (media, private_media)):
                copy_tree(Path(source), work / folder, previous / folder if previous else None)
        else:
            objects, fetched = {}, 0
            for folder in MEDIA_FOLDERS:
                objects[folder], sums, count = store.download(folder, work / folder, previous)
                known.update({f"{folder}/{name}": digest for name, digest in sums.items()})
                fetched += count
            (work / OBJECTS).write_text(json.dumps(objects, indent=1, ensure_ascii=False) + "\n")
            _log("backup", f"{len(known)} objects of {store}: {fetched} downloaded, {len(known) - fetched} unchanged "
                           "(hard links to the previous backup)")
        lines, files, size = [], 0, 0
        for path in sorted(p for p in work.rglob("*") if p.is_file()):
            relative = path.relative_to(work).as_posix()
            lines.append(f"{known.get(relative) or sha256(path)}  {relative}\n")
            files += 1
            size += path.stat().st_size
        (work / MANIFEST).write_text("".join(lines))
        version = subprocess.run(["pg_dump", "--version"], capture_output=True, text=True).stdout.strip()
        (work / "backup.json").write_text(json.dumps({
            "created": now.isoformat(), "database": env["PGDATABASE"], "pg_dump": version, "files": files,
            "bytes": size, "media": str(store.places["media"] if store else media),
            "private_media": str(store.places["private-media"] if store else private_media)}, indent=2) + "\n")
        work.rename(directory / name)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    removed = apply_retention(directory, keep, keep_days, now)
    _log("backup", f"{directory / name}: {files} files, {size:,} bytes in {time.monotonic() - started:.1f} s"
                   + (f"; removed by retention: {', '.join(removed)}" if removed else ""))
    return directory / name


# --- restore ---------------------------------------------------------------------------------------------------

def verify(folder):
    """Every file the manifest lists is there with its checksum; returns {path: sha256}."""
    folder = Path(folder)
    manifest = folder / MANIFEST
    if not manifest.is_file() or not (folder / "database.dump").is_file():
        raise Failure(f"{folder} is not a complete backup (no {MANIFEST} or database.dump)")
    expected = {}
    for line in manifest.read_text().splitlines():
        digest, path = line.split("  ", 1)
        expected[path] = digest
    bad = [path for path, digest in expected.items()
           if not (folder / path).is_file() or sha256(folder / path) != digest]
    if bad:
        raise Failure(f"{len(bad)} file(s) of {folder} are missing or damaged, e.g. {bad[0]}: nothing was restored")
    return expected


def _empty_target(path):
    path = Path(path)
    if path.exists() and any(path.iterdir()):
        raise Failure(f"{path} is not empty: restore into an empty folder (move the old one aside)")


def restore(folder, *, database_url, media, private_media, jobs=2, store=None):
    """Restore a backup into a fresh database and empty media folders (or, with ``store``, empty buckets)."""
    started = time.monotonic()
    folder = Path(folder)
    expected = verify(folder)
    _log("restore", f"{folder}: {len(expected)} files checked")
    if store is None:
        for target in (media, private_media):
            _empty_target(target)
    else:
        store.check_empty()
    env = pg_env(database_url)
    name = env["PGDATABASE"]
    exists = psql(database_url, f"SELECT 1 FROM pg_database WHERE datname = {_literal(name)}", database="postgres")
    if exists:
        tables = psql(database_url, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                                    "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') "
                                    "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                                    "AND n.nspname NOT LIKE 'pg_toast%'")
        if int(tables):
            raise Failure(f"database {name} already holds {tables} relations: restore into a fresh database "
                          "(a new name, or drop this one first)")
    else:
        psql(database_url, f"CREATE DATABASE {_identifier(name)}", database="postgres")
        _log("restore", f"database {name} created")
    done = subprocess.run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--no-password",
                           f"--jobs={jobs}", "--dbname", name, str(folder / "database.dump")],
                          env=env, capture_output=True, text=True)
    if done.returncode:
        raise Failure(f"pg_restore failed: {done.stderr.strip()}")
    psql(database_url, "ANALYZE")
    _log("restore", f"database {name} restored in {time.monotonic() - started:.1f} s")
    record = json.loads((folder / OBJECTS).read_text()) if (folder / OBJECTS).is_file() else {}
    count = 0
    for sub, target in zip(MEDIA_FOLDERS, (media, private_media)):
        wanted = {path.split("/", 1)[1]: digest for path, digest in expected.items() if path.startswith(sub + "/")}
        count += len(wanted)
        if store is not None:
            store.upload(sub, folder / sub, record.get(sub, {}).get("objects", {}), wanted)
            continue
        copy_tree(folder / sub, Path(target))
        restored = tree_checksums(target)
        if restored != wanted:
            raise Failure(f"{target} does not match the backup after copying")
    into = str(store) if store is not None else f"{media} and {private_media}"
    _log("restore", f"done in {time.monotonic() - started:.1f} s: {count} files into {into}")


# --- command lines ---------------------------------------------------------------------------------------------

def _common(parser):
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""),
                        help="PostgreSQL URL (DATABASE_URL)")
    parser.add_argument("--media", default=os.environ.get("MEDIA_ROOT", str(ROOT / "media")),
                        help="public uploads (MEDIA_ROOT)")
    parser.add_argument("--private-media", default=os.environ.get("PRIVATE_MEDIA_ROOT", str(ROOT / "private-media")),
                        help="sellers' documents (PRIVATE_MEDIA_ROOT)")
    parser.add_argument("--media-storage", choices=("filesystem", "s3"),
                        default=os.environ.get("MEDIA_STORAGE") or "filesystem",
                        help="where the media live (MEDIA_STORAGE): the folders above, or the buckets below "
                             "(AWS_S3_ENDPOINT_URL, AWS_ACCESS_KEY_ID… from the environment, as the site reads them)")
    parser.add_argument("--media-bucket", default=os.environ.get("MEDIA_BUCKET", ""),
                        help="public bucket (MEDIA_BUCKET)")
    parser.add_argument("--private-media-bucket", default=os.environ.get("PRIVATE_MEDIA_BUCKET", ""),
                        help="sellers' documents' bucket (PRIVATE_MEDIA_BUCKET, default: the public one)")
    parser.add_argument("--private-media-prefix", default=os.environ.get("PRIVATE_MEDIA_PREFIX", "private"),
                        help="their prefix in it (PRIVATE_MEDIA_PREFIX, default private)")


def _store(args):
    if args.media_storage != "s3":
        return None
    return ObjectStore(media_bucket=args.media_bucket, private_bucket=args.private_media_bucket,
                       private_prefix=args.private_media_prefix,
                       cache_seconds=int(os.environ.get("MEDIA_CACHE_SECONDS") or 7 * 24 * 3600))


def backup_main(argv=None):
    parser = argparse.ArgumentParser(prog="bin/backup", description="Back up the database and the uploaded files "
                                     "into a new timestamped folder, then apply the retention.")
    parser.add_argument("--dir", default=os.environ.get("BACKUP_DIR", str(ROOT / "backups")),
                        help="where backups are kept (BACKUP_DIR, default backups/)")
    parser.add_argument("--keep", type=int, default=int(os.environ.get("BACKUP_KEEP", "14")),
                        help="always keep this many newest backups (BACKUP_KEEP, 14)")
    parser.add_argument("--keep-days", type=int, default=int(os.environ.get("BACKUP_KEEP_DAYS", "30")),
                        help="and every backup younger than this many days (BACKUP_KEEP_DAYS, 30)")
    _common(parser)
    args = parser.parse_args(argv)
    try:
        print(backup(database_url=args.database_url, media=args.media, private_media=args.private_media,
                     directory=args.dir, keep=args.keep, keep_days=args.keep_days, store=_store(args)))
    except Failure as exc:
        sys.exit(f"backup: {exc}; nothing was kept")
    return 0


def restore_main(argv=None):
    parser = argparse.ArgumentParser(prog="bin/restore", description="Restore a backup into a fresh database "
                                     "(created if missing, refused if it holds tables) and empty media folders.")
    parser.add_argument("backup", help="a backup folder (bin/backup printed its path)")
    parser.add_argument("--jobs", type=int, default=2, help="parallel pg_restore jobs")
    _common(parser)
    args = parser.parse_args(argv)
    try:
        restore(args.backup, database_url=args.database_url, media=args.media, private_media=args.private_media,
                jobs=args.jobs, store=_store(args))
    except Failure as exc:
        sys.exit(f"restore: {exc}")
    return 0
