"""The command line. Thin: parse arguments, call the library, print. Bad input ends with a
message naming the file, the field and the value, exit code 2, and nothing written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from remit.api import close_date, close_from_tape, load_deal, parse_date
from remit.cli_base import app, command
from remit.errors import RemitError
from remit.explain import explain as explain_figure
from remit.output import write_all
from remit.statement import build_statement

DealDir = Annotated[Path, typer.Argument(help="deal directory holding deal.toml")]
DateOpt = Annotated[str, typer.Option("--date", help="distribution date, YYYY-MM-DD")]


@command
def close(
    deal_dir: DealDir,
    date: Annotated[
        str | None, typer.Option("--date", help="distribution date, YYYY-MM-DD")
    ] = None,
    next_: Annotated[
        bool, typer.Option("--next", help="the next date of the deal not yet in the store")
    ] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="write statement.txt/.json, ledger, state here")
    ] = None,
    db: Annotated[
        str | None,
        typer.Option("--db", help="store URL (default: $REMIT_DB, else sqlite:///remit.db)"),
    ] = None,
    no_store: Annotated[
        bool,
        typer.Option("--no-store", help="close in memory from the deal's remittances only"),
    ] = False,
    restate: Annotated[
        bool, typer.Option("--restate", help="close a date already closed again, as a new version")
    ] = False,
    reason: Annotated[str | None, typer.Option("--reason", help="why (with --restate)")] = None,
    tape: Annotated[
        Path | None,
        typer.Option("--tape", help="collect the remittance from this loan tape directory"),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="do not print the statement")] = False,
) -> None:
    """Close a distribution date and print its statement.

    By default the period is stored (see `remit history`) and starts from the stored prior
    state; with --no-store it is computed in memory, closing every earlier date of the deal
    from its remittances. With --tape, each remittance is collected from the loan tape
    instead. With --out, statement.txt, statement.json, ledger.json and state.json are
    written there."""
    if (date is None) == (not next_):
        raise RemitError.one(
            "(command line)", "--date", date or "(none)", "exactly one of --date DATE or --next"
        )
    if no_store:
        if next_ or restate or reason:
            raise RemitError.one(
                "(command line)",
                "--no-store",
                "--next/--restate",
                "--date only: without the store there is no next or restatement",
            )
        assert date is not None
        deal = load_deal(deal_dir)
        if tape is None:
            result = close_date(deal, parse_date(date))
        else:
            result = close_from_tape(deal.spec, tape, parse_date(date))
        st = result.statement
        text = st.to_edgar()
        files = {
            "statement.txt": text,
            "statement.json": st.to_json(),
            "ledger.json": json.dumps(result.ledger.to_list(), indent=2) + "\n",
            "state.json": json.dumps(result.state.to_dict(), indent=2) + "\n",
        }
        where = "not stored"
    else:
        from remit.store import store_close

        p = store_close(deal_dir, date or "next", restate=restate, reason=reason, url=db, tape=tape)
        text = p.statement_text
        files = {
            "statement.txt": text,
            "statement.json": p.statement_json,
            "ledger.json": p.ledger_json,
            "state.json": json.dumps(p.state.to_dict(), indent=2) + "\n",
        }
        where = f"stored {p.deal_id} {p.distribution_date.isoformat()} version {p.version}" + (
            " (amended)" if p.amended else ""
        )
    if out is not None:
        write_all(out, files)
        where += f"; wrote {', '.join(files)} to {out}"
    if not quiet:
        typer.echo(text, nl=False)
    typer.echo(where, err=True)


@command
def explain(
    deal_dir: DealDir,
    date: DateOpt,
    section: Annotated[str, typer.Argument(help="section title or key")],
    row: Annotated[str, typer.Argument(help="row label or key")],
    column: Annotated[
        str, typer.Argument(help="column header or key ('value' for single-value rows)")
    ],
) -> None:
    """Print the ledger postings and rule bases behind one figure of the statement."""
    deal = load_deal(deal_dir)
    result = close_date(deal, parse_date(date))
    st = build_statement(result)
    typer.echo(explain_figure(result, st, section, row, column))


@command
def check(deal_dir: DealDir) -> None:
    """Validate the deal spec and every remittance, closing the dates in sequence."""
    deal = load_deal(deal_dir)
    dates = sorted(deal.remittance_files)
    typer.echo(
        f"{deal.spec.deal.id}: deal.toml valid ({len(deal.spec.classes)} classes, "
        f"{len(deal.spec.fees)} fees)"
    )
    state = None
    for d in dates:
        result = close_date(deal, d, state)
        state = result.state
        typer.echo(
            f"  {d.isoformat()}: remittance valid; pool {state.pool_balance:,.2f}, "
            f"{state.loan_count:,d} loans"
        )
    typer.echo(f"{len(dates)} remittance(s) checked")


def _register_commands() -> None:
    """The commands of the other stages, each in its own module."""
    from remit import cli_audit, cli_collateral, cli_project, cli_store

    cli_store.register(app)
    cli_audit.register(app)
    cli_collateral.register(app)
    cli_project.register(app)


_register_commands()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
