"""Commands over the store: close into it, list deals, show history, statements and exports.

``register(app)`` adds them to the ``remit`` command line; every command takes ``--db URL``
(default ``$REMIT_DB``, else ``remit.db`` in the working directory). Thin, like
:mod:`remit.cli`: parse, call :mod:`remit.store`, print."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from remit.cli_base import reports_errors
from remit.errors import RemitError
from remit.store import Store, store_close
from remit.store.export import flat, nested, write_parquet

DbOpt = Annotated[
    str | None,
    typer.Option("--db", help="store URL (default: $REMIT_DB, else sqlite:///remit.db)"),
]
DealArg = Annotated[str, typer.Argument(help="deal id, as in its spec (e.g. tmst-2003-2)")]


class HistoryFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class ShowFormat(StrEnum):
    text = "text"
    json = "json"


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, Decimal):
        return f"{value:,.8f}" if value.as_tuple().exponent == -8 else f"{value:,.2f}"
    return "" if value is None else str(value)


def _table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain fixed-width table: first column left-aligned, the rest right-aligned."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)]) + "\n"


def store_close_cmd(
    deal_dir: Annotated[Path, typer.Argument(help="deal directory holding deal.toml")],
    date: Annotated[
        str | None, typer.Option("--date", help="distribution date, YYYY-MM-DD")
    ] = None,
    next_: Annotated[
        bool, typer.Option("--next", help="the next date not yet closed (the default)")
    ] = False,
    restate: Annotated[
        bool, typer.Option("--restate", help="close a date already closed again, as a new version")
    ] = False,
    reason: Annotated[str | None, typer.Option("--reason", help="why (with --restate)")] = None,
    db: DbOpt = None,
) -> None:
    """Close a distribution date into the store, from the stored prior state."""
    if date is not None and next_:
        raise RemitError.one("(command line)", "--date", date, "either --date or --next, not both")
    p = store_close(deal_dir, date or "next", restate=restate, reason=reason, url=db)
    state = p.state
    flags = " (amended)" if p.amended else ""
    typer.echo(
        f"closed {p.deal_id} {p.distribution_date.isoformat()} version {p.version}{flags}: "
        f"pool {state.pool_balance:,.2f}, {state.loan_count:,d} loans; "
        f"statement sha256 {p.statement_sha256[:16]}"
    )


def deals(db: DbOpt = None) -> None:
    """List the deals in the store."""
    with Store.open(db, create=False) as store:
        rows = store.deals()
    if not rows:
        typer.echo("no deals in the store")
        return
    typer.echo(
        _table(
            ["Deal", "Dates", "Versions", "First", "Last", "Stale", "Name"],
            [
                [
                    d.deal_id,
                    str(d.dates),
                    str(d.versions),
                    d.first_date.isoformat() if d.first_date else "",
                    d.last_date.isoformat() if d.last_date else "",
                    str(d.stale),
                    d.name,
                ]
                for d in rows
            ],
        ),
        nl=False,
    )


TABLE_COLUMNS = (
    ("date", "Date"),
    ("version", "V"),
    ("pool_ending", "Pool balance"),
    ("loans", "Loans"),
    ("dq_30_balance", "30 days"),
    ("dq_60_balance", "60 days"),
    ("dq_90plus_balance", "90+ days"),
    ("dq_foreclosure_balance", "Foreclosure"),
    ("dq_reo_balance", "REO"),
    ("realized_losses", "Loss"),
    ("cumulative_loss", "Cum. loss"),
)


def history(
    deal: DealArg,
    format: Annotated[
        HistoryFormat, typer.Option("--format", help="table, json or csv")
    ] = HistoryFormat.table,
    db: DbOpt = None,
) -> None:
    """One row per stored period and version: pool balance, class balances and factors,
    delinquency, losses. Flags: A amended, S stale (closed before a restatement of an earlier
    date), * superseded by a later version."""
    with Store.open(db, create=False) as store:
        rows = store.history(deal)
    if format is HistoryFormat.json:
        typer.echo(json.dumps([nested(r) for r in rows], indent=2))
        return
    records = [flat(r) for r in rows]
    if format is HistoryFormat.csv:
        buf = io.StringIO()
        if records:
            w = csv.DictWriter(buf, fieldnames=list(records[0]), lineterminator="\n")
            w.writeheader()
            w.writerows(records)
        typer.echo(buf.getvalue(), nl=False)
        return
    if not rows:
        typer.echo(f"{deal}: no periods stored")
        return
    names = [c.name for c in rows[0].classes]
    headers = [h for _, h in TABLE_COLUMNS] + ["Flags"]
    for n in names:
        headers += [n, f"{n} factor"]
    body = []
    for r, rec in zip(rows, records, strict=True):
        flags = ("A" if r.amended else "") + ("S" if r.stale else "") + ("" if r.current else "*")
        cells = [_cell(rec[k]) for k, _ in TABLE_COLUMNS] + [flags]
        for n in names:
            cells += [_cell(rec[f"{n}_balance"]), _cell(rec[f"{n}_factor"])]
        body.append(cells)
    typer.echo(_table(headers, body), nl=False)


def show(
    deal: DealArg,
    date: Annotated[str, typer.Argument(help="distribution date, YYYY-MM-DD")],
    version: Annotated[
        int | None, typer.Option("--version", help="version (default: the latest)")
    ] = None,
    format: Annotated[ShowFormat, typer.Option("--format", help="text or json")] = ShowFormat.text,
    db: DbOpt = None,
) -> None:
    """Print a stored statement, as filed (EDGAR text) or as JSON."""
    with Store.open(db, create=False) as store:
        p = store.period(deal, date, version)
    typer.echo(p.statement_json if format is ShowFormat.json else p.statement_text, nl=False)
    notes = [f"version {p.version}", f"closed by {p.closed_by} at {p.closed_at.isoformat()}"]
    if p.amended:
        notes.append(f"amended: {p.reason}")
    if p.stale:
        notes.append("stale: an earlier date was restated after it")
    if not p.current:
        notes.append("superseded by a later version")
    typer.echo(f"{p.deal_id} {p.distribution_date.isoformat()}: " + "; ".join(notes), err=True)


def export(
    deal: DealArg,
    out: Annotated[Path, typer.Option("--out", help="directory for the Parquet files")],
    db: DbOpt = None,
) -> None:
    """Write pool.parquet and classes.parquet: the deal's time series (latest versions)."""
    with Store.open(db, create=False) as store:
        rows = store.history(deal)
    paths = write_parquet(rows, out)
    typer.echo(f"wrote {', '.join(p.name for p in paths)} to {out}", err=True)


_registered: set[int] = set()


def register(app: typer.Typer) -> None:
    """Add the store commands to ``app`` (once)."""
    if id(app) in _registered:
        return
    _registered.add(id(app))
    # `remit close` is the command for people; store-close (hidden) prints one summary line
    app.command("store-close", hidden=True)(reports_errors(store_close_cmd))
    app.command("deals")(reports_errors(deals))
    app.command("history")(reports_errors(history))
    app.command("show")(reports_errors(show))
    app.command("export")(reports_errors(export))


def main() -> None:
    """``python -m remit.cli_store``: the remit command line (which includes these)."""
    from remit.cli import main as remit_main

    remit_main()


if __name__ == "__main__":
    main()
