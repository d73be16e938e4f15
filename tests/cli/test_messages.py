"""Messages and output a person can use: plain words at a named place, figures printed alike
in every output, the restatement's consequences said, and no command named that does not
exist."""

from __future__ import annotations

import ast
import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import remit
from remit.cli import COMMANDS, app
from remit.spec.messages import LIBRARY_PHRASES
from tests.conftest import EXAMPLE, ROOT
from tests.store.helpers import amend_penalties

runner = CliRunner()
EXPONENT = re.compile(r"\d[eE][-+]?\d")


def run(*args: str) -> tuple[int, str, str]:
    res = runner.invoke(app, list(args))
    return res.exit_code, res.stdout, res.stderr


def ok(*args: str) -> tuple[str, str]:
    code, out, err = run(*args)
    assert code == 0, (args, code, out, err)
    return out, err


def refused(*args: str) -> str:
    code, out, err = run(*args)
    assert code == 2, (args, code, out, err)
    assert all(line.startswith("error: ") for line in err.splitlines() if line)
    return err


@pytest.fixture()
def deal(tmp_path: Path) -> Path:
    d = tmp_path / "deal"
    shutil.copytree(EXAMPLE, d)
    return d


def edit(path: Path, *pairs: tuple[str, str]) -> None:
    text = path.read_text()
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text)


def test_spec_errors_in_plain_words_with_classes_named_and_a_near_miss_suggested(
    deal: Path,
) -> None:
    edit(
        deal / "deal.toml",
        ("margin = 0.0034", "margn = 0.0034"),  # a typo in class A's coupon
        ('cusip = "885220DD2"\n', ""),  # M-1's CUSIP missing
        ('type = "SUB"', 'type = "SUBORDINATE"'),  # M-1's type not one of the four
        ("distribution_day = 25", "distribution_day = 45"),
        ('kind = "floating"', 'kind = "floating"\nrate = "two"'),
    )
    err = refused("check", str(deal))
    for phrase in LIBRARY_PHRASES:
        assert phrase not in err, (phrase, err)
    assert "classes[0] (A).coupon.margn: found 0.0034; expected a field name" in err
    assert "did you mean 'margin'?" in err
    assert "classes[1] (M-1).cusip: found '(missing)'; expected a value for this field" in err
    assert "classes[1] (M-1).type: found 'SUBORDINATE'; expected one of 'SEN', 'SUB'" in err
    assert "dates.distribution_day: found 45; expected a number of at most 31" in err
    assert "classes[0] (A).coupon.rate: found 'two'; expected a number" in err
    assert "Decimal(" not in err


def test_a_cross_check_names_the_class_too(deal: Path) -> None:
    edit(deal / "deal.toml", ("original_balance = 69.67", "original_balance = 70.00"))
    err = refused("check", str(deal))
    assert "classes[3] (B-IO).original_balance: found 70.00" in err


def test_remittance_errors_in_plain_words(deal: Path) -> None:
    edit(
        deal / "remittances" / "2003-04-25.toml",
        ("scheduled_interest =", "scheduled_intrest ="),
    )
    err = refused("close", str(deal), "--date", "2003-04-25", "--no-store")
    assert "interest.scheduled_intrest" in err and "did you mean 'scheduled_interest'?" in err
    assert "interest.scheduled_interest: found '(missing)'" in err
    for phrase in LIBRARY_PHRASES:
        assert phrase not in err


def test_a_missing_remittance_is_reported_missing(deal: Path, tmp_path: Path) -> None:
    (deal / "remittances" / "2003-06-25.toml").unlink()
    missing = str(deal / "remittances" / "2003-06-25.toml")
    err = refused("close", str(deal), "--date", "2003-07-25", "--no-store")
    assert err.startswith(f"error: {missing}: found '(missing)'; expected the servicer's")
    assert "beginning_balance" not in err  # not blamed on the next month's figures
    db = f"sqlite:///{tmp_path / 'r.db'}"
    for _ in range(2):
        ok("close", str(deal), "--next", "--quiet", "--db", db)
    err = refused("close", str(deal), "--next", "--db", db)
    assert err.startswith(f"error: {missing}: found '(missing)'")
    err = refused("close", str(deal), "--date", "2003-06-24", "--no-store")
    assert "a distribution date of the deal (the one after 2003-05-27 is 2003-06-25)" in err


def _string_constants() -> list[str]:
    out = []
    for f in (ROOT / "src" / "remit").rglob("*.py"):
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                out.append(node.value)
    return out


def test_no_message_names_a_command_that_does_not_exist() -> None:
    """Every ``remit WORD`` a string of the source shows as a command (in backquotes, or
    followed by an argument or option) is a command of the registry (or ``tape generate``)."""
    commands = set(COMMANDS)
    named = set()
    for text in _string_constants():
        named.update(re.findall(r"`remit ([a-z][a-z-]*)", text))
        named.update(re.findall(r"\bremit ([a-z][a-z-]*) (?:[A-Z_]{3,}|--|[a-z0-9.]+/|\{)", text))
    assert named, "the search finds the commands the messages name"
    assert named - commands == set()


def test_a_restatement_says_what_it_left_stale_and_refuses_to_repeat_itself(
    deal: Path, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'r.db'}"
    for _ in range(3):
        ok("close", str(deal), "--next", "--quiet", "--db", db)
    args = ["close", str(deal), "--date", "2003-04-25", "--restate", "--reason", "r"]
    err = refused(*args, "--quiet", "--db", db)
    assert "gives exactly the statement of its stored version 1" in err and "--force" in err
    amend_penalties(deal, "2003-04-25")
    _, err = ok(*args, "--quiet", "--db", db)
    assert "stored tmst-2003-2 2003-04-25 version 2 (amended)" in err
    assert "later periods now stale (2): 2003-05-27, 2003-06-25" in err
    assert f"remit close {deal} --date 2003-05-27 --restate" in err
    # a stale period is closed again even when its statement does not change
    _, err = ok(
        "close",
        str(deal),
        "--date",
        "2003-05-27",
        "--restate",
        "--reason",
        "r",
        "--quiet",
        "--db",
        db,
    )
    assert "later periods now stale (1): 2003-06-25" in err
    # forced, an unchanged restatement is stored
    _, err = ok(*args, "--force", "--quiet", "--db", db)
    assert "version 3 (amended)" in err


def test_diff_compares_two_stored_versions(deal: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'r.db'}"
    ok("close", str(deal), "--next", "--quiet", "--db", db)
    amend_penalties(deal, "2003-04-25")
    ok("close", str(deal), "--date", "2003-04-25", "--restate", "--reason", "r", "--db", db)
    code, out, err = run(
        "diff", "tmst-2003-2", "2003-04-25", "--version", "2", "--against", "1", "--db", db
    )
    assert code == 1, err
    assert out.startswith("tmst-2003-2 2003-04-25: stored version 2 against stored version 1")
    assert "version 1 14,000.00  version 2 14,010.00  difference +10.00" in out  # penalties
    doc = json.loads(
        run("diff", "tmst-2003-2", "2003-04-25", "--against", "1", "--format", "json", "--db", db)[
            1
        ]
    )
    assert doc["ours"]["version"] == 2 and doc["against"]["version"] == 1
    penalties = next(d for d in doc["differences"] if d["row"] == "deposit_prepayment_penalties")
    assert (penalties["published"], penalties["ours"]) == ("14,000.00", "14,010.00")
    assert penalties["difference"] == "10.00"
    code, out, _ = run(
        "diff", "tmst-2003-2", "2003-04-25", "--version", "1", "--against", "1", "--db", db
    )
    assert code == 0 and ": 602 cells agree, 0 differ" in out
    refused("diff", "tmst-2003-2", "2003-04-25", "--against", "7", "--db", db)


def test_no_figure_prints_in_exponent_notation_and_counts_print_alike(tmp_path: Path) -> None:
    """The residual classes' factors are zero once they are paid off: 0.00000000 in every
    output, never 0E-8; the loan count prints as the statement prints it."""
    db = f"sqlite:///{tmp_path / 'r.db'}"
    ok("close", str(EXAMPLE), "--next", "--quiet", "--db", db, "--out", str(tmp_path / "o1"))
    ok("close", str(EXAMPLE), "--next", "--quiet", "--db", db, "--out", str(tmp_path / "o2"))
    outputs = {
        "history": ok("history", "tmst-2003-2", "--db", db)[0],
        "history json": ok("history", "tmst-2003-2", "--format", "json", "--db", db)[0],
        "history csv": ok("history", "tmst-2003-2", "--format", "csv", "--db", db)[0],
        "show": ok("show", "tmst-2003-2", "2003-05-27", "--db", db)[0],
        "show json": ok("show", "tmst-2003-2", "2003-05-27", "--format", "json", "--db", db)[0],
        "explain": ok(
            "explain",
            "tmst-2003-2",
            "2003-05-27",
            "principal_factors_2",
            "R-1",
            "ending_balance",
            "--db",
            db,
        )[0],
    }
    for f in (tmp_path / "o2").iterdir():
        outputs[f.name] = f.read_text()
    for name, text in outputs.items():
        assert not EXPONENT.search(text), (name, EXPONENT.search(text))
    rows = list(csv.DictReader(io.StringIO(outputs["history csv"])))
    assert rows[1]["R-1_factor"] == "0.00000000"
    doc = json.loads(outputs["show json"])
    factors = next(s for s in doc["sections"] if s["key"] == "principal_factors_2")
    r1 = next(r for r in factors["rows"] if r["key"] == "R-1")
    assert r1["cells"]["ending_balance"]["value"] == "0.00000000"
    assert outputs["explain"].splitlines()[0].endswith("= 0.00000000")
    # the history table prints the pool's loans as the statement does: 2,371 (not 2371)
    table_line = next(x for x in outputs["history"].splitlines() if x.startswith("2003-05-27"))
    assert " 2,371 " in table_line and "2,371" in outputs["show"]


def test_version() -> None:
    out, _ = ok("--version")
    assert out == f"remit {remit.__version__}\n"


def test_formulas_print_amounts_as_the_statement_does() -> None:
    from remit.money import readable

    assert readable("scheduled interest 3962032.36 x 12 / 1047510098.26") == (
        "scheduled interest 3,962,032.36 x 12 / 1,047,510,098.26"
    )
    assert readable("factor 0E-8; rate 0.0165 on 2003-04-25; 1,041,984.29 + 574.65") == (
        "factor 0.00000000; rate 0.0165 on 2003-04-25; 1,041,984.29 + 574.65"
    )
