"""Writing output files safely: each through a temporary file created exclusively in the
target directory (``mkstemp``: ``O_CREAT | O_EXCL``, so never through a link planted under its
name) and written through its descriptor, then renamed over the target (a rename replaces a
link planted at the target's name; it never writes through it). A set of files is written all
or none: every temporary first, the renames last.

A failure is a :class:`~remit.errors.RemitError` naming the directory; the temporaries are
removed, and a directory this module created for them is removed again when it is empty."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

from remit.errors import RemitError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _refused(where: Path, exc: OSError) -> RemitError:
    return RemitError.one(str(where), "", exc.strerror or str(exc), "a writable directory")


def _temporary(directory: Path, name: str) -> tuple[int, Path]:
    """A new file in ``directory`` for ``name``: its descriptor and path (mode as a plain file
    made under the umask would have)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
    with suppress(OSError):
        os.fchmod(fd, 0o666 & ~_umask())
    return fd, Path(tmp)


def _make_dirs(directory: Path) -> list[Path]:
    """Create ``directory`` and missing parents; the ones created, outermost first."""
    missing = []
    d = directory
    while not d.exists() and not d.is_symlink() and d != d.parent:
        missing.append(d)
        d = d.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _refused(directory, exc) from None
    if not directory.is_dir():
        raise RemitError.one(str(directory), "", "not a directory", "a writable directory")
    return list(reversed(missing))


def _remove_dirs(created: list[Path]) -> None:
    for d in reversed(created):
        try:
            d.rmdir()
        except OSError:
            return


class StagedFiles:
    """Files written to temporaries in ``directory``: :meth:`commit` renames them into place,
    :meth:`abort` removes them (and the directory, if it was made for them and is empty)."""

    def __init__(self, directory: Path, files: Mapping[str, str | bytes]) -> None:
        self.directory = directory
        self.temps: list[tuple[Path, Path]] = []
        self.created = _make_dirs(directory)
        try:
            for name, content in files.items():
                if not name or "/" in name or name in (".", ".."):
                    raise ValueError(f"not a file name: {name!r}")
                fd, tmp = _temporary(directory, name)
                self.temps.append((tmp, directory / name))
                data = content.encode("utf-8") if isinstance(content, str) else content
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
        except OSError as exc:
            self.abort()
            raise _refused(directory, exc) from None

    @property
    def paths(self) -> list[Path]:
        return [final for _, final in self.temps]

    def commit(self) -> None:
        """Rename every temporary over its target."""
        try:
            for tmp, final in self.temps:
                os.replace(tmp, final)
        except OSError as exc:
            self.abort()
            raise _refused(self.directory, exc) from None

    def abort(self) -> None:
        """Remove what is left of the temporaries, and the directories made for them."""
        for tmp, _ in self.temps:
            tmp.unlink(missing_ok=True)
        _remove_dirs(self.created)


def open_temporary(directory: Path, name: str) -> tuple[IO[bytes], Path]:
    """A new temporary file in ``directory`` for ``name`` (to be renamed over it with
    ``os.replace`` when complete), open for writing, and its path."""
    try:
        fd, tmp = _temporary(directory, name)
    except OSError as exc:
        raise _refused(directory, exc) from None
    return os.fdopen(fd, "wb"), tmp


def write_all(directory: Path, files: Mapping[str, str | bytes]) -> list[Path]:
    """Write every file into ``directory`` or none (text as UTF-8); the paths written."""
    staged = StagedFiles(directory, files)
    staged.commit()
    return staged.paths


@contextmanager
def replacing(path: Path) -> Iterator[IO[bytes]]:
    """A binary file to write ``path``'s new content into: a temporary beside it, renamed over
    ``path`` when the block ends normally, removed when it raises."""
    created = _make_dirs(path.parent)
    try:
        fd, tmp = _temporary(path.parent, path.name)
    except OSError as exc:
        _remove_dirs(created)
        raise _refused(path.parent, exc) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        _remove_dirs(created)
        raise _refused(path.parent, exc) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        _remove_dirs(created)
        raise
