"""Commands over the store: list its deals, show a deal's history, a stored statement, and
export the time series. Every command takes ``--db URL`` (default ``$REMIT_DB``, else
``remit.db`` in the working directory); ``remit close`` (:mod:`remit.cli.close`) writes it."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

import typer

from remit.cli.errors import add_commands
from remit.cli.options import (
    DateArg,
    Db,
    DealId,
    ExportDir,
    HistoryFormat,
    HistoryFormats,
    ShowFormat,
    ShowFormats,
    Version,
    parse_date,
)

if TYPE_CHECKING:
    from remit.store import HistoryRow


def _cell(value: object) -> str:
    """A history figure as the statement prints it: money 1,234.56, factors to 8 decimals,
    counts 2,402."""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, Decimal):
        return f"{value:.8f}" if value.as_tuple().exponent == -8 else f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,d}"
    return "" if value is None else str(value)


def _machine(value: object) -> object:
    """A figure for CSV: exact, in fixed notation (0.00000000, never 0E-8)."""
    return f"{value:f}" if isinstance(value, Decimal) else value


def _table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain fixed-width table: first column left-aligned, the rest right-aligned."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)]) + "\n"


def deals(db: Db = None) -> None:
    """List the deals in the store."""
    from remit import workflows

    rows = workflows.deals(db)
    if not rows:
        typer.echo("no deals in the store")
        return
    headers = ["Deal", "Dates", "Versions", "First", "Last", "Stale", "Name"]
    body = [
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
    ]
    typer.echo(_table(headers, body), nl=False)


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


def _history_table(rows: list[HistoryRow], records: Sequence[Mapping[str, object]]) -> str:
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
    return _table(headers, body)


def history(
    deal: DealId,
    format: HistoryFormats = HistoryFormat.table,
    db: Db = None,
) -> None:
    """One row per stored period and version: pool balance, class balances and factors,
    delinquency, losses.

    Flags: A amended, S stale (closed before a restatement of an earlier date), * superseded
    by a later version."""
    from remit import workflows
    from remit.store.export import flat, nested

    rows = workflows.history(db, deal)
    if format is HistoryFormat.json:
        typer.echo(json.dumps([nested(r) for r in rows], indent=2))
        return
    records = [flat(r) for r in rows]
    if format is HistoryFormat.csv:
        buf = io.StringIO()
        if records:
            w = csv.DictWriter(buf, fieldnames=list(records[0]), lineterminator="\n")
            w.writeheader()
            w.writerows({k: _machine(v) for k, v in r.items()} for r in records)
        typer.echo(buf.getvalue(), nl=False)
        return
    if not rows:
        typer.echo(f"{deal}: no periods stored")
        return
    typer.echo(_history_table(rows, records), nl=False)


def show(
    deal: DealId,
    date: DateArg,
    version: Version = None,
    format: ShowFormats = ShowFormat.text,
    db: Db = None,
) -> None:
    """Print a stored statement, as filed (EDGAR text) or as JSON."""
    from remit import workflows

    p = workflows.period(db, deal, parse_date(date), version)
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
    deal: DealId,
    out: ExportDir,
    db: Db = None,
) -> None:
    """Write pool.parquet and classes.parquet: the deal's time series (latest versions)."""
    from remit import workflows

    paths = workflows.export(db, deal, out)
    typer.echo(f"wrote {', '.join(p.name for p in paths)} to {out}", err=True)


def register(app: typer.Typer) -> None:
    """Add ``deals``, ``history``, ``show`` and ``export`` to ``app``."""
    add_commands(app, {"deals": deals, "history": history, "show": show, "export": export})
