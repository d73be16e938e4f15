"""What is projected: a *subject*. The unit of work of a projection or a grid is a (subject,
scenario) pair, and a subject is anything that turns scenarios into cash flows:

* :class:`PoolSubject` - a pool typed inline (``--pool``), a TOML of rep lines (``--lines``)
  or a loan tape (``--tape`` with its deal directory);
* later, a deal directory run through its own waterfall.

Subjects are small, picklable descriptions (text and paths); :meth:`load` reads the
collateral once per process, so a grid's workers read a tape once, not once per task."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from remit.project.collateral import Collateral, load_lines, parse_pool
from remit.project.engine import CollateralFlows, project_collateral
from remit.project.scenario import Scenario

_loaded: dict[object, Collateral] = {}


class Subject(Protocol):
    """Anything a grid can project: a name and ``scenarios -> flows``."""

    @property
    def name(self) -> str: ...

    def check(self) -> None:
        """Read the subject's inputs and raise a RemitError if anything is wrong."""

    def project(self, scenarios: Sequence[Scenario]) -> CollateralFlows: ...


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
        from remit.api import load_deal
        from remit.project.tape import from_tape

        return from_tape(load_deal(Path(self.deal)).spec, Path(self.source))

    def check(self) -> None:
        self.load()

    def project(self, scenarios: Sequence[Scenario]) -> CollateralFlows:
        return project_collateral(self.load(), scenarios)


def pool(text: str) -> PoolSubject:
    return PoolSubject("pool", text)


def lines(path: Path) -> PoolSubject:
    return PoolSubject("lines", str(path))


def tape(deal_dir: Path, tape_dir: Path) -> PoolSubject:
    return PoolSubject("tape", str(tape_dir), str(deal_dir), f"{deal_dir.name} tape {tape_dir}")
