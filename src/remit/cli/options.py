"""Every argument and option of the command line, each defined once (pip's ``cmdoptions``).

A command takes them as annotated parameters: ``db: Db = None``."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from remit.cli.errors import COMMAND_LINE
from remit.errors import RemitError

DealDir = Annotated[Path, typer.Argument(help="deal directory holding deal.toml")]
DealId = Annotated[str, typer.Argument(help="deal id, as in its spec (e.g. tmst-2003-2)")]
DateArg = Annotated[str, typer.Argument(help="distribution date, YYYY-MM-DD")]
ExplainDeal = Annotated[
    str, typer.Argument(help="deal id (a stored period), or with --date a deal directory")
]
ExplainFigure = Annotated[
    list[str],
    typer.Argument(
        help="[DATE] SECTION ROW COLUMN: the stored date (not with --date), then the section's "
        "title, the row's label and the column's header as printed, or their keys",
        metavar="[DATE] SECTION ROW COLUMN",
    ),
]
Date = Annotated[str, typer.Option("--date", help="distribution date, YYYY-MM-DD")]
MaybeDate = Annotated[str | None, typer.Option("--date", help="distribution date, YYYY-MM-DD")]
Next = Annotated[
    bool, typer.Option("--next", help="the next date of the deal not yet in the store")
]
Db = Annotated[
    str | None,
    typer.Option("--db", help="store URL (default: $REMIT_DB, else sqlite:///remit.db)"),
]
Version = Annotated[int | None, typer.Option("--version", help="version (default: the latest)")]
OurVersion = Annotated[
    int | None,
    typer.Option("--version", help="our statement's version (default: the current one)"),
]
PublishedVersion = Annotated[
    int | None,
    typer.Option("--published-version", help="the published import (default: the latest)"),
]
Against = Annotated[
    int | None,
    typer.Option("--against", help="another stored version to compare with (not the published)"),
]
DealOf = Annotated[
    Path, typer.Option("--deal", help="the deal directory (deal.toml) it is a statement of")
]
Statement = Annotated[
    Path, typer.Argument(help="a statement: 8-K or 10-D submission, or the bare exhibit")
]
Statements = Annotated[
    list[Path],
    typer.Argument(
        help="statements (8-K or 10-D submissions, or bare exhibits), or directories of them"
    ),
]
AcceptFile = Annotated[
    Path | None,
    typer.Option(
        "--accept",
        help="CSV of known, explained differences (section,row,column,published,ours,why)",
    ),
]
Tape = Annotated[Path, typer.Option("--tape", help="tape directory")]
OutDir = Annotated[
    Path | None, typer.Option("--out", help="write statement.txt/.json, ledger, state here")
]
NoStore = Annotated[
    bool, typer.Option("--no-store", help="close in memory from the deal's remittances only")
]
Restate = Annotated[
    bool, typer.Option("--restate", help="close a date already closed again, as a new version")
]
Force = Annotated[
    bool,
    typer.Option(
        "--force", help="with --restate: store the restatement even if its statement is unchanged"
    ),
]
Reason = Annotated[str | None, typer.Option("--reason", help="why (with --restate)")]
TapeDir = Annotated[
    Path | None, typer.Option("--tape", help="collect the remittance from this loan tape directory")
]
Quiet = Annotated[bool, typer.Option("--quiet", help="do not print the statement")]
ExportDir = Annotated[Path, typer.Option("--out", help="directory for the Parquet files")]
TapeOut = Annotated[Path, typer.Option("--out", help="tape directory to write")]
RemittanceOut = Annotated[Path, typer.Option("--out", help="remittance TOML to write")]
Loans = Annotated[int | None, typer.Option("--loans", help="loan count (default: the deal's)")]
Months = Annotated[int, typer.Option("--months", help="activity months")]
Seed = Annotated[int, typer.Option("--seed", help="random seed")]
TapeFormat = Annotated[str, typer.Option("--format", help="parquet or csv")]
Cpr = Annotated[
    float | None, typer.Option("--cpr", help="prepayments, annual CPR in percent (default 15)")
]
Cdr = Annotated[
    float | None, typer.Option("--cdr", help="defaults, annual CDR in percent (default 0.2)")
]
Severity = Annotated[
    float | None,
    typer.Option("--severity", help="loss severity, percent of the balance (default 30)"),
]
Delinquency = Annotated[
    float | None,
    typer.Option(
        "--delinquency",
        help="percent of current loans going 30 days delinquent each month (default 0.75)",
    ),
]
TapeScenario = Annotated[
    str | None,
    typer.Option("--scenario", help='one scenario, e.g. "psa=150,sda=100,severity=35"'),
]
TapeScenarioFile = Annotated[
    Path | None,
    typer.Option("--scenarios", help="a TOML file holding one scenario (as remit project reads)"),
]


class HistoryFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class ShowFormat(StrEnum):
    text = "text"
    json = "json"


HistoryFormats = Annotated[HistoryFormat, typer.Option("--format", help="table, json or csv")]
ShowFormats = Annotated[ShowFormat, typer.Option("--format", help="text or json")]


class ReportFormat(StrEnum):
    text = "text"
    json = "json"


Report = Annotated[
    ReportFormat, typer.Option("--format", help="text for people, json for machines")
]


def parse_date(value: str, what: str = "date") -> date:
    """A date given on the command line, YYYY-MM-DD."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RemitError.one(COMMAND_LINE, what, value, "a date YYYY-MM-DD") from None


def one_of_date_or_next(when: str | None, next_: bool) -> str:
    """``--date DATE`` or ``--next`` (``"next"``), exactly one of them."""
    if when is not None and next_:
        raise RemitError.one(COMMAND_LINE, "--date", when, "either --date or --next, not both")
    if when is None and not next_:
        raise RemitError.one(
            COMMAND_LINE, "--date", "(none)", "exactly one of --date DATE or --next"
        )
    return when or "next"
