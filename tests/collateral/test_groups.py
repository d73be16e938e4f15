"""Loan groups from loans: a senior/subordinate deal's generated tape has each group's count
and cut-off balance exactly, collect sums each group's collections from its loans (adding up
to the pool to the cent), and the deal closes month after month from the tape, in Python and
through the command line."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

import remit
from remit.api import Deal
from remit.close import close, initial_state
from remit.collateral import collect, generate_tape, remittance_to_toml
from remit.collateral.collect import deal_dates, group_sum, roll, share
from remit.collateral.generate import Behaviour
from remit.collateral.tape import read_fixings, read_loans
from remit.errors import RemitError
from remit.remittance import GROUP_TOTALS, load_remittance
from remit.spec.models import ShiftingSpec

SENIOR_SUB = Path(__file__).resolve().parents[2] / "examples" / "prime-senior-sub"
MONTHS = 3
# a stressed mix, so that liquidations, repurchases and Relief Act loans occur in 3 months
Z = Decimal("0.00")
STRESSED = Behaviour(cdr=0.08, repurchase_rate=0.004, to_30=0.03, relief_act_share=0.02)


def cents(d: Decimal) -> int:
    return int(d.scaleb(2))


@pytest.fixture(scope="module")
def deal() -> Deal:
    return remit.load_deal(SENIOR_SUB)


@pytest.fixture(scope="module")
def spec(deal: Deal) -> ShiftingSpec:
    assert isinstance(deal.spec, ShiftingSpec)
    return deal.spec


@pytest.fixture(scope="module")
def tape_dir(spec: ShiftingSpec, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("senior-sub-tape")
    generate_tape(spec, root, months=MONTHS, seed=21, behaviour=STRESSED)
    return root


def dates_of(spec: ShiftingSpec) -> list[date]:
    first = spec.dates.first_distribution
    last = date(first.year, first.month + MONTHS - 1, first.day)
    when = deal_dates(spec, last)
    assert len(when) == MONTHS
    return when


def test_generated_tape_has_each_groups_count_and_balance(
    spec: ShiftingSpec, tape_dir: Path
) -> None:
    """Group 1: 781 loans, 362,418,906.37; group 2: 93 loans, 41,884,512.09 -- to the cent;
    together the collateral's 874 loans and 404,303,418.46."""
    tape = read_loans(spec, tape_dir)
    assert tape.group is not None
    assert tape.group_names == ["1", "2"]
    for i, g in enumerate(spec.shifting_interest.groups):
        mine = tape.group == i
        assert int(mine.sum()) == g.cut_off_count
        assert int(tape.balance[mine].sum()) == cents(g.cut_off_balance)
    assert tape.n == spec.collateral.cut_off_count == 874
    assert int(tape.balance.sum()) == cents(spec.collateral.cut_off_balance) == 40_430_341_846
    written = pq.read_table(tape_dir / "loans.parquet").column("asset_group_number")
    assert set(written.to_pylist()) == {"1", "2"}
    # products the deal does not report separately are left empty
    assert set(pq.read_table(tape_dir / "loans.parquet").column("deal_product").to_pylist()) <= {
        "",
        "five_year_hybrid",
        "three_year_hybrid",
    }


def test_same_seed_same_grouped_tape(spec: ShiftingSpec, tmp_path: Path) -> None:
    for name in ("a", "b"):
        generate_tape(spec, tmp_path / name, months=0, seed=4)
    a, b = (pq.read_table(tmp_path / n / "loans.parquet") for n in "ab")
    assert a.equals(b)


def test_other_loan_counts_share_the_groups_in_proportion(
    spec: ShiftingSpec, tmp_path: Path
) -> None:
    """1,000 loans: 781 x 1000 / 874 = 893.6 -> 894 and 106.4 -> 106 loans; the balance
    scaled to 1000 / 874 of the cut-off is shared in the groups' proportions, to the cent."""
    generate_tape(spec, tmp_path, loans=1000, months=0, seed=2)
    tape = read_loans(spec, tmp_path)
    assert tape.group is not None
    total = round(40_430_341_846 * 1000 / 874)
    assert int(tape.balance.sum()) == total
    assert np.bincount(tape.group).tolist() == [894, 106]
    balances = group_sum(tape.group, tape.balance, 2)
    assert balances == share(total, [36_241_890_637, 4_188_451_209])


def test_share_is_exact() -> None:
    """100 cents in thirds: 33 each and the cent left over to the first (ties: first);
    10 cents as 1:2:7 -> 1, 2, 7; weights 0 get nothing."""
    assert share(100, [1, 1, 1]) == [34, 33, 33]
    assert share(10, [1, 2, 7]) == [1, 2, 7]
    assert share(5, [0, 3, 0, 1]) == [0, 4, 0, 1]
    assert share(0, [0, 0]) == [0, 0]
    assert share(7, [2, 5]) == [2, 5]
    assert share(1, [1, 2]) == [0, 1]


def test_collected_groups_add_up_to_the_pool_and_to_their_loans(
    spec: ShiftingSpec, tape_dir: Path, tmp_path: Path
) -> None:
    tape = read_loans(spec, tape_dir)
    fixings = read_fixings(tape_dir)
    assert tape.group is not None
    when = dates_of(spec)
    seen: dict[str, Decimal] = dict.fromkeys(("liquidated_balance", "repurchases_principal"), Z)
    seen["prepayment_interest_shortfall"] = Z
    for k, d in enumerate(when):
        rem = collect(spec, tape_dir, d)
        month = roll(spec, tape, fixings, tape_dir, when[: k + 1])
        assert list(rem.groups) == ["1", "2"]
        for table, fields in GROUP_TOTALS.items():
            for f in fields:
                pool = getattr(getattr(rem, table), f)
                assert sum((getattr(g, f) for g in rem.groups.values()), Z) == pool, f
        assert sum(g.ending_count for g in rem.groups.values()) == rem.collateral.ending_count
        begin = group_sum(tape.group, month.begin, 2)
        ending = group_sum(tape.group, month.ending, 2)
        for i, g in enumerate(rem.groups.values()):
            # each group's balance reconciles with its loans to the cent
            assert cents(g.pool_reduction) == begin[i] - ending[i]
            assert g.ending_count == int(((month.ending > 0) & (tape.group == i)).sum())
            assert g.compensating_interest <= g.prepayment_interest_shortfall
            assert g.excess_losses is None and g.subsequent_recoveries == Z
            for f in seen:
                seen[f] += getattr(g, f)
        # the servicing fee is computed (0.25% a year on the pool): compensating interest is
        # the shortfall up to that fee
        fee = (rem.beginning_balance or Z) * Decimal("0.0025") / 12
        it = rem.interest
        assert it.compensating_interest == min(
            it.prepayment_interest_shortfall, fee.quantize(Decimal("0.01"))
        )
        # the TOML round-trips, groups included
        out = tmp_path / f"{d.isoformat()}.toml"
        out.write_text(remittance_to_toml(rem), encoding="utf-8")
        assert load_remittance(out) == rem
    assert all(v > 0 for v in seen.values()), seen


def test_compensating_interest_capped_by_the_fee_and_shared_by_shortfall(
    spec: ShiftingSpec, tmp_path: Path
) -> None:
    """At a 99% CPR the month's prepayment interest shortfall exceeds the servicing fee
    (0.25% / 12 of the pool, computed as the close does): compensating interest is the fee,
    shared by the groups in proportion to their shortfalls, to the cent; the close takes it."""
    generate_tape(spec, tmp_path, months=1, seed=5, behaviour=Behaviour(cpr=0.99))
    state = initial_state(spec)
    rem = collect(spec, tmp_path, spec.dates.first_distribution, state)
    fee = (state.pool_balance * Decimal("0.0025") / 12).quantize(Decimal("0.01"))
    assert rem.interest.prepayment_interest_shortfall > fee
    assert rem.interest.compensating_interest == fee
    shortfall = [cents(g.prepayment_interest_shortfall) for g in rem.groups.values()]
    assert [cents(g.compensating_interest) for g in rem.groups.values()] == share(
        cents(fee), shortfall
    )
    close(spec, state, rem)


def test_closes_three_months_from_the_tape(spec: ShiftingSpec, tape_dir: Path) -> None:
    tape = read_loans(spec, tape_dir)
    fixings = read_fixings(tape_dir)
    assert tape.group is not None
    when = dates_of(spec)
    state = initial_state(spec)
    for k, d in enumerate(when):
        rem = collect(spec, tape_dir, d, state)
        state = close(spec, state, rem).state
        month = roll(spec, tape, fixings, tape_dir, when[: k + 1])
        ending = group_sum(tape.group, month.ending, 2)
        assert state.distribution_date == d
        assert state.shifting.groups == {
            "1": Decimal(ending[0]) / 100,
            "2": Decimal(ending[1]) / 100,
        }
        assert state.pool_balance == Decimal(sum(ending)) / 100
        assert state.loan_count == int((month.ending > 0).sum())
    assert state.cumulative_loss > 0


def test_closes_through_the_command_line(tape_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "remit.db"
    for _ in range(2):
        out = subprocess.run(
            [
                sys.executable,
                "-c",
                "from remit.cli import main; main()",
                "close",
                str(SENIOR_SUB),
                "--next",
                "--tape",
                str(tape_dir),
                "--db",
                str(db),
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert out.returncode == 0, out.stderr
    assert "2003-08-25" in out.stdout + out.stderr


def test_prior_state_group_balance_checked(spec: ShiftingSpec, tape_dir: Path) -> None:
    """A cent moved from group 1 to group 2 in the state (the pool balance unchanged) is
    refused, both groups named."""
    state = initial_state(spec)
    moved = {
        "1": state.shifting.groups["1"] - Decimal("0.01"),
        "2": state.shifting.groups["2"] + Decimal("0.01"),
    }
    with pytest.raises(RemitError) as e:
        collect(
            spec,
            tape_dir,
            spec.dates.first_distribution,
            dataclasses.replace(state, part=dataclasses.replace(state.shifting, groups=moved)),
        )
    found = [p for p in e.value.problems if "group" in str(p.value)]
    assert [p.value for p in found] == ["group 1: 362418906.37", "group 2: 41884512.09"]


def _rewrite_groups(src: Path, dst: Path, values: list[object] | None) -> Path:
    """A copy of the tape with the loans' asset_group_number replaced (None: dropped)."""
    table = pq.read_table(src / "loans.parquet")
    i = table.column_names.index("asset_group_number")
    table = table.remove_column(i)
    if values is not None:
        table = table.add_column(i, "asset_group_number", pa.array(values, pa.string()))
    (dst / "activity").mkdir(parents=True)
    pq.write_table(table, dst / "loans.parquet")
    for f in ("indices.parquet", *(f"activity/{p.name}" for p in (src / "activity").iterdir())):
        (dst / f).write_bytes((src / f).read_bytes())
    return dst


def test_unknown_group_refused_with_its_rows(
    spec: ShiftingSpec, tape_dir: Path, tmp_path: Path
) -> None:
    groups = pq.read_table(tape_dir / "loans.parquet").column("asset_group_number").to_pylist()
    groups[4] = "3"
    groups[9] = " "
    bad = _rewrite_groups(tape_dir, tmp_path / "bad", groups)
    with pytest.raises(RemitError) as e:
        collect(spec, bad, spec.dates.first_distribution)
    found = [(p.row, p.path, p.value, p.expected) for p in e.value.problems]
    # every offending row listed (empty values first, as every required column's are)
    assert found == [
        (10, "asset_group_number", " ", "a value (required)"),
        (5, "asset_group_number", "3", "one of the deal's loan groups 1, 2"),
    ]
    assert "row 5: asset_group_number: found '3'" in str(e.value)


def test_missing_group_column_refused(spec: ShiftingSpec, tape_dir: Path, tmp_path: Path) -> None:
    bad = _rewrite_groups(tape_dir, tmp_path / "bad", None)
    with pytest.raises(RemitError) as e:
        collect(spec, bad, spec.dates.first_distribution)
    assert [(p.path, p.value) for p in e.value.problems] == [
        ("asset_group_number", "(missing column)")
    ]


def test_overcollateralization_deal_has_no_groups(example_deal: Deal, tmp_path: Path) -> None:
    spec = example_deal.spec
    generate_tape(spec, tmp_path, loans=200, months=1, seed=3)
    rem = collect(spec, tmp_path, spec.dates.first_distribution)
    assert rem.groups == {}
    assert read_loans(spec, tmp_path).group is None
    assert "[groups" not in remittance_to_toml(rem)
    assert pc.all(
        pc.equal(pq.read_table(tmp_path / "loans.parquet").column("asset_group_number"), "1")
    ).as_py()
