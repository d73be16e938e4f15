"""Scenarios inline and in TOML files: values, vectors, grids, and located errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from remit.errors import RemitError
from remit.project.collateral import load_lines, parse_pool
from remit.project.scenario import load_scenarios, parse_scenario, read_scenarios


def test_inline_values_are_read_as_fractions() -> None:
    sc = parse_scenario("psa=250, sda=100, severity=35, lag=12, advancing=no, shock=-50, call=yes")
    assert (sc.prepay_kind, sc.prepay) == ("psa", (250.0,))
    assert (sc.default_kind, sc.default) == ("sda", (100.0,))
    assert sc.severity == 0.35 and sc.lag == 12 and not sc.advancing
    assert sc.shock == -0.005 and sc.call and sc.call_pct == 0.10
    assert sc.name == "psa=250, sda=100, severity=35, lag=12, advancing=no, shock=-50, call=yes"


def test_vectors_by_month() -> None:
    sc = parse_scenario("cpr=2;4;6,mdr=0.1")
    assert sc.prepay == (0.02, 0.04, 0.06)
    smm = sc.smm(np.array([0.0]), 5)[0]
    assert smm[3] == smm[4] == smm[2]  # the last value holds
    assert sc.mdr(np.array([0.0, 50.0]), 2).tolist() == [[0.001, 0.001], [0.001, 0.001]]


def test_index_paths() -> None:
    assert parse_scenario("index=2.5,shock=100").index_path("x", 0.01, 3).tolist() == pytest.approx(
        [0.035] * 3
    )
    assert parse_scenario("shock=25").index_path("x", 0.01, 2).tolist() == pytest.approx(
        [0.0125] * 2
    )


def test_toml_forms(tmp_path: Path) -> None:
    f = tmp_path / "s.toml"
    f.write_text(
        'psa = 100\n\n[[scenario]]\nname = "fast"\ncpr = [5, 10, 20]\n\n'
        "[[scenario]]\nsda = 200\nseverity = 40\n[scenario.index]\none_year_libor = [1.5, 2.5]\n\n"
        "[grid]\npsa = [100, 200]\nlag = [6, 12]\nadvancing = [true, false]\n"
    )
    scs = load_scenarios(f)
    assert len(scs) == 1 + 2 + 8
    assert scs[0].name == "s" and scs[0].prepay == (100.0,)
    assert scs[1].name == "fast" and scs[1].prepay == (0.05, 0.10, 0.20)
    assert dict(scs[2].index) == {"one_year_libor": (0.015, 0.025)}
    assert scs[-1].name == "psa=200,lag=12,advancing=no"


@pytest.mark.parametrize(
    "text,path,expected",
    [
        ("cpr=-1", "cpr", "a rate in percent from 0 to 100"),
        ("cdr=101", "cdr", "a rate in percent from 0 to 100"),
        ("psa=2000", "psa", "a PSA speed"),
        ("severity=100.5", "severity", "from 0 to 100"),
        ("lag=-1", "lag", "a whole number of months"),
        ("advancing=sometimes", "advancing", "yes or no"),
        ("cpr=5,speed=2", "speed", "one of the keys"),
        ("cpr=5,smm=1", "smm", "only one of psa, cpr, smm"),
        ("sda=1,cdr=1", "cdr", "only one of sda, cdr, mdr"),
        ("cpr=x", "cpr", "a rate in percent"),
        ("cpr=5;-2", "cpr", "a vector of them by month"),
        ("psa", "", "key=value pairs"),
        ("psa=1,psa=2", "psa", "each key once"),
    ],
)
def test_bad_inline_scenarios(text: str, path: str, expected: str) -> None:
    with pytest.raises(RemitError) as err:
        parse_scenario(text)
    p = err.value.problems[0]
    assert p.file == f'--scenario "{text}"'
    assert p.path == path and expected in p.expected


def test_every_problem_of_a_file_is_reported(tmp_path: Path) -> None:
    f = tmp_path / "bad.toml"
    f.write_text("[[scenario]]\ncpr = -3\n\n[[scenario]]\nseverity = 140\nfoo = 1\n")
    with pytest.raises(RemitError) as err:
        read_scenarios(["psa=100"], [f])
    got = {(p.file, p.path) for p in err.value.problems}
    assert got == {
        (str(f), "scenario[0].cpr"),
        (str(f), "scenario[1].severity"),
        (str(f), "scenario[1].foo"),
    }


GRIDS = [
    "[grid]\npsa = [50, 100, 250]\nsda = [0, 200]\nseverity = [25, 35]\nlag = 12\n"
    "shock = [-100, 0]",
    "[grid]\nname = ['a', 'b']\ncpr = [[2, 4, 6], 8]\ncdr = 1\nadvancing = [true, false]\n"
    "call = [true, false]\ncall_pct = [5, 10.5]\n"
    "index = [{one_year_libor = [1.2, 1.4], six_month_libor = 1.1}, 3]",
    "[grid]\nsmm = [0.1, 0.2]\nmdr = [0.01]\nlag = [0, 360]\nshock = [-10000, 10000]",
]


def _shown(v: object) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    return ";".join(map(str, v)) if isinstance(v, list) else str(v)


@pytest.mark.parametrize("text", GRIDS)
def test_a_grid_is_every_combination_read_as_one_table(tmp_path: Path, text: str) -> None:
    """Each value of a grid is read once; each combination is what the same keys read as one
    table give (the last key varying fastest, named key=value,... unless named)."""
    import itertools
    import tomllib

    from remit.project.scenario import scenario_from

    f = tmp_path / "g.toml"
    f.write_text(text)
    grid = tomllib.loads(text)["grid"]
    lists = [v if isinstance(v, list) else [v] for v in grid.values()]
    expected = []
    for combo in itertools.product(*lists):
        table = dict(zip(grid, combo, strict=True))
        label = ",".join(f"{k}={_shown(v)}" for k, v in table.items())
        expected.append(scenario_from(table, str(f), "", label))
    assert load_scenarios(f) == expected


def test_a_bad_grid_value_is_reported_once_where_it_is(tmp_path: Path) -> None:
    f = tmp_path / "g.toml"
    f.write_text(
        "[grid]\npsa = [100, -5, 2000]\ncpr = 5\nsda = ['x', 100]\nfoo = [1, 2]\n"
        "index = [{libor = [200]}, 3]\nlag = 0.5\n"
    )
    with pytest.raises(RemitError) as exc:
        load_scenarios(f)
    assert [(p.path, p.value) for p in exc.value.problems] == [
        ("grid.foo", [1, 2]),
        ("grid.cpr", 5),  # two prepayment keys
        ("grid.psa[1]", -5),
        ("grid.psa[2]", 2000),
        ("grid.sda[0]", "x"),
        ("grid.index[0].libor", [200]),
        ("grid.lag", 0.5),  # one value, not a list
    ]


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(RemitError) as err:
        load_scenarios(tmp_path / "missing.toml")
    assert err.value.problems[0].value == "(missing)"
    bad = tmp_path / "b.toml"
    bad.write_text("psa = [1,\n")
    with pytest.raises(RemitError) as err:
        load_scenarios(bad)
    assert err.value.problems[0].expected == "valid TOML"
    empty = tmp_path / "e.toml"
    empty.write_text("")
    with pytest.raises(RemitError):
        load_scenarios(empty)


def test_pool_and_rep_lines(tmp_path: Path) -> None:
    c = parse_pool("balance=1000,wac=6,net=5.5,term=360,remaining=300")
    assert c.rate.tolist() == [0.06] and c.fee.tolist() == pytest.approx([0.005])
    assert c.age.tolist() == [60.0] and c.remaining.tolist() == [300.0]
    f = tmp_path / "lines.toml"
    f.write_text(
        '[[line]]\nbalance = 1e6\nwac = 5\nnet = 4.5\nterm = 360\ngroup = "1"\n\n'
        "[[line]]\nbalance = 2e6\nwac = 6\nnet = 5.75\nterm = 180\nage = 12\nremaining = 168\n"
        'group = "2"\nio = 24\n'
    )
    lines = load_lines(f)
    assert lines.group_names == ("1", "2") and lines.io.tolist() == [0.0, 24.0]
    f.write_text("[[line]]\nbalance = 1e6\nwac = 5\nnet = 6\nterm = 360\nremaining = 400\n")
    with pytest.raises(RemitError) as err:
        load_lines(f)
    assert {p.path for p in err.value.problems} == {"line[0].net", "line[0].remaining"}


def test_grid_names_locations_and_keys_given_twice(tmp_path: Path) -> None:
    """Names keep the keys as written; a value that is not in a list is located at the key;
    a key given twice (in two cases) is refused."""
    f = tmp_path / "g.toml"
    f.write_text("[grid]\nPSA = [100, 200]\nCdr = 2\n")
    assert [s.name for s in load_scenarios(f)] == ["PSA=100,Cdr=2", "PSA=200,Cdr=2"]
    f.write_text("[grid]\npsa = -5\nsda = [100]\n")
    with pytest.raises(RemitError) as exc:
        load_scenarios(f)
    assert [p.path for p in exc.value.problems] == ["grid.psa"]
    f.write_text("[grid]\npsa = [100, 200]\nPSA = [300]\n")
    with pytest.raises(RemitError) as exc:
        load_scenarios(f)
    assert [(p.path, p.expected) for p in exc.value.problems] == [("grid.psa", "each key once")]
