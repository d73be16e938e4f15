"""Commands for projections: ``remit project``, ``remit price`` and ``remit grid``.

numpy, pandas, matplotlib, plotly and
dask are imported inside the commands, so that ``remit --help`` stays fast. Bad input ends
like every other command: each problem on stderr, exit code 2, nothing written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from remit.cli.errors import COMMAND_LINE, add_commands
from remit.errors import Problem, RemitError

if TYPE_CHECKING:
    from remit.project.scenario import Scenario
    from remit.project.subjects import PoolSubject

DealOpt = Annotated[
    Path | None,
    typer.Argument(help="deal directory (with --tape: the deal the tape belongs to)"),
]
PoolOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--pool",
        help='a pool: "balance=100000000,wac=6.0,net=5.5,term=360,remaining=360,age=0" '
        "(rates in percent; also io=, group=)",
    ),
]
LinesOpt = Annotated[
    list[Path] | None, typer.Option("--lines", help="a TOML file of \\[\\[line]] rep lines")
]
TapeOpt = Annotated[
    Path | None, typer.Option("--tape", help="a loan tape directory (with DEAL_DIR)")
]
ScenarioOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--scenario",
        help='a scenario: "psa=100,sda=100,severity=35,lag=12,advancing=yes" (repeatable)',
    ),
]
ScenarioFileOpt = Annotated[
    list[Path] | None,
    typer.Option("--scenarios", help="a TOML file of scenarios (\\[\\[scenario]] or \\[grid])"),
]
CL = COMMAND_LINE


def subjects_of(
    deal_dir: Path | None, pools: list[str] | None, lines: list[Path] | None, tape: Path | None
) -> list[PoolSubject]:
    """The subjects named on the command line, each read and checked."""
    from remit.project import subjects as sj

    out = [sj.pool(p) for p in pools or []] + [sj.lines(p) for p in lines or []]
    if tape is not None:
        if deal_dir is None:
            raise RemitError.one(CL, "--tape", str(tape), "a DEAL_DIR argument with --tape")
        out.append(sj.tape(deal_dir, tape))
    elif deal_dir is not None:
        raise RemitError.one(
            CL,
            "DEAL_DIR",
            str(deal_dir),
            "--tape TAPE_DIR with it (a deal's own waterfall projection is not built yet); "
            "or --pool / --lines without it",
        )
    if not out:
        raise RemitError.one(CL, "--pool", "(none)", "--pool, --lines or DEAL_DIR --tape")
    problems: list[Problem] = []
    for s in out:
        try:
            s.check()
        except RemitError as exc:
            problems.extend(exc.problems)
    if problems:
        raise RemitError(problems)
    return out


def scenarios_of(inline: list[str] | None, files: list[Path] | None) -> list[Scenario]:
    from remit.project.scenario import read_scenarios

    return read_scenarios(inline or [], files or [])


def inputs_of(
    deal_dir: Path | None,
    pools: list[str] | None,
    lines: list[Path] | None,
    tape: Path | None,
    inline: list[str] | None,
    files: list[Path] | None,
) -> tuple[list[PoolSubject], list[Scenario]]:
    """Subjects and scenarios, every problem of both reported together."""
    problems: list[Problem] = []
    subjects: list[PoolSubject] = []
    scs: list[Scenario] = []
    try:
        subjects = subjects_of(deal_dir, pools, lines, tape)
    except RemitError as exc:
        problems.extend(exc.problems)
    try:
        scs = scenarios_of(inline, files)
    except RemitError as exc:
        problems.extend(exc.problems)
    if problems:
        raise RemitError(problems)
    return subjects, scs


def _one(subjects: list[PoolSubject]) -> PoolSubject:
    if len(subjects) != 1:
        raise RemitError.one(CL, "--pool", f"{len(subjects)} subjects", "exactly one subject")
    return subjects[0]


def register(app: typer.Typer) -> None:
    """Add ``project``, ``price`` and ``grid`` to ``app``."""
    add_commands(app, {"project": project, "price": price, "grid": grid})


def project(
    deal_dir: DealOpt = None,
    pool: PoolOpt = None,
    lines: LinesOpt = None,
    tape: TapeOpt = None,
    scenario: ScenarioOpt = None,
    scenarios: ScenarioFileOpt = None,
    out: Annotated[Path, typer.Option("--out", help="directory to write")] = Path("projection"),
    pictures: Annotated[
        bool, typer.Option("--pictures", help="also balances.png, cash_flows.png, projection.html")
    ] = False,
) -> None:
    """Project collateral cash flows under scenarios (floats).

    Writes OUT/pool.csv (one row per month: month, beginning_balance, scheduled_principal,
    prepayment, default, loss, recovery, advanced_principal, net_interest, ending_balance;
    with several scenarios a first column scenario), OUT/summary.json (column totals and
    wal_years), OUT/flows.parquet and OUT/flows.csv (every field by scenario, loan group and
    month)."""
    from remit.project.outputs import projection_files, write_files

    subjects, scs = inputs_of(deal_dir, pool, lines, tape, scenario, scenarios)
    subject = _one(subjects)
    flows = subject.project(scs)
    files = projection_files(flows, pictures)
    write_files(out, files)
    typer.echo(
        f"projected {subject.name}: {len(scs)} scenario(s), {flows.months} months; "
        f"wrote {', '.join(files)} to {out}",
        err=True,
    )


def price(
    deal_dir: DealOpt = None,
    pool: PoolOpt = None,
    lines: LinesOpt = None,
    tape: TapeOpt = None,
    scenario: ScenarioOpt = None,
    price_: Annotated[
        str | None, typer.Option("--price", help="price per 100: 101-16+ (32nds) or 101.515625")
    ] = None,
    yield_: Annotated[
        float | None, typer.Option("--yield", help="bond-equivalent yield, percent")
    ] = None,
    settle: Annotated[str, typer.Option("--settle", help="settlement date, YYYY-MM-DD")] = "",
    delay: Annotated[
        int, typer.Option("--delay", help="stated delay in days (55: the 25th of the next month)")
    ] = 55,
    curve: Annotated[
        float | None, typer.Option("--curve", help="flat curve, bond-equivalent percent")
    ] = None,
    breakeven: Annotated[
        bool,
        typer.Option("--breakeven", help="also the first-dollar-loss and break-even CDR"),
    ] = False,
    table: Annotated[
        str | None,
        typer.Option(
            "--table", help='the price/yield table at these prices, "99-00,100-00,101-16+"'
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json (or csv, --table)")] = "text",
) -> None:
    """Price a pool's cash flows under one scenario: yield from price or price from yield.

    Prints full_price, accrued_interest, mortgage_yield_pct, bey_pct, average_life_years,
    macaulay_duration_years, modified_duration, convexity (and the effective duration and
    convexity, with --curve the spread in basis points, with --breakeven the CDRs at which
    the stream first loses principal and at which its yield at the price falls to 0).
    With --table, the price/yield table instead: prices down, one --scenario per column
    pair (bond-equivalent yield % and average life in years)."""
    from remit.project.api import price_subject

    if fmt not in ("text", "json", "csv"):
        raise RemitError.one(CL, "--format", fmt, "text, json or csv")
    if table is not None:
        _table(deal_dir, pool, lines, tape, scenario, table, settle, delay, fmt)
        return
    if (price_ is None) == (yield_ is None):
        raise RemitError.one(CL, "--price", price_ or "(none)", "exactly one of --price or --yield")
    subjects, scs = inputs_of(deal_dir, pool, lines, tape, scenario, None)
    subject = _one(subjects)
    if len(scs) != 1:
        raise RemitError.one(CL, "--scenario", f"{len(scs)} scenarios", "exactly one scenario")
    result = price_subject(subject, scs[0], price_, yield_, settle, delay, curve, breakeven)
    if fmt == "json":
        typer.echo(json.dumps(result, indent=2))
        return
    width = max(len(k) for k in result)
    for k, v in result.items():
        typer.echo(f"{k:<{width}}  {v if isinstance(v, str) else f'{v:.10g}'}")


def _table(
    deal_dir: Path | None,
    pool: list[str] | None,
    lines: list[Path] | None,
    tape: Path | None,
    scenario: list[str] | None,
    prices: str,
    settle: str,
    delay: int,
    fmt: str,
) -> None:
    from remit.project import analytics as an
    from remit.project.api import subject_table, timing

    subjects, scs = inputs_of(deal_dir, pool, lines, tape, scenario, None)
    ps = [an.parse_price(p.strip(), "--table") for p in prices.split(",") if p.strip()]
    if not ps:
        raise RemitError.one(CL, "--table", prices, "prices separated by commas")
    frame = subject_table(_one(subjects), scs, ps, timing(settle, delay))
    if fmt == "json":
        typer.echo(frame.to_json(orient="split", indent=2))
    elif fmt == "csv":
        typer.echo(frame.to_csv(), nl=False)
    else:
        typer.echo(frame.to_string(float_format=lambda x: f"{x:.4f}"))


def grid(
    deal_dir: DealOpt = None,
    pool: PoolOpt = None,
    lines: LinesOpt = None,
    tape: TapeOpt = None,
    scenario: ScenarioOpt = None,
    scenarios: ScenarioFileOpt = None,
    out: Annotated[Path, typer.Option("--out", help="directory to write")] = Path("grid"),
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="a Dask scheduler, tcp://HOST:PORT")
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", help="local worker processes (without --scheduler)")
    ] = 2,
    batch: Annotated[int, typer.Option("--batch", help="scenarios per task")] = 50,
) -> None:
    """Run every (subject, scenario) pair through local processes or a Dask cluster.

    Streams OUT/flows.parquet (subject, scenario, month and the pool's columns) and writes
    OUT/summary.parquet and OUT/summary.csv (one row per pair); a failed pair is reported
    with its subject and scenario (and in OUT/failures.csv), the rest complete (exit 1)."""
    from remit.cli.output import progress
    from remit.project.grid import dask_executor, local_executor, run_grid

    if workers < 1 or batch < 1:
        raise RemitError.one(CL, "--workers/--batch", f"{workers}/{batch}", "1 or more")
    subjects, scs = inputs_of(deal_dir, pool, lines, tape, scenario, scenarios)
    ctx = dask_executor(scheduler) if scheduler else local_executor(workers)
    with ctx as ex, progress("grid") as bar:
        res = run_grid(subjects, scs, out, ex, batch, bar)
    for f in res.failures:
        typer.echo(f"failed: {f.subject} / {f.scenario}: {f.error}", err=True)
    typer.echo(
        f"{res.completed} of {res.pairs} pairs in {res.seconds:.2f} s; wrote "
        f"{', '.join(p.name for p in res.files)} to {out}",
        err=True,
    )
    if res.failures:
        raise typer.Exit(1)
