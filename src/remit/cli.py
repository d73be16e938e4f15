"""The command line. Thin: parse arguments, call the library, print. Bad input ends with a
message naming the file, the field and the value, exit code 2, and nothing written."""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from remit.api import close_date, load_deal, parse_date
from remit.errors import RemitError
from remit.explain import explain as explain_figure
from remit.output import write_all
from remit.statement import build_statement

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="remit: administer mortgage pass-through trusts, exactly.",
)
F = TypeVar("F", bound=Callable[..., None])


def reports_errors(fn: F) -> F:
    """Bad input: every problem on stderr, exit code 2. A bug: one line, exit code 70."""

    @functools.wraps(fn)
    def wrapper(*args: object, **kwargs: object) -> None:
        try:
            fn(*args, **kwargs)
        except RemitError as exc:
            for p in exc.problems:
                typer.echo(f"error: {p}", err=True)
            raise typer.Exit(2) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:
            if os.environ.get("REMIT_DEBUG"):
                raise
            typer.echo(
                f"internal error: {type(exc).__name__}: {exc} (set REMIT_DEBUG=1 for a traceback)",
                err=True,
            )
            raise typer.Exit(70) from None

    return wrapper  # type: ignore[return-value]


def command(fn: F) -> F:
    return app.command()(reports_errors(fn))


DealDir = Annotated[Path, typer.Argument(help="deal directory holding deal.toml")]
DateOpt = Annotated[str, typer.Option("--date", help="distribution date, YYYY-MM-DD")]


@command
def close(
    deal_dir: DealDir,
    date: DateOpt,
    out: Annotated[Path, typer.Option("--out", help="directory for the outputs")],
    quiet: Annotated[bool, typer.Option("--quiet", help="do not print the statement")] = False,
) -> None:
    """Close a distribution date: write statement.txt, statement.json, ledger.json and
    state.json to OUT and print the statement."""
    deal = load_deal(deal_dir)
    result = close_date(deal, parse_date(date))
    st = build_statement(result)
    text = st.to_edgar()
    files = {
        "statement.txt": text,
        "statement.json": st.to_json(),
        "ledger.json": json.dumps(result.ledger.to_list(), indent=2) + "\n",
        "state.json": json.dumps(result.state.to_dict(), indent=2) + "\n",
    }
    write_all(out, files)
    if not quiet:
        typer.echo(text, nl=False)
    typer.echo(f"wrote {', '.join(files)} to {out}", err=True)


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


def main() -> None:
    app()


if __name__ == "__main__":
    main()
