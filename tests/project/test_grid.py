"""remit grid: batched (subject, scenario) pairs through local processes and a real Dask
LocalCluster started here (in-process workers, loopback, ports chosen by the system)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from remit.cli import app
from remit.project import subjects
from remit.project.engine import CollateralFlows
from remit.project.grid import dask_executor, local_executor, run_grid
from remit.project.scenario import Scenario, load_scenarios, parse_scenario

ROOT = Path(__file__).resolve().parents[2]
POOL = "balance=100000000,wac=6.0,net=5.5,term=360,remaining=360,age=0"
GRID = """
[grid]
psa = [50, 100, 200, 400]
sda = [0, 100, 300]
severity = 35
lag = 6
"""


@contextmanager
def local_cluster(*, processes: bool, threads: int) -> Iterator[str]:
    """A Dask LocalCluster of one worker on loopback (any free port, no dashboard); yields
    its scheduler's address."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=1,
        threads_per_worker=threads,
        processes=processes,
        protocol="tcp",
        host="127.0.0.1",
        scheduler_port=0,
        dashboard_address=None,
    ) as cluster:
        yield cluster.scheduler_address


@pytest.fixture
def scheduler() -> Iterator[str]:
    with local_cluster(processes=False, threads=2) as address:
        yield address


@pytest.fixture
def grid_file(tmp_path: Path) -> Path:
    f = tmp_path / "grid.toml"
    f.write_text(GRID)
    return f


def test_grid_on_a_dask_cluster(scheduler: str, grid_file: Path, tmp_path: Path) -> None:
    scs = load_scenarios(grid_file)
    assert len(scs) == 12
    seen: list[tuple[int, int]] = []
    with dask_executor(scheduler) as ex:
        res = run_grid(
            [subjects.pool(POOL)],
            scs,
            tmp_path / "g",
            ex,
            batch=5,
            progress=lambda d, t: seen.append((d, t)),
        )
    assert res.completed == 12 and not res.failures
    assert seen[-1] == (12, 12) and len(seen) == 3  # three batches: 5, 5, 2
    flows = pd.read_parquet(tmp_path / "g" / "flows.parquet")
    summary = pd.read_parquet(tmp_path / "g" / "summary.parquet")
    assert len(summary) == 12 and set(flows["scenario"]) == {s.name for s in scs}
    assert "psa=400,sda=300,severity=35,lag=6" in set(summary["scenario"])
    # the same numbers as one projection of all twelve
    direct = subjects.pool(POOL).project(scs)
    for s, sc in enumerate(scs):
        got = flows[flows["scenario"] == sc.name]["prepayment"].to_numpy()
        assert got.tolist() == direct.total("prepayment")[s][: got.size].tolist()


def test_grid_command_with_a_scheduler(scheduler: str, grid_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "cli"
    res = CliRunner().invoke(
        app,
        [
            "grid",
            "--pool",
            POOL,
            "--scenarios",
            str(grid_file),
            "--out",
            str(out),
            "--scheduler",
            scheduler,
            "--batch",
            "4",
        ],
    )
    assert res.exit_code == 0, res.output
    assert "12 of 12 pairs" in res.stderr
    assert len(pd.read_csv(out / "summary.csv")) == 12


@dataclass(frozen=True)
class Fragile:
    """A subject that fails on the scenario named 'boom' (a subject is pluggable)."""

    name: str = "fragile pool"

    def check(self) -> None:
        pass

    def project(self, scenarios: Sequence[Scenario]) -> CollateralFlows:
        if any(s.name == "boom" for s in scenarios):
            raise ValueError("cannot project boom")
        return subjects.pool(POOL).project(scenarios)


def test_a_failed_pair_is_reported_and_the_rest_complete(scheduler: str, tmp_path: Path) -> None:
    scs = [parse_scenario(f"psa={p}") for p in (100, 200)]
    scs.insert(1, parse_scenario("psa=300,name=boom"))
    with dask_executor(scheduler) as ex:
        res = run_grid([Fragile(), subjects.pool(POOL)], scs, tmp_path / "f", ex, batch=3)
    assert res.pairs == 6 and res.completed == 5
    [fail] = res.failures
    assert (fail.subject, fail.scenario) == ("fragile pool", "boom")
    assert "cannot project boom" in fail.error
    failures = pd.read_csv(tmp_path / "f" / "failures.csv")
    assert failures.to_dict("records")[0]["scenario"] == "boom"


def test_grid_on_local_processes(grid_file: Path, tmp_path: Path) -> None:
    scs = load_scenarios(grid_file)
    with local_executor(2) as ex:
        res = run_grid([subjects.pool(POOL)], scs, tmp_path / "p", ex, batch=4)
    assert res.completed == 12 and not res.failures
    assert len(pd.read_parquet(tmp_path / "p" / "flows.parquet")) == 12 * 360


def test_unreachable_scheduler_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    from remit.project import grid

    monkeypatch.setattr(grid, "CONNECT_TIMEOUT", "1s")
    with socket.socket() as s:  # a free loopback port that nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    res = CliRunner().invoke(
        app,
        [
            "grid",
            "--pool",
            POOL,
            "--scenario",
            "psa=100",
            "--out",
            str(tmp_path / "x"),
            "--scheduler",
            f"tcp://127.0.0.1:{port}",
        ],
    )
    assert res.exit_code == 2
    assert "--scheduler" in res.stderr


def test_grid_on_a_cluster_of_worker_processes(tmp_path: Path) -> None:
    """Workers in processes of their own: the subjects and scenarios are pickled across a
    process boundary (the deal's spec, state and rules among them) and the rows come back."""
    from remit.project.deal.start import deal_start

    deal = Path(__file__).resolve().parents[2] / "examples" / "thornburg-2003-2"
    subject = subjects.DealSubject(deal_start(deal))
    scs = [parse_scenario(f"psa={p},sda=100,severity=35,lag=12") for p in (100, 300)]
    with (
        local_cluster(processes=True, threads=1) as address,
        dask_executor(address) as ex,
    ):
        res = run_grid([subject], scs, tmp_path / "g", ex, batch=1)
    assert res.completed == 2 and not res.failures
    summary = pd.read_parquet(tmp_path / "g" / "summary.parquet")
    local = subject.project(scs)
    wal = summary.set_index("scenario")
    for s, sc in enumerate(scs):  # the same figures as in this process
        assert wal.loc[sc.name, "A:principal"] == pytest.approx(
            float(local.class_field("A", "principal")[s].sum()), abs=0.005
        )


class Sized:
    """A pool subject of ``loans`` loans (only its size matters here)."""

    name = "sized"

    def __init__(self, loans: int) -> None:
        self.loans = loans


def test_default_batch_keeps_a_tasks_schedule_small() -> None:
    """250 scenarios a task for a deal, 200 for a pool; a tape whose task would hold more
    than 500,000 loans x distinct index paths gets fewer scenarios a task."""
    from remit.project.deal.start import deal_start
    from remit.project.grid import default_batch

    shared = [parse_scenario(f"psa={p},shock={s}") for p in (100, 200) for s in (0, 100)]
    own = [parse_scenario(f"psa=100,shock={s}") for s in range(300)]
    deal = subjects.DealSubject(deal_start(ROOT / "examples" / "thornburg-2003-2"))
    assert default_batch([deal], own) == 250
    assert default_batch([subjects.pool(POOL)], own) == 200
    assert default_batch([Sized(10_000)], shared) == 200  # 4 paths: 40,000
    assert default_batch([Sized(10_000)], own) == 50  # 200 paths would be 2,000,000
    assert default_batch([Sized(1_000_000)], own) == 1
    assert default_batch([Fragile()], own) == 200  # a subject that does not say: one line


def test_rows_come_in_the_order_of_the_subjects_and_scenarios(tmp_path: Path) -> None:
    """Tasks end in any order; the summary's rows and each dataset's parts are in the
    order of the subjects and scenarios all the same."""
    scs = [parse_scenario(f"psa={p}") for p in (500, 100, 300, 200, 400, 50)]
    pools = [subjects.pool(POOL), subjects.pool(POOL.replace("wac=6.0", "wac=7.0"))]
    with local_executor(2) as ex:
        res = run_grid(pools, scs, tmp_path / "o", ex, batch=1)
    assert res.completed == 12
    expected = [(p.name, sc.name) for p in pools for sc in scs]
    summary = pd.read_parquet(tmp_path / "o" / "summary.parquet")
    assert list(zip(summary["subject"], summary["scenario"], strict=True)) == expected
    csv = pd.read_csv(tmp_path / "o" / "summary.csv")
    assert list(zip(csv["subject"], csv["scenario"], strict=True)) == expected
    flows = pd.read_parquet(tmp_path / "o" / "flows.parquet")
    pairs = list(dict.fromkeys(zip(flows["subject"], flows["scenario"], strict=True)))
    assert pairs == expected
    assert not [p for p in (tmp_path / "o").iterdir() if p.name.startswith(".")]


@dataclass(frozen=True)
class Recording:
    """A pool that records each batch's distinct index paths (in a file: the tasks run in
    worker processes) and fails on the scenarios named 'boom'."""

    log: str
    name: str = "recording pool"

    def check(self) -> None:
        pass

    def project(self, scenarios: Sequence[Scenario]) -> CollateralFlows:
        with open(self.log, "a") as f:
            f.write(f"{len({s.index_key() for s in scenarios})}\n")
        if any(s.name.startswith("boom") for s in scenarios):
            raise ValueError("cannot project boom")
        return subjects.pool(POOL).project(scenarios)


def test_tasks_take_the_scenarios_grouped_by_index_path(tmp_path: Path) -> None:
    """A grid whose index shock varies fastest: each task schedules the loans on one path
    (not on all three), the datasets hold the pairs as the tasks took them, and the summary
    and the failures are in the order of the subjects and the scenarios all the same."""
    from remit.project.grid import grid_order

    scs = [
        parse_scenario(f"psa={p},shock={k}" + (",name=boom" + str(k) if p == 300 else ""))
        for p in (100, 200, 300, 400)
        for k in (-50, 0, 50)
    ]
    assert grid_order(scs) == [0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11]
    assert grid_order(scs[:1] * 3) == [0, 1, 2]  # one path: the order given
    log = tmp_path / "paths.log"
    pools = [Recording(str(log)), subjects.pool(POOL)]
    with local_executor(2) as ex:
        res = run_grid(pools, scs, tmp_path / "o", ex, batch=4)
    first = [int(x) for x in log.read_text().split()]
    # each batch of 4 holds one path; a batch with 'boom' fails and its 4 run one by one
    assert first and set(first) == {1}
    assert res.completed == 24 - 3
    names = [sc.name for sc in scs]
    assert [(f.subject, f.scenario) for f in res.failures] == [
        ("recording pool", n) for n in names if n.startswith("boom")
    ]
    failures = pd.read_csv(tmp_path / "o" / "failures.csv")
    assert list(failures["scenario"]) == [n for n in names if n.startswith("boom")]
    expected = [(p.name, n) for p in pools for n in names if not (p is pools[0] and "boom" in n)]
    for f in ("summary.parquet", "summary.csv"):
        t = (
            pd.read_parquet(tmp_path / "o" / f)
            if f.endswith("parquet")
            else pd.read_csv(tmp_path / "o" / f)
        )
        assert list(zip(t["subject"], t["scenario"], strict=True)) == expected
    flows = pd.read_parquet(tmp_path / "o" / "flows.parquet")
    pairs = list(dict.fromkeys(zip(flows["subject"], flows["scenario"], strict=True)))
    grouped = [names[i] for i in grid_order(scs)]
    assert pairs == [(p.name, n) for p in pools for n in grouped if (p.name, n) in expected]


@dataclass(frozen=True)
class Unwritable:
    """A subject that writes a second file, ``full``, for the scenario named 'bad'."""

    name: str = "unwritable"

    def check(self) -> None:
        pass

    def tables(self, scenarios: Sequence[Scenario]) -> subjects.Tables:
        import numpy as np

        from remit.project.columns import category

        cols = {"scenario": category([s.name for s in scenarios]), "x": np.ones(len(scenarios))}
        names = (
            ["ok.parquet", "full"] if any(s.name == "bad" for s in scenarios) else ["ok.parquet"]
        )
        return subjects.Tables({n: cols for n in names}, [{"scenario": s.name} for s in scenarios])


def test_a_part_the_worker_cannot_write_fails_its_task_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A local worker writes its parts itself: when one cannot be written (the disk full),
    the task fails whole, its pairs are reported, and the part it did write is removed."""
    from concurrent.futures import ThreadPoolExecutor

    from remit.project import grid

    staged: list[Path] = []
    real = grid._write_part

    def write(staging: Path, name: str, part: str, data: bytes) -> None:
        if name == "full":
            raise OSError(28, "No space left on device")
        staged.append(staging)
        real(staging, name, part, data)

    monkeypatch.setattr(grid, "_write_part", write)
    scs = [parse_scenario("psa=100"), parse_scenario("psa=200,name=bad")]
    with ThreadPoolExecutor(1) as ex:
        res = run_grid([Unwritable()], scs, tmp_path / "o", ex, batch=1)
    assert res.completed == 1
    [fail] = res.failures
    assert fail.scenario == "bad" and "No space left on device" in fail.error
    ok = pd.read_parquet(tmp_path / "o" / "ok.parquet")
    assert ok["scenario"].astype(str).tolist() == ["psa=100"]  # the failed task's part is gone
    assert not staged[0].exists()  # the staging folder is removed


def test_a_deals_dataset_reads_whole_when_its_parts_hold_few_and_many_scenarios(
    tmp_path: Path,
) -> None:
    """A part of 128 scenarios and one of 2: pandas' narrowest codes would be 16 bits in one
    and 8 in the other, and the dataset could not be read as one; a grid writes 32 bits."""
    from concurrent.futures import ThreadPoolExecutor

    from remit.project.deal.start import deal_start

    deal = subjects.DealSubject(deal_start(ROOT / "examples" / "thornburg-2003-2"))
    scs = [parse_scenario(f"psa={50 + i}") for i in range(130)]
    with ThreadPoolExecutor(2) as ex:
        res = run_grid([deal], scs, tmp_path / "d", ex, batch=128)
    assert res.completed == 130
    rows = pd.read_parquet(tmp_path / "d" / "tmst-2003-2.deal.parquet")
    assert list(dict.fromkeys(rows["scenario"].astype(str))) == [s.name for s in scs]


def test_a_grid_stopped_by_an_error_leaves_what_was_there(tmp_path: Path) -> None:
    """The progress callback raises half way: the tasks still queued are cancelled, those
    running awaited, the staging folder removed; the last run's files are untouched."""
    from concurrent.futures import ThreadPoolExecutor

    out = tmp_path / "o"
    scs = [parse_scenario(f"psa={50 + 10 * i}") for i in range(40)]
    with ThreadPoolExecutor(2) as ex:
        run_grid([subjects.pool(POOL)], scs[:2], out, ex, batch=1)
    before = sorted(p.relative_to(out) for p in out.rglob("*"))

    def stop(done: int, total: int) -> None:
        if done == 3:
            raise KeyboardInterrupt

    with ThreadPoolExecutor(2) as ex, pytest.raises(KeyboardInterrupt):
        run_grid([subjects.pool(POOL)], scs, out, ex, batch=1, progress=stop)
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert len(pd.read_parquet(out / "summary.parquet")) == 2


def test_a_dataset_whose_every_part_failed_replaces_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every part of ``full`` fails to be written (after its folder was made): the run
    before's ``full`` stays, and the run does not list it as written."""
    from concurrent.futures import ThreadPoolExecutor

    from remit.project import grid

    out = tmp_path / "o"
    bad = [parse_scenario("psa=100,name=bad")]
    with ThreadPoolExecutor(1) as ex:
        first = run_grid([Unwritable()], bad, out, ex, batch=1)
    assert not first.failures and (out / "full").is_dir()
    real = grid._write_part

    def write(staging: Path, name: str, part: str, data: bytes) -> None:
        if name == "full":
            (staging / name).mkdir(exist_ok=True)
            raise OSError(28, "No space left on device")
        real(staging, name, part, data)

    monkeypatch.setattr(grid, "_write_part", write)
    with ThreadPoolExecutor(1) as ex:
        second = run_grid([Unwritable()], bad, out, ex, batch=1)
    assert [f.scenario for f in second.failures] == ["bad"]
    assert out / "full" not in second.files
    assert len(pd.read_parquet(out / "full")) == 1  # the first run's


def test_the_summary_joins_the_tasks_tables_as_if_made_from_all_rows() -> None:
    """Each task makes its summary rows a table and CSV lines; joined, each row put at its
    place, they are the files made from every row at once in that order -- also when the
    tasks' columns differ (then made so)."""
    import io

    import pyarrow.parquet as pq

    from remit.project.columns import csv_text, from_rows, parquet_bytes, rows_table
    from remit.project.grid import TaskResult, summary_files

    a = [{"subject": "d", "scenario": f"psa={p}", "months": 360, "wal": p / 7} for p in (1, 2)]
    b = [{"subject": "d", "scenario": "x,y", "months": 12, "wal": float("nan")}]
    c = [{"subject": "e", "scenario": "z", "months": 3, "other": 1.5}]
    for groups in ([a, b], [a, c, b]):
        tasks = [TaskResult([], rows, [], len(rows)).tabled() for rows in groups]
        tasks.insert(1, TaskResult([], [], [], 1))  # a task whose pairs all failed
        rows = [r for g in groups for r in g]
        for places in (list(range(len(rows))), [3, 0, 2, 1][: len(rows)]):
            files = summary_files(tasks, places)
            # each row at its place
            every = from_rows([rows[places.index(k)] for k in sorted(places)])
            assert files["summary.csv"] == csv_text(every)
            got = pq.read_table(io.BytesIO(files["summary.parquet"]))
            assert got.equals(pq.read_table(io.BytesIO(parquet_bytes(rows_table(every)))))
    assert summary_files([TaskResult([], [], [], 1)], []) == {}


def test_a_grid_stopped_on_a_dask_cluster_returns_and_a_rerun_completes(
    scheduler: str, tmp_path: Path
) -> None:
    """Dask's cancelled futures are never marked done: a stopped grid must not wait for
    them; and the same tasks submitted again are new tasks, not the cancelled ones."""
    scs = [parse_scenario(f"psa={50 + 10 * i}") for i in range(24)]

    def stop(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with dask_executor(scheduler) as ex:
        with pytest.raises(KeyboardInterrupt):
            run_grid([subjects.pool(POOL)], scs, tmp_path / "o", ex, batch=1, progress=stop)
        assert not list((tmp_path / "o").iterdir())  # nothing left, not even staging
        res = run_grid([subjects.pool(POOL)], scs, tmp_path / "o", ex, batch=1)
    assert res.completed == 24 and not res.failures


def test_a_full_disk_at_the_end_replaces_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The summary cannot be written (the disk full): the last run's datasets and summary
    are left as they were, not this run's datasets beside the last run's summary."""
    from concurrent.futures import ThreadPoolExecutor

    from remit.errors import RemitError
    from remit.project import grid

    out = tmp_path / "o"
    with ThreadPoolExecutor(2) as ex:
        run_grid([subjects.pool(POOL)], [parse_scenario("psa=100")], out, ex, batch=1)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    class Full:
        def __init__(self, directory: Path, files: object) -> None:
            raise RemitError.one(str(directory), "", "(write)", "room on the disk")

    monkeypatch.setattr(grid, "StagedFiles", Full)
    scs = [parse_scenario("psa=200"), parse_scenario("psa=300")]
    with ThreadPoolExecutor(2) as ex, pytest.raises(RemitError):
        run_grid([subjects.pool(POOL)], scs, out, ex, batch=1)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


@dataclass(frozen=True)
class Rowless(Unwritable):
    """A subject of its own tables that makes no summary row for a scenario named 'quiet'."""

    name: str = "rowless"

    def tables(self, scenarios: Sequence[Scenario]) -> subjects.Tables:
        t = super().tables(scenarios)
        return subjects.Tables(t.files, [r for r in t.summaries if r["scenario"] != "quiet"])


def test_a_subject_owing_a_summary_row_fails_that_scenario(tmp_path: Path) -> None:
    """Each scenario has its summary row, at its place: a subject's own tables that leave
    one out fail that scenario (reported), not the grid's end."""
    from concurrent.futures import ThreadPoolExecutor

    scs = [parse_scenario(f"psa={p}" + (",name=quiet" if p == 200 else "")) for p in (1, 200, 3)]
    with ThreadPoolExecutor(1) as ex:
        res = run_grid([Rowless()], scs, tmp_path / "o", ex, batch=3)
    assert [f.scenario for f in res.failures] == ["quiet"]
    assert "summary rows for 1 scenarios" in res.failures[0].error
    summary = pd.read_csv(tmp_path / "o" / "summary.csv")
    assert list(summary["scenario"]) == ["psa=1", "psa=3"]
