"""The complete Form 8-K of the reference, cover page to the last line of Exhibit 99.1,
reproduced from the example deal's stored period; and the structure of the Regulation AB
forms (8-K items 8.01/9.01, 10-D)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from remit.cli import app
from remit.publish.filing import filing, filing_date
from remit.spec.load import load_spec

from .conftest import DEALS, ClosedStore

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
REFERENCE = GOLDEN / "tmst-2003-2-2003-04-25.8k.txt"
INCONSISTENCIES = GOLDEN / "tmst-2003-2-2003-04-25.inconsistencies.csv"


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(app, list(args))
    return r.exit_code, r.stdout, r.stderr


@pytest.fixture(scope="module")
def ours(closed_store: ClosedStore, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    out = tmp_path_factory.mktemp("filing") / "8-K.txt"
    code, _, err = run(
        "filing",
        "tmst-2003-2",
        "2003-04-25",
        "--form",
        "8-K",
        "--out",
        str(out),
        "--db",
        closed_store.url,
    )
    assert code == 0, err
    return out.read_text(encoding="ascii").splitlines()


def test_the_wrapper_is_the_reference_line_for_line(ours: list[str]) -> None:
    """Everything before the exhibit's first <TABLE>: cover page, Items 5 and 7, signature,
    exhibit index, the exhibit's heading -- exactly."""
    theirs = REFERENCE.read_text(encoding="ascii").splitlines()
    head = theirs.index("<TABLE>")
    assert ours.index("<TABLE>") == head == 92
    assert ours[:head] == theirs[:head]


def test_the_exhibit_is_the_reference_but_for_its_listed_inconsistencies(
    ours: list[str],
) -> None:
    """After the wrapper, the statement: the same lines, except where the published exhibit
    prints a cell the golden test lists as inconsistent, or a number cut to its column."""
    theirs = REFERENCE.read_text(encoding="ascii").splitlines()
    assert len(ours) == len(theirs)
    with INCONSISTENCIES.open(newline="") as fh:
        published = {r["published"] for r in csv.DictReader(fh)}
    allowed = published | {"1,039,673,900.0", "10,000,000.000000"}
    differing = [(a, b) for a, b in zip(ours, theirs, strict=True) if a != b]
    assert 0 < len(differing) < 40
    for mine, pub in differing:
        assert set(pub.split()) & allowed, (pub, mine)
    assert ours[-1] == theirs[-1] == "    </TABLE>"


def test_filing_date_is_six_business_days_after_the_distribution() -> None:
    spec = load_spec(DEALS["tmst-2003-2"] / "deal.toml")
    assert spec.registrant is not None
    # Friday 25 April 2003 + 6 business days = Monday 5 May 2003 (the reference's "5/5/03")
    assert filing_date(spec.registrant, date(2003, 4, 25)) == date(2003, 5, 5)
    # over the Memorial Day holiday: Tue 27 May + 6 = Wed 4 June
    assert filing_date(spec.registrant, date(2003, 5, 27)) == date(2003, 6, 4)


def _regulation_ab(form: str, filed: date) -> list[str]:
    spec = load_spec(DEALS["psmt-2003-s1"] / "deal.toml")
    text = filing(
        spec.registrant,
        form,
        date(2006, 3, 27),
        date(2006, 2, 27),
        spec.dates.closing,
        [f"Class {c.name}" for c in spec.classes],
        "<TABLE>\nSTATEMENT\n</TABLE>\n",
        filed,
    )
    return text.splitlines()


def test_8k_after_august_2004_uses_items_801_and_901() -> None:
    lines = _regulation_ab("8-K", date(2006, 4, 10))
    assert "ITEM 8.01  Other Events" in lines
    assert "ITEM 9.01  Financial Statements and Exhibits" in lines
    assert not any(line.startswith(("ITEM 5.", "ITEM 7.")) for line in lines)
    assert any("Written communications pursuant to Rule 425" in line for line in lines)
    assert lines[-3:] == ["<TABLE>", "STATEMENT", "</TABLE>"]
    assert any(line.strip() == "Date:   4/10/06" for line in lines)


def test_10d_has_its_cover_page_part_i_item_1_item_9_and_exhibit_index() -> None:
    lines = _regulation_ab("10-D", date(2006, 4, 10))
    text = "\n".join(lines)
    order = [
        "Form 10-D",
        "ASSET-BACKED ISSUER DISTRIBUTION REPORT",
        "For the monthly distribution period from: February 28, 2006 to March 27, 2006",
        "Commission File Number of issuing entity:  333-00000-01",
        "(Exact name of issuing entity as specified in its charter)",
        "Commission File Number of depositor:  333-00000",
        "(Exact name of depositor as specified in its charter)",
        "(Exact name of sponsor as specified in its charter)",
        "Registered/reporting pursuant to (check one)",
        "PART I - DISTRIBUTION INFORMATION",
        "ITEM 1.  Distribution and Pool Information",
        "Item 1121 of Regulation AB",
        "PART II - OTHER INFORMATION",
        "ITEM 9.  Exhibits",
        "Pursuant to the requirements of the Securities Exchange Act of 1934",
        "INDEX TO EXHIBITS",
        "EX-99.1",
        "<TABLE>",
    ]
    at = 0
    for part in order:  # each part present, after the one before
        at = text.find(part, at)
        assert at >= 0, part
    # one line per class in the registration table, reported under Section 15(d)
    assert sum(1 for line in lines if line.startswith("Class ") and "[X]" in line) == 11
    assert max(len(line) for line in lines[: lines.index("<TABLE>")]) <= 92


def test_10d_without_depositor_is_refused(closed_store: ClosedStore) -> None:
    code, out, err = run(
        "filing", "tmst-2003-2", "2003-04-25", "--form", "10-D", "--db", closed_store.url
    )
    assert code == 2 and out == ""
    assert "registrant.depositor" in err


def test_unknown_form_date_and_deal_are_located(closed_store: ClosedStore) -> None:
    code, _, err = run(
        "filing", "tmst-2003-2", "2003-04-25", "--form", "10-K", "--db", closed_store.url
    )
    assert code == 2 and "--form" in err
    code, _, err = run("filing", "tmst-2003-2", "2001-01-01", "--db", closed_store.url)
    assert code == 2 and "2001-01-01" in err
    code, _, err = run("filing", "nope", "2003-04-25", "--db", closed_store.url)
    assert code == 2 and "nope" in err


def test_a_10d_from_the_command_line_end_to_end(tmp_path: Path) -> None:
    """A Regulation AB deal (the shifting example names its depositor and sponsor): its first
    date closed into a store, then ``remit filing --form 10-D``; the file carries the stored
    statement as Exhibit 99.1 whole, and ``remit verify`` reads it back as a consistent 10-D."""
    deal = Path(__file__).resolve().parents[2] / "examples" / "prime-senior-sub"
    url = f"sqlite:///{tmp_path / 'remit.db'}"
    code, _, err = run("close", str(deal), "--next", "--db", url, "--quiet")
    assert code == 0, err
    out = tmp_path / "10d.txt"
    code, _, err = run(
        "filing", "psmt-2003-s1", "2003-07-25", "--form", "10-D", "--out", str(out), "--db", url
    )
    assert code == 0, err
    text = out.read_text("ascii")
    code, stored, err = run("show", "psmt-2003-s1", "2003-07-25", "--db", url)
    assert code == 0, err
    assert stored.strip() in text
    for part in (
        "Form 10-D",
        "For the monthly distribution period from: June 27, 2003 to July 25, 2003",
        "PRIME SENIOR/SUBORDINATE MORTGAGE TRUST 2003-S1",
        "Example Prime Mortgage Securities, Inc.",
        "ITEM 1.  Distribution and Pool Information",
        "EX-99.1",
    ):
        assert part in text, part
    code, report, err = run("verify", str(out))
    assert code == 0, (report, err)
