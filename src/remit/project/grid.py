"""Grids: many (subject, scenario) pairs through a ``concurrent.futures.Executor``.

* Work is batched: one task projects one subject under a batch of scenarios (vectorised), so
  the per-task overhead (pickling, scheduling, a worker reading its subject once) does not
  dominate.
* The executor is local processes by default, or a Dask distributed cluster's
  (``Client(address).get_executor()``) when a scheduler address is given.
* Results stream to Parquet as tasks complete: for pools ``flows.parquet`` (subject,
  scenario, month and the pool's columns); for a deal ``DEAL.deal.parquet`` (the pool and
  the deal's figures by scenario and date) and ``DEAL.classes.parquet`` (each class's
  interest, principal, write-downs, cash and balance); each a Parquet dataset (a directory
  of parts, each task's encoded by the worker that ran it and, for local workers, written
  by it too; a Dask worker sends its bytes to the parent, which writes them;
  ``pandas.read_parquet`` reads it whole, in the order the tasks took the pairs: by
  subject, and the scenarios grouped by index path, :func:`grid_order`); and
  ``summary.parquet``/``summary.csv`` (one row per pair, in the order of the subjects and
  the scenarios as given: totals, WAL, for a deal each class's too). Neither the parent
  nor a worker imports pandas (:mod:`remit.project.columns`, :mod:`remit.arrowbuf`, also
  to read a tape): it would add its start-up to every run. The files are written into a
  staging folder and moved into place when the grid ends; a grid stopped by an error
  leaves what was there before.
* A failing scenario is reported with its subject and scenario (``failures.csv`` and the
  return value, in the summary's order); the others complete. A task that dies whole
  reports each of its pairs."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import (
    Executor,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    as_completed,
    wait,
)
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any

import numpy as np

from remit.arrowbuf import fixed
from remit.errors import RemitError
from remit.files import StagedFiles
from remit.project.columns import (
    Category,
    arrow,
    csv_text,
    from_rows,
    length,
    parquet_bytes,
    rows_table,
    table_and_csv,
)
from remit.project.memory import BATCH_TRIM_BYTES, keep_freed_memory
from remit.project.pool import POOL_COLUMNS, pool_columns, summaries
from remit.project.scenario import Scenario
from remit.project.subjects import GridSubject, Tabled

Progress = Callable[[int, int], None]
CONNECT_TIMEOUT = "10s"  # to reach a Dask scheduler
STOP_WAIT = 600.0  # seconds a stopped grid waits for its running local tasks


#: the codes of a dataset's categorical columns, one type in every part (pandas' narrowest
#: would make a part of one scenario int8 and one of 250 int16, which cannot be read as one)
INDEX = np.dtype(np.int32)


@dataclass(frozen=True)
class Failure:
    subject: str
    scenario: str
    error: str


@dataclass
class TaskResult:
    """A task's rows as Parquet files the worker encoded (name -> bytes: each a part of
    the dataset directory of that name; none once the worker wrote them itself), one
    summary row per scenario that completed (``done``: their places in the task's batch),
    the failures (of the others, in the batch's order); and the summary rows as the worker
    made them into an Arrow table and CSV lines (one a row, no header), so that the parent,
    at the end, only joins them (:func:`summary_files`)."""

    parts: list[tuple[str, bytes]]
    summaries: list[dict[str, object]]
    failures: list[Failure]
    count: int
    done: list[int] = field(default_factory=list)
    table: Any = None
    csv: list[str] = field(default_factory=list)

    def tabled(self) -> TaskResult:
        if self.summaries:
            self.table, self.csv = table_and_csv(from_rows(self.summaries))
        return self


def write_task(
    subject: GridSubject, scenarios: Sequence[Scenario], staging: Path, index: int
) -> TaskResult:
    """:func:`run_task`, its parts written by the worker itself into ``staging``
    (``staging/NAME/part-INDEX-J.parquet``, each number of nine digits), when it shares the
    parent's file system: the rows then do not travel through a pipe and the parent does
    not write them. Each part is written under a hidden name and renamed; a part that
    cannot be written fails the task whole, and the parent removes what it wrote
    (:func:`_discard`), as it does when the worker dies."""
    res = run_task(subject, scenarios)
    for j, (name, data) in enumerate(res.parts):
        _write_part(staging, name, part_name(index, j), data)
    res.parts = []
    return res


def _write_part(staging: Path, name: str, part: str, data: bytes) -> None:
    folder = staging / name
    folder.mkdir(exist_ok=True)
    hidden = folder / f".{part}.tmp"  # what reads a dataset skips a hidden file
    hidden.write_bytes(data)
    os.replace(hidden, folder / part)


def _discard(staging: Path, index: int) -> None:
    """Whatever the task ``index`` wrote (its parts, whole or not)."""
    for path in staging.glob(f"*/{part_name(index, '*')}"):
        path.unlink(missing_ok=True)
    for path in staging.glob(f"*/.{part_name(index, '*')}.tmp"):
        path.unlink(missing_ok=True)


def part_name(index: int, j: int | str) -> str:
    """A part's file name: by the task's place, not by when it ended, so that a dataset
    reads back in the order the tasks took the pairs (``j``: a part of the task's, or a
    pattern)."""
    return f"part-{index:09d}-{j if isinstance(j, str) else format(j, '09d')}.parquet"


@dataclass
class GridResult:
    pairs: int
    completed: int
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0
    files: list[Path] = field(default_factory=list)


def run_task(subject: GridSubject, scenarios: Sequence[Scenario]) -> TaskResult:
    """Project one subject under a batch of scenarios. If the batch fails, each scenario is
    run alone, so that only the failing ones are reported."""
    keep_freed_memory(BATCH_TRIM_BYTES)  # a worker runs batch after batch
    try:
        res = _frames(subject, scenarios)
        if len(res.summaries) != len(scenarios):  # a subject's own tables (Tabled)
            raise ValueError(
                f"{len(res.summaries)} summary rows for {len(scenarios)} scenarios (one each)"
            )
        res.done = list(range(len(scenarios)))
        return res.tabled()
    except Exception:
        if len(scenarios) == 1:
            return TaskResult([], [], [_failure(subject, scenarios[0])], 1)
    parts = [run_task(subject, [sc]) for sc in scenarios]
    return TaskResult(
        [x for p in parts for x in p.parts],
        [s for p in parts for s in p.summaries],
        [f for p in parts for f in p.failures],
        len(scenarios),
        [j for j, p in enumerate(parts) if p.summaries],
    ).tabled()


def _failure(subject: GridSubject, sc: Scenario) -> Failure:
    err = traceback.format_exc(limit=0).strip().splitlines()[-1]
    return Failure(subject.name, sc.name, err)


def _frames(subject: GridSubject, scenarios: Sequence[Scenario]) -> TaskResult:
    """The batch's rows, encoded here (in the worker)."""
    if isinstance(subject, Tabled):
        t = subject.tables(scenarios)
        encoded = [(name, parquet_bytes(arrow(cols, INDEX))) for name, cols in t.files.items()]
        return TaskResult(encoded, t.summaries, [], len(scenarios))
    flows = subject.project(scenarios)
    cols = pool_columns(flows)
    rows = np.zeros(length(cols), dtype=np.int64)
    named = {"subject": Category(rows, [subject.name], dictionary=False), **cols}
    sums: list[dict[str, object]] = [{"subject": subject.name, **x} for x in summaries(flows)]
    return TaskResult([("flows.parquet", parquet_bytes(arrow(named)))], sums, [], len(scenarios))


#: scenarios a task takes by default: a deal's (its rules cost the same a date for 1 or
#: 1,000 scenarios) and a pool's
DEAL_BATCH, POOL_BATCH = 250, 200
#: loans x index paths one task's loan-level schedule holds at most by default (some 4 MB an
#: array): a large tape whose scenarios bring many index paths gets smaller tasks
SCHEDULE_ELEMENTS = 500_000


def default_batch(subjects: Sequence[GridSubject], scenarios: Sequence[Scenario]) -> int:
    """Scenarios per task: :data:`DEAL_BATCH` for a deal, else :data:`POOL_BATCH`; fewer
    where a task's loans times its distinct index paths (the tasks take the scenarios in
    :func:`grid_order`) would pass :data:`SCHEDULE_ELEMENTS`."""
    size = DEAL_BATCH if any(isinstance(s, Tabled) for s in subjects) else POOL_BATCH
    # a subject says how many loans it projects (one that does not counts as one line)
    loans = max((int(getattr(s, "loans", 1)) for s in subjects), default=1)
    keys = [scenarios[i].index_key() for i in grid_order(scenarios)]
    paths = max((len(set(keys[r.start : r.stop])) for r in batches(len(keys), size)), default=1)
    if loans * paths > SCHEDULE_ELEMENTS:
        size = max(1, SCHEDULE_ELEMENTS // max(loans, 1))
    return size


def grid_order(scenarios: Sequence[Scenario]) -> list[int]:
    """The scenarios' places in the order the tasks take them: grouped by index path (each
    path where it first appears; within one, the given order). A task then schedules the
    loans on few paths, where taken in the given order each task of a grid whose index
    shock varies fastest would schedule them on every path. Without index paths (or with
    one), the given order."""
    rank: dict[object, int] = {}
    path = [rank.setdefault(sc.index_key(), len(rank)) for sc in scenarios]
    return sorted(range(len(scenarios)), key=path.__getitem__)


def batches(n: int, size: int) -> list[range]:
    return [range(a, min(a + size, n)) for a in range(0, n, size)]


def _ready() -> int:
    return os.getpid()


#: what a task imports (and the parent, to write the summary): imported before the workers
#: start, so that each starts with them, instead of each importing them on its first task;
#: a deal's task also the deal's projection (not imported for pools: it costs 0.1 s)
PRELOAD = ("pyarrow.parquet",)
DEAL_PRELOAD = ("remit.project.deal.projection", "remit.project.deal.outputs")


def preload(subjects: Sequence[GridSubject]) -> tuple[str, ...]:
    """The modules the tasks of ``subjects`` import."""
    deal = any(isinstance(s, Tabled) for s in subjects)
    return PRELOAD + DEAL_PRELOAD if deal else PRELOAD


@contextmanager
def local_executor(workers: int, modules: Sequence[str] = PRELOAD) -> Iterator[Executor]:
    """Local worker processes, forked from this one once it has read its subjects (so that
    each worker starts with them loaded) and before any other thread starts (the progress
    bar's): a no-op task per worker starts them all at once. A process that already runs
    other threads (forking it could copy a lock some thread holds) starts its workers from a
    fork server instead; they then read their subjects once each. ``modules`` are imported
    first (:func:`preload`)."""
    import importlib
    import multiprocessing
    import threading

    ctx: BaseContext
    if threading.active_count() == 1:
        for name in modules:
            importlib.import_module(name)
        ctx = multiprocessing.get_context("fork")
    else:
        server = multiprocessing.get_context("forkserver")
        server.set_forkserver_preload(["remit.project.grid", *modules])
        ctx = server
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as ex:
        for f in [ex.submit(_ready) for _ in range(workers)]:
            f.result()
        yield ex


@contextmanager
def dask_executor(address: str) -> Iterator[Executor]:
    """The executor of a Dask distributed cluster at ``address`` (``tcp://HOST:PORT``)."""
    from distributed import Client

    try:
        client = Client(address, timeout=CONNECT_TIMEOUT)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as exc:
        raise RemitError.one(
            "(command line)", "--scheduler", address, f"a reachable Dask scheduler ({exc})"
        ) from None
    try:
        # not pure: a task run again (a grid re-run after one stopped) is a new task, not
        # the cancelled one of the same key
        yield client.get_executor(pure=False)  # type: ignore[no-untyped-call]
    finally:
        client.close()  # type: ignore[no-untyped-call]


def run_grid(
    subjects: Sequence[GridSubject],
    scenarios: Sequence[Scenario],
    out_dir: Path,
    executor: Executor,
    batch: int | None = None,
    progress: Progress | None = None,
) -> GridResult:
    """Every (subject, scenario) pair, batched (``batch`` scenarios a task, by default
    :func:`default_batch`'s), streamed to ``out_dir``."""
    t0 = time.perf_counter()
    for s in subjects:
        s.check()
    if batch is None:
        batch = default_batch(subjects, scenarios)
    out_dir.mkdir(parents=True, exist_ok=True)
    # a folder of its own for the datasets (never a name planted there), moved into place
    # at the end; a local worker writes its parts there itself
    staging = Path(tempfile.mkdtemp(dir=out_dir, prefix=".grid."))
    try:
        return _run(subjects, scenarios, out_dir, staging, executor, batch, progress, t0)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _run(
    subjects: Sequence[GridSubject],
    scenarios: Sequence[Scenario],
    out_dir: Path,
    staging: Path,
    executor: Executor,
    batch: int,
    progress: Progress | None,
    t0: float,
) -> GridResult:
    local = isinstance(executor, ProcessPoolExecutor | ThreadPoolExecutor)
    tasks: dict[Future[TaskResult], Task] = {}
    order = grid_order(scenarios)
    try:
        for s, subject in enumerate(subjects):
            for r in batches(len(order), max(batch, 1)):
                # each pair's place in the summary: by subject, then the scenarios' order
                places = [s * len(scenarios) + order[i] for i in r]
                chunk = [scenarios[order[i]] for i in r]
                index = len(tasks)
                fut = (
                    executor.submit(write_task, subject, chunk, staging, index)
                    if local
                    else executor.submit(run_task, subject, chunk)
                )
                tasks[fut] = Task(index, subject, chunk, places)
        return _collect(subjects, scenarios, out_dir, staging, tasks, progress, t0)
    except BaseException:
        # stopped (an error, Ctrl-C): no local task may go on writing into the staging
        # folder once it is removed -- those not started are cancelled (a cancelled one
        # never runs), those running awaited. A Dask task writes nothing there, and its
        # cancelled futures are never marked done: they are not awaited
        running = [fut for fut in tasks if not fut.cancel()]
        if local:
            wait(running, timeout=STOP_WAIT)
        raise


@dataclass(frozen=True)
class Task:
    """A task as submitted: its place (its parts' names), subject, batch of scenarios, and
    each pair's place in the summary."""

    index: int
    subject: GridSubject
    chunk: list[Scenario]
    places: list[int]


def _collect(
    subjects: Sequence[GridSubject],
    scenarios: Sequence[Scenario],
    out_dir: Path,
    staging: Path,
    tasks: dict[Future[TaskResult], Task],
    progress: Progress | None,
    t0: float,
) -> GridResult:
    total = len(subjects) * len(scenarios)
    result = GridResult(total, 0)
    finished: dict[int, TaskResult] = {}
    places: dict[int, list[int]] = {}
    done = 0
    for fut in as_completed(tasks):
        task = tasks[fut]
        index, subject, chunk = task.index, task.subject, task.chunk
        try:
            part = fut.result()
        except Exception as exc:  # the task died whole (a worker lost, a part not written)
            fails = [Failure(subject.name, sc.name, f"{type(exc).__name__}: {exc}") for sc in chunk]
            part = TaskResult([], [], fails, len(chunk))
            _discard(staging, index)
        for j, (name, data) in enumerate(part.parts):
            _write_part(staging, name, part_name(index, j), data)
        part.parts = []
        finished[index] = part
        places[index] = task.places
        result.completed += len(part.summaries)
        done += part.count
        if progress:
            progress(done, total)
    in_order = [finished[i] for i in sorted(finished)]
    result.failures = _by_place(finished, places)
    for index in (i for i, t in finished.items() if t.failures and not t.summaries):
        _discard(staging, index)  # again: a worker stopped with a broken pool may still
        # have renamed a part of a task reported failed after its first discard
    # a dataset whose every task failed has a folder but no part: it replaces nothing
    written = [d for d in sorted(staging.iterdir()) if any(d.glob("part-*.parquet"))]
    rows = _rows_places(finished, places)
    result.files = _finish(out_dir, written, in_order, rows, result.failures)
    result.seconds = time.perf_counter() - t0
    return result


def _rows_places(finished: dict[int, TaskResult], places: dict[int, list[int]]) -> list[int]:
    """The summary places of the tasks' summary rows, the tasks taken in order."""
    return [places[i][j] for i in sorted(finished) for j in finished[i].done]


def _by_place(finished: dict[int, TaskResult], places: dict[int, list[int]]) -> list[Failure]:
    """The tasks' failures in the order of the subjects and the scenarios: each task's are
    those of its pairs without a summary row, in the order of its batch."""
    placed: list[tuple[int, Failure]] = []
    for i, t in finished.items():
        done = set(t.done)
        failed = [p for j, p in enumerate(places[i]) if j not in done]
        placed.extend(zip(failed, t.failures, strict=True))
    return [f for _, f in sorted(placed, key=lambda x: x[0])]


def _finish(
    out_dir: Path,
    written: list[Path],
    tasks: list[TaskResult],
    rows: list[int],
    fails: list[Failure],
) -> list[Path]:
    """The summaries and failures written to temporaries first (a full disk stops the grid
    there, with nothing replaced), then each dataset folder moved into place (replacing
    what a run before left there: a folder, a file, or a link -- the link itself, never
    what it points to), then the temporaries renamed into place."""
    rest: dict[str, str | bytes] = summary_files(tasks, rows)
    if fails:
        rest["failures.csv"] = csv_text(from_rows([x.__dict__ for x in fails]))
    staged = StagedFiles(out_dir, rest)  # written before anything is replaced
    files = []
    try:
        for folder in written:
            final = out_dir / folder.name
            if final.is_symlink() or final.is_file():
                final.unlink()
            elif final.is_dir():  # what a grid run before wrote there
                shutil.rmtree(final)
            os.replace(folder, final)
            files.append(final)
    except BaseException:
        staged.abort()
        raise
    staged.commit()
    return files + staged.paths


def summary_files(tasks: list[TaskResult], places: Sequence[int]) -> dict[str, str | bytes]:
    """``summary.parquet`` and ``summary.csv``: the tasks' rows, each put at its place in
    ``places`` (one per row, the tasks taken in turn: the order of the subjects and the
    scenarios), their tables and CSV lines joined when the tasks agree in columns and types
    (a grid of one deal, or of pools); else made again from all the rows (subjects with
    different columns: their union, a missing value empty)."""
    tabled = [t for t in tasks if t.summaries]
    if not tabled:
        return {}
    order = np.argsort(np.asarray(places, dtype=np.int64), kind="stable")
    first = tabled[0].table.schema
    if all(t.table.schema.equals(first) for t in tabled):
        import pyarrow as pa  # type: ignore[import-untyped]

        table = pa.concat_tables([t.table for t in tabled]).take(fixed(order))
        lines = [line for t in tabled for line in t.csv]
        head = csv_text({name: [] for name in first.names})
        return {
            "summary.parquet": parquet_bytes(table),
            "summary.csv": head + "".join(lines[i] for i in order),
        }
    rows = [row for t in tabled for row in t.summaries]
    cols = from_rows([rows[i] for i in order])
    return {"summary.parquet": parquet_bytes(rows_table(cols)), "summary.csv": csv_text(cols)}


__all__ = [
    "POOL_COLUMNS",
    "GridResult",
    "dask_executor",
    "default_batch",
    "local_executor",
    "preload",
    "run_grid",
]
