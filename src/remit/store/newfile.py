"""A new SQLite store appears only whole: made in a temporary file beside its name, and moved
into place only when the work that writes it has committed.

A command that would create the store (the first close, the first import) and fails -- bad
input, a full disk, a refusal -- leaves no file behind: not an empty database, not a half
written one. The temporary file is created exclusively (never through a planted link) and
removed whatever happens; the finished store is linked into place only if no file of that
name appeared meanwhile (another process made the store first: the caller then works on that
one)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from remit.errors import RemitError
from remit.store.engine import parse_url, resolve_url
from remit.store.repository import Store

T = TypeVar("T")
#: files SQLite may leave beside a database
SIDE_FILES = ("-journal", "-wal", "-shm")


def new_sqlite_path(url: str | None) -> Path | None:
    """The file a SQLite URL names, when it does not exist yet (None for any other URL)."""
    u = parse_url(resolve_url(url))
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    path = Path(u.database)
    if path.exists() or path.is_symlink() or not path.parent.is_dir():
        return None  # opened as it is (a missing directory is refused there)
    return path


def _temporary(final: Path) -> Path:
    """An empty file beside ``final``, created exclusively (O_EXCL, no link followed)."""
    tmp = final.with_name(f".{final.name}.{uuid.uuid4().hex[:12]}.tmp")
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0)
    try:
        os.close(os.open(tmp, flags, 0o666))
    except OSError as exc:
        raise RemitError.one(
            str(final.parent), "", exc.strerror or str(exc), "a directory the store can be made in"
        ) from None
    return tmp


def _remove(tmp: Path) -> None:
    for suffix in ("", *SIDE_FILES):
        Path(f"{tmp}{suffix}").unlink(missing_ok=True)


def _publish(tmp: Path, final: Path) -> bool:
    """Link the finished store into place unless a file of that name exists (False then)."""
    try:
        os.link(tmp, final)
    except FileExistsError:
        return False
    except OSError:
        # no hard links on this file system: a rename, after a last look
        if final.exists() or final.is_symlink():
            return False
        os.rename(tmp, final)
    try:
        fd = os.open(final.parent, os.O_RDONLY)
    except OSError:
        return True
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
    return True


def build_new(url: str | None, final: Path, work: Callable[[Store], T]) -> tuple[T, bool]:
    """Run ``work`` on a new store (the SQLite ``url`` naming the file ``final``) made in a
    temporary file beside ``final``; when it returns,
    move the store into place. (its value, True) when the store is in place; (its value,
    False) when a file named ``final`` appeared meanwhile (nothing of this store is kept: the
    caller undoes what ``work`` prepared and works on the store that is there). Whatever
    fails, the temporary file is removed and the error raised."""
    u = parse_url(resolve_url(url))
    tmp = _temporary(final)
    try:
        with Store.open(u.set(database=str(tmp)).render_as_string(hide_password=False)) as store:
            store.url = u  # messages name the store by its own name
            value = work(store)
        return value, _publish(tmp, final)
    finally:
        _remove(tmp)
