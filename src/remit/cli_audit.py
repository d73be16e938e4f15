"""Commands over published statements: ``remit verify``, ``remit import``, ``remit diff``.

``register(app)`` adds them to the main typer app.

* ``verify FILE``: exit 0 consistent, 1 one or more inconsistencies found, 2 the file cannot
  be read as a statement.
* ``import FILE --deal DEAL_DIR``: store a published statement's figures beside its period
  (exit 0, also when the same file was imported already; 2 when it cannot be read or is not
  a statement of the deal: nothing is written).
* ``diff DEAL DATE``: our stored statement against the latest published import, cell by
  cell: exit 0 identical, 1 different, 2 when the deal, the date or the import is missing."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from remit.audit.verify import verify_file
from remit.cli_base import reports_errors
from remit.errors import RemitError
from remit.store import Store
from remit.store.published import import_published

DbOpt = Annotated[
    str | None,
    typer.Option("--db", help="store URL (default: $REMIT_DB, else sqlite:///remit.db)"),
]


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


def verify(
    file: Annotated[
        Path, typer.Argument(help="a statement: 8-K or 10-D submission, or the bare exhibit")
    ],
    format: Annotated[
        OutputFormat, typer.Option("--format", help="text for people, json for machines")
    ] = OutputFormat.text,
) -> None:
    """Recompute every identity of a published statement to certificateholders and report
    each inconsistency with its section, row, column, published and expected values, the
    difference and the arithmetic; differences that rounding explains are listed apart, as
    rounding notes. The layout family (CTSLink, Bankers Trust ...) is detected from the text.
    Exit 0 when consistent, 1 when not, 2 when unreadable (with --format json, the error is
    JSON too)."""
    try:
        report = verify_file(file)
    except RemitError as exc:
        if format is not OutputFormat.json:
            raise
        typer.echo(error_json(str(file), exc), nl=False)
        raise typer.Exit(2) from None
    typer.echo(report.to_json() if format is OutputFormat.json else report.to_text(), nl=False)
    if not report.consistent:
        raise typer.Exit(1)


def error_json(file: str, exc: RemitError) -> str:
    """A refusal as JSON: the file and each problem (where, what was found, what was
    expected)."""
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


def import_cmd(
    file: Annotated[
        Path, typer.Argument(help="a statement: 8-K or 10-D submission, or the bare exhibit")
    ],
    deal: Annotated[
        Path, typer.Option("--deal", help="the deal directory (deal.toml) it is a statement of")
    ],
    db: DbOpt = None,
) -> None:
    """Store a published statement's figures beside its period (the period need not be
    closed yet): the file, its sha256, who imported it and when, and every cell. The same file
    again is not stored twice; another file for the date is stored as the next version."""
    result = import_published(file, deal, url=db)
    p = result.published
    what = "imported" if result.created else "already imported (nothing stored)"
    typer.echo(
        f"{what}: {p.deal_id} {p.distribution_date.isoformat()} published version {p.version}, "
        f"{len(p.cells)} cells, sha256 {p.file_sha256[:16]}"
    )


def diff(
    deal: Annotated[str, typer.Argument(help="deal id, as in its spec (e.g. tmst-2003-2)")],
    date: Annotated[str, typer.Argument(help="distribution date, YYYY-MM-DD")],
    version: Annotated[
        int | None,
        typer.Option("--version", help="our statement's version (default: the current one)"),
    ] = None,
    published_version: Annotated[
        int | None,
        typer.Option("--published-version", help="the published import (default: the latest)"),
    ] = None,
    format: Annotated[
        OutputFormat, typer.Option("--format", help="text for people, json for machines")
    ] = OutputFormat.text,
    db: DbOpt = None,
) -> None:
    """Our stored statement for a date against the published one, cell by cell: each cell
    that differs with its labels, both figures, the difference (published - ours) and the
    ledger explanation of our figure; cells that agree are counted. Exit 0 identical, 1
    different, 2 when the deal, date or import is missing."""
    with Store.open(db, create=False) as store:
        result = store.diff(deal, date, version, published_version)
    typer.echo(result.to_json() if format is OutputFormat.json else result.to_text(), nl=False)
    if not result.identical:
        raise typer.Exit(1)


_registered: set[int] = set()


def register(app: typer.Typer) -> None:
    """Add ``verify``, ``import`` and ``diff`` to ``app`` (once)."""
    if id(app) in _registered:
        return
    _registered.add(id(app))
    app.command("verify")(reports_errors(verify))
    app.command("import")(reports_errors(import_cmd))
    app.command("diff")(reports_errors(diff))
