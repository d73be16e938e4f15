"""Output of the commands: a progress bar, and results written all at once through temporary
files renamed into place (everything is rendered in memory first), so that a failure leaves
nothing half-written."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from remit.errors import RemitError


def write_all(out_dir: Path, files: dict[str, str]) -> list[Path]:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RemitError.one(
            str(out_dir), "", exc.strerror or str(exc), "a writable directory"
        ) from None
    temps: list[tuple[Path, Path]] = []
    try:
        for name, text in files.items():
            fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", dir=out_dir)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
            temps.append((Path(tmp_name), out_dir / name))
        for tmp, final in temps:
            os.replace(tmp, final)
    except OSError as exc:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
        raise RemitError.one(
            str(out_dir), "", exc.strerror or str(exc), "a writable directory"
        ) from None
    return [final for _, final in temps]


@contextmanager
def progress(label: str) -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar (on stderr) fed by ``callback(done, total)``."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    with Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
        console=Console(stderr=True),
    ) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update
