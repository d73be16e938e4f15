"""Closing: ``remit close`` (into the store, or in memory with ``--no-store``), ``remit
explain`` (the postings behind one figure) and ``remit check`` (a deal directory, every date)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from remit.cli.errors import COMMAND_LINE, add_commands
from remit.cli.options import (
    Db,
    DealDir,
    ExplainDeal,
    ExplainFigure,
    Force,
    MaybeDate,
    Next,
    NoStore,
    OutDir,
    Quiet,
    Reason,
    Restate,
    TapeDir,
    Version,
    one_of_date_or_next,
    parse_date,
)
from remit.errors import RemitError


def _stored(
    deal_dir: Path,
    when: str,
    restate: bool,
    reason: str | None,
    db: str | None,
    tape: Path | None,
    force: bool,
) -> tuple[dict[str, str], str]:
    """Close into the store: the files to show, and the lines saying what was stored (and,
    after a restatement, which later periods it left stale)."""
    from remit import workflows as wf

    try:
        p = wf.close_into_store(
            deal_dir, when, restate=restate, reason=reason, url=db, tape=tape, force=force
        )
    except wf.AlreadyClosed as exc:
        raise exc.with_remedy("to restate it give --restate --reason") from None
    except wf.Unchanged as exc:
        raise exc.with_remedy("give --force to store it anyway") from None
    except wf.StaleFirst as exc:
        stale = exc.stale.isoformat()
        raise exc.with_remedy(
            f"remit close {deal_dir} --date {stale} --restate --reason ..."
        ) from None
    amended = " (amended)" if p.amended else ""
    where = f"stored {p.deal_id} {p.distribution_date.isoformat()} version {p.version}{amended}"
    if p.version > 1:
        where += _stale_after(db, p.deal_id, p.distribution_date, deal_dir)
    return wf.Outputs.of_stored(p).files(), where


def _stale_after(db: str | None, deal_id: str, when: date, deal_dir: Path) -> str:
    """The later periods a restatement left stale, and how to close them again."""
    from remit import workflows as wf

    stale = sorted({r.distribution_date for r in wf.history(db, deal_id) if r.stale and r.current})
    later = [d.isoformat() for d in stale if d > when]
    if not later:
        return "; no later period is stored"
    return (
        f"\nlater periods now stale ({len(later)}): {', '.join(later)}; close each again in "
        f"order: remit close {deal_dir} --date {later[0]} --restate --reason ..."
    )


def close(
    deal_dir: DealDir,
    date: MaybeDate = None,
    next_: Next = False,
    out: OutDir = None,
    db: Db = None,
    no_store: NoStore = False,
    restate: Restate = False,
    reason: Reason = None,
    tape: TapeDir = None,
    quiet: Quiet = False,
    force: Force = False,
) -> None:
    """Close a distribution date and print its statement.

    By default the period is stored (see `remit history`) and starts from the stored prior
    state; with --no-store it is computed in memory, closing every earlier date of the deal
    from its remittances. With --tape, each remittance is collected from the loan tape
    instead. With --out, statement.txt, statement.json, ledger.json and state.json are
    written there."""
    when = one_of_date_or_next(date, next_)
    if no_store:
        if next_ or restate or reason or force:
            raise RemitError.one(
                COMMAND_LINE,
                "--no-store",
                "--next/--restate/--force",
                "--date only: without the store there is no next or restatement",
            )
        from remit.workflows import close_in_memory

        files = close_in_memory(deal_dir, parse_date(when), tape=tape).files()
        where = "not stored"
    else:
        files, where = _stored(deal_dir, when, restate, reason, db, tape, force)
    if out is not None:
        from remit.cli.output import write_all

        write_all(out, files)
        where += f"; wrote {', '.join(files)} to {out}"
    if not quiet:
        typer.echo(files["statement.txt"], nl=False)
    typer.echo(where, err=True)


def explain(
    deal: ExplainDeal,
    figure: ExplainFigure,
    date: MaybeDate = None,
    version: Version = None,
    db: Db = None,
) -> None:
    """Print the ledger postings and rule bases behind one figure of the statement.

    Two forms, told apart by --date:

      remit explain DEAL_ID DATE SECTION ROW COLUMN [--version N] [--db URL]

    explains a STORED period (the latest version unless --version), as stored: the figure
    `remit show` prints, its trace and the stored ledger's postings -- periods closed from a
    loan tape too.

      remit explain DEAL_DIR --date DATE SECTION ROW COLUMN

    closes the date in memory from the deal directory's remittances (a date not stored).

    SECTION, ROW and COLUMN are the statement's printed title, label and header (or the JSON
    keys), case and spacing aside; COLUMN is 'value' for a figure on a line of its own."""
    if date is not None:
        from remit.workflows import explain_figure

        if version is not None:
            raise RemitError.one(
                COMMAND_LINE,
                "--version",
                version,
                "no --version with --date (a deal directory "
                "is closed in memory; a stored version is explained by deal id and date)",
            )
        section, row, column = _figure(figure, 3, "DEAL_DIR --date DATE SECTION ROW COLUMN")
        typer.echo(explain_figure(deal, parse_date(date), section, row, column))
        return
    from remit.workflows import explain_stored

    if Path(deal, "deal.toml").is_file():
        raise RemitError.one(
            COMMAND_LINE,
            "DEAL",
            deal,
            "a deal id with a stored DATE (remit explain DEAL_ID DATE SECTION ROW COLUMN), or "
            "--date DATE to close a deal directory's date in memory",
        )
    when, section, row, column = _figure(figure, 4, "DEAL_ID DATE SECTION ROW COLUMN")
    typer.echo(explain_stored(db, deal, parse_date(when), section, row, column, version))


def _figure(args: list[str], n: int, usage: str) -> list[str]:
    if len(args) != n:
        raise RemitError.one(
            COMMAND_LINE, "arguments", " ".join(args) or "(none)", f"{n} arguments: {usage}"
        )
    return args


def check(deal_dir: DealDir) -> None:
    """Validate the deal spec and every remittance, closing the dates in sequence."""
    from remit.api import load_deal
    from remit.workflows import check_deal

    deal = load_deal(deal_dir)
    spec = deal.spec
    typer.echo(
        f"{spec.deal.id}: deal.toml valid ({len(spec.classes)} classes, {len(spec.fees)} fees)"
    )
    count = 0
    for d, state in check_deal(deal):
        count += 1
        typer.echo(
            f"  {d.isoformat()}: remittance valid; pool {state.pool_balance:,.2f}, "
            f"{state.loan_count:,d} loans"
        )
    typer.echo(f"{count} remittance(s) checked")


def register(app: typer.Typer) -> None:
    """Add ``close``, ``explain`` and ``check`` to ``app``."""
    add_commands(app, {"close": close, "explain": explain, "check": check})
