"""Every --out write (and ``remit export``) goes through a temporary file created safely and
renamed: a symbolic link planted at a predictable temporary name, or at the target's name, is
never written through -- the file it points to is left as it was, and the target becomes a
plain file."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from remit.cli import app
from remit.files import StagedFiles, replacing, write_all
from tests.conftest import EXAMPLE

runner = CliRunner()
PRECIOUS = "do not overwrite me\n"


def run(*args: str) -> tuple[int, str, str]:
    res = runner.invoke(app, list(args))
    return res.exit_code, res.stdout, res.stderr


def plant(out: Path, names: list[str], victim: Path) -> None:
    """Links to ``victim`` at each name and at the temporary names writers used to choose."""
    out.mkdir(parents=True, exist_ok=True)
    for name in names:
        for link in (out / name, out / f".{name}.tmp", out / f".{name}.partial"):
            link.symlink_to(victim)


def check(out: Path, names: list[str], victim: Path) -> None:
    assert victim.read_text() == PRECIOUS
    for name in names:
        # a file, or a grid's Parquet dataset folder; never a link
        found = out / name
        assert (found.is_file() or found.is_dir()) and not found.is_symlink(), name


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    v = tmp_path / "victim.txt"
    v.write_text(PRECIOUS)
    return v


def test_export_never_follows_a_planted_link(tmp_path: Path, victim: Path) -> None:
    db = f"sqlite:///{tmp_path / 'remit.db'}"
    code, _, err = run("close", str(EXAMPLE), "--next", "--db", db, "--quiet")
    assert code == 0, err
    out = tmp_path / "series"
    names = ["pool.parquet", "classes.parquet"]
    plant(out, names, victim)
    code, _, err = run("export", "tmst-2003-2", "--db", db, "--out", str(out))
    assert code == 0, err
    check(out, names, victim)


def test_close_out_never_follows_a_planted_link(tmp_path: Path, victim: Path) -> None:
    out = tmp_path / "o"
    names = ["statement.txt", "statement.json", "ledger.json", "state.json"]
    plant(out, names, victim)
    db = f"sqlite:///{tmp_path / 'remit.db'}"
    code, _, err = run("close", str(EXAMPLE), "--next", "--db", db, "--out", str(out), "--quiet")
    assert code == 0, err
    check(out, names, victim)
    out2 = tmp_path / "o2"
    plant(out2, names, victim)
    code, _, err = run(
        "close", str(EXAMPLE), "--date", "2003-04-25", "--no-store", "--out", str(out2), "--quiet"
    )
    assert code == 0, err
    check(out2, names, victim)


def test_render_and_filing_never_follow_a_planted_link(tmp_path: Path, victim: Path) -> None:
    db = f"sqlite:///{tmp_path / 'remit.db'}"
    assert run("close", str(EXAMPLE), "--next", "--db", db, "--quiet")[0] == 0
    out = tmp_path / "r"
    names = ["statement.txt", "factors.csv"]
    plant(out, names, victim)
    code, _, err = run(
        "render", "tmst-2003-2", "2003-04-25", "--format", "edgar", "--format", "factors",
        "--db", db, "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    check(out, names, victim)
    plant(out, ["8-k.txt"], victim)
    code, _, err = run(
        "filing", "tmst-2003-2", "2003-04-25", "--db", db, "--out", str(out / "8-k.txt")
    )
    assert code == 0, err
    check(out, ["8-k.txt"], victim)


def test_collect_and_tape_never_follow_a_planted_link(tmp_path: Path, victim: Path) -> None:
    tape = tmp_path / "tape"
    plant(tape, ["loans.parquet", "indices.parquet"], victim)
    code, _, err = run("tape", "generate", str(EXAMPLE), "--out", str(tape), "--loans", "30")
    assert code == 0, err
    check(tape, ["loans.parquet", "indices.parquet"], victim)
    out = tmp_path / "rem"
    plant(out, ["remittance.toml"], victim)
    code, _, err = run(
        "collect", str(EXAMPLE), "--tape", str(tape), "--date", "2003-04-25",
        "--out", str(out / "remittance.toml"),
    )  # fmt: skip
    assert code == 0, err
    check(out, ["remittance.toml"], victim)


def test_project_and_grid_never_follow_a_planted_link(tmp_path: Path, victim: Path) -> None:
    pool = "balance=1000000,wac=6.0,net=5.5,term=360,remaining=360,age=0"
    out = tmp_path / "proj"
    plant(out, ["pool.csv", "summary.json"], victim)
    code, _, err = run("project", "--pool", pool, "--scenario", "psa=100", "--out", str(out))
    assert code == 0, err
    check(out, ["pool.csv", "summary.json"], victim)
    grid = tmp_path / "grid"
    scenarios = tmp_path / "grid.toml"
    scenarios.write_text("[grid]\npsa = [100, 200]\n")
    names = ["flows.parquet", "summary.parquet", "summary.csv"]
    plant(grid, names, victim)
    code, _, err = run(
        "grid", "--pool", pool, "--scenarios", str(scenarios), "--out", str(grid), "--workers", "1"
    )
    assert code == 0, err
    check(grid, names, victim)


WRITERS: list[Callable[[Path], object]] = [
    lambda d: write_all(d, {"a.txt": "x"}),
    lambda d: StagedFiles(d, {"a.txt": b"x"}).commit(),
]


@pytest.mark.parametrize("write", WRITERS)
def test_the_writers_leave_nothing_when_they_fail(
    tmp_path: Path, write: Callable[[Path], object]
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    with pytest.raises(Exception) as exc:
        write(blocker / "sub")
    assert "blocker" in str(exc.value)
    assert sorted(os.listdir(tmp_path)) == ["blocker"]


def test_replacing_removes_its_temporary_when_the_block_fails(tmp_path: Path) -> None:
    target = tmp_path / "new" / "f.bin"
    with pytest.raises(RuntimeError), replacing(target) as fh:
        fh.write(b"partial")
        raise RuntimeError("interrupted")
    assert not (tmp_path / "new").exists()
    with replacing(target) as fh:
        fh.write(b"whole")
    assert target.read_bytes() == b"whole" and os.listdir(target.parent) == ["f.bin"]
