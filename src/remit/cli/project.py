"""Commands for projections: ``remit project``, ``remit price`` and ``remit grid``.

A subject is a deal directory (its own waterfall, from its latest closed period in the store
given with ``--db``, or from its cut-off date; its collateral derived from a remittance, or
a loan tape with ``--tape``, or rep lines with ``--lines``) or a pool without a deal
(``--pool``, or ``--lines`` alone). numpy, pandas, matplotlib, plotly and dask are imported
inside the commands, so that ``remit --help`` stays fast. Bad input ends like every other
command: each problem on stderr, exit code 2, nothing written."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from remit.cli.errors import COMMAND_LINE, add_commands
from remit.errors import Problem, RemitError

if TYPE_CHECKING:
    from remit.project.scenario import Scenario
    from remit.project.subjects import DealSubject, GridSubject, PoolSubject

DealOpt = Annotated[
    Path | None,
    typer.Argument(help="deal directory: the deal projected through its own waterfall"),
]
DealsOpt = Annotated[
    list[Path] | None,
    typer.Argument(help="deal directories, each projected through its own waterfall"),
]
PoolOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--pool",
        help='a pool: "balance=100000000,wac=6.0,net=5.5,term=360,remaining=360,age=0" '
        "(rates in percent; also io=, group=; an ARM: index=, index_level=, margin=, "
        "first_reset=, reset_every=, first_cap=, periodic_cap=, ceiling=, floor=, round_to=, "
        "round=)",
    ),
]
LinesOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--lines", help="a TOML file of \\[\\[line]] rep lines (with DEAL_DIR: the deal's)"
    ),
]
TapeOpt = Annotated[
    Path | None,
    typer.Option("--tape", help="a loan tape directory: the deal's loans at the cut-off date"),
]
DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="start from the deal's latest closed period in this store (default: "
        "$REMIT_DB's, when it holds one; else the cut-off date)",
    ),
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
CollateralOpt = Annotated[
    bool,
    typer.Option("--collateral", help="DEAL_DIR --tape: the tape's collateral alone, not the deal"),
]
ClassOpt = Annotated[
    str | None, typer.Option("--class", help="the deal's class to price (with DEAL_DIR)")
]
CL = COMMAND_LINE


def deal_subject(
    deal_dir: Path, db: str | None, tape: Path | None, lines: Path | None
) -> DealSubject:
    """A deal directory as a subject: from its latest closed period in the store ``db``
    (without ``--db``, ``--tape`` or ``--lines``: the store ``$REMIT_DB`` names, when it
    holds a closed period of the deal), or its cut-off date."""
    from remit.project.deal.start import deal_start
    from remit.project.subjects import DealSubject

    closed = None
    by_hand = db is not None or tape is not None or lines is not None
    env = None if by_hand else os.environ.get("REMIT_DB")  # remit.store.engine.ENV_VAR
    if db is not None or env:
        from remit.api import load_deal
        from remit.workflows.projection import latest_closed

        deal_id = load_deal(deal_dir).spec.deal.id
        try:
            closed = latest_closed(db or env, deal_id)
        except RemitError:
            if db is not None:  # a store named on the command line must hold the deal
                raise
    return DealSubject(deal_start(deal_dir, closed=closed, tape=tape, lines=lines))


def subjects_of(
    deal_dirs: list[Path],
    pools: list[str] | None,
    lines: list[Path] | None,
    tape: Path | None,
    db: str | None = None,
    collateral: bool = False,
) -> list[GridSubject]:
    """The subjects named on the command line, each read and checked (every problem of
    every one reported together)."""
    from remit.project import subjects as sj

    out: list[GridSubject] = [sj.pool(p) for p in pools or []]
    problems: list[Problem] = []
    if collateral:
        if tape is None or len(deal_dirs) != 1 or db is not None:
            raise RemitError.one(CL, "--collateral", "yes", "one DEAL_DIR --tape, no --db")
        out.append(sj.tape(deal_dirs[0], tape))
    elif deal_dirs:
        if (tape is not None or lines) and len(deal_dirs) > 1:
            raise RemitError.one(CL, "DEAL_DIR", len(deal_dirs), "one DEAL_DIR with --tape/--lines")
        if lines and len(lines) > 1:
            raise RemitError.one(CL, "--lines", len(lines), "one --lines file for the deal")
        for d in deal_dirs:
            try:
                out.append(deal_subject(d, db, tape, lines[0] if lines else None))
            except RemitError as exc:
                problems.extend(exc.problems)
    else:
        if tape is not None:
            raise RemitError.one(CL, "--tape", str(tape), "a DEAL_DIR argument with --tape")
        if db is not None:
            raise RemitError.one(CL, "--db", db, "a DEAL_DIR argument with --db")
        out += [sj.lines(p) for p in lines or []]
    if not out and not problems:
        raise RemitError.one(CL, "DEAL_DIR", "(none)", "a DEAL_DIR, --pool or --lines")
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
    deal_dirs: list[Path],
    pools: list[str] | None,
    lines: list[Path] | None,
    tape: Path | None,
    db: str | None,
    inline: list[str] | None,
    files: list[Path] | None,
    collateral: bool = False,
) -> tuple[list[GridSubject], list[Scenario]]:
    """Subjects and scenarios, every problem of both reported together."""
    problems: list[Problem] = []
    subjects: list[GridSubject] = []
    scs: list[Scenario] = []
    try:
        subjects = subjects_of(deal_dirs, pools, lines, tape, db, collateral)
    except RemitError as exc:
        problems.extend(exc.problems)
    try:
        scs = scenarios_of(inline, files)
    except RemitError as exc:
        problems.extend(exc.problems)
    if problems:
        raise RemitError(problems)
    return subjects, scs


def _one(subjects: list[GridSubject]) -> GridSubject:
    if len(subjects) != 1:
        raise RemitError.one(CL, "--pool", f"{len(subjects)} subjects", "exactly one subject")
    return subjects[0]


def _deal(subject: GridSubject) -> DealSubject | None:
    from remit.project.subjects import DealSubject

    return subject if isinstance(subject, DealSubject) else None


def _pool(subject: GridSubject) -> PoolSubject:
    from remit.project.subjects import PoolSubject

    assert isinstance(subject, PoolSubject)
    return subject


def register(app: typer.Typer) -> None:
    """Add ``project``, ``price`` and ``grid`` to ``app``."""
    add_commands(app, {"project": project, "price": price, "grid": grid})


def project(
    deal_dir: DealOpt = None,
    pool: PoolOpt = None,
    lines: LinesOpt = None,
    tape: TapeOpt = None,
    db: DbOpt = None,
    collateral: CollateralOpt = False,
    scenario: ScenarioOpt = None,
    scenarios: ScenarioFileOpt = None,
    out: Annotated[Path, typer.Option("--out", help="directory to write")] = Path("projection"),
    pictures: Annotated[
        bool, typer.Option("--pictures", help="also the pictures (PNG) and an HTML page")
    ] = False,
) -> None:
    """Project a deal through its own waterfall, or a pool, under scenarios (floats).

    A deal (DEAL_DIR): OUT/deal.parquet and deal.csv (the pool and the deal's figures by
    scenario and distribution date), OUT/classes.parquet and classes.csv (each class's
    interest, principal, write-downs, cash, balances and carryforwards), OUT/collateral.parquet
    and collateral.csv, OUT/summary.json; with --pictures class_balances.png,
    class_cash_flows.png and deal_projection.html. A pool (--pool or --lines): OUT/pool.csv
    (one row per month: month, beginning_balance, scheduled_principal, prepayment, default,
    loss, recovery, advanced_principal, net_interest, ending_balance; with several scenarios
    a first column scenario), OUT/summary.json (column totals and wal_years), OUT/flows.parquet
    and OUT/flows.csv; with --pictures balances.png, cash_flows.png, projection.html. The
    same for a deal's loan tape alone: DEAL_DIR --tape DIR --collateral."""
    from remit.files import write_all

    subjects, scs = inputs_of(
        [deal_dir] if deal_dir else [], pool, lines, tape, db, scenario, scenarios, collateral
    )
    subject = _one(subjects)
    deal = _deal(subject)
    if deal is not None:
        from remit.project.deal.outputs import projection_files as deal_files

        proj = deal.project(scs)
        files = deal_files(proj, pictures)
        months, what = proj.months, f"{deal.name} from {deal.start.description}"
        if abs(deal.start.scale - 1.0) > 1e-9:
            what += f" (collateral scaled by {deal.start.scale:.6f} to the pool balance)"
    else:
        from remit.project.outputs import projection_files

        flows = _pool(subject).project(scs)
        files = projection_files(flows, pictures)
        months, what = flows.months, subject.name
    write_all(out, files)
    typer.echo(
        f"projected {what}: {len(scs)} scenario(s), {months} months; "
        f"wrote {', '.join(files)} to {out}",
        err=True,
    )


def price(
    deal_dir: DealOpt = None,
    class_: ClassOpt = None,
    pool: PoolOpt = None,
    lines: LinesOpt = None,
    tape: TapeOpt = None,
    db: DbOpt = None,
    scenario: ScenarioOpt = None,
    price_: Annotated[
        str | None, typer.Option("--price", help="price per 100: 101-16+ (32nds) or 101.515625")
    ] = None,
    yield_: Annotated[
        float | None, typer.Option("--yield", help="bond-equivalent yield, percent")
    ] = None,
    settle: Annotated[
        str,
        typer.Option(
            "--settle", help="settlement date, YYYY-MM-DD (a deal class: default its start)"
        ),
    ] = "",
    delay: Annotated[
        int | None,
        typer.Option(
            "--delay",
            help="a pool's stated delay in days (default 55: the 25th of the next month); a "
            "deal class is paid on its distribution dates (no --delay)",
        ),
    ] = None,
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
    """Price a deal class's or a pool's cash flows: yield from price or price from yield.

    Prints full_price, accrued_interest, mortgage_yield_pct, bey_pct, average_life_years,
    macaulay_duration_years, modified_duration, convexity (and the effective duration and
    convexity, with --curve the spread in basis points, with --breakeven the CDRs at which
    the stream first loses principal and at which its yield at the price falls to 0).
    With --table, the price/yield table instead: prices down, one --scenario per column
    pair (bond-equivalent yield % and average life in years). A deal class (DEAL_DIR
    --class A) is priced per 100 of its balance (of its notional amount, for an
    interest-only class), paid on the deal's projected distribution dates."""
    from remit.project import analytics as an

    if fmt not in ("text", "json", "csv"):
        raise RemitError.one(CL, "--format", fmt, "text, json or csv")
    if table is None and (price_ is None) == (yield_ is None):
        raise RemitError.one(CL, "--price", price_ or "(none)", "exactly one of --price or --yield")
    subjects, scs = inputs_of([deal_dir] if deal_dir else [], pool, lines, tape, db, scenario, None)
    subject = _one(subjects)
    deal = _deal(subject)
    if deal is None and class_ is not None:
        raise RemitError.one(CL, "--class", class_, "a DEAL_DIR argument with --class")
    if deal is not None and class_ is None:
        raise RemitError.one(CL, "--class", "(none)", "the class of the deal to price")
    if deal is not None and delay is not None:
        raise RemitError.one(
            CL, "--delay", delay, "no --delay for a deal class: it is paid on the deal's dates"
        )
    delay = an.STATED_DELAY if delay is None else delay
    if table is not None:
        ps = [an.parse_price(p.strip(), "--table") for p in table.split(",") if p.strip()]
        if not ps:
            raise RemitError.one(CL, "--table", table, "prices separated by commas")
        _print_table(_table(subject, class_, scs, ps, settle, delay), fmt)
        return
    if len(scs) != 1:
        raise RemitError.one(CL, "--scenario", f"{len(scs)} scenarios", "exactly one scenario")
    p = an.parse_price(price_) if price_ is not None else None
    if deal is not None and class_ is not None:
        from remit.project.deal.measures import price_class

        result = price_class(
            deal.start,
            class_,
            scs[0],
            price=p,
            bey_pct=yield_,
            settle=_date(settle) if settle else None,
            curve_pct=curve,
            breakeven=breakeven,
        )
    else:
        from remit.project.api import price_subject

        result = price_subject(_pool(subject), scs[0], p, yield_, settle, delay, curve, breakeven)
    if fmt == "json":
        typer.echo(json.dumps(result, indent=2))
        return
    width = max(len(k) for k in result)
    for k, v in result.items():
        typer.echo(f"{k:<{width}}  {v if isinstance(v, str) else f'{v:.10g}'}")


def _date(text: str) -> date:
    from remit.project.api import parse_settle

    return parse_settle(text)


def _table(
    subject: GridSubject,
    class_: str | None,
    scs: list[Scenario],
    ps: list[float],
    settle: str,
    delay: int,
) -> object:
    deal = _deal(subject)
    if deal is not None and class_ is not None:
        from remit.project.deal.measures import class_table

        return class_table(deal.start, class_, scs, ps, _date(settle) if settle else None)
    from remit.project.api import subject_table, timing

    return subject_table(_pool(subject), scs, ps, timing(settle, delay))


def _print_table(frame: object, fmt: str) -> None:
    import pandas as pd

    assert isinstance(frame, pd.DataFrame)
    if fmt == "json":
        typer.echo(frame.to_json(orient="split", indent=2))
    elif fmt == "csv":
        typer.echo(frame.to_csv(), nl=False)
    else:
        typer.echo(frame.to_string(float_format=lambda x: f"{x:.4f}"))


def grid(
    deal_dirs: DealsOpt = None,
    pool: PoolOpt = None,
    lines: LinesOpt = None,
    tape: TapeOpt = None,
    db: DbOpt = None,
    collateral: CollateralOpt = False,
    scenario: ScenarioOpt = None,
    scenarios: ScenarioFileOpt = None,
    out: Annotated[Path, typer.Option("--out", help="directory to write")] = Path("grid"),
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="a Dask scheduler, tcp://HOST:PORT")
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", help="local worker processes (without --scheduler)")
    ] = 2,
    batch: Annotated[
        int | None,
        typer.Option(
            "--batch",
            help="scenarios per task (default: 250 for a deal, 200 for a pool; fewer for a "
            "large tape whose scenarios bring many index paths)",
        ),
    ] = None,
) -> None:
    """Run every (subject, scenario) pair through local processes or a Dask cluster.

    Streams, for pools, OUT/flows.parquet (subject, scenario, month and the pool's columns),
    for each deal OUT/DEAL.deal.parquet and OUT/DEAL.classes.parquet, and writes
    OUT/summary.parquet and OUT/summary.csv (one row per pair); a failed pair is reported
    with its subject and scenario (and in OUT/failures.csv), the rest complete (exit 1)."""
    from remit.cli.output import progress
    from remit.project.grid import dask_executor, local_executor, preload, run_grid

    if workers < 1 or (batch is not None and batch < 1):
        raise RemitError.one(CL, "--workers/--batch", f"{workers}/{batch}", "1 or more")
    subjects, scs = inputs_of(
        deal_dirs or [], pool, lines, tape, db, scenario, scenarios, collateral
    )
    ctx = dask_executor(scheduler) if scheduler else local_executor(workers, preload(subjects))
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
