"""Putting masters and renditions into storage, and taking them out again, in step with the
database.

The rule: a file exists in storage only if a committed ``Image`` row names it. So nothing is
written while the transaction that creates or changes the row is open; the bytes wait in
temporary files and are written by an ``on_commit`` callback. A refused upload or a rolled-back
transaction therefore leaves nothing behind (the callback never runs, and the temporary files
are unlinked already and vanish when dropped). Files an image no longer uses are deleted after
commit too, so a rollback never removes files a row still names.

Names are content-addressed (``images/2026/11/<token>/card-w640.<hash>.avif``): a changed
picture or crop gets a new name, so CDNs and browsers can cache every file forever, and writing
the same name twice can only write the same bytes. Only the ``Storage`` API is used (``save``,
``delete``, ``open``, ``url``): local files, S3 or anything else Django can store to.
"""

import hashlib
import logging
import secrets
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.files import File
from django.core.files.storage import Storage
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

# Up to this size a pending file stays in memory; beyond it, it spills to an (already
# unlinked) temporary file, so a script importing hundreds of images in one transaction does
# not hold them all in RAM.
_SPOOL_BYTES = 512 * 1024


def new_folder() -> str:
    """Where one upload's master and renditions live: dated, with an unguessable token."""
    return f"images/{timezone.now():%Y/%m}/{secrets.token_hex(6)}"


def content_name(folder: str, stem: str, data: bytes, extension: str) -> str:
    digest = hashlib.blake2b(data, digest_size=5).hexdigest()
    return f"{folder}/{stem}.{digest}.{extension}"


@dataclass
class PendingWrites:
    """Files to write when the surrounding transaction commits, and files to delete after."""

    storage: Storage
    files: list[tuple[str, tempfile.SpooledTemporaryFile, str]] = field(default_factory=list)
    obsolete: set[str] = field(default_factory=set)

    def add(self, name: str, data: bytes, mime: str) -> None:
        # Closed in _run() after writing, or collected with the callback after a rollback.
        spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)  # noqa: SIM115
        spool.write(data)
        self.files.append((name, spool, mime))

    def on_commit(self, undo: Callable[[], None], using: str) -> None:
        """Write the files once the transaction commits; on failure, clean up and ``undo()``."""
        transaction.on_commit(lambda: self._run(undo), using=using)

    def _run(self, undo: Callable[[], None]) -> None:
        written: list[str] = []
        try:
            for name, spool, mime in self.files:
                spool.seek(0)
                content = File(spool, name=name)
                # Storages such as S3 take the object's Content-Type from the content first:
                # state it rather than let anything guess.
                content.content_type = mime
                saved = self.storage.save(name, content)
                written.append(saved)
                if saved != name:
                    # The storage kept an existing file of that name; names are
                    # content-addressed, so it already holds these exact bytes.
                    self.storage.delete(saved)
        except Exception:
            logger.exception("Writing image files failed; removing what was written")
            delete_files(self.storage, written)
            undo()
            raise
        finally:
            for _name, spool, _mime in self.files:
                spool.close()
        delete_files(self.storage, self.obsolete - {name for name, _s, _m in self.files})


def delete_files(storage: Storage, names: Iterable[str]) -> None:
    """Best effort: a file left behind is harmless (and found by ``images_sweep``)."""
    for name in names:
        try:
            storage.delete(name)
        except Exception:
            logger.exception("Could not delete %s from media storage", name)


def delete_on_commit(storage: Storage, names: Iterable[str], using: str) -> None:
    names = list(names)
    transaction.on_commit(lambda: delete_files(storage, names), using=using)
