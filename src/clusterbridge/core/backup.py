"""`clusterbridge backup FILE` / `restore FILE` (specs/operations.md): one file holding the whole
database and the uploaded files, and its way back into an empty database.

The file is a gzipped tar archive:

    manifest.json         format, engine, when, the applied migrations, every table's row count,
                          every upload's size and SHA-256
    database.sqlite3      SQLite: a copy made with SQLite's online backup (the site keeps serving)
    database.pgdump       PostgreSQL: pg_dump's custom format (one consistent snapshot)
    media/...             the uploads (MEDIA_ROOT)

Restoring checks everything it can before it writes anything (the archive, the engine, that the
database and the uploads folder are empty, that this ClusterBridge knows every migration of the
backup), then writes the database in one step (PostgreSQL: one transaction; SQLite: a new file
moved into place), puts the uploads back, compares every table's row count and every upload's
checksum with the manifest, and finally migrates to this version's schema."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

FORMAT = "clusterbridge-backup"
VERSION = 1
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """What stops a backup or a restore, said so that the operator knows what to do."""


@dataclass(frozen=True)
class Summary:
    engine: str
    tables: int
    rows: int
    files: int
    size: int  # bytes of the archive


# ------------------------------------------------------------ what a database holds

def table_counts(connection) -> dict[str, int]:
    """Every table's row count, Django's and the apps' alike."""
    names = sorted(connection.introspection.table_names(include_views=False))
    counts = {}
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")
            counts[name] = cursor.fetchone()[0]
    return counts


def applied_migrations(connection) -> list[list[str]]:
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connection)
    return sorted([list(key) for key in recorder.applied_migrations()]) if recorder.has_table() else []


def _media_files(media_root: Path) -> dict[str, dict]:
    files = {}
    if media_root.is_dir():
        for path in sorted(media_root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                digest = hashlib.sha256()
                with path.open("rb") as handle:
                    for block in iter(lambda: handle.read(1 << 20), b""):
                        digest.update(block)
                files[path.relative_to(media_root).as_posix()] = {"size": path.stat().st_size,
                                                                  "sha256": digest.hexdigest()}
    return files


def _engine(connection) -> str:
    if connection.vendor not in DUMP_NAMES:
        raise BackupError(f"backups know SQLite and PostgreSQL, not {connection.vendor}")
    return connection.vendor


def _pg_env(settings_dict: dict) -> dict[str, str]:
    env = dict(os.environ)
    for key, variable in (("NAME", "PGDATABASE"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"),
                          ("HOST", "PGHOST"), ("PORT", "PGPORT")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    if settings_dict.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = settings_dict["OPTIONS"]["sslmode"]
    return env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed: install the PostgreSQL client (Debian: postgresql-client)")
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{what} failed: {done.stderr.strip() or done.stdout.strip()}")


# ------------------------------------------------------------ backup

def backup_write(*, path: Path, connection, media_root: Path) -> Summary:
    """Write the archive to `path` (through a temporary file beside it: a failed backup leaves no
    half file under the real name)."""
    engine = _engine(connection)
    path = Path(path)
    if path.is_dir():
        raise BackupError(f"{path} is a folder: name the backup file, e.g. {path / 'clusterbridge.tar.gz'}")
    if not path.parent.is_dir():
        raise BackupError(f"the folder {path.parent} does not exist")
    connection.ensure_connection()
    with tempfile.TemporaryDirectory(prefix="clusterbridge-backup-") as work:
        dump = Path(work) / DUMP_NAMES[engine]
        if engine == "sqlite":
            target = sqlite3.connect(dump)
            try:
                connection.connection.backup(target)  # SQLite's online backup: consistent, site keeps serving
            finally:
                target.close()
        else:
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}"],
                 _pg_env(connection.settings_dict), "pg_dump")
        counts = table_counts(connection)
        files = _media_files(Path(media_root))
        manifest = {"format": FORMAT, "version": VERSION, "engine": engine,
                    "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "migrations": applied_migrations(connection), "tables": counts, "media": files}
        partial = path.with_name(path.name + ".partial")
        try:
            with tarfile.open(partial, "w:gz") as archive:
                data = json.dumps(manifest, indent=1, sort_keys=True).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size, info.mtime = len(data), int(dt.datetime.now().timestamp())
                archive.addfile(info, io.BytesIO(data))
                archive.add(dump, arcname=dump.name)
                for name in files:
                    archive.add(Path(media_root) / name, arcname=f"media/{name}")
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
    return Summary(engine=engine, tables=len(counts), rows=sum(counts.values()), files=len(files),
                   size=path.stat().st_size)


# ------------------------------------------------------------ restore

def _manifest(archive: tarfile.TarFile, path: Path) -> dict:
    try:
        manifest = json.load(archive.extractfile("manifest.json"))
    except (KeyError, ValueError) as error:
        raise BackupError(f"{path} is not a ClusterBridge backup (no readable manifest.json)") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a ClusterBridge backup")
    if manifest.get("version", 0) > VERSION:
        raise BackupError(f"{path} was written by a newer ClusterBridge (backup format {manifest['version']})")
    return manifest


def _existing_tables(connection) -> list[str]:
    return connection.introspection.table_names(include_views=False)


def _unknown_migrations(manifest: dict) -> list[str]:
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [f"{app}.{name}" for app, name in manifest["migrations"] if (app, name) not in known]


def restore_checks(*, path: Path, connection, media_root: Path) -> dict:
    """Everything that would stop the restore, found before anything is written."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist")
    try:
        with tarfile.open(path, "r:gz") as archive:
            manifest = _manifest(archive, path)
            names = set(archive.getnames())
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{path} cannot be read as a backup: {error}") from error
    engine = _engine(connection)
    if manifest["engine"] != engine:
        wanted = {"sqlite": "sqlite:///path/clusterbridge.sqlite3",
                  "postgresql": "postgres://user@host:5432/name"}[manifest["engine"]]
        raise BackupError(f"this backup holds a {manifest['engine']} database and this site uses {engine}: "
                          f"restore it with DATABASE_URL={wanted}")
    if DUMP_NAMES[engine] not in names:
        raise BackupError(f"{path} has no {DUMP_NAMES[engine]}: the backup is incomplete")
    missing = [name for name in manifest["media"] if f"media/{name}" not in names]
    if missing:
        raise BackupError(f"{path} lacks {len(missing)} upload(s) its manifest lists, e.g. {missing[0]}")
    tables = _existing_tables(connection)
    if tables:
        raise BackupError(f"the database is not empty ({len(tables)} tables, e.g. {sorted(tables)[0]}): "
                          "restore into a new, empty database")
    media_root = Path(media_root)
    if media_root.exists() and any(p.is_file() for p in media_root.rglob("*")):
        raise BackupError(f"the uploads folder {media_root} already holds files: restore into an empty one")
    unknown = _unknown_migrations(manifest)
    if unknown:
        raise BackupError(f"this backup comes from a newer ClusterBridge (it has migration {unknown[0]}, "
                          "which this version does not know): install that version to restore it")
    return manifest


def _restore_media(archive: tarfile.TarFile, manifest: dict, media_root: Path) -> None:
    staging = Path(tempfile.mkdtemp(prefix=".restoring-", dir=media_root.parent))
    try:
        for name, expected in manifest["media"].items():
            member = archive.getmember(f"media/{name}")
            target = staging / name
            if not target.resolve().is_relative_to(staging.resolve()):
                raise BackupError(f"the backup names an upload outside the uploads folder: {name}")
            target.parent.mkdir(parents=True, exist_ok=True)
            data = archive.extractfile(member).read()
            if hashlib.sha256(data).hexdigest() != expected["sha256"]:
                raise BackupError(f"the upload {name} in the backup does not match its checksum: the file is damaged")
            target.write_bytes(data)
        if media_root.exists():
            shutil.rmtree(media_root)  # checked empty (folders only) before
        os.replace(staging, media_root)
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def _restore_database(archive: tarfile.TarFile, engine: str, connection, work: Path) -> None:
    archive.extract(DUMP_NAMES[engine], work, filter="data")
    dump = work / DUMP_NAMES[engine]
    if engine == "sqlite":
        target = Path(connection.settings_dict["NAME"])
        connection.close()
        incoming = target.with_name(target.name + ".restoring")
        source, copy = sqlite3.connect(dump), sqlite3.connect(incoming)
        try:
            source.backup(copy)
        finally:
            source.close()
            copy.close()
        os.replace(incoming, target)
    else:
        _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
              f"--dbname={connection.settings_dict['NAME']}", str(dump)],
             _pg_env(connection.settings_dict), "pg_restore")


def restore_read(*, path: Path, connection, media_root: Path) -> Summary:
    """Put the backup at `path` back into the (empty) database and uploads folder, then check it."""
    manifest = restore_checks(path=path, connection=connection, media_root=media_root)
    engine, media_root = manifest["engine"], Path(media_root)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(path, "r:gz") as archive, tempfile.TemporaryDirectory(prefix="clusterbridge-restore-") as work:
        _restore_media(archive, manifest, media_root)
        try:
            _restore_database(archive, engine, connection, Path(work))
        except BaseException:
            shutil.rmtree(media_root, ignore_errors=True)  # nothing half-restored
            raise
    counts = table_counts(connection)
    different = {name: (rows, counts.get(name)) for name, rows in manifest["tables"].items()
                 if counts.get(name) != rows}
    if different:
        name, (expected, found) = sorted(different.items())[0]
        raise BackupError(f"the restored database differs from the backup in {len(different)} table(s): "
                          f"{name} has {found} rows where the backup had {expected}")
    from django.core.management import call_command
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):  # an older backup: up to this version
        call_command("migrate", verbosity=0, interactive=False)
    return Summary(engine=engine, tables=len(counts), rows=sum(manifest["tables"].values()),
                   files=len(manifest["media"]), size=Path(path).stat().st_size)
