"""The semantic checks of a deal spec, case by case: each payment order names each eligible
class exactly once, and the message says which classes are eligible and why a class is not."""

from __future__ import annotations

import re

import pytest

from remit.errors import RemitError
from remit.spec import parse_spec
from tests.spec import faults
from tests.spec.toml_text import dumps


def problems(base: str, change: object) -> list[str]:
    data = faults.base(base)
    change(data)  # type: ignore[operator]
    with pytest.raises(RemitError) as exc:
        parse_spec(dumps(data), "deal.toml")
    return [str(p) for p in exc.value.problems]


def one_with(found: list[str], *parts: str) -> None:
    """A problem saying every one of ``parts`` (its field path read without the names the
    message gives list elements: ``a[1] (M-1).b`` is ``a[1].b``)."""
    plain = [re.sub(r"(\]) \([^)]*\)", r"\1", line) for line in found]
    assert any(all(p in line for p in parts) for line in plain), found


def test_the_oc_class_is_not_paid_principal() -> None:
    found = problems("thornburg", lambda d: d["principal"]["sequential"].append("B-IO"))
    one_with(
        found,
        "deal.toml: principal.sequential[3]: found 'B-IO'",
        "every certificate with a balance exactly once",
        "['A', 'M-1', 'M-2']",
        "B-IO is the overcollateralization class",
    )


def test_a_class_paid_principal_twice() -> None:
    found = problems("mini", lambda d: d["principal"]["sequential"].insert(1, "A"))
    one_with(
        found, "principal.sequential[1]: found 'A'", "once: A is already principal.sequential[0]"
    )


def test_a_certificate_left_out_of_the_write_down_order() -> None:
    found = problems("thornburg", lambda d: d["losses"]["writedown_order"].remove("A"))
    one_with(found, "deal.toml: losses.writedown_order: found ['M-2', 'M-1']", "missing: ['A']")


def test_a_class_without_a_coupon_earns_no_interest() -> None:
    found = problems("mini", lambda d: d["interest"]["order"].append(["CE"]))
    one_with(found, "interest.order[3][0]: found 'CE'", "every class with a coupon", "no coupon")


def test_the_unpaid_realized_loss_step_names_every_subordinate() -> None:
    def drop_m2(d: faults.Data) -> None:
        d["excess_cash"][2]["classes"] = ["M-1"]

    one_with(problems("thornburg", drop_m2), "excess_cash[2].classes", "missing: ['M-2']")


def test_the_remainder_goes_to_the_oc_class() -> None:
    def to_a(d: faults.Data) -> None:
        d["excess_cash"][-1]["classes"] = ["A"]

    one_with(
        problems("mini", to_a), "excess_cash[4].classes", "['CE']", "the overcollateralization"
    )


def test_targets_after_the_stepdown_follow_the_sequential_order() -> None:
    def swap(d: faults.Data) -> None:
        t = d["principal"]["after_stepdown"]
        t[0]["name"], t[1]["name"] = t[1]["name"], t[0]["name"]

    one_with(
        problems("mini", swap), "principal.after_stepdown[0].name", "order of principal.sequential"
    )


def test_no_targets_after_the_stepdown_would_pay_no_principal() -> None:
    found = problems("mini", lambda d: d["principal"]["after_stepdown"].clear())
    one_with(found, "principal.after_stepdown: found []", "missing")


def test_a_notional_class_is_not_a_subordinate() -> None:
    found = problems("mini-si", lambda d: d["shifting_interest"]["subordinates"].append("X"))
    one_with(
        found,
        "shifting_interest.subordinates[3]: found 'X'",
        "every subordinate certificate",
        "X is notional",
    )


def test_a_senior_in_two_groups() -> None:
    def twice(d: faults.Data) -> None:
        d["shifting_interest"]["groups"][1]["seniors"].append("1-A-2")

    one_with(
        problems("mini-si", twice),
        "shifting_interest.groups[1].seniors[1]: found '1-A-2'",
        "already shifting_interest.groups[0].seniors[1]",
    )


def test_the_residual_is_a_residual_class() -> None:
    def b3(d: faults.Data) -> None:
        d["shifting_interest"]["residual"] = "B-3"

    one_with(problems("mini-si", b3), "shifting_interest.residual: found 'B-3'", "a residual class")


def test_schedules_in_date_order() -> None:
    def swap(d: faults.Data) -> None:
        s = d["shifting_interest"]["senior_prepayment_share"]
        s[1]["from_date"], s[2]["from_date"] = s[2]["from_date"], s[1]["from_date"]

    one_with(
        problems("mini-si", swap),
        "shifting_interest.senior_prepayment_share[2].from_date",
        "after 2012-02-25",
    )


def test_a_fee_netted_twice() -> None:
    found = problems("mini", lambda d: d["net_wac_cap"]["net_of"].append("servicing"))
    one_with(found, "net_wac_cap.net_of[2]: found 'servicing'", "once")


def test_a_class_paid_principal_twice_last() -> None:
    """Found by the property test: a duplicate at the end of the sequential order, with the
    targets after the stepdown as they were (no internal error)."""
    found = problems("thornburg", lambda d: d["principal"]["sequential"].append("A"))
    one_with(found, "principal.sequential[3]: found 'A'", "A is already principal.sequential[0]")
