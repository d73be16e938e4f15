"""Commands for loan-level collateral: ``remit tape generate`` and ``remit collect``.

Bad input ends like every other command: each problem on stderr, exit code 2, nothing
written."""

from __future__ import annotations

import typer

from remit.cli.errors import COMMAND_LINE, add_commands
from remit.cli.options import (
    Date,
    DealDir,
    Loans,
    Months,
    RemittanceOut,
    Seed,
    Tape,
    TapeFormat,
    TapeOut,
    parse_date,
)
from remit.cli.output import progress


def generate(
    deal_dir: DealDir,
    out: TapeOut,
    loans: Loans = None,
    months: Months = 1,
    seed: Seed = 0,
    fmt: TapeFormat = "parquet",
) -> None:
    """Write TAPE_DIR/loans, indices and one activity file per distribution date,
    calibrated to the deal's reference pool."""
    from remit.api import load_deal
    from remit.collateral import generate_tape
    from remit.errors import RemitError
    from remit.limits import MAX_LOANS, MAX_MONTHS

    if loans is not None and not 1 <= loans <= MAX_LOANS:
        raise RemitError.one(COMMAND_LINE, "--loans", loans, f"from 1 to {MAX_LOANS:,d} loans")
    if not 0 <= months <= MAX_MONTHS:
        raise RemitError.one(COMMAND_LINE, "--months", months, f"from 0 to {MAX_MONTHS} months")
    deal = load_deal(deal_dir)
    try:
        with progress("generating") as cb:
            files = generate_tape(deal.spec, out, loans, months, seed, fmt=fmt, progress=cb)
    except OSError as exc:
        raise RemitError.one(
            str(out), "", exc.strerror or str(exc), "a writable directory"
        ) from None
    typer.echo(f"wrote {len(files)} files to {out}", err=True)


def collect(
    deal_dir: DealDir,
    tape: Tape,
    date: Date,
    out: RemittanceOut,
) -> None:
    """Compute the pool-level remittance for a distribution date from the loan tape."""
    from remit.api import load_deal
    from remit.cli.output import write_all
    from remit.collateral import collect as collect_remittance
    from remit.collateral import remittance_to_toml

    deal = load_deal(deal_dir)
    when = parse_date(date)
    with progress("collecting") as cb:
        rem = collect_remittance(deal.spec, tape, when, None, progress=cb)
    write_all(out.parent, {out.name: remittance_to_toml(rem)})
    typer.echo(f"wrote {out}", err=True)


def register(app: typer.Typer) -> None:
    """Add ``tape generate`` and ``collect`` to ``app``."""
    tape_app = typer.Typer(no_args_is_help=True, help="Synthetic loan tapes.")
    add_commands(tape_app, {"generate": generate})
    add_commands(app, {"collect": collect})
    app.add_typer(tape_app, name="tape")
