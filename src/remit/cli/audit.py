"""Commands over published statements: ``remit verify``, ``remit import``, ``remit diff``.

* ``verify FILE``: exit 0 consistent, 1 one or more inconsistencies found, 2 the file cannot
  be read as a statement.
* ``import FILE --deal DEAL_DIR``: store a published statement's figures beside its period
  (exit 0, also when the same file was imported already; 2 when it cannot be read or is not
  a statement of the deal: nothing is written).
* ``diff DEAL DATE``: our stored statement against the latest published import, cell by
  cell: exit 0 identical, 1 different, 2 when the deal, the date or the import is missing."""

from __future__ import annotations

import typer

from remit.cli.errors import add_commands
from remit.cli.options import (
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


def verify(file: Statement, format: Report = ReportFormat.text) -> None:
    """Check a published statement to certificateholders: every identity, recomputed from its
    own figures.

    Each inconsistency is reported with its section, row, column, published and expected
    values, the difference and the arithmetic. Exit 0 when consistent, 1 when not, 2 when
    unreadable."""
    from remit.audit.verify import verify_file

    report = verify_file(file)
    typer.echo(report.to_json() if format is ReportFormat.json else report.to_text(), nl=False)
    if not report.consistent:
        raise typer.Exit(1)


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
    format: Report = ReportFormat.text,
    db: Db = None,
) -> None:
    """Our stored statement for a date against the published one, cell by cell.

    Each cell that differs is shown with its labels, both figures, the difference (published
    - ours) and the ledger explanation of our figure; cells that agree are counted. Exit 0
    identical, 1 different, 2 when the deal, date or import is missing (import it with
    `remit import FILE --deal DEAL_DIR`)."""
    from remit.workflows import diff_stored

    result = diff_stored(db, deal, parse_date(date), version, published_version)
    typer.echo(result.to_json() if format is ReportFormat.json else result.to_text(), nl=False)
    if not result.identical:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``verify``, ``import`` and ``diff`` to ``app``."""
    add_commands(app, {"verify": verify, "import": import_, "diff": diff})
