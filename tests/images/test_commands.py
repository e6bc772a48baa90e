"""images_sweep removes only stray files; images_regenerate remakes renditions."""

import os
import time

import pytest
from django.core.management import CommandError, call_command

from tests.images.conftest import stored_files

pytestmark = pytest.mark.django_db


def test_sweep_deletes_old_stray_files_only(make_image, media_root, capsys):
    image = make_image()
    folder = media_root / image.file.name.rpartition("/")[0]
    old_stray = folder / "w640.deadbeef00.jpg"
    old_stray.write_bytes(b"left over")
    an_hour_ago = time.time() - 3700
    os.utime(old_stray, (an_hour_ago, an_hour_ago))
    new_stray = folder / "w320.0000000000.jpg"  # could be an upload committing right now
    new_stray.write_bytes(b"just written")
    for path in stored_files(media_root):
        if path not in (old_stray, new_stray):
            os.utime(path, (an_hour_ago, an_hour_ago))

    call_command("images_sweep", "--dry-run")
    assert old_stray.exists()
    assert "Would delete 1 stray files" in capsys.readouterr().out

    call_command("images_sweep")
    assert not old_stray.exists() and new_stray.exists()
    kept = {str(p.relative_to(media_root)) for p in stored_files(media_root)}
    assert image.stored_names() <= kept


def test_regenerate(make_image, django_capture_on_commit_callbacks, capsys):
    image = make_image()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("images_regenerate", str(image.pk))
    assert "Regenerated 1 images." in capsys.readouterr().out
    with pytest.raises(CommandError, match="No image with id 999"):
        call_command("images_regenerate", "999")
