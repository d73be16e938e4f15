"""Fuzzing every family of input through the command line, as a user meets it: a deal spec, a
remittance, a published statement, a loan tape and a store, each damaged at random. Every
command must end in exit code 0, 1 or 2 with no traceback and no internal error (exit 70).

The budget is bounded for CI: ``REMIT_FUZZ_EXAMPLES`` examples per family (default 40). A
longer run, as the README says::

    REMIT_FUZZ_EXAMPLES=2000 .venv/bin/pytest tests/test_fuzz_inputs.py
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from remit.cli import app
from tests.conftest import EXAMPLE, GOLDEN

runner = CliRunner()
EXAMPLES = int(os.environ.get("REMIT_FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
REM = "remittances/2003-04-25.toml"
REFERENCE = (GOLDEN / "tmst-2003-2-2003-04-25.8k.txt").read_text()


def outcome(*args: str) -> int:
    """Run a command; it must end as a command should (exit 0, 1 or 2, no traceback)."""
    res = runner.invoke(app, list(args))
    assert res.exception is None or isinstance(res.exception, SystemExit), (
        args,
        repr(res.exception),
    )
    assert res.exit_code in (0, 1, 2), (args, res.exit_code, res.stderr[-2000:])
    assert "internal error" not in res.stderr and "Traceback" not in res.stderr, res.stderr
    return res.exit_code


@contextmanager
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="remit-fuzz-") as d:
        yield Path(d)


# ---- values and edits ---------------------------------------------------------------------

TOML_VALUES = st.one_of(
    st.integers(-(10**30), 10**30).map(str),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.sampled_from(
        [
            "1e308",
            "-1e308",
            "1e-400",
            "nan",
            "inf",
            "-0.0",
            "0",
            "true",
            "[]",
            "{}",
            '""',
            "2003-02-30",
            "2003-04-25",
            "9999-12-31",
            "[1, 2, 3]",
            '["A", "A"]',
            "[[]]",
            '"' + "x" * 20_000 + '"',
            "[" * 200 + "]" * 200,
            "{ a = { b = { c = 1 } } }",
            "0.0000000000000000000000001",
            "99999999999999999999.99",
            '"\\u0000"',
            "'",
        ]
    ),
    st.text(max_size=12).map(lambda t: '"' + t.replace("\\", "").replace('"', "") + '"'),
)
ASSIGNMENT = re.compile(r"(?m)^([A-Za-z_][\w-]*) = (.*)$")


@st.composite
def toml_edit(draw: st.DrawFn, text: str) -> str:
    """The TOML text with one of its lines changed: a value replaced, a line removed or
    repeated, a table header repeated, or bytes inserted."""
    kind = draw(st.sampled_from(["value", "value", "value", "drop", "repeat", "garble"]))
    lines = text.split("\n")
    assigned = [i for i, line in enumerate(lines) if ASSIGNMENT.match(line)]
    i = draw(st.sampled_from(assigned))
    if kind == "value":
        key = ASSIGNMENT.match(lines[i]).group(1)  # type: ignore[union-attr]
        lines[i] = f"{key} = {draw(TOML_VALUES)}"
    elif kind == "drop":
        del lines[i]
    elif kind == "repeat":
        lines.insert(i, lines[i])
    else:
        at = draw(st.integers(0, len(lines[i])))
        junk = draw(st.text(alphabet="[]{}=\"',.#\\\n\t0aZ", max_size=6))
        lines[i] = lines[i][:at] + junk + lines[i][at:]
    return "\n".join(lines)


SPEC_TEXT = (EXAMPLE / "deal.toml").read_text()
REM_TEXT = (EXAMPLE / REM).read_text()


@FUZZ
@given(st.data())
def test_fuzzed_specs(data: st.DataObject) -> None:
    with workdir() as d:
        deal = d / "deal"
        shutil.copytree(EXAMPLE, deal)
        (deal / "deal.toml").write_text(data.draw(toml_edit(SPEC_TEXT)))
        outcome("close", str(deal), "--date", "2003-04-25", "--no-store", "--quiet")


@FUZZ
@given(st.data())
def test_fuzzed_remittances(data: st.DataObject) -> None:
    with workdir() as d:
        deal = d / "deal"
        shutil.copytree(EXAMPLE, deal)
        (deal / REM).write_text(data.draw(toml_edit(REM_TEXT)))
        db = f"sqlite:///{d / 'remit.db'}"
        outcome("close", str(deal), "--next", "--db", db, "--quiet", "--out", str(d / "out"))


NUMBER = re.compile(r"\d[\d,]*\.\d+")


FIGURES = st.one_of(
    st.integers(0, 10**40).map(lambda n: f"{n:,d}.00"),
    st.sampled_from(["(1.00)", "-0.00", "1.2.3", "", "N/A", "9" * 60, "1e9", "0.0000000001"]),
)
EDITS = st.lists(
    st.one_of(
        st.tuples(st.just("figure"), st.integers(0, 10**6), FIGURES),
        st.tuples(
            st.just("cut"),
            st.integers(0, 10**6),
            st.tuples(
                st.integers(0, 200),
                st.text(alphabet="0123456789.,-()%\n \t\f<>/TABLE", max_size=20),
            ),
        ),
    ),
    min_size=1,
    max_size=4,
)


def edited(edits: list[tuple[str, int, object]]) -> str:
    """The reference statement with a few figures replaced, or text cut and inserted."""
    text = REFERENCE
    for kind, where, what in edits:
        if kind == "figure":
            numbers = list(NUMBER.finditer(text))
            if numbers:
                m = numbers[where % len(numbers)]
                text = text[: m.start()] + str(what) + text[m.end() :]
        else:
            cut, junk = what  # type: ignore[misc]
            at = where % (len(text) + 1)
            text = text[:at] + junk + text[at + cut :]
    return text


@FUZZ
@given(EDITS, st.sampled_from(["verify", "verify-json", "import"]))
def test_fuzzed_statements(edits: list[tuple[str, int, object]], command: str) -> None:
    with workdir() as d:
        path = d / "statement.txt"
        path.write_text(edited(edits))
        if command == "import":
            outcome("import", str(path), "--deal", str(EXAMPLE), "--db", f"sqlite:///{d / 's.db'}")
        elif command == "verify-json":
            outcome("verify", str(path), "--format", "json")
        else:
            outcome("verify", str(path))


@pytest.fixture(scope="module")
def csv_tape(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz-tape") / "tape"
    res = runner.invoke(
        app,
        ["tape", "generate", str(EXAMPLE), "--out", str(root), "--loans", "25", "--format", "csv"],
    )
    assert res.exit_code == 0, res.stderr
    return root


CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            "-1",
            "0",
            "1e308",
            "nan",
            "inf",
            "9" * 25,
            "2003-13-45",
            "0.123456789",
            "fixed",
            "balloon",
            "L00001",
            "true",
            "\xff",
            "  ",
            "1,000.00",
            "-0.00",
            str(2**53 + 1),
            str(2**63),
            str(-(2**63) - 1),
        ]
    ),
    st.text(max_size=8),
)


@st.composite
def tape_edit(draw: st.DrawFn, text: str) -> bytes:
    """A CSV file with one cell, the header or its bytes damaged."""
    lines = text.split("\n")
    kind = draw(st.sampled_from(["cell", "cell", "cell", "header", "bytes", "truncate", "row"]))
    if kind == "cell":
        r = draw(st.integers(1, max(1, len(lines) - 2)))
        cells = lines[r].split(",")
        c = draw(st.integers(0, len(cells) - 1))
        cells[c] = draw(CELLS).replace(",", "").replace("\n", "")
        lines[r] = ",".join(cells)
    elif kind == "header":
        names = lines[0].split(",")
        c = draw(st.integers(0, len(names) - 1))
        names[c] = draw(st.sampled_from([names[0], '"bogus"', "", names[-1]]))
        lines[0] = ",".join(names)
    elif kind == "row":
        del lines[draw(st.integers(1, max(1, len(lines) - 1)))]
    data = "\n".join(lines).encode("utf-8")
    if kind == "bytes":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]
    elif kind == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    return data


@FUZZ
@given(st.data(), st.sampled_from(["loans.csv", "activity/2003-04-25.csv", "indices.csv"]))
def test_fuzzed_tapes(csv_tape: Path, data: st.DataObject, file: str) -> None:
    with workdir() as d:
        tape = d / "tape"
        shutil.copytree(csv_tape, tape)
        (tape / file).write_bytes(data.draw(tape_edit((csv_tape / file).read_text())))
        out = d / "rem.toml"
        outcome(
            "collect", str(EXAMPLE), "--tape", str(tape), "--date", "2003-04-25", "--out", str(out)
        )


@pytest.fixture(scope="module")
def store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz-store")
    db = root / "remit.db"
    for _ in range(2):
        res = runner.invoke(
            app, ["close", str(EXAMPLE), "--next", "--db", f"sqlite:///{db}", "--quiet"]
        )
        assert res.exit_code == 0, res.stderr
    res = runner.invoke(
        app,
        ["import", str(GOLDEN / "tmst-2003-2-2003-04-25.8k.txt"), "--deal", str(EXAMPLE), "--db", f"sqlite:///{db}"],
    )  # fmt: skip
    assert res.exit_code == 0, res.stderr
    return db


COLUMNS = {
    "periods": ["state_json", "ledger_json", "statement_text", "statement_json", "pool_ending",
                "count_ending", "closed_at", "distribution_date", "version", "spec_sha256",
                "state_sha256", "remittance_text", "period_no", "amended", "prior_id"],
    "period_classes": ["ending_balance", "factor", "class_name", "position"],
    "period_delinquency": ["balance", "count", "bucket"],
    "specs": ["text", "sha256"],
    "deals": ["id", "name", "created_at"],
    "published_statements": ["text", "version", "distribution_date", "cell_count"],
    "published_cells": ["printed", "amount", "number", "format"],
    "alembic_version": ["version_num"],
}  # fmt: skip
SQL_VALUES = st.one_of(
    st.sampled_from([None, "", "x", "{}", "[]", 0, -1, 2**63 - 1, "2003-02-30", "nan", 1.5]),
    st.text(max_size=10),
    st.integers(-(2**63), 2**63 - 1),
)
COMMANDS = [
    ["deals"],
    ["history", "tmst-2003-2"],
    ["history", "tmst-2003-2", "--format", "json"],
    ["show", "tmst-2003-2", "2003-04-25"],
    ["show", "tmst-2003-2", "2003-05-27", "--format", "json"],
    ["close", str(EXAMPLE), "--next", "--quiet"],
    ["diff", "tmst-2003-2", "2003-04-25"],
    ["filing", "tmst-2003-2", "2003-04-25"],
]


@FUZZ
@given(
    st.one_of(
        st.tuples(st.just("bytes"), st.integers(0, 10**6), st.binary(min_size=1, max_size=64)),
        st.tuples(st.just("truncate"), st.integers(0, 10**6), st.just(b"")),
        st.tuples(
            st.just("sql"),
            st.sampled_from(sorted((t, c) for t, cs in COLUMNS.items() for c in cs)),
            SQL_VALUES,
        ),
    ),
    st.sampled_from(range(len(COMMANDS))),
)
def test_fuzzed_stores(store_file: Path, damage: tuple[str, object, object], command: int) -> None:
    with workdir() as d:
        db = d / "remit.db"
        shutil.copy(store_file, db)
        kind, where, what = damage
        if kind == "bytes":
            data = bytearray(db.read_bytes())
            at = int(where) % len(data)  # type: ignore[call-overload]
            data[at : at + len(what)] = what  # type: ignore[arg-type]
            db.write_bytes(bytes(data))
        elif kind == "truncate":
            data = db.read_bytes()
            db.write_bytes(data[: int(where) % len(data)])  # type: ignore[call-overload]
        else:
            table, column = where  # type: ignore[misc]
            with contextlib.suppress(sqlite3.Error), sqlite3.connect(db) as conn:
                conn.execute(f'UPDATE "{table}" SET "{column}" = ?', (what,))  # or a constraint
        args = [*COMMANDS[command], "--db", f"sqlite:///{db}"]
        if args[0] == "close":
            args += ["--out", str(d / "out")]
        outcome(*args)
        outcome("export", "tmst-2003-2", "--db", f"sqlite:///{db}", "--out", str(d / "x"))
