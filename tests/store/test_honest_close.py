"""A close reports exactly what it did: whatever can fail (rendering, checks, the --out
directory) fails before the store commits, and then nothing is stored; a failure after the
commit says plainly that the period was stored; a command that fails leaves no new store file
behind (not even on a full disk)."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from remit.cli import app
from remit.errors import RemitError
from tests.conftest import GOLDEN, ROOT
from tests.store.helpers import DEAL_ID, close_n, dump

runner = CliRunner()
REFERENCE = GOLDEN / "tmst-2003-2-2003-04-25.8k.txt"


def run(*args: str) -> tuple[int, str, str]:
    res = runner.invoke(app, list(args))
    return res.exit_code, res.stdout, res.stderr


def _not_a_directory(tmp_path: Path) -> Path:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the output directory's parent should be\n")
    return blocker / "out"


def test_an_unwritable_out_directory_stores_nothing(
    db_url: str, deal_dir: Path, tmp_path: Path
) -> None:
    close_n(db_url, deal_dir, 1)
    before = dump(db_url)
    out = _not_a_directory(tmp_path)
    code, stdout, err = run("close", str(deal_dir), "--next", "--db", db_url, "--out", str(out))
    assert code == 2, err
    assert "blocker" in err and "stored" not in err and stdout == ""
    assert dump(db_url) == before


def test_a_new_store_is_not_made_by_a_close_that_fails(deal_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    out = _not_a_directory(tmp_path)
    code, _, err = run(
        "close", str(deal_dir), "--next", "--db", f"sqlite:///{db}", "--out", str(out)
    )
    assert code == 2, err
    assert not db.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker", "deal"]


def test_rendering_failing_stores_nothing(
    db_url: str, deal_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    close_n(db_url, deal_dir, 1)
    before = dump(db_url)
    import remit.workflows.record as record

    def broken(*args: object, **kwargs: object) -> object:
        raise RemitError.one("(render)", "statement", "x", "a statement that renders")

    monkeypatch.setattr(record, "render", broken)
    code, _, err = run(
        "close", str(deal_dir), "--next", "--db", db_url, "--out", str(tmp_path / "o")
    )
    assert code == 2 and "a statement that renders" in err, err
    assert dump(db_url) == before
    assert not (tmp_path / "o").exists()


def test_a_failing_self_check_stores_nothing(
    db_url: str, deal_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever raises in the one function every close goes through before its insert
    (:func:`remit.workflows.closing.checked_record`) refuses the close."""
    close_n(db_url, deal_dir, 1)
    before = dump(db_url)
    import remit.workflows.closing as closing

    real = closing.checked_record

    def checked(*args: object, **kwargs: object) -> object:
        record = real(*args, **kwargs)  # type: ignore[arg-type]
        raise RemitError.one("(self-check)", "statement", "inconsistent", "a consistent statement")
        return record

    monkeypatch.setattr(closing, "checked_record", checked)
    code, _, err = run(
        "close", str(deal_dir), "--next", "--db", db_url, "--out", str(tmp_path / "o")
    )
    assert code == 2 and "a consistent statement" in err, err
    assert dump(db_url) == before
    assert not (tmp_path / "o").exists()


def test_a_failure_after_the_commit_says_the_period_was_stored(
    db_url: str, deal_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    close_n(db_url, deal_dir, 1)
    import remit.files as files

    def refuse(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", refuse)
    out = tmp_path / "o"
    code, _, err = run("close", str(deal_dir), "--next", "--db", db_url, "--out", str(out))
    assert code == 2
    assert "No space left on device" in err
    assert "the period WAS stored (tmst-2003-2 2003-05-27 version 1)" in err, err
    monkeypatch.undo()
    code, stdout, _ = run("history", DEAL_ID, "--db", db_url, "--format", "csv")
    assert code == 0 and "2003-05-27" in stdout
    assert not out.exists() or not any(out.iterdir())


def test_close_into_the_store_writes_out_files_after_it_commits(
    db_url: str, deal_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "o"
    code, stdout, err = run("close", str(deal_dir), "--next", "--db", db_url, "--out", str(out))
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == [
        "ledger.json",
        "state.json",
        "statement.json",
        "statement.txt",
    ]
    assert (out / "statement.txt").read_text() == stdout


def test_a_failed_import_leaves_no_new_store(tmp_path: Path) -> None:
    db = tmp_path / "imports.db"
    bad = tmp_path / "statement.txt"
    bad.write_text(REFERENCE.read_text().replace("885220DC4", "999999999"))
    code, _, err = run(
        "import",
        str(bad),
        "--deal",
        str(ROOT / "examples/thornburg-2003-2"),
        "--db",
        f"sqlite:///{db}",
    )
    assert code == 2, err
    assert not db.exists() and [p.name for p in tmp_path.iterdir()] == ["statement.txt"]
    code, _, err = run(
        "import",
        str(REFERENCE),
        "--deal",
        str(ROOT / "examples/thornburg-2003-2"),
        "--db",
        f"sqlite:///{db}",
    )
    assert code == 0 and db.exists(), err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["imports.db", "statement.txt"]


def _limited(limit: int) -> None:
    """In the child: files may not grow beyond ``limit`` bytes (as on a full disk)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def _cli(args: list[str], cwd: Path, limit: int) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "remit.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        preexec_fn=lambda: _limited(limit),
    )


@pytest.mark.parametrize("limit", [0, 40_000, 150_000])
def test_a_full_disk_leaves_nothing(deal_dir: Path, tmp_path: Path, limit: int) -> None:
    """A close into a new store with room for no file, part of the store, or the store but
    not its --out files: exit 2 with the reason, no store file, no temporary left behind."""
    work = tmp_path / "work"
    work.mkdir()
    args = ["close", str(deal_dir), "--next", "--db", "sqlite:///new.db", "--out", "out"]
    res = _cli(args, work, limit)
    assert res.returncode == 2, res.stderr
    assert "Traceback" not in res.stderr and "internal error" not in res.stderr
    assert list(work.iterdir()) == [], list(work.iterdir())


def test_a_full_disk_leaves_an_existing_store_as_it_was(deal_dir: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'remit.db'}"
    close_n(url, deal_dir, 1)
    before = dump(url)
    size = (tmp_path / "remit.db").stat().st_size
    res = _cli(["close", str(deal_dir), "--next", "--db", url], tmp_path, size + 8192)
    assert res.returncode == 2, res.stderr
    assert "Traceback" not in res.stderr and "internal error" not in res.stderr
    assert dump(url) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deal", "remit.db"]
