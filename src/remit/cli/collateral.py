"""Commands for loan-level collateral: ``remit tape generate`` and ``remit collect``.

Bad input ends like every other command: each problem on stderr, exit code 2, nothing
written."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from remit.cli.errors import COMMAND_LINE, add_commands
from remit.cli.options import (
    Cdr,
    Cpr,
    Date,
    DealDir,
    Delinquency,
    Loans,
    Months,
    RemittanceOut,
    Seed,
    Severity,
    Tape,
    TapeFormat,
    TapeOut,
    TapeScenario,
    TapeScenarioFile,
    parse_date,
)
from remit.cli.output import progress
from remit.errors import RemitError

if TYPE_CHECKING:
    from remit.collateral.generate import Behaviour
    from remit.project.scenario import Scenario


def generate(
    deal_dir: DealDir,
    out: TapeOut,
    loans: Loans = None,
    months: Months = 1,
    seed: Seed = 0,
    fmt: TapeFormat = "parquet",
    cpr: Cpr = None,
    cdr: Cdr = None,
    severity: Severity = None,
    delinquency: Delinquency = None,
    scenario: TapeScenario = None,
    scenarios: TapeScenarioFile = None,
) -> None:
    """Write TAPE_DIR/loans, indices and one activity file per distribution date, following
    the deal's collateral description.

    The pool reproduces the deal's [collateral]: loan count, cut-off balance, WAC, WAM and
    product mix ([[collateral.mix]]: fixed, adjustable or hybrid ARM, interest-only). The
    monthly activity follows --cpr, --cdr, --severity and --delinquency (percent; defaults
    15, 0.2, 30 and 0.75), or one projection scenario (--scenario "psa=150,sda=100,
    severity=35" or --scenarios FILE, the format of `remit project`): its prepayments and
    defaults by month and loan age, and its severity. Liquidations happen in the month of
    default (a scenario's lag, advancing, index, shock and call do not apply to a tape)."""
    from remit.api import load_deal
    from remit.collateral import Calibration, generate_tape

    deal = load_deal(deal_dir)
    cal = Calibration.of(deal.spec, str(deal.path / "deal.toml"))
    beh = behaviour_of(cpr, cdr, severity, delinquency, scenario, scenarios)
    with progress("generating") as cb:
        files = generate_tape(
            deal.spec,
            out,
            loans,
            months,
            seed,
            fmt=fmt,
            progress=cb,
            behaviour=beh,
            calibration=cal,
        )
    typer.echo(f"wrote {len(files)} files to {out}", err=True)


def _percent(option: str, value: float | None, high: float = 100.0) -> float | None:
    if value is None:
        return None
    if not 0.0 <= value <= high:
        raise RemitError.one(COMMAND_LINE, option, value, f"a percentage from 0 to {high:g}")
    return value / 100.0


def behaviour_of(
    cpr: float | None,
    cdr: float | None,
    severity: float | None,
    delinquency: float | None,
    inline: str | None,
    file: Path | None,
) -> Behaviour:
    """The tape's monthly behaviour from the options: percentages, or one scenario."""
    from remit.collateral.generate import Behaviour

    rates = {
        k: v
        for k, v in (
            ("cpr", _percent("--cpr", cpr)),
            ("cdr", _percent("--cdr", cdr)),
            ("severity", _percent("--severity", severity)),
            ("to_30", _percent("--delinquency", delinquency)),
        )
        if v is not None
    }
    if inline is None and file is None:
        return Behaviour.of(None, **rates)
    given = [o for o, v in (("--cpr", cpr), ("--cdr", cdr), ("--severity", severity)) if v]
    if given or (inline is not None and file is not None):
        raise RemitError.one(
            COMMAND_LINE,
            "--scenario",
            ", ".join(
                [*given, *(["--scenario"] if inline else []), *(["--scenarios"] if file else [])]
            ),
            "one scenario (--scenario or --scenarios) or --cpr/--cdr/--severity, not both",
        )
    from remit.project.scenario import read_scenarios

    found = read_scenarios([inline] if inline else [], [file] if file else [])
    if len(found) != 1:
        raise RemitError.one(
            str(file) if file else COMMAND_LINE,
            "scenario",
            f"{len(found)} scenarios",
            "exactly one scenario for a tape",
        )
    unused = _unused(found[0])
    if unused:
        typer.echo(
            f"note: the tape generator liquidates in the month of default and ignores the "
            f"scenario's {', '.join(unused)}",
            err=True,
        )
    return Behaviour.of(found[0], **rates)


def _unused(s: Scenario) -> list[str]:
    """The keys of a scenario a tape does not use, where they are not their defaults."""
    out = []
    if s.lag:
        out.append("lag")
    if not s.advancing:
        out.append("advancing")
    if s.index:
        out.append("index")
    if s.shock:
        out.append("shock")
    if s.call:
        out.append("call")
    return out


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
