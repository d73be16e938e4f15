"""``remit verify``: check a published statement's identities from the command line.

``register(app)`` adds the command to the main typer app. Exit codes: 0 consistent, 1 one or
more inconsistencies found, 2 the file cannot be read as a statement."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from remit.audit.verify import verify_file
from remit.cli_base import reports_errors


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
    difference and the arithmetic. Exit 0 when consistent, 1 when not, 2 when unreadable."""
    report = verify_file(file)
    typer.echo(report.to_json() if format is OutputFormat.json else report.to_text(), nl=False)
    if not report.consistent:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``verify`` to ``app``."""
    app.command("verify")(reports_errors(verify))
