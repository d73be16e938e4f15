"""Commands over published statements: ``remit verify``, ``remit import``, ``remit diff``.

* ``verify FILE...`` (files or directories; ``--accept CSV``): exit 0 consistent (or only
  accepted differences), 1 one or more inconsistencies found, 2 a file cannot be read as a
  statement; several files: one summary row each, the worst status.
* ``import FILE --deal DEAL_DIR``: store a published statement's figures beside its period
  (exit 0, also when the same file was imported already; 2 when it cannot be read or is not
  a statement of the deal: nothing is written).
* ``diff DEAL DATE`` (``--accept CSV``): our stored statement against the latest published
  import, cell by cell: exit 0 identical (or only accepted differences), 1 different, 2 when
  the deal, the date or the import is missing; with ``--against B``, two stored versions of
  the date."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from remit.cli.errors import COMMAND_LINE, add_commands
from remit.cli.options import (
    AcceptFile,
    Against,
    DateArg,
    Db,
    DealId,
    DealOf,
    OurVersion,
    PublishedVersion,
    Report,
    ReportFormat,
    Statement,
    Statements,
    parse_date,
)
from remit.errors import RemitError

if TYPE_CHECKING:
    from remit.audit.accept import Accepted


def verify(
    files: Statements,
    format: Report = ReportFormat.text,
    accept: AcceptFile = None,
) -> None:
    """Check a published statement to certificateholders: every identity, recomputed from its
    own figures.

    Each inconsistency is reported with its section, row, column, published and expected
    values, the difference, the arithmetic and the cell likely wrong; differences that
    rounding explains are listed apart, as rounding notes. The layout family (CTSLink, Bankers
    Trust ...) is detected from the text. With --accept FILE (a CSV of known, explained
    differences: section,row,column,published,ours,why) only differences it does not list
    count, and listed ones no longer found are reported as stale. Several files, or a
    directory: one summary row per file. Exit 0 when consistent (or only accepted
    differences), 1 when not, 2 when unreadable -- for several files, the worst (with --format
    json, the error is JSON too)."""
    from remit.audit.accept import read_accepted

    rows = read_accepted(accept) if accept is not None else None
    if len(files) == 1 and not files[0].is_dir():
        _verify_one(files[0], format, rows, str(accept))
        return
    from remit.audit.batch import summary_json, summary_text, verify_many, worst

    results = verify_many(files, rows, str(accept))
    text = summary_json(results) if format is ReportFormat.json else summary_text(results)
    typer.echo(text, nl=False)
    if worst(results):
        raise typer.Exit(worst(results))


def _verify_one(
    file: Path, format: ReportFormat, rows: list[Accepted] | None, accept_file: str
) -> None:
    from remit.audit.verify import verify_file

    try:
        report = verify_file(file)
    except RemitError as exc:
        if format is not ReportFormat.json:
            raise
        typer.echo(error_json(str(file), exc), nl=False)
        raise typer.Exit(2) from None
    if rows is not None:
        report.accept(rows, accept_file)
    typer.echo(report.to_json() if format is ReportFormat.json else report.to_text(), nl=False)
    if report.exit_code:
        raise typer.Exit(report.exit_code)


def error_json(file: str, exc: RemitError) -> str:
    """A refusal as JSON: the file and each problem (where, what was found, what was
    expected)."""
    import json

    doc = {
        "file": file,
        "error": True,
        "problems": [
            {
                "file": p.file,
                "path": p.path,
                "value": p.value if isinstance(p.value, str | int | float | None) else str(p.value),
                "expected": p.expected,
                "row": p.row,
            }
            for p in exc.problems
        ],
    }
    return json.dumps(doc, indent=2) + "\n"


def import_(
    file: Statement,
    deal: DealOf,
    db: Db = None,
) -> None:
    """Store a published statement's figures beside its period.

    The period need not be closed yet. Stored: the file, its sha256, who imported it and
    when, and every cell. The same file again is not stored twice; another file for the date
    is stored as the next version."""
    from remit.workflows import import_published

    result = import_published(file, deal, url=db)
    p = result.published
    what = "imported" if result.created else "already imported (nothing stored)"
    typer.echo(
        f"{what}: {p.deal_id} {p.distribution_date.isoformat()} published version {p.version}, "
        f"{len(p.cells)} cells, sha256 {p.file_sha256[:16]}"
    )


def diff(
    deal: DealId,
    date: DateArg,
    version: OurVersion = None,
    published_version: PublishedVersion = None,
    against: Against = None,
    format: Report = ReportFormat.text,
    db: Db = None,
    accept: AcceptFile = None,
) -> None:
    """Our stored statement for a date against the published one, cell by cell.

    Each cell that differs is shown with its labels, both figures, the difference (published
    - ours) and the ledger explanation of our figure; cells that agree are counted. With
    --accept FILE (section,row,column,published,ours,why) the differences it lists are
    accepted. Exit 0 identical (or only accepted differences), 1 different, 2 when the deal,
    date or import is missing (import it with `remit import FILE --deal DEAL_DIR`).

    With --against B, two stored versions instead: --version A (default: the latest)
    against version B, the difference being A - B (e.g. what a restatement changed)."""
    from remit.workflows import diff_stored, diff_stored_versions

    rows = None
    if accept is not None:
        from remit.audit.accept import read_accepted

        rows = read_accepted(accept)
    when = parse_date(date)
    if against is not None:
        if published_version is not None:
            raise RemitError.one(
                COMMAND_LINE,
                "--against",
                against,
                "either --against (two stored versions) or --published-version, not both",
            )
        result = diff_stored_versions(db, deal, when, version, against)
    else:
        result = diff_stored(db, deal, when, version, published_version)
    if rows is not None:
        result.accept(rows, str(accept))
    typer.echo(result.to_json() if format is ReportFormat.json else result.to_text(), nl=False)
    if result.exit_code:
        raise typer.Exit(result.exit_code)


def register(app: typer.Typer) -> None:
    """Add ``verify``, ``import`` and ``diff`` to ``app``."""
    add_commands(app, {"verify": verify, "import": import_, "diff": diff})
