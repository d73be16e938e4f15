"""The printed figures of one statement and the identities checked over them.

A *figure* is one quantity, printed in one or several places (its *copies*): class A's
beginning balance is printed in three tables. Checks read figures and compare a target
figure's printed copies with what the other figures imply.

Each failing check is a :class:`Finding`. Findings are grouped into :class:`Cause`\\ s: a
check that fails on the printed figures themselves starts a cause (a root); a check that
passes on the printed figures but fails once an earlier finding's expected value is used
(the printed figure agreed with a wrong one) joins that finding's cause. The expected
value of a finding replaces the figure for every later check, so one wrong figure is
reported once, with every cell that carried it along."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from functools import lru_cache

from remit.statement.formats import fmt, parse_number
from remit.statement.reader import NOMINAL_PLACES, Key, ReadResult, printed_places

Getter = Callable[[Key], Decimal]
#: a check's value and, lazily (it is only printed when the check fails), its arithmetic
Compute = Callable[[Getter], tuple[Decimal, Callable[[], str]]]
#: how far a printed figure may be from an identity's value and be a rounding note: a fixed
#: amount, or one computed from the printed figures (e.g. half a cent per part of a total)
Tolerance = Decimal | Callable[[Getter], Decimal]
#: the category of the causes that differences within rounding make
ROUNDING = "rounding"


@dataclass(frozen=True)
class Finding:
    """One printed cell that an identity contradicts."""

    section: str
    row: str
    column: str
    published: str
    expected: str
    difference: str
    rule: str
    arithmetic: str
    line: int | None

    @property
    def key(self) -> Key:
        return (self.section, self.row, self.column)

    def to_dict(self) -> dict[str, object]:
        return {
            "section": self.section,
            "row": self.row,
            "column": self.column,
            "published": self.published,
            "expected": self.expected,
            "difference": self.difference,
            "rule": self.rule,
            "arithmetic": self.arithmetic,
            "line": self.line,
        }


@dataclass
class Cause:
    """One inconsistency: the finding that starts it and the cells that carried it along.

    ``suspects`` are the cells the failing identity read (any of them may be the wrong one);
    ``culprit``, when set, is the one cell that every root identity it enters contradicts."""

    id: int
    findings: list[Finding] = field(default_factory=list)
    suspects: list[Key] = field(default_factory=list)
    culprit: Key | None = None
    #: the cells the failure most likely comes from (:mod:`remit.audit.blame`): the culprit
    #: alone, or several the identities cannot tell apart; empty when none was found
    likely: list[Key] = field(default_factory=list)
    #: the causes whose corrected figures this one's identity read when it failed
    carried_from: list[int] = field(default_factory=list)
    #: the kind of identity that failed ("total", "roll-forward", "interest", "factor",
    #: "copy", "REMIC tie" ...), or "rounding": a difference the rounding of the printed
    #: figures explains (a total a cent off the sum of its parts, a factor's last decimal)
    category: str = "identity"
    #: the kind of identity that failed, also for a rounding note
    kind: str = "identity"

    def __post_init__(self) -> None:
        if self.kind == "identity" and self.category != ROUNDING:
            self.kind = self.category

    def named(self) -> list[Key]:
        """The cells named as likely wrong: those found by weighing the identities, else the
        first cell found wrong."""
        return list(self.likely) or ([self.root.key] if self.findings else [])

    @property
    def root(self) -> Finding:
        return self.findings[0]

    @property
    def rounding(self) -> bool:
        return self.category == ROUNDING

    def to_dict(self) -> dict[str, object]:
        return {
            "category": self.category,
            "kind": self.kind,
            "rule": self.root.rule,
            "arithmetic": self.root.arithmetic,
            "culprit": "/".join(self.culprit) if self.culprit else None,
            "likely_wrong": ["/".join(k) for k in self.named()],
            "findings": [f.to_dict() for f in self.findings],
            "suspects": ["/".join(k) for k in self.suspects],
        }


@dataclass(frozen=True)
class Identity:
    """One identity as checked, kept to weigh the cells a failure may come from
    (:mod:`remit.audit.blame`): the copies of its target figure, every cell it reads (on the
    printed figures), and how to compute it again with some cells given other values.
    ``compute`` is None for "printed in several places" (the copies must agree)."""

    id: int
    rule: str
    targets: tuple[Key, ...]
    reads: frozenset[Key]
    compute: Compute | None = None
    interval: Callable[[Getter], tuple[Decimal, Decimal]] | None = None
    rounding: Tolerance | None = None

    @property
    def cells(self) -> frozenset[Key]:
        return self.reads | frozenset(self.targets)


@lru_cache(maxsize=16384)
def _parsed(text: str) -> tuple[Decimal | None, int]:
    """A printed number and the decimals it was printed with (cached: statements repeat)."""
    return parse_number(text), printed_places(text)


def half_up(v: Decimal, places: int) -> Decimal:
    """Round half-up to ``places`` decimals (how the statement rounds)."""
    return v.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def cut(v: Decimal, places: int) -> Decimal:
    """Truncate to ``places`` decimals (a number cut by its column)."""
    return v.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN)


class Book:
    """Figures with their copies, current values (printed or corrected), and the causes."""

    def __init__(self, res: ReadResult) -> None:
        self.res = res
        self.printed: dict[Key, Decimal] = {}
        self.places: dict[Key, tuple[int, int]] = {}
        for key, text in res.cells.items():
            nominal = NOMINAL_PLACES.get(res.formats.get(key, "text"))
            if nominal is not None:
                v, places = _parsed(text)
                if v is not None:
                    self.printed[key] = v
                    self.places[key] = (places, nominal)
        self.primary: dict[Key, Key] = {k: k for k in self.printed}
        self.copies: dict[Key, list[Key]] = {k: [k] for k in self.printed}
        self.current: dict[Key, Decimal] = dict(self.printed)
        self.taint: dict[Key, int] = {}
        self.flagged: set[Key] = set()
        #: cells a rounding note names: later identities report them only beyond rounding
        self.noted: set[Key] = set()
        self.causes: dict[int, Cause] = {}
        self.checked = 0
        self._reads: set[Key] = set()
        #: every identity checked, and the one that started each cause (by the cause's id)
        self.identities: list[Identity] = []
        self.root_of: dict[int, Identity] = {}

    # ---- figures ---------------------------------------------------------------------
    def has(self, *keys: Key) -> bool:
        return all(k in self.printed for k in keys)

    def text(self, key: Key) -> str:
        """The cell as printed ("" when the statement does not print it)."""
        return self.res.cells.get(key, "")

    def v(self, key: Key) -> Decimal:
        """The figure's current value (the printed one unless a finding corrected it)."""
        p = self.primary[key]
        self._reads.add(p)
        return self.current[p]

    def p(self, key: Key) -> Decimal:
        """The cell's printed value."""
        self._reads.add(self.primary[key])
        return self.printed[key]

    def alias(self, keys: list[Key], value: Decimal) -> None:
        """Make ``keys`` copies of one figure, whose value is ``value``."""
        head = keys[0]
        for k in keys:
            self.primary[k] = head
        self.copies[head] = list(keys)
        self.current[head] = value

    # ---- checks ----------------------------------------------------------------------
    def matches(self, key: Key, expected: Decimal, lo: Decimal | None, hi: Decimal | None) -> bool:
        """Does the printed cell show ``expected`` at the precision it was printed with?
        A number cut by the column width matches the expected value cut as short; a value
        known only within [lo, hi] (computed from rounded inputs) matches anything printed
        in the rounded interval."""
        shown = self.printed[key]
        places, nominal = self.places[key]
        if lo is not None and hi is not None:
            return half_up(lo, places) <= shown <= half_up(hi, places)
        if half_up(expected, places) == shown:
            return True
        return places < nominal and cut(expected, places) == shown

    def check(
        self,
        target: Key,
        rule: str,
        compute: Compute,
        interval: Callable[[Getter], tuple[Decimal, Decimal]] | None = None,
        *,
        category: str = "identity",
        rounding: Tolerance | None = None,
    ) -> None:
        """Compare the target figure's printed copies with ``compute``'s value. With a
        ``rounding`` tolerance, printed figures that miss the value by no more than it (on the
        printed figures alone) are a rounding note: reported apart, not corrected."""
        if target not in self.printed:
            return
        self._reads = set()
        try:
            expected, arithmetic = compute(self.v)
            bounds = interval(self.v) if interval else (None, None)
        except (KeyError, ArithmeticError):
            return  # a figure it needs is not printed, or is zero where it divides
        self.checked += 1
        reads = set(self._reads)
        head = self.primary[target]
        ident = self._record(target, rule, compute, interval, rounding)
        wrong = [
            k
            for k in self.copies[head]
            if k not in self.flagged and not self.matches(k, expected, *bounds)
        ]
        if not wrong:
            if head in self.taint and self._conflicts(head, expected, *bounds):
                self._conflict(target, head, rule, expected, arithmetic(), reads, category)
                self.root_of[len(self.causes)] = ident
            return
        # root or consequence: does the check hold on the printed figures alone?
        self._reads = set()
        try:
            expected_p, arithmetic_p = compute(self.p)
            bounds_p = interval(self.p) if interval else (None, None)
            holds_printed = all(self.matches(k, expected_p, *bounds_p) for k in wrong)
        except (KeyError, ArithmeticError):
            expected_p, holds_printed = None, False
        if not holds_printed and expected_p is not None and rounding is not None:
            tolerance = rounding(self.p) if callable(rounding) else rounding
            if all(abs(self.printed[k] - expected_p) <= tolerance for k in wrong):
                if any(k not in self.noted for k in wrong):  # else noted already
                    self._rounding_note(
                        target, wrong, rule, expected_p, arithmetic_p(), reads, category
                    )
                    self.root_of[len(self.causes)] = ident
                return
        causes = sorted({self.taint[r] for r in reads if r in self.taint})
        if holds_printed and causes:
            cause = self.causes[causes[0]]
        else:
            cause = Cause(len(self.causes) + 1, category=category)
            cause.suspects = [*sorted(reads - {head}), target]
            cause.carried_from = causes
            self.causes[cause.id] = cause
            self.root_of[cause.id] = ident
        nominal = NOMINAL_PLACES.get(self.res.formats.get(target, "money"), 2)
        corrected = half_up(expected, nominal)
        text = arithmetic()
        for k in wrong:
            cause.findings.append(self._finding(k, corrected, rule, text))
            self.flagged.add(k)
        self.current[head] = corrected
        self.taint[head] = cause.id

    def _record(
        self,
        target: Key,
        rule: str,
        compute: Compute,
        interval: Callable[[Getter], tuple[Decimal, Decimal]] | None,
        rounding: Tolerance | None,
    ) -> Identity:
        """Keep the identity, with the cells it reads on the printed figures."""
        cells: set[Key] = set()

        def g(k: Key) -> Decimal:
            cells.add(k)
            return self.printed[k]

        try:
            compute(g)
            if interval:
                interval(g)
        except (KeyError, ArithmeticError):
            pass
        ident = Identity(
            len(self.identities),
            rule,
            tuple(self.copies[self.primary[target]]),
            frozenset(cells),
            compute,
            interval,
            rounding,
        )
        self.identities.append(ident)
        return ident

    def _rounding_note(
        self,
        target: Key,
        wrong: list[Key],
        rule: str,
        expected: Decimal,
        text: str,
        reads: set[Key],
        kind: str,
    ) -> None:
        """Printed figures a rounding apart from the identity: noted once, left as printed
        (later identities read them as printed, and do not report them again)."""
        cause = Cause(len(self.causes) + 1, category=ROUNDING, kind=kind)
        cause.suspects = [*sorted(reads - {self.primary[target]}), target]
        self.causes[cause.id] = cause
        nominal = NOMINAL_PLACES.get(self.res.formats.get(target, "money"), 2)
        for k in wrong:
            if k not in self.noted:
                cause.findings.append(self._finding(k, half_up(expected, nominal), rule, text))
                self.noted.add(k)

    def _conflicts(
        self, head: Key, expected: Decimal, lo: Decimal | None, hi: Decimal | None
    ) -> bool:
        """Does a second identity want another value for a figure already corrected?"""
        nominal = NOMINAL_PLACES.get(self.res.formats.get(head, "money"), 2)
        have = self.current[head]
        if lo is not None and hi is not None:
            return not half_up(lo, nominal) <= have <= half_up(hi, nominal)
        return half_up(expected, nominal) != have

    def _conflict(
        self,
        target: Key,
        head: Key,
        rule: str,
        expected: Decimal,
        text: str,
        reads: set[Key],
        category: str = "identity",
    ) -> None:
        cause = Cause(len(self.causes) + 1, category=category)
        cause.suspects = [*sorted(reads - {head}), target]
        cause.carried_from = sorted({self.taint[r] for r in {*reads, head} if r in self.taint})
        self.causes[cause.id] = cause
        nominal = NOMINAL_PLACES.get(self.res.formats.get(target, "money"), 2)
        cause.findings.append(self._finding(target, half_up(expected, nominal), rule, text))

    def _finding(self, key: Key, expected: Decimal, rule: str, arithmetic: str) -> Finding:
        text = self.res.cells[key]
        form = self.res.formats.get(key, "money")
        places = printed_places(text)
        shown = self.printed[key]
        exp_text = fmt(expected, form)
        diff = shown - half_up(expected, max(places, 0))
        sign = "+" if diff > 0 else ""
        return Finding(
            key[0],
            key[1],
            key[2],
            text,
            exp_text,
            f"{sign}{diff:,f}",
            rule,
            arithmetic,
            self.res.lines.get(key),
        )

    def same(self, keys: Iterable[Key], rule: str, support: dict[Key, int]) -> None:
        """One figure printed in several places: the copies must agree. The value most
        copies print wins; a tie goes to the copies that their tables' totals confirm."""
        ks = [k for k in keys if k in self.printed and self.primary[k] == k]
        if len(ks) < 2:
            return
        self.checked += 1
        ident = Identity(len(self.identities), rule, tuple(ks), frozenset(ks))
        self.identities.append(ident)
        groups: dict[Decimal, list[Key]] = {}
        for k in ks:
            groups.setdefault(self.printed[k], []).append(k)
        ranked = sorted(
            groups.items(),
            key=lambda kv: (-len(kv[1]), -sum(support.get(k, 0) for k in kv[1])),
        )
        value, winners = ranked[0]
        tie = (
            len(ranked) > 1
            and len(ranked[1][1]) == len(winners)
            and sum(support.get(k, 0) for k in ranked[1][1])
            == sum(support.get(k, 0) for k in winners)
        )
        self.alias(winners + [k for k in ks if k not in winners], value)
        if len(ranked) == 1:
            return
        where = ", ".join(f"{'/'.join(k)} {self.res.cells[k]}" for k in ks)
        cause = Cause(len(self.causes) + 1, category="copy")
        cause.suspects = list(ks)
        self.causes[cause.id] = cause
        self.root_of[cause.id] = ident
        losers = ks if tie else [k for k in ks if k not in winners]
        for k in losers:
            other = next(w for w in ks if self.printed[w] != self.printed[k])
            exp = value if k not in winners else self.printed[other]
            cause.findings.append(self._finding(k, exp, rule, f"printed as {where}"))
            self.flagged.add(k)
        if tie:
            cause.suspects = list(ks)


def money(v: Decimal) -> str:
    """Money as the statement prints it: 1,234,567.89."""
    return f"{v:,.2f}"
