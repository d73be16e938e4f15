"""Commands over published statements: ``remit verify``, ``remit import``, ``remit diff``.

* ``verify FILE``: exit 0 consistent, 1 one or more inconsistencies found, 2 the file cannot
  be read as a statement.
* ``import FILE --deal DEAL_DIR``: store a published statement's figures beside its period
  (exit 0, also when the same file was imported already; 2 when it cannot be read or is not
  a statement of the deal: nothing is written).
* ``diff DEAL DATE``: our stored statement against the latest published import, cell by
  cell: exit 0 identical, 1 different, 2 when the deal, the date or the import is missing;
  with ``--against B``, two stored versions of the date."""

from __future__ import annotations

import typer

from remit.cli.errors import COMMAND_LINE, add_commands
from remit.cli.options import (
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
    parse_date,
)
from remit.errors import RemitError


def verify(file: Statement, format: Report = ReportFormat.text) -> None:
    """Check a published statement to certificateholders: every identity, recomputed from its
    own figures.

    Each inconsistency is reported with its section, row, column, published and expected
    values, the difference and the arithmetic; differences that rounding explains are listed
    apart, as rounding notes. The layout family (CTSLink, Bankers Trust ...) is detected from
    the text. Exit 0 when consistent, 1 when not, 2 when unreadable (with --format json, the
    error is JSON too)."""
    from remit.audit.verify import verify_file

    try:
        report = verify_file(file)
    except RemitError as exc:
        if format is not ReportFormat.json:
            raise
        typer.echo(error_json(str(file), exc), nl=False)
        raise typer.Exit(2) from None
    typer.echo(report.to_json() if format is ReportFormat.json else report.to_text(), nl=False)
    if not report.consistent:
        raise typer.Exit(1)


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
) -> None:
    """Our stored statement for a date against the published one, cell by cell.

    Each cell that differs is shown with its labels, both figures, the difference (published
    - ours) and the ledger explanation of our figure; cells that agree are counted. Exit 0
    identical, 1 different, 2 when the deal, date or import is missing (import it with
    `remit import FILE --deal DEAL_DIR`).

    With --against B, two stored versions instead: --version A (default: the latest)
    against version B, the difference being A - B (e.g. what a restatement changed)."""
    from remit.workflows import diff_stored, diff_stored_versions

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
    typer.echo(result.to_json() if format is ReportFormat.json else result.to_text(), nl=False)
    if not result.identical:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``verify``, ``import`` and ``diff`` to ``app``."""
    add_commands(app, {"verify": verify, "import": import_, "diff": diff})
