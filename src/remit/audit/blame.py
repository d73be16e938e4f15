"""Which printed cell an inconsistency most likely comes from.

Every identity checked is kept with the cells it reads (:class:`remit.audit.book.Identity`)
and computed again on the printed figures. An identity that fails reads several cells (its
target, printed in one or several places, and the figures it is computed from): any of them
may be the wrong one. Each is tried as the one wrong cell: the value it would need for the
identity to hold is worked out (at the precision the cell is printed with; a figure printed
without a sign is never made negative), and every other identity the cell enters is computed
again with that value:

* a candidate whose value breaks an identity that held is cleared (the figures around it
  confirm it as printed);
* of those left, the one whose value makes the most failing identities hold is the likely
  wrong cell (a wrong figure fails every identity it enters; a total or a percentage
  computed from a right figure does not make that figure's identities fail), ties going to
  the one that brings the others it enters closest to holding;
* several wrong figures are weighed in turn, greedily: the best candidate is taken at its
  right value, and the rest weighed again with it;
* candidates that make exactly the same identities hold cannot be told apart: each of those
  identities names them all (e.g. a total of two figures printed nowhere else); a figure
  printed in several places and wrong in all of them is one candidate;
* an inconsistency whose identity holds on the printed figures (it failed only on a figure an
  earlier identity corrected) names the cell of that earlier one."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from remit.audit.book import Book, Cause, Identity, cut, half_up
from remit.statement.reader import Key

Z = Decimal(0)
ONE = Decimal(1)


class Blame:
    """The identities of one checked statement, evaluated on the printed figures, with the
    cells already blamed set to the values that make their identities hold (``fixed``)."""

    def __init__(self, book: Book) -> None:
        self.book = book
        self.fixed: dict[Key, Decimal] = {}
        self.entering: dict[Key, list[Identity]] = defaultdict(list)
        for ident in book.identities:
            for k in ident.cells:
                self.entering[k].append(ident)
        self.failing = {i.id for i in book.identities if self.holds(i, {}) is False}

    def apply(self, k: Key, v: Decimal) -> None:
        """Take cell ``k`` (and its figure's agreeing printings) as ``v`` from now on (it
        was blamed)."""
        cells = self.figure(k)
        for c in cells:
            self.fixed[c] = v
        for ident in [i for c in cells for i in self.entering[c]]:
            if self.holds(ident, {}) is False:
                self.failing.add(ident.id)
            else:
                self.failing.discard(ident.id)

    # ---- evaluation --------------------------------------------------------------------
    def value(self, k: Key, over: dict[Key, Decimal]) -> Decimal:
        if k in over:
            return over[k]
        return self.fixed[k] if k in self.fixed else self.book.printed[k]

    def holds(self, ident: Identity, over: dict[Key, Decimal]) -> bool | None:
        """Does the identity hold on the printed figures (the blamed cells and ``over``
        replacing some)? None when it cannot be computed. A difference within its rounding
        tolerance holds."""
        if ident.compute is None:
            values = {self.value(k, over) for k in ident.targets}
            return len(values) == 1
        got = self._expected(ident, over)
        if got is None:
            return None
        expected, lo, hi, tolerance = got
        for k in ident.targets:
            shown = self.value(k, over)
            try:
                if self._matches(k, shown, expected, lo, hi):
                    continue
            except ArithmeticError:
                return None  # a value beyond any a statement prints
            if tolerance is not None and abs(shown - expected) <= tolerance:
                continue
            return False
        return True

    def _expected(
        self, ident: Identity, over: dict[Key, Decimal]
    ) -> tuple[Decimal, Decimal | None, Decimal | None, Decimal | None] | None:
        def g(k: Key) -> Decimal:
            return self.value(k, over)

        assert ident.compute is not None
        try:
            expected, _ = ident.compute(g)
            lo, hi = ident.interval(g) if ident.interval else (None, None)
            r = ident.rounding
            tolerance = (r(g) if callable(r) else r) if r is not None else None
        except (KeyError, ArithmeticError):
            return None
        return expected, lo, hi, tolerance

    def _matches(
        self, k: Key, shown: Decimal, expected: Decimal, lo: Decimal | None, hi: Decimal | None
    ) -> bool:
        places, nominal = self.book.places[k]
        if lo is not None and hi is not None:
            return half_up(lo, places) <= shown <= half_up(hi, places)
        if half_up(expected, places) == shown:
            return True
        return places < nominal and cut(expected, places) == shown

    # ---- candidates --------------------------------------------------------------------
    def figure(self, k: Key) -> tuple[Key, ...]:
        """Cell ``k`` and the other printings of its figure that show the same value (a
        figure printed in several places, wrong in all of them, is one wrong figure)."""
        now = self.value(k, {})
        copies = self.book.copies.get(self.book.primary.get(k, k), [k])
        same = tuple(c for c in copies if c != k and self.value(c, {}) == now)
        return (k, *same)

    def fix(self, ident: Identity, k: Key) -> Decimal | None:
        """The value of cell ``k`` (and of the printings of its figure that agree with it)
        that makes the identity hold (at the precision ``k`` is printed with), the other
        cells as they are; None if there is none."""
        cells = self.figure(k)
        for guess in self._guesses(ident, k):
            try:
                v = half_up(guess, self.book.places[k][0])
            except ArithmeticError:
                continue  # beyond any figure a statement prints
            if v < 0 <= self.book.printed[k]:
                continue  # a figure printed without a sign is one that is never negative
            if self.holds(ident, dict.fromkeys(cells, v)):
                return v
        return None

    def _guesses(self, ident: Identity, k: Key) -> list[Decimal]:
        now = self.value(k, {})
        if ident.compute is None:
            others = {self.value(t, {}) for t in ident.targets if t != k}
            return list(others) if len(others) == 1 else []
        if k in ident.targets:
            got = self._expected(ident, dict.fromkeys(self.figure(k), now))
            if got is None:
                return []
            expected, lo, hi, _ = got
            return [min(max(now, lo), hi)] if lo is not None and hi is not None else [expected]
        return self._solve(ident, k, now)

    def _solve(self, ident: Identity, k: Key, x0: Decimal) -> list[Decimal]:
        """Secant steps on ``k`` towards the value whose identity value the target prints."""
        try:
            return self._secant(ident, k, x0)
        except ArithmeticError:
            return []

    def _secant(self, ident: Identity, k: Key, x0: Decimal) -> list[Decimal]:
        target = next((t for t in ident.targets if t != k and t in self.book.printed), None)
        if target is None:
            return []
        shown = self.value(target, {})

        def miss(x: Decimal) -> Decimal | None:
            got = self._expected(ident, {k: x})
            return None if got is None else got[0] - shown

        f0 = miss(x0)
        if f0 is None or f0 == 0:
            return []
        out = []
        x1 = x0 - f0
        for _ in range(3):
            f1 = miss(x1)
            if f1 is None or f1 == f0:
                break
            x0, x1, f0 = x1, x1 - f1 * (x1 - x0) / (f1 - f0), f1
            out.append(x1)
            if f1 == 0:
                break
        return out

    def explains(self, k: Key, v: Decimal) -> tuple[frozenset[int], Decimal] | None:
        """The failing identities that hold with cell ``k`` (and its figure's agreeing
        printings) at ``v``, and how much closer to holding it brings the failing ones it
        enters that still fail (the sum of the fractions of their differences it removes,
        negative for one it takes further away); None if that value breaks an identity that
        holds."""
        cells = self.figure(k)
        over = dict.fromkeys(cells, v)
        fixed = set()
        gain = Z
        entering = {i.id: i for c in cells for i in self.entering[c]}
        for ident in entering.values():
            ok = self.holds(ident, over)
            if ident.id not in self.failing:
                if ok is False:
                    return None
                continue
            if ok:
                fixed.add(ident.id)
                continue
            before, after = self.miss(ident, {}), self.miss(ident, over)
            gain += max((before - after) / before, -ONE) if before else Z
        return frozenset(fixed), gain

    def miss(self, ident: Identity, over: dict[Key, Decimal]) -> Decimal:
        """How far the identity is from holding: the largest distance of a printing of its
        target from the value (or interval) the identity gives."""
        if ident.compute is None:
            values = [self.value(k, over) for k in ident.targets]
            return max(values) - min(values)
        got = self._expected(ident, over)
        if got is None:
            return Z
        expected, lo, hi, _ = got
        if lo is None or hi is None:
            lo = hi = expected
        return max(
            max(lo - self.value(k, over), self.value(k, over) - hi, Z) for k in ident.targets
        )

    def candidates(self) -> dict[tuple[Key, Decimal], tuple[frozenset[int], Decimal]]:
        """Every (cell, value) that makes one of the failing identities hold and breaks
        none that holds, with the failing identities it makes hold and how much closer it
        brings the others (:meth:`explains`)."""
        out: dict[tuple[Key, Decimal], tuple[frozenset[int], Decimal]] = {}
        seen: set[tuple[Key, Decimal]] = set()
        for fid in sorted(self.failing):
            ident = self.book.identities[fid]
            for k in sorted(ident.cells):
                if k not in self.book.printed or k in self.fixed:
                    continue
                v = self.fix(ident, k)
                if v is None or v == self.value(k, {}) or (k, v) in seen:
                    continue
                seen.add((k, v))
                got = self.explains(k, v)
                if got is not None and got[0]:
                    out[(k, v)] = got
        return out

    def diagnose(self) -> dict[int, list[Key]]:
        """The cells the failing identities come from, by identity: the fewest wrong cells
        that make the most of them hold, found greedily (the cell whose right value makes
        the most failing identities hold first, taken at that value, then the next). Cells
        that make exactly the same identities hold cannot be told apart: each of those
        identities is given them all, and none is taken."""
        blamed: dict[int, list[Key]] = {}
        while True:
            cands = self.candidates()
            if not cands:
                return blamed
            most = max((len(f), g) for f, g in cands.values())
            (k, v), (fixed, gain) = min(
                ((kv, fg) for kv, fg in cands.items() if (len(fg[0]), fg[1]) == most),
                key=lambda kf: kf[0],
            )
            tied = sorted({c for (c, _), fg in cands.items() if fg == (fixed, gain)})
            for fid in fixed:
                blamed[fid] = tied
            if len({self.book.primary.get(c, c) for c in tied}) == 1:
                self.apply(k, v)  # one figure (printed in several places)
            else:
                self.failing -= fixed


def blame(book: Book, causes: list[Cause]) -> None:
    """Name each inconsistency's likely wrong cell (``culprit``), or the cells the
    identities cannot tell apart (``likely``): see :meth:`Blame.diagnose`."""
    b = Blame(book)
    roots = {c.id: i.id for c in causes if (i := book.root_of.get(c.id)) is not None}
    failing = set(b.failing)
    blamed = b.diagnose()
    by_id = {c.id: c for c in causes}
    for cause in causes:
        _name(cause, blamed.get(roots.get(cause.id, -1), []), book)
    for cause in causes:
        rid = roots.get(cause.id, -1)
        if not cause.likely and rid >= 0 and rid not in failing:
            _name(cause, _carried(book, book.identities[rid], cause, by_id, blamed), book)


def _name(cause: Cause, cells: list[Key], book: Book | None = None) -> None:
    cause.likely = cells
    one = book is not None and len({book.primary.get(c, c) for c in cells}) == 1
    cause.culprit = cells[0] if len(cells) == 1 or (cells and one) else None


def _carried(
    book: Book,
    ident: Identity,
    cause: Cause,
    by_id: dict[int, Cause],
    blamed: dict[int, list[Key]],
) -> list[Key]:
    """An identity that holds on the printed figures fails only once a figure it reads was
    corrected by an earlier identity (to a wrong value, when that identity's culprit was
    another of its figures): its cause is that earlier cause's wrong cell."""
    for cid in cause.carried_from:
        earlier = by_id.get(cid)
        if earlier is not None and earlier.likely:
            return list(earlier.likely)
    figures = {book.primary.get(k, k) for k in ident.cells}
    for cells in blamed.values():
        if len(cells) == 1 and book.primary.get(cells[0], cells[0]) in figures:
            return cells
    return []
