"""Writing results: everything is rendered in memory first, then written all at once through
temporary files renamed into place, so that a failure leaves nothing half-written."""

from __future__ import annotations

import os
import tempfile
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
