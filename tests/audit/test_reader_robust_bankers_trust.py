"""The reader copes with what real filings do, in the second layout family too: each test
changes the Bankers Trust reference the way a filing would and reads back the same cells."""

from __future__ import annotations

import re

from remit.statement.reader import ReadResult, read


def same_values(a: ReadResult, b: ReadResult) -> None:
    assert b.problems == []
    assert set(a.cells) == set(b.cells)
    for key in a.cells:
        assert a.value(key) == b.value(key), key


def test_thousands_separators_absent(bt_text: str, bt_read: ReadResult) -> None:
    stripped = re.sub(r"(?<=\d),(?=\d{3})", "", bt_text)
    assert "(497568.25)" in stripped
    same_values(bt_read, read(stripped))


def test_columns_that_drift(bt_text: str, bt_read: ReadResult) -> None:
    lines = bt_text.split("\n")
    shifted = []
    for i, line in enumerate(lines):
        if re.match(r"^\s*(I-|A-|C |R-|TOTALS|CLASS |[A-Z][A-Z .:&/~-]+\s{2,}[\d(])", line):
            line = re.sub(r"(?<=\s)(?=[\d(])", " " * (1 + i % 2), line)
        shifted.append(line)
    same_values(bt_read, read("\n".join(shifted)))


def unexpand(line: str) -> str:
    """Spaces up to each tab stop (every 8 columns) replaced by a tab, as editors save."""
    chunks = [line[i : i + 8] for i in range(0, len(line), 8)]
    out = []
    for chunk in chunks:
        body = chunk.rstrip(" ")
        out.append(body + "\t" if len(chunk) == 8 and len(chunk) - len(body) >= 2 else chunk)
    return "".join(out)


def test_transport(bt_text: str, bt_read: ReadResult) -> None:
    """CRLF line ends, tabs for spaces, form feeds between pages."""
    same_values(bt_read, read(bt_text.replace("\n", "\r\n")))
    tabbed = "\n".join(unexpand(line) for line in bt_text.split("\n"))
    assert tabbed.count("\t") > 1000
    same_values(bt_read, read(tabbed))
    same_values(bt_read, read(bt_text.replace("</TABLE>\n", "</TABLE>\n\f\n")))


def test_labels_with_typos(bt_text: str, bt_read: ReadResult) -> None:
    text = bt_text.replace("SCHEDULED PRINCIPAL RECEIVED", "SCHEDULED PRINCIPAL RECIEVED")
    text = text.replace("PRIOR PRINCIPAL BALANCE OF POOL:", "PRIOR PRINCIPAL BALANCE OF POL:")
    same_values(bt_read, read(text))


def test_more_page_furniture(bt_text: str, bt_read: ReadResult) -> None:
    text = bt_text.replace(
        "      A-3F  ", "\f\n                      Page 2 of 7\n\n<PAGE>\n      A-3F  ", 1
    )
    text = text.replace("   ADJ GROUP    PRINCIPAL", "- ------------\n   ADJ GROUP    PRINCIPAL")
    same_values(bt_read, read(text))


def test_several_exhibits_in_one_submission(bt_text: str, bt_read: ReadResult) -> None:
    other = "<TABLE>\n<CAPTION>\nSchedule of mortgage loans\n<S> <C>\nLoan 1    100.00\n</TABLE>\n"
    body = bt_text[bt_text.index("<TYPE>EX-20.1") :]
    submission = (
        bt_text[: bt_text.index("<TYPE>EX-20.1")]
        + "<TYPE>EX-99.2\n"
        + other
        + "</DOCUMENT>\n<DOCUMENT>\n"
        + body
    )
    res = read(submission)
    same_values(bt_read, res)
    key = ("remic_2", "C", "deferred_interest")
    assert submission.split("\n")[res.lines[key] - 1].split()[7] == "1,833,007.72"
