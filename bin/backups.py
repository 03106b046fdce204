"""Backups of the marketplace and their restore: `bin/backup` and `bin/restore` (README, "Operations").

A backup is the PostgreSQL database (pg_dump, custom format) and the uploaded files, in one folder per run
named by its UTC time:

    <BACKUP_DIR>/20261207T153000Z/database.dump     pg_dump --format=custom
                                  media/            public uploads (product pictures, logos)
                                  private-media/    sellers' documents
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

The media folders are file-system paths (MEDIA_ROOT, PRIVATE_MEDIA_ROOT). With media in an S3 bucket,
``--media``/``--private-media`` name a local mirror kept by the store's own sync (see the README).

Python's standard library, pg_dump/pg_restore/psql and rsync only (no Django): it runs on the host, in the
image (roles ``backup`` and ``restore``) or from cron. Connection settings come from DATABASE_URL and go to
the PostgreSQL tools through PG* variables, never on a command line.
"""
import argparse
import datetime
import hashlib
import json
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


# --- backup ----------------------------------------------------------------------------------------------------

def backup(*, database_url, media, private_media, directory, keep=14, keep_days=30, now=None):
    """Write one backup; returns its folder."""
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
        for folder, source in zip(MEDIA_FOLDERS, (media, private_media)):
            copy_tree(Path(source), work / folder, previous / folder if previous else None)
        lines, files, size = [], 0, 0
        for path in sorted(p for p in work.rglob("*") if p.is_file()):
            lines.append(f"{sha256(path)}  {path.relative_to(work).as_posix()}\n")
            files += 1
            size += path.stat().st_size
        (work / MANIFEST).write_text("".join(lines))
        version = subprocess.run(["pg_dump", "--version"], capture_output=True, text=True).stdout.strip()
        (work / "backup.json").write_text(json.dumps({
            "created": now.isoformat(), "database": env["PGDATABASE"], "pg_dump": version, "files": files,
            "bytes": size, "media": str(media), "private_media": str(private_media)}, indent=2) + "\n")
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


def restore(folder, *, database_url, media, private_media, jobs=2):
    """Restore a backup into a fresh database and empty media folders."""
    started = time.monotonic()
    folder = Path(folder)
    expected = verify(folder)
    _log("restore", f"{folder}: {len(expected)} files checked")
    for target in (media, private_media):
        _empty_target(target)
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
    for sub, target in zip(MEDIA_FOLDERS, (media, private_media)):
        copy_tree(folder / sub, Path(target))
        restored = tree_checksums(target)
        wanted = {path.split("/", 1)[1]: digest for path, digest in expected.items() if path.startswith(sub + "/")}
        if restored != wanted:
            raise Failure(f"{target} does not match the backup after copying")
    _log("restore", f"done in {time.monotonic() - started:.1f} s: {len(expected) - 1} files into {media} and "
                    f"{private_media}")


# --- command lines ---------------------------------------------------------------------------------------------

def _common(parser):
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""),
                        help="PostgreSQL URL (DATABASE_URL)")
    parser.add_argument("--media", default=os.environ.get("MEDIA_ROOT", str(ROOT / "media")),
                        help="public uploads (MEDIA_ROOT)")
    parser.add_argument("--private-media", default=os.environ.get("PRIVATE_MEDIA_ROOT", str(ROOT / "private-media")),
                        help="sellers' documents (PRIVATE_MEDIA_ROOT)")


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
                     directory=args.dir, keep=args.keep, keep_days=args.keep_days))
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
                jobs=args.jobs)
    except Failure as exc:
        sys.exit(f"restore: {exc}")
    return 0
