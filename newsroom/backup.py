"""Backups of the database and uploaded media, and restoring them.

A backup is one ``.tar.gz`` holding:

- ``manifest.json`` — when, which database engine, the applied migrations,
  row counts per model and a SHA-256 for every other member;
- ``database.sqlite3`` (SQLite's online backup API: a consistent copy while the
  site runs) or ``database.pgdump`` (``pg_dump -Fc``);
- ``media/…`` — every file under ``MEDIA_ROOT`` when media is stored locally.

Restoring checks every checksum before touching anything, refuses an archive
from another engine or from newer code, then replaces the database in one
step (SQLite backup API into the live database; ``pg_restore
--single-transaction``) and swaps the media folder in by renaming.
"""

import datetime
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

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

FORMAT_VERSION = 1
DB_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why, for a person."""


@dataclass
class Manifest:
    data: dict

    @property
    def engine(self) -> str:
        return self.data["engine"]

    @property
    def counts(self) -> dict:
        return self.data["counts"]

    @property
    def media_files(self) -> int:
        return sum(1 for name in self.data["files"] if name.startswith("media/"))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _vendor() -> str:
    if connection.vendor not in DB_MEMBER:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def _pg_env() -> tuple[list[str], dict]:
    s = connection.settings_dict
    args = ["-d", s["NAME"]]
    if s.get("HOST"):
        args += ["-h", s["HOST"]]
    if s.get("PORT"):
        args += ["-p", str(s["PORT"])]
    if s.get("USER"):
        args += ["-U", s["USER"]]
    env = {**os.environ, "PGPASSWORD": s.get("PASSWORD") or ""}
    return args, env


def _run(command: list[str], env: dict) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600)
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} is not installed; install the PostgreSQL client tools."
        ) from None
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-500:]}")


def _migrations() -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def _local_media_root() -> Path | None:
    """MEDIA_ROOT when uploads are stored on local disk; None for S3 and the like."""
    storage = storages.create_storage(settings.STORAGES["default"])
    return Path(storage.location) if isinstance(storage, FileSystemStorage) else None


def _dump_database(vendor: str, target: Path) -> None:
    if vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as out:
            connection.connection.backup(out)
        out.close()
    else:
        args, env = _pg_env()
        _run(["pg_dump", "-Fc", "--no-owner", "--no-privileges", "-f", str(target), *args], env)


def create_backup(directory: Path, progress=lambda message: None) -> tuple[Path, Manifest]:
    """Write a backup archive into ``directory``; return its path and manifest."""
    vendor = _vendor()
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    archive = directory / f"newsroom-backup-{stamp}.tar.gz"
    if archive.exists():
        raise BackupError(f"{archive} already exists; wait a second and run it again.")

    with tempfile.TemporaryDirectory(dir=directory) as tmp:
        staging = Path(tmp)
        db_member = DB_MEMBER[vendor]
        progress("Copying the database…")
        _dump_database(vendor, staging / db_member)
        files = {db_member: _sha256(staging / db_member)}

        media_root = _local_media_root()
        media_paths = []
        if media_root and media_root.is_dir():
            media_paths = sorted(p for p in media_root.rglob("*") if p.is_file())
            progress(f"Adding {len(media_paths)} media files…")
            for path in media_paths:
                files[f"media/{path.relative_to(media_root).as_posix()}"] = _sha256(path)
        elif media_root is None:
            progress("Media is on remote storage: back it up with the storage's own tools.")

        manifest = Manifest(
            {
                "format": FORMAT_VERSION,
                "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
                "engine": vendor,
                "migrations": _migrations(),
                "counts": _counts(),
                "media_included": media_root is not None,
                "files": files,
            }
        )
        partial = archive.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as tar:
            payload = json.dumps(manifest.data, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
            tar.add(staging / db_member, arcname=db_member)
            for path in media_paths:
                tar.add(path, arcname=f"media/{path.relative_to(media_root).as_posix()}")
        # Only a complete archive gets the real name.
        partial.rename(archive)
    return archive, manifest


def _safe_members(tar: tarfile.TarFile, expected: dict) -> list[tarfile.TarInfo]:
    members = []
    for member in tar.getmembers():
        if member.name == "manifest.json":
            continue
        if member.name not in expected or not member.isfile():
            raise BackupError(f"The archive holds an unexpected entry: {member.name!r}.")
        members.append(member)
    missing = set(expected) - {m.name for m in members}
    if missing:
        raise BackupError(f"The archive is incomplete: {sorted(missing)[0]} is missing.")
    return members


def read_manifest(archive: Path) -> Manifest:
    if not Path(archive).is_file():
        raise BackupError(f"{archive}: no such backup file.")
    try:
        with tarfile.open(archive, "r:gz") as tar:
            data = json.load(tar.extractfile("manifest.json"))
    except (OSError, tarfile.TarError, KeyError, json.JSONDecodeError, TypeError):
        raise BackupError(f"{archive} is not a Newsroom backup (no readable manifest).") from None
    if data.get("format") != FORMAT_VERSION:
        raise BackupError(f"{archive} is backup format {data.get('format')}; this code reads 1.")
    return Manifest(data)


def restore_backup(archive: Path, progress=lambda message: None) -> Manifest:
    """Replace the database and media with the archive's; checks everything first."""
    manifest = read_manifest(archive)
    vendor = _vendor()
    if manifest.engine != vendor:
        raise BackupError(
            f"This backup is of a {manifest.engine} database; this site uses {vendor}."
        )
    disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    ours = {app for app, _ in disk}
    unknown = sorted(
        f"{app}.{name}"
        for app, name in map(tuple, manifest.data["migrations"])
        if app in ours and (app, name) not in disk
    )
    if unknown:
        raise BackupError(
            f"This backup comes from newer code (it has migration {unknown[0]}, which this "
            "code does not); restore it with the version that made it."
        )

    with tempfile.TemporaryDirectory() as tmp:
        staging = Path(tmp)
        progress("Checking the archive…")
        with tarfile.open(archive, "r:gz") as tar:
            members = _safe_members(tar, manifest.data["files"])
            tar.extractall(staging, members=members, filter="data")
        for name, digest in manifest.data["files"].items():
            if _sha256(staging / name) != digest:
                raise BackupError(f"The archive is damaged: {name} does not match its checksum.")

        progress("Restoring the database…")
        db_file = staging / DB_MEMBER[vendor]
        if vendor == "sqlite":
            connection.close()
            connection.ensure_connection()
            with sqlite3.connect(db_file) as source:
                source.backup(connection.connection)
            source.close()
        else:
            connection.close()
            args, env = _pg_env()
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    *args,
                    str(db_file),
                ],
                env,
            )

        # Pages cached before the restore must not outlive it.
        from articles import freshness

        freshness.bump()

        media_root = _local_media_root()
        if manifest.data["media_included"] and media_root is not None:
            progress("Restoring media…")
            _swap_media(staging / "media", media_root)
    return manifest


def _swap_media(restored: Path, media_root: Path) -> None:
    """Put the restored folder in place of MEDIA_ROOT by renames, not file by file."""
    media_root.parent.mkdir(parents=True, exist_ok=True)
    incoming = Path(tempfile.mkdtemp(prefix=".restore-", dir=media_root.parent))
    if restored.is_dir():
        shutil.copytree(restored, incoming, dirs_exist_ok=True)
    old = media_root.with_name(media_root.name + ".before-restore")
    if old.exists():
        shutil.rmtree(old)
    if media_root.exists():
        media_root.rename(old)
    incoming.rename(media_root)
    if old.exists():
        shutil.rmtree(old)
