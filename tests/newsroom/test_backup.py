"""Restore drill: a backup restores to identical content, and bad archives change nothing."""

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, ContentVersion
from people.models import Person
from shows.models import Show

pytestmark = pytest.mark.django_db(transaction=True)


def content_snapshot() -> str:
    out = io.StringIO()
    # The content version is a cache token a restore renews on purpose (asserted below).
    call_command(
        "dumpdata",
        "--natural-foreign",
        "--exclude=sessions",
        "--exclude=articles.contentversion",
        "--indent=0",
        stdout=out,
    )
    return out.getvalue()


def media_snapshot(root: Path) -> dict:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def site(settings, media_root, load_demo):
    media = Path(settings.MEDIA_ROOT)
    (media / "images" / "2026").mkdir(parents=True)
    (media / "images" / "2026" / "zoë.jpg").write_bytes(b"\xff\xd8 not really a jpeg " * 100)
    (media / "notes.txt").write_text("kept")
    load_demo()
    return media


def backup(tmp_path) -> Path:
    call_command("backup", "--output", str(tmp_path / "backups"), stdout=io.StringIO())
    (archive,) = (tmp_path / "backups").glob("*.tar.gz")
    return archive


def test_backup_restores_to_identical_content(site, tmp_path):
    before_rows, before_media = content_snapshot(), media_snapshot(site)
    archive = backup(tmp_path)
    backed_up = ContentVersion.objects.values_list("token", flat=True).first()

    # Damage everything the backup should bring back.
    Article.objects.all().delete()
    Person.objects.filter(pk=Person.objects.first().pk).update(name="Renamed Person")
    Show.objects.create(title="Not in the backup")
    (site / "notes.txt").unlink()
    (site / "stray.txt").write_text("new since the backup")
    assert content_snapshot() != before_rows

    out = io.StringIO()
    token = ContentVersion.objects.values_list("token", flat=True).first()
    call_command("restore", str(archive), "--yes", stdout=out)
    assert "Restored" in out.getvalue()
    assert content_snapshot() == before_rows
    assert media_snapshot(site) == before_media
    # Pages cached before the restore (or when the backup was made) are retired.
    assert ContentVersion.objects.values_list("token", flat=True).first() not in {token, backed_up}
    assert Article.objects.published().count() >= 12


def test_manifest_counts_rows_and_media(site, tmp_path):
    archive = backup(tmp_path)
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["counts"]["articles.Article"] == Article.objects.count()
    assert "media/images/2026/zoë.jpg" in manifest["files"]


def rewrite(archive: Path, tmp_path: Path, change) -> Path:
    """Copy an archive member by member, letting ``change`` alter (name, bytes)."""
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(damaged, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            name, data = change(member.name, data)
            info = tarfile.TarInfo(name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
    return damaged


def flip_database_byte(name, data):
    if name.startswith("database."):
        data = data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:]
    return name, data


def other_engine(name, data):
    if name == "manifest.json":
        manifest = json.loads(data)
        manifest["engine"] = "mysql"
        data = json.dumps(manifest).encode()
    return name, data


def future_migration(name, data):
    if name == "manifest.json":
        manifest = json.loads(data)
        manifest["migrations"].append(["articles", "9999_from_the_future"])
        data = json.dumps(manifest).encode()
    return name, data


def path_traversal(name, data):
    return ("../escaped.txt" if name == "media/notes.txt" else name), data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (flip_database_byte, "does not match its checksum"),
        (other_engine, "backup is of a mysql database"),
        (future_migration, "comes from newer code"),
        (path_traversal, "unexpected entry"),
    ],
)
def test_bad_archives_are_refused_and_nothing_changes(site, tmp_path, change, message):
    archive = rewrite(backup(tmp_path), tmp_path, change)
    Show.objects.create(title="Made after the backup")
    before_rows, before_media = content_snapshot(), media_snapshot(site)
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(archive), "--yes", stdout=io.StringIO())
    assert content_snapshot() == before_rows
    assert media_snapshot(site) == before_media
    assert not (tmp_path / "escaped.txt").exists()


def test_not_a_backup(tmp_path, db):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"hello")
    with pytest.raises(CommandError, match="not a Newsroom backup"):
        call_command("restore", str(junk), "--yes", stdout=io.StringIO())
    with pytest.raises(CommandError, match="no such backup file"):
        call_command("restore", str(tmp_path / "missing.tar.gz"), "--yes", stdout=io.StringIO())
