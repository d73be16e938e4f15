"""The README's command-line session runs as shown: every command of its first ``sh`` block
under "Command line", in order, in a fresh copy of the repository (its tracked files,
committed in a new git repository), with ``remit`` put on the PATH as the README says. Each
command ends with exit code 0, or the one its comment announces (``# exits 1``); afterwards
``git status --porcelain`` is empty: everything the session wrote is ignored by git (the
store, ``out/``). Nothing is written to this checkout."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
EXITS = re.compile(r"#\s*exits (\d+)")


def session() -> list[str]:
    """The command lines of the README's first ``sh`` block under "### Command line"."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### Command line") :]
    block = section[section.index("```sh\n") + 6 :]
    return [line for line in block[: block.index("```")].splitlines() if line.strip()]


def expected_exit(line: str) -> int:
    found = EXITS.search(line)
    return int(found.group(1)) if found else 0


def fresh_copy(dest: Path) -> Path:
    """The tracked files of this checkout (as they are now), committed in a new repository."""
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    for name in filter(None, files):
        src = ROOT / os.fsdecode(name)
        if src.is_file():
            target = dest / os.fsdecode(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
    }
    env["GIT_COMMITTER_EMAIL"] = "t@t"
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "copy"]):
        subprocess.run(cmd, cwd=dest, check=True, env=env, capture_output=True)
    return dest


def test_the_session_is_the_first_thing_the_readme_shows_after_setup() -> None:
    lines = session()
    assert lines[0].startswith("make .venv/.installed")
    assert lines[1].startswith("source .venv/bin/activate")
    assert all(line.startswith("remit ") for line in lines[2:]), lines
    text = README.read_text(encoding="utf-8")
    assert 'export PATH="$PWD/.venv/bin:$PATH"' in text and "source .venv/bin/activate" in text


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_every_command_of_the_session_runs_in_order_from_a_fresh_copy(tmp_path: Path) -> None:
    repo = fresh_copy(tmp_path / "clone")
    bin_dir = str(Path(sys.executable).parent)
    env = {
        k: v for k, v in os.environ.items() if k not in ("REMIT_DB", "REMIT_DEBUG", "VIRTUAL_ENV")
    }
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    assert shutil.which("remit", path=env["PATH"]), "remit is not installed beside this python"
    ran = 0
    for line in session():
        if line.startswith(("make ", "source ")):
            continue  # the setup: done once for this checkout (.venv), PATH set above
        argv = shlex.split(line, comments=True)
        res = subprocess.run(argv, cwd=repo, env=env, capture_output=True, text=True, timeout=300)
        want = expected_exit(line)
        assert res.returncode == want, (
            line,
            res.returncode,
            res.stdout[-2000:],
            res.stderr[-2000:],
        )
        assert "Traceback" not in res.stderr and "internal error" not in res.stderr, line
        ran += 1
    assert ran >= 20
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert status == "", status
    assert (repo / "remit.db").is_file() and (repo / "out" / "8-k.txt").is_file()
