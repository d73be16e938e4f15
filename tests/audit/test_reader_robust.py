"""The reader copes with what real filings do. Each test changes the reference the way a
filing would and reads back the same cells."""

from __future__ import annotations

import re

from remit.audit.verify import verify_text
from remit.statement.reader import ReadResult, printed_places, read


def same_values(a: ReadResult, b: ReadResult) -> None:
    assert b.problems == []
    assert set(a.cells) == set(b.cells)
    for key in a.cells:
        assert a.value(key) == b.value(key), key


def test_reference_reads_whole(reference_read: ReadResult) -> None:
    assert len(reference_read.cells) == 602
    assert reference_read.problems == []
    assert reference_read.header == {"record_date": "3/31/03", "distribution_date": "4/25/03"}


def test_numbers_cut_by_the_column(reference_read: ReadResult) -> None:
    key = ("interest_distribution", "A", "original_face")
    assert reference_read.cells[key] == "1,039,673,900.0"
    assert printed_places(reference_read.cells[key]) == 1
    assert reference_read.cells[("interest_factors_2", "B-IO", "total_interest")] == (
        "382409096903.669"
    )


def test_thousands_separators_absent(reference_text: str, reference_read: ReadResult) -> None:
    stripped = re.sub(r"(?<=\d),(?=\d{3})", "", reference_text)
    assert "1060891869.76" in stripped
    same_values(reference_read, read(stripped))


def test_columns_that_drift(reference_text: str, reference_read: ReadResult) -> None:
    lines = reference_text.split("\n")
    shifted = []
    for i, line in enumerate(lines):
        if re.match(r"^\s*(A|M-1|M-2|B-IO|R-1|R-2|Totals)\s{2,}", line):
            # push every figure right by 1 or 2 columns, alternately
            line = re.sub(r"(?<=\s)(?=[\d(])", " " * (1 + i % 2), line)
        shifted.append(line)
    same_values(reference_read, read("\n".join(shifted)))


def test_labels_with_typos(reference_text: str, reference_read: ReadResult) -> None:
    text = reference_text.replace(
        "Ending Scheduled Collateral Balance", "Ending Sheduled Colateral Balance"
    )
    text = text.replace("Weighted Average Pass Through Rate", "Weighted Avg Pass Through Rate")
    res = read(text)
    same_values(reference_read, res)
    assert res.labels[("collateral", "ending_balance", "value")] == (
        "Ending Sheduled Colateral Balance"
    )


def test_page_furniture(reference_text: str, reference_read: ReadResult) -> None:
    text = reference_text.replace(
        "M-2        885220DE0",
        "\f\n                      Page 2 of 7\n\n<PAGE>\nM-2        885220DE0",
    ).replace("\n", "\r\n")
    text = text.replace("30 Days   24", "- 3 -\r\n30 Days   24")
    same_values(reference_read, read(text))


def test_wrapped_headings(reference_text: str, reference_read: ReadResult) -> None:
    text = reference_text.replace(
        "Principal Distribution Factors Statement (continued)",
        "Principal Distribution Factors\n                    Statement (continued)",
    )
    same_values(reference_read, read(text))


def test_several_exhibits_in_one_submission(
    reference_text: str, reference_read: ReadResult
) -> None:
    body = reference_text[reference_text.index("<TABLE>") :]
    other = "<TABLE>\n<CAPTION>\nSchedule of mortgage loans\n<S> <C>\nLoan 1    100.00\n</TABLE>\n"
    submission = (
        "<SEC-DOCUMENT>\n<DOCUMENT>\n<TYPE>10-D\n"
        + reference_text[: reference_text.index("<TABLE>")]
        + "</DOCUMENT>\n<DOCUMENT>\n<TYPE>EX-99.2\n"
        + other
        + "</DOCUMENT>\n<DOCUMENT>\n<TYPE>EX-99.1\n"
        + body
        + "\n</DOCUMENT>\n<DOCUMENT>\n<TYPE>EX-99.3\n"
        + other
        + "</DOCUMENT>\n"
    )
    res = read(submission)
    same_values(reference_read, res)
    # line numbers count from the top of the submission
    key = ("collateral", "oc_amount", "value")
    assert submission.split("\n")[res.lines[key] - 1].strip().endswith("69.76")


def test_the_bare_exhibit_verifies_like_the_8k(reference_text: str) -> None:
    bare = reference_text[reference_text.index("<TABLE>") :]

    def findings(text: str) -> list[tuple[str, str, str, str, str]]:
        return [
            (f.section, f.row, f.column, f.published, f.expected)
            for c in verify_text(text).causes
            for f in c.findings
        ]

    assert findings(bare) == findings(reference_text)
    assert len(findings(bare)) == 36


def test_totals_spelt_otherwise(reference_text: str, reference_read: ReadResult) -> None:
    text = reference_text.replace("\nTotals    ", "\nTOTAL     ").replace(
        "\n Totals   ", "\n Total    "
    )
    assert "\nTOTAL     26" in text
    same_values(reference_read, read(text))
