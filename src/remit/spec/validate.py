"""The semantic checks of a deal spec, across its fields: what the typed models cannot say
alone. A spec that passes them cannot pay the wrong class: every payment order names each
class it is for exactly once -- no duplicate, no omission, no class in a role it cannot have
-- every schedule is in date order, and every class, fee and index a rule names exists.

Which classes an order is for (its *eligible* classes), as each message says:

* the certificates with a balance -- a class whose balance is a certificate balance
  (``balance_is = "certificate"``), not retired from the closing deposit, with an original
  balance -- are paid principal (``principal.sequential``), have a target after the
  stepdown (``principal.after_stepdown``, in the sequential order, each target at least the
  one before: they are stacked), and are written down and back up (``losses``);
* the classes with a coupon (kind other than ``"none"``, not retired) are paid interest:
  ``interest.order`` and the ``unpaid_interest`` excess steps name each once;
* the classes whose coupon the Net WAC cap limits (``cap = "net_wac"``) are each named once
  by the ``basis_risk_carryforward`` steps;
* the subordinate certificates (type SUB, with a balance) are each named once by the
  ``unpaid_realized_loss`` steps; a senior certificate may be named too;
* the excess order starts with ``extra_principal`` when it lists it (with no classes: the
  waterfall pays it in the sequential order) and ends with the one ``remainder`` step, paid
  to the overcollateralization class;
* in a shifting-interest deal every senior and interest-only class (type SEN or IO, or a
  notional class) is in exactly one group's seniors, every subordinate certificate (type
  SUB, not notional) in the subordinates once, and the residual is a residual (RES) class.

An order may leave out a kind of excess step altogether (the deal pays none of it); the
steps of one kind may be several (to interleave the kinds), together naming each class once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from remit.errors import Problem
from remit.spec.models import CertificateClass, DealSpec, OCSpec, ShiftingSpec


class Dated(Protocol):
    @property
    def from_date(self) -> date: ...


Admits = Callable[[CertificateClass], bool]


def _never(c: CertificateClass) -> bool:
    return False


@dataclass(frozen=True)
class Eligible:
    """The classes an order is for: ``words`` say which (in the message), ``admits`` tells
    one; ``optional`` admits a class the order may name or not; ``note`` says why."""

    words: str
    admits: Admits
    note: str = ""
    optional: Admits = _never


def certificate(c: CertificateClass) -> bool:
    """A class with a certificate balance: paid principal, written down and up."""
    return c.balance_is == "certificate" and c.retire is None and c.original_balance > 0


def interest_bearing(c: CertificateClass) -> bool:
    return c.coupon.kind != "none" and c.retire is None


def senior_or_io(c: CertificateClass) -> bool:
    """A class a shifting-interest group pays with its seniors."""
    if c.retire is not None or c.type == "RES":
        return False
    return c.type != "SUB" or c.notional is not None


def subordinate(c: CertificateClass) -> bool:
    return c.type == "SUB" and c.notional is None and c.retire is None


CERTIFICATES = "every certificate with a balance"
NOT_CERTIFICATES = (
    "not the overcollateralization class, a notional or residual class without a balance, "
    "nor a class retired from the closing deposit"
)
PRINCIPAL = Eligible(CERTIFICATES, certificate, f"the classes paid principal: {NOT_CERTIFICATES}")
TARGETS = Eligible(
    f"a target for {CERTIFICATES}",
    certificate,
    "each certificate's Class Principal Distribution Amount after the stepdown date, in "
    "the order of principal.sequential; without one a class is paid no principal then",
)
WRITEDOWN = Eligible(
    CERTIFICATES,
    certificate,
    "the certificates that can be written down once the overcollateralization is gone, "
    "most junior first",
)
WRITEUP = Eligible(
    CERTIFICATES,
    certificate,
    "the certificates subsequent recoveries write back up, most senior first",
)
INTEREST = Eligible(
    "every class with a coupon",
    interest_bearing,
    "the interest-bearing classes: a class with coupon kind 'none' or retired from the "
    "closing deposit earns no interest",
)
EXCESS: dict[str, Eligible] = {
    "unpaid_interest": INTEREST,
    "unpaid_realized_loss": Eligible(
        "every subordinate certificate (type SUB with a balance)",
        lambda c: certificate(c) and c.type == "SUB",
        "a senior certificate may be listed too",
        certificate,
    ),
    "basis_risk_carryforward": Eligible(
        "every class whose coupon the Net WAC cap limits (cap = 'net_wac')",
        lambda c: interest_bearing(c) and c.coupon.cap == "net_wac",
    ),
}
SENIORS = Eligible(
    "every senior and interest-only class (type SEN or IO, or notional) in one group's seniors",
    senior_or_io,
    "a subordinate or residual class is not a senior",
)
SUBORDINATES = Eligible(
    "every subordinate certificate (type SUB, not notional)",
    subordinate,
    "a senior, interest-only, notional or residual class is not a subordinate",
)


def describe(c: CertificateClass) -> str:
    """What a class is, for a message saying why an order may not name it."""
    facts = []
    if c.balance_is == "overcollateralization":
        facts.append("the overcollateralization class")
    if c.retire is not None:
        facts.append("retired from the closing deposit")
    if c.notional is not None:
        facts.append("notional")
    kinds = {
        "SEN": "a senior",
        "SUB": "a subordinate",
        "IO": "an interest-only",
        "RES": "a residual",
    }
    facts.append(f"{kinds[c.type]} class")
    if c.coupon.kind == "none":
        facts.append("with no coupon")
    if c.original_balance == 0:
        facts.append("with no balance")
    return ", ".join(facts)


@dataclass
class Checker:
    """The problems found so far in one spec, and the ways of finding them."""

    spec: DealSpec
    file: str
    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.classes = {c.name: c for c in self.spec.classes}

    def bad(self, path: str, value: object, expected: str) -> None:
        self.problems.append(Problem(self.file, path, value, expected))

    def known(self, path: str, name: str) -> bool:
        """Whether ``name`` is a class; a problem at ``path`` where it is not."""
        if name in self.classes:
            return True
        self.bad(path, name, f"one of the classes {sorted(self.classes)}")
        return False

    def once(self, listed: Sequence[tuple[str, str]], whole: str, rule: Eligible) -> None:
        """``listed`` ((path, class) pairs) names each class ``rule`` admits exactly once and
        no other; an omission is reported at ``whole``."""
        required = [c.name for c in self.spec.classes if rule.admits(c)]
        expected = f"{rule.words} exactly once: {required}"
        if rule.note:
            expected += f" ({rule.note})"
        seen: dict[str, str] = {}
        for path, name in listed:
            if not self.known(path, name):
                continue
            if name in seen:
                self.bad(path, name, f"{expected}; listed once: {name} is already {seen[name]}")
                continue
            seen[name] = path
            c = self.classes[name]
            if not (rule.admits(c) or rule.optional(c)):
                self.bad(path, name, f"{expected}; {name} is {describe(c)}")
        missing = [n for n in required if n not in seen]
        if missing:
            self.bad(whole, [name for _, name in listed], f"{expected}; missing: {missing}")

    def names(self, path: str, items: Sequence[str], what: str, known: Sequence[str]) -> None:
        """Each of ``items`` is one of ``known`` and named once."""
        seen: set[str] = set()
        for j, name in enumerate(items):
            if name not in known:
                self.bad(f"{path}[{j}]", name, f"one of the {what} {sorted(known)}")
            elif name in seen:
                self.bad(f"{path}[{j}]", name, f"each of the {what} once: {name} is listed before")
            seen.add(name)

    def unique(self, path: str, keys: Sequence[str], what: str) -> None:
        seen: set[str] = set()
        for j, key in enumerate(keys):
            if key in seen:
                self.bad(path.format(j), key, f"a unique {what}: {key} is used before")
            seen.add(key)

    def ascending(self, path: str, steps: Sequence[Dated]) -> None:
        """A schedule in date order, one step a date."""
        for j in range(1, len(steps)):
            prior, this = steps[j - 1].from_date, steps[j].from_date
            if this <= prior:
                self.bad(
                    f"{path}[{j}].from_date",
                    this.isoformat(),
                    f"a date after {prior.isoformat()} (the steps in date order, each on a "
                    "date of its own)",
                )


def cross_check(spec: DealSpec, file: str) -> list[Problem]:
    """Every problem across the spec's fields; none for a sound spec."""
    v = Checker(spec, file)
    _common(v)
    _FAMILY_CHECKS[spec.family](spec, v)
    return v.problems


def _common(v: Checker) -> None:
    """Names unique and known; a notional class has no certificate balance."""
    spec = v.spec
    v.unique("classes[{}].name", [c.name for c in spec.classes], "class name")
    v.unique("fees[{}].name", [f.name for f in spec.fees], "fee name")
    v.unique("indices[{}].name", [x.name for x in spec.indices], "index name")
    v.unique("collateral.products[{}].key", [p.key for p in spec.collateral.products], "key")
    indices = [x.name for x in spec.indices]
    for i, c in enumerate(spec.classes):
        idx = c.coupon.index
        if idx is not None and idx not in indices:
            v.bad(f"classes[{i}].coupon.index", idx, "an index named in [[indices]]")
        if c.notional is not None and certificate(c):
            v.bad(
                f"classes[{i}].original_balance",
                str(c.original_balance),
                "0.00: a notional class accrues on the pool balance and has no certificate "
                "balance (or its balance_is = 'overcollateralization')",
            )
    v.names("net_wac_cap.net_of", spec.net_wac_cap.net_of, "fees", [f.name for f in spec.fees])
    v.known("prepayment_penalties.payee", spec.prepayment_penalties.payee)
    v.known("statement.insufficient_funds_class", spec.statement.insufficient_funds_class)


def _oc(spec: OCSpec, v: Checker) -> None:
    interest = [
        (f"interest.order[{g}][{j}]", n)
        for g, group in enumerate(spec.interest.order)
        for j, n in enumerate(group)
    ]
    for g, group in enumerate(spec.interest.order):
        if not group:
            v.bad(f"interest.order[{g}]", [], "at least one class in each group")
    v.once(interest, "interest.order", INTEREST)
    seq = spec.principal.sequential
    v.once(
        [(f"principal.sequential[{j}]", n) for j, n in enumerate(seq)],
        "principal.sequential",
        PRINCIPAL,
    )
    _targets(v, spec)
    losses = spec.losses
    v.once(
        [(f"losses.writedown_order[{j}]", n) for j, n in enumerate(losses.writedown_order)],
        "losses.writedown_order",
        WRITEDOWN,
    )
    v.once(
        [
            (f"losses.recoveries_writeup_order[{j}]", n)
            for j, n in enumerate(losses.recoveries_writeup_order)
        ],
        "losses.recoveries_writeup_order",
        WRITEUP,
    )
    _excess(v, spec)
    _overcollateralization(v, spec)


def _targets(v: Checker, spec: OCSpec) -> None:
    """A target for every certificate, stacked in the sequential order: each counts the
    classes before it, so it is at least the one before."""
    targets = spec.principal.after_stepdown
    listed = [(f"principal.after_stepdown[{j}].name", t.name) for j, t in enumerate(targets)]
    v.once(listed, "principal.after_stepdown", TARGETS)
    seq = spec.principal.sequential
    firsts: dict[str, int] = {}
    for j, t in enumerate(targets):
        if t.name in seq:
            firsts.setdefault(t.name, j)
    expected = [n for n in dict.fromkeys(seq) if n in firsts]
    for (name, j), want in zip(firsts.items(), expected, strict=True):
        if name != want:
            v.bad(
                f"principal.after_stepdown[{j}].name",
                name,
                f"the targets in the order of principal.sequential {seq} (each target counts "
                "the classes before it)",
            )
            break
    for j in range(1, len(targets)):
        if targets[j].target_pct < targets[j - 1].target_pct:
            v.bad(
                f"principal.after_stepdown[{j}].target_pct",
                str(targets[j].target_pct),
                f"at least {targets[j - 1].target_pct}, the target before it (a target counts "
                "the classes before it)",
            )


def _excess(v: Checker, spec: OCSpec) -> None:
    """The extra principal first, the one remainder last and to the OC class; the steps of
    each kind together name each class they are for once."""
    steps = spec.excess_cash
    oc = spec.overcollateralization.oc_class
    for s, step in enumerate(steps):
        if step.step == "extra_principal":
            if s != 0:
                v.bad(
                    f"excess_cash[{s}].step",
                    step.step,
                    "'extra_principal' as the first step, once (the waterfall pays the extra "
                    "principal distribution amount before the rest of the excess cash)",
                )
            if step.classes:
                v.bad(
                    f"excess_cash[{s}].classes",
                    step.classes,
                    "[] (the extra principal is paid in the order of principal.sequential)",
                )
        elif step.step == "remainder" and step.classes != [oc]:
            v.bad(
                f"excess_cash[{s}].classes",
                step.classes,
                f"[{oc!r}]: the remainder goes to the overcollateralization class",
            )
    kinds = [s.step for s in steps]
    if kinds.count("remainder") != 1 or kinds[-1] != "remainder":
        v.bad("excess_cash", kinds, "exactly one 'remainder' step, last")
    for kind, rule in EXCESS.items():
        mine = [s for s, step in enumerate(steps) if step.step == kind]
        if not mine:
            continue
        listed = [
            (f"excess_cash[{s}].classes[{j}]", n)
            for s in mine
            for j, n in enumerate(steps[s].classes)
        ]
        whole = f"excess_cash[{mine[0]}].classes" if len(mine) == 1 else "excess_cash"
        v.once(listed, whole, rule)
    _unpaid_interest_from(v, spec)


def _unpaid_interest_from(v: Checker, spec: OCSpec) -> None:
    """Each class ``interest.unpaid_interest_from`` names exists; one whose unpaid interest is
    paid only from the net monthly excess cashflow is in an 'unpaid_interest' step of the
    excess order (else its unpaid interest is never paid)."""
    paid = {n for step in spec.excess_cash if step.step == "unpaid_interest" for n in step.classes}
    for name, source in spec.interest.unpaid_interest_from.items():
        path = f"interest.unpaid_interest_from.{name}"
        if not v.known(path, name):
            continue
        if source == "net_monthly_excess_cashflow" and name not in paid:
            v.bad(
                path,
                source,
                f"class {name} in an 'unpaid_interest' step of [[excess_cash]] (else its "
                "unpaid interest is never paid)",
            )


def _overcollateralization(v: Checker, spec: OCSpec) -> None:
    """The OC class holds the overcollateralization from the start; the dates and the loss
    schedule in order."""
    ocs = spec.overcollateralization
    v.ascending("overcollateralization.loss_trigger.schedule", ocs.loss_trigger.schedule)
    d = spec.dates
    if ocs.build_start < d.first_distribution:
        v.bad(
            "overcollateralization.build_start",
            ocs.build_start,
            f"on or after the first distribution date {d.first_distribution}",
        )
    if ocs.stepdown_earliest <= d.first_distribution:
        v.bad(
            "overcollateralization.stepdown_earliest",
            ocs.stepdown_earliest,
            f"after the first distribution date {d.first_distribution}",
        )
    if not v.known("overcollateralization.oc_class", ocs.oc_class):
        return
    oc = v.classes[ocs.oc_class]
    if oc.balance_is != "overcollateralization":
        v.bad(
            "overcollateralization.oc_class",
            oc.name,
            "a class with balance_is = 'overcollateralization'",
        )
        return
    initial_oc = spec.collateral.cut_off_balance - sum(
        (c.original_balance for c in spec.principal_classes), Decimal(0)
    )
    if oc.original_balance != initial_oc:
        i = [c.name for c in spec.classes].index(oc.name)
        v.bad(
            f"classes[{i}].original_balance",
            oc.original_balance,
            f"the initial overcollateralization, cut-off balance minus the certificates "
            f"= {initial_oc}",
        )


def _shifting(spec: ShiftingSpec, v: Checker) -> None:
    si = spec.shifting_interest
    v.unique("shifting_interest.groups[{}].name", [g.name for g in si.groups], "group name")
    seniors = [
        (f"shifting_interest.groups[{g}].seniors[{j}]", n)
        for g, group in enumerate(si.groups)
        for j, n in enumerate(group.seniors)
    ]
    v.once(seniors, "shifting_interest.groups", SENIORS)
    subs = [(f"shifting_interest.subordinates[{j}]", n) for j, n in enumerate(si.subordinates)]
    v.once(subs, "shifting_interest.subordinates", SUBORDINATES)
    if v.known("shifting_interest.residual", si.residual):
        res = v.classes[si.residual]
        if res.type != "RES":
            v.bad(
                "shifting_interest.residual",
                res.name,
                f"a residual class (type RES); {res.name} is {describe(res)}",
            )
    for i, c in enumerate(spec.classes):
        if c.type == "RES" and certificate(c):
            v.bad(
                f"classes[{i}].original_balance",
                str(c.original_balance),
                "0.00: a residual class of a senior/subordinate deal is paid what is left, "
                "never principal (or retire it from the closing deposit)",
            )
    v.ascending("shifting_interest.senior_prepayment_share", si.senior_prepayment_share)
    v.ascending("shifting_interest.stepdown_loss_limits", si.stepdown_loss_limits)
    if si.coverage is not None:
        for kind in ("special_hazard", "fraud", "bankruptcy"):
            cov = getattr(si.coverage, kind)
            v.ascending(f"shifting_interest.coverage.{kind}.reductions", cov.reductions)
    _pool(v, spec)


def _pool(v: Checker, spec: ShiftingSpec) -> None:
    """The groups make the pool, and the certificates equal it at the cut-off date."""
    si = spec.shifting_interest
    cut_off = spec.collateral.cut_off_balance
    pool = sum((g.cut_off_balance for g in si.groups), Decimal(0))
    if pool != cut_off:
        v.bad(
            "shifting_interest.groups",
            str(pool),
            f"group cut-off balances adding up to the pool's {cut_off}",
        )
    count = sum(g.cut_off_count for g in si.groups)
    if count != spec.collateral.cut_off_count:
        v.bad(
            "shifting_interest.groups",
            count,
            f"group loan counts adding up to {spec.collateral.cut_off_count}",
        )
    certificates = sum(
        (c.original_balance for c in spec.principal_classes if c.type != "RES"), Decimal(0)
    )
    if certificates != cut_off:
        v.bad(
            "classes",
            str(certificates),
            f"certificates equal to the cut-off balance {cut_off} (a senior/subordinate deal "
            "has no overcollateralization)",
        )


#: Each structure family's own checks, by the spec's ``family``.
_FAMILY_CHECKS: dict[str, Callable[[Any, Checker], None]] = {"oc": _oc, "shifting": _shifting}

__all__ = ["Checker", "Eligible", "cross_check", "describe"]
