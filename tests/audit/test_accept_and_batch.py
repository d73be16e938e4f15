"""For auditors: ``--accept FILE`` (known, explained differences, the format of the golden
inconsistency file) on ``remit verify`` and ``remit diff``, and ``remit verify`` over many
filings (files or directories), one summary row each, the worst status."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from tests.audit.import_diff_helpers import (
    INCONSISTENCIES,
    REFERENCE,
    close_first,
    import_file,
    run,
)
from tests.conftest import GOLDEN

BANKERS_TRUST = GOLDEN / "aames-1998-c-1998-12-15.bankers-trust.8k.txt"


def rows() -> list[dict[str, str]]:
    with INCONSISTENCIES.open(newline="") as fh:
        return list(csv.DictReader(fh))


def write(path: Path, data: list[dict[str, str]]) -> Path:
    with path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["section", "row", "column", "published", "ours", "why"])
        w.writeheader()
        w.writerows(data)
    return path


def test_every_difference_accepted_passes() -> None:
    res = run("verify", str(REFERENCE), "--accept", str(INCONSISTENCIES))
    assert res.exit_code == 0, res.output
    assert "36 cells accepted, 0 not" in res.output
    assert "Result: accepted" in res.output
    doc = json.loads(
        run("verify", str(REFERENCE), "--accept", str(INCONSISTENCIES), "--format", "json").output
    )
    assert doc["result"] == "accepted" and doc["consistent"] is False
    assert doc["accepted"]["all_accepted"] is True
    assert len(doc["accepted"]["accepted"]) == 36 and doc["accepted"]["stale"] == []


def test_a_difference_not_listed_fails(tmp_path: Path) -> None:
    data = [r for r in rows() if r["section"] != "collateral" or r["row"] != "oc_amount"]
    assert len(data) == 35
    res = run("verify", str(REFERENCE), "--accept", str(write(tmp_path / "a.csv", data)))
    assert res.exit_code == 1
    assert "35 cells accepted, 1 not" in res.output
    assert "Result: inconsistent" in res.output


def test_a_listed_difference_no_longer_found_is_stale_not_an_error(tmp_path: Path) -> None:
    extra = {
        "section": "collateral",
        "row": "wam",
        "column": "value",
        "published": "331",
        "ours": "332",
        "why": "an old misprint, corrected since",
    }
    res = run(
        "verify", str(REFERENCE), "--accept", str(write(tmp_path / "a.csv", [*rows(), extra]))
    )
    assert res.exit_code == 0, res.output
    assert "Stale (listed in" in res.output and "row 38: collateral/wam/value 331" in res.output


def test_another_misprint_of_an_accepted_cell_is_not_accepted(tmp_path: Path) -> None:
    """B-IO's distribution is accepted as 2,667,685.86; printed 2,667,685.96 it is a new
    difference."""
    text = REFERENCE.read_text("utf-8")
    line = next(
        x for x in text.splitlines() if x.lstrip().startswith("B-IO") and "2,667,685.86" in x
    )
    f = tmp_path / "changed.txt"
    f.write_text(text.replace(line, line.replace("2,667,685.86", "2,667,685.96"), 1))
    res = run("verify", str(f), "--accept", str(INCONSISTENCIES))
    assert res.exit_code == 1
    assert "Result: inconsistent" in res.output


def test_a_bad_accept_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("cell,value\na,b\n")
    res = run("verify", str(REFERENCE), "--accept", str(bad))
    assert res.exit_code == 2
    assert "section, row, column, published" in res.stderr and str(bad) in res.stderr
    gap = tmp_path / "gap.csv"
    gap.write_text("section,row,column,published,ours,why\ncollateral,wam,,332,332,x\n")
    res = run("verify", str(REFERENCE), "--accept", str(gap))
    assert res.exit_code == 2 and "row 2" in res.stderr
    res = run("verify", str(REFERENCE), "--accept", str(tmp_path / "none.csv"))
    assert res.exit_code == 2 and "no such file" in res.stderr


def test_many_filings_one_row_each_and_the_worst_status(tmp_path: Path) -> None:
    d = tmp_path / "filings"
    d.mkdir()
    shutil.copy(REFERENCE, d / "a-tmst.txt")
    shutil.copy(BANKERS_TRUST, d / "b-aames.txt")
    (d / "c-notes.txt").write_text("not a statement\n")
    (d / ".hidden").write_text("ignored\n")
    res = run("verify", str(d))
    assert res.exit_code == 2
    lines = res.output.splitlines()
    assert lines[0].split() == [
        "file",
        "layout",
        "cells",
        "identities",
        "inconsistencies",
        "rounding",
        "notes",
        "result",
    ]
    tmst = next(x for x in lines if "a-tmst.txt" in x).split()
    assert tmst[1:] == ["ctslink", "602", "398", "5", "0", "inconsistent"]
    aames = next(x for x in lines if "b-aames.txt" in x).split()
    assert aames[1:] == ["bankers-trust", "668", "397", "0", "10", "consistent"]
    assert "unreadable: no layout remit knows" in next(x for x in lines if "c-notes" in x)
    assert "3 files: 1 consistent, 1 inconsistent, 1 unreadable" in res.output
    doc = json.loads(run("verify", str(d), "--format", "json").output)
    assert [Path(x["file"]).name for x in doc] == ["a-tmst.txt", "b-aames.txt", "c-notes.txt"]
    assert [x["result"] for x in doc] == ["inconsistent", "consistent", "unreadable"]
    assert doc[2]["problems"][0]["value"] == "no layout remit knows"
    # the worst of the readable: 1; all accepted or consistent: 0
    res = run("verify", str(d / "a-tmst.txt"), str(d / "b-aames.txt"))
    assert res.exit_code == 1
    res = run(
        "verify", str(d / "a-tmst.txt"), str(d / "b-aames.txt"), "--accept", str(INCONSISTENCIES)
    )
    assert res.exit_code == 0, res.output
    assert "accepted" in next(x for x in res.output.splitlines() if "a-tmst.txt" in x)


def test_diff_accepts_the_listed_differences(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'remit.db'}"
    close_first(url)
    import_file(url)
    res = run("diff", "tmst-2003-2", "2003-04-25", "--db", url)
    assert res.exit_code == 1
    res = run("diff", "tmst-2003-2", "2003-04-25", "--db", url, "--accept", str(INCONSISTENCIES))
    assert res.exit_code == 0, res.output
    assert "36 cells accepted, 0 not" in res.output and "Result: accepted" in res.output
    less = write(tmp_path / "a.csv", rows()[1:])
    res = run(
        "diff", "tmst-2003-2", "2003-04-25", "--db", url, "--accept", str(less), "--format", "json"
    )
    assert res.exit_code == 1
    doc = json.loads(res.output)
    assert doc["result"] == "different" and len(doc["accepted"]["not_accepted"]) == 1
