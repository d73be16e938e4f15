"""Output of the commands: a progress bar, and results written all at once through temporary
files created safely and renamed into place (everything is rendered in memory first), so
that a failure leaves nothing half-written; a close's files are staged before its commit."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def write_all(out_dir: Path, files: Mapping[str, str | bytes]) -> list[Path]:
    """Write every file into ``out_dir`` or none, each through a temporary file created
    safely and renamed (:func:`remit.files.write_all`)."""
    from remit.files import write_all as write

    return write(out_dir, files)


def staged_files(out_dir: Path) -> Callable[[Any], Any]:
    """A close's ``stage`` (:data:`remit.workflows.closing.Stage`): its files written to
    temporaries in ``out_dir`` before the store commits (a directory that cannot be written
    refuses the close: nothing is stored), renamed into place after."""
    from remit.files import StagedFiles

    def stage(outputs: Any) -> StagedFiles:
        return StagedFiles(out_dir, outputs.files())

    return stage


@contextmanager
def progress(label: str) -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar (on stderr) fed by ``callback(done, total)``; on a terminal only,
    or where ``TTY_COMPATIBLE=1`` says the output understands one (rich's own switch): a
    transient bar draws nothing into a pipe or a log, and importing rich and running its
    refresh thread would still cost a command's start-up and its workers' CPU."""
    forced = os.environ.get("TTY_COMPATIBLE") == "1"
    if not (sys.stderr.isatty() or forced):
        yield lambda done, total: None
        return
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
        console=Console(stderr=True, force_terminal=True if forced else None),
    ) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update
