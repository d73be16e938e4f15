"""What is projected: a *subject*. The unit of work of a projection or a grid is a (subject,
scenario) pair, and a subject is anything that turns scenarios into cash flows:

* :class:`PoolSubject` - a pool typed inline (``--pool``), a TOML of rep lines (``--lines``)
  or a loan tape (with its deal directory): the collateral alone;
* :class:`DealSubject` - a deal run through its own waterfall from its starting point
  (:class:`remit.project.deal.start.Start`: the state, the collateral, the fee rates).

Pool subjects are small, picklable descriptions (text and paths); :meth:`PoolSubject.load`
reads the collateral once per process, so a grid's workers read a tape once, not once per
task. A deal subject carries its starting point, read once by the process that makes it.

A grid asks a subject for its ``tables`` (:class:`Tables`: Parquet file name -> rows, and a
summary row per scenario); a subject without them has its pool's rows written."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, runtime_checkable

from remit.project.collateral import Collateral, load_lines, parse_pool
from remit.project.engine import CollateralFlows, Schedules, project_collateral
from remit.project.scenario import Scenario

if TYPE_CHECKING:
    from remit.project.columns import Columns
    from remit.project.deal.projection import DealProjection
    from remit.project.deal.start import Start

_loaded: dict[object, Collateral] = {}
#: the schedules by index path of the subject a worker projects, kept between its batches
#: (a grid's tasks come subject by subject; another subject's loans empty it)
_schedules = Schedules()
#: the kinds of subject whose loans are read here, once, and never change
_READ = ("pool", "lines", "tape")


class Tables(NamedTuple):
    """A batch's rows: Parquet file name -> columns (with ``subject`` and ``scenario``),
    and one summary row per scenario."""

    files: dict[str, Columns]
    summaries: list[dict[str, object]]


class Subject(Protocol):
    """Anything a grid can project: a name and ``scenarios -> flows``."""

    @property
    def name(self) -> str: ...

    def check(self) -> None:
        """Read the subject's inputs and raise a RemitError if anything is wrong."""

    def project(self, scenarios: Sequence[Scenario]) -> CollateralFlows: ...


@runtime_checkable
class Tabled(Protocol):
    """A subject that makes its own rows for a grid."""

    @property
    def name(self) -> str: ...

    def check(self) -> None: ...

    def tables(self, scenarios: Sequence[Scenario]) -> Tables: ...


GridSubject = Subject | Tabled


@dataclass(frozen=True)
class PoolSubject:
    """Collateral from ``kind`` = ``pool`` (inline text), ``lines`` (a TOML file) or ``tape``
    (a tape directory, with ``deal`` its deal directory)."""

    kind: str
    source: str
    deal: str = ""
    label: str = ""

    @property
    def name(self) -> str:
        return self.label or (self.source if self.kind != "pool" else f"pool {self.source}")

    def load(self) -> Collateral:
        key = (self.kind, self.source, self.deal)
        if key not in _loaded:
            _loaded[key] = self._read()
        return _loaded[key]

    def _read(self) -> Collateral:
        if self.kind == "pool":
            return parse_pool(self.source)
        if self.kind == "lines":
            return load_lines(Path(self.source))
        from remit.project.tape import from_tape
        from remit.spec.load import load_deal_spec  # not remit.api: it imports the close

        return from_tape(load_deal_spec(Path(self.deal)), Path(self.source))

    def check(self) -> None:
        self.load()

    @property
    def loans(self) -> int:
        """Loans or rep lines projected."""
        return self.load().n

    def project(self, scenarios: Sequence[Scenario]) -> CollateralFlows:
        kept = _schedules if self.kind in _READ else None
        return project_collateral(self.load(), scenarios, kept)


def pool(text: str) -> PoolSubject:
    return PoolSubject("pool", text)


def lines(path: Path) -> PoolSubject:
    return PoolSubject("lines", str(path))


def tape(deal_dir: Path, tape_dir: Path) -> PoolSubject:
    return PoolSubject("tape", str(tape_dir), str(deal_dir), f"{deal_dir.name} tape {tape_dir}")


#: Columns of the class rows a grid writes (the full set is in ``remit project``'s files).
GRID_CLASS_FIELDS = ("interest", "principal", "writedown", "cash", "ending_balance")


@dataclass(frozen=True)
class DealSubject:
    """A deal through its own waterfall, from ``start``."""

    start: Start
    label: str = ""

    @property
    def name(self) -> str:
        return self.label or self.start.deal_id

    def check(self) -> None:
        pass

    @property
    def loans(self) -> int:
        """Loans or rep lines projected."""
        return self.start.collateral.n

    def project(self, scenarios: Sequence[Scenario]) -> DealProjection:
        from remit.project.deal.projection import project_deal

        return project_deal(self.start, scenarios)

    def tables(self, scenarios: Sequence[Scenario]) -> Tables:
        import numpy as np

        from remit.project.columns import Category, length
        from remit.project.deal.outputs import class_columns, deal_columns, flat_summary

        p = self.project(scenarios)
        deal, classes = deal_columns(p), class_columns(p, GRID_CLASS_FIELDS)
        deal, classes = (
            {"subject": Category(np.zeros(length(c), dtype=np.int64), [self.name]), **c}
            for c in (deal, classes)
        )
        key = _file_key(self.name)
        rows: list[dict[str, Any]] = [
            {"subject": self.name, **flat_summary(p, s)} for s in range(len(scenarios))
        ]
        return Tables({f"{key}.deal.parquet": deal, f"{key}.classes.parquet": classes}, rows)


def _file_key(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)
