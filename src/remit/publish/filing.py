"""The complete filing around a statement: Form 8-K or Form 10-D, cover page to the last line
of Exhibit 99.1, as the securities administrator files it on EDGAR.

* Form 8-K before 23 August 2004 (the reference's era): Item 5 (Other Events) and Item 7
  (Financial Statements and Exhibits), laid out line for line as the reference filing.
* Form 8-K from 23 August 2004 (the items renumbered): Item 8.01 and Item 9.01.
* Form 10-D (Regulation AB): the cover page, Part I Item 1 (Distribution and Pool
  Information), Part II Item 9 (Exhibits), the signature and the exhibit index.

The cover page comes from the deal's ``[registrant]``; the exhibit is the stored statement
text exactly as closed."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Literal

from remit import dates
from remit.errors import RemitError
from remit.spec.models import Registrant

Form = Literal["8-K", "10-D"]
ITEMS_RENUMBERED = date(2004, 8, 23)  # Form 8-K items 8.01 / 9.01 in force from this date


def long_date(d: date) -> str:
    """'April 25, 2003'."""
    return f"{d:%B} {d.day}, {d.year}"


def short_date(d: date) -> str:
    """'5/5/03', as the signature block dates the report."""
    return f"{d.month}/{d.day}/{d.year % 100:02d}"


def filing_date(r: Registrant, distribution: date) -> date:
    """The distribution date plus the registrant's filing business days."""
    d = distribution
    for _ in range(r.filing_business_days):
        d += timedelta(days=1)
        while not dates.is_business_day(d):
            d += timedelta(days=1)
    return d


def _wrap(text: str, indent: int, width: int, first: str = "") -> list[str]:
    """``text`` wrapped to ``width`` columns starting at column ``indent``; the first line
    begins with ``first`` (padded to the indent)."""
    lines = textwrap.wrap(text, width=width, break_on_hyphens=False) or [""]
    out = [first.ljust(indent) + lines[0]]
    out += [" " * indent + line for line in lines[1:]]
    return out


def _centred(lines: Sequence[str], width: int = 83) -> list[str]:
    return [" " * max((width - len(s)) // 2, 0) + s for s in lines]


def _columns(cells: Sequence[tuple[int, str]]) -> str:
    """Text placed at columns, at least one space apart."""
    line = ""
    for col, text in cells:
        line = (
            (line.ljust(col) if len(line) < col else line + " ") + text
            if line
            else " " * col + text
        )
    return line.rstrip()


def _exhibit_description(r: Registrant, distribution: date) -> str:
    return (
        f"Monthly report distributed to holders of {r.securities}, relating to the "
        f"{long_date(distribution)} distribution."
    )


def _heading(form: str, title: Sequence[str]) -> list[str]:
    return [
        "UNITED STATES",
        " " * 24 + "SECURITIES AND EXCHANGE COMMISSION",
        " " * 30 + "Washington D. C. 20549",
        "",
        *_centred([f"Form {form}"], 82),
        "",
        *title,
        "",
        "",
        "",
        "",
    ]


def _cover_8k(r: Registrant, distribution: date) -> list[str]:
    state = [
        f"{r.state} (governing law of",
        "Pooling and Servicing Agreement)",
        "(State or other",
        "jurisdiction",
        "of Incorporation)",
    ]
    middle = [r.commission_file_number, "(Commission", "File Number)"]
    right = [r.irs_ein, "IRS EIN"]
    block = [
        _columns(
            [
                (0, state[i]),
                (37, middle[i] if i < len(middle) else ""),
                (56, right[i] if i < len(right) else ""),
            ]
        )
        for i in range(len(state))
    ]
    return [
        *_heading(
            "8-K",
            [
                " " * 16 + "Current Report Pursuant to Section 13 or 15(d) of",
                " " * 23 + "The Securities Exchange Act of 1934",
            ],
        ),
        " " * 9 + f"Date of Report (Date of earliest event reported):  {long_date(distribution)}",
        "",
        "",
        *_centred(r.name),
        " " * 14 + "(Exact name of registrant as specified in its charter)",
        "",
        *block,
        "",
        "",
        "",
        "",
        *_address(r),
    ]


def _address(r: Registrant) -> list[str]:
    lines = [" " * 7 + a for a in r.address[:-1]]
    lines.append(_columns([(7, r.address[-1]), (59, r.zip)]))
    lines.append(_columns([(7, "(Address of principal executive offices)"), (59, "(Zip Code)")]))
    return [
        *lines,
        "",
        " " * 7 + f"Registrant's telephone number, including area code:  {r.telephone}",
        "",
        "",
        " " * 7 + "(Former name or former address, if changed since last report)",
    ]


def _exhibit_table(r: Registrant, distribution: date) -> list[str]:
    return [
        _columns([(11, "Exhibit Number"), (46, "Description")]),
        "",
        *_wrap(_exhibit_description(r, distribution), 46, 32, " " * 11 + r.exhibit),
    ]


def _signature(r: Registrant, filed: date) -> list[str]:
    return [
        "Pursuant to the requirements of the Securities Exchange Act of 1934, the",
        "registrant has duly caused this report to be signed on its behalf by the",
        "undersigned hereunto duly authorized.",
        "",
        "",
        "",
        *_centred(r.name),
        "",
        *_wrap(
            f"{r.securities_administrator}, as Securities Administrator", 20, 60, " " * 13 + "By:"
        ),
        " " * 13 + f"By:   /s/   {r.signer}, {r.signer_title}",
        " " * 13 + f"By:    {r.signer}, {r.signer_title}",
        "",
        " " * 13 + f"Date:   {short_date(filed)}",
    ]


def _exhibit_index(r: Registrant, distribution: date) -> list[str]:
    return [
        " " * 33 + "INDEX TO EXHIBITS",
        "",
        "",
        _columns([(0, "Exhibit Number"), (29, "Description")]),
        "",
        *_wrap(_exhibit_description(r, distribution), 29, 51, r.exhibit),
        "",
        "",
        "",
        "",
        "",
        " " * 19 + r.exhibit,
        "",
    ]


def _distribution_paragraph(r: Registrant, distribution: date) -> list[str]:
    holders = ", ".join(r.name)
    return textwrap.wrap(
        f"On {long_date(distribution)} a distribution was made to holders of {holders}.",
        width=80,
        break_on_hyphens=False,
    )


def form_8k(r: Registrant, distribution: date, filed: date, exhibit: str) -> str:
    """Form 8-K: Items 5 and 7 before 23 August 2004, Items 8.01 and 9.01 from then on."""
    old = filed < ITEMS_RENUMBERED
    events, exhibits = ("ITEM 5.  ", "ITEM 7.  ") if old else ("ITEM 8.01  ", "ITEM 9.01  ")
    lines = _cover_8k(r, distribution)
    if not old:
        lines += ["", *_check_boxes()]
    lines += [
        "",
        "",
        "",
        events + "Other Events",
        "",
        *_distribution_paragraph(r, distribution),
        "",
        "",
        exhibits + "Financial Statements and Exhibits",
        "",
        "      (c)  Exhibits furnished in accordance with Item 601(a) of"
        if old
        else "      (d)  Exhibits furnished in accordance with Item 601(a) of",
        "Regulation S-K",
        "",
        "",
        *_exhibit_table(r, distribution),
        "",
        "",
        "",
        *_signature(r, filed),
        *_exhibit_index(r, distribution),
    ]
    return _join(lines, exhibit)


def _check_boxes() -> list[str]:
    return [
        "Check the appropriate box below if the Form 8-K filing is intended to simultaneously",
        "satisfy the filing obligation of the registrant under any of the following provisions:",
        "",
        "[ ] Written communications pursuant to Rule 425 under the Securities Act (17 CFR 230.425)",
        "[ ] Soliciting material pursuant to Rule 14a-12 under the Exchange Act",
        "    (17 CFR 240.14a-12)",
        "[ ] Pre-commencement communications pursuant to Rule 14d-2(b) under the Exchange Act",
        "    (17 CFR 240.14d-2(b))",
        "[ ] Pre-commencement communications pursuant to Rule 13e-4(c) under the Exchange Act",
        "    (17 CFR 240.13e-4(c))",
    ]


def _join(lines: list[str], exhibit: str) -> str:
    return "\n".join(line.rstrip() for line in lines) + "\n" + exhibit


def _require(r: Registrant, form: str, *fields: str) -> None:
    missing = [f for f in fields if getattr(r, f) is None]
    if missing:
        raise RemitError.one(
            "deal.toml",
            f"registrant.{missing[0]}",
            "(missing)",
            f"the {', '.join(missing)} of the registrant: Form {form} names them",
        )


def form_10d(
    r: Registrant,
    distribution: date,
    period_start: date,
    filed: date,
    classes: Sequence[str],
    exhibit: str,
) -> str:
    """Form 10-D: cover page, Part I Item 1, Part II Item 9, signature, exhibit index."""
    _require(r, "10-D", "depositor", "depositor_file_number", "sponsor")
    assert r.depositor and r.depositor_file_number and r.sponsor
    lines = _heading(
        "10-D",
        _centred(
            [
                "ASSET-BACKED ISSUER DISTRIBUTION REPORT",
                "Pursuant to Section 13 or 15(d) of the Securities Exchange Act of 1934",
            ],
            82,
        ),
    )
    lines += [
        " " * 9
        + "For the monthly distribution period from: "
        + f"{long_date(period_start)} to {long_date(distribution)}",
        "",
        " " * 9 + f"Commission File Number of issuing entity:  {r.commission_file_number}",
        "",
        *_centred(r.name),
        *_centred(["(Exact name of issuing entity as specified in its charter)"]),
        "",
        " " * 9 + f"Commission File Number of depositor:  {r.depositor_file_number}",
        "",
        *_centred([r.depositor, "(Exact name of depositor as specified in its charter)"]),
        "",
        *_centred([r.sponsor, "(Exact name of sponsor as specified in its charter)"]),
        "",
        _columns([(0, r.state), (56, r.irs_ein)]),
        _columns([(0, "(State or other jurisdiction of"), (56, "(I.R.S. Employer")]),
        _columns([(0, "incorporation or organization"), (56, "Identification No.)")]),
        "of the issuing entity)",
        "",
        *_address(r),
        "",
        *_registration_table(classes),
        "",
        *textwrap.wrap(
            "Indicate by check mark whether the registrant (1) has filed all reports required "
            "to be filed by Section 13 or 15(d) of the Securities Exchange Act of 1934 during "
            "the preceding 12 months (or for such shorter period that the registrant was "
            "required to file such reports), and (2) has been subject to such filing "
            "requirements for the past 90 days.   Yes  X    No",
            width=80,
        ),
        "",
        "",
        *_part_i(r, distribution),
        *_part_ii(r, distribution),
        *_signature(r, filed),
        *_exhibit_index(r, distribution),
    ]
    return _join(lines, exhibit)


def _registration_table(classes: Sequence[str]) -> list[str]:
    head = [
        (0, "Title of Class"),
        (20, "Section 12(b)"),
        (36, "Section 12(g)"),
        (52, "Section 15(d)"),
        (68, "Name of Exchange"),
    ]
    out = ["Registered/reporting pursuant to (check one)", "", _columns(head), ""]
    for name in classes:
        out.append(_columns([(0, name), (24, "[ ]"), (40, "[ ]"), (56, "[X]"), (68, "")]))
    return out


def _part_i(r: Registrant, distribution: date) -> list[str]:
    return [
        "PART I - DISTRIBUTION INFORMATION",
        "",
        "ITEM 1.  Distribution and Pool Information",
        "",
        *_distribution_paragraph(r, distribution),
        "",
        *textwrap.wrap(
            "The distribution and pool information required by Item 1121 of Regulation AB "
            f"is set forth in the monthly report in Exhibit {r.exhibit[3:]}.",
            width=80,
        ),
        "",
        "",
    ]


def _part_ii(r: Registrant, distribution: date) -> list[str]:
    return [
        "PART II - OTHER INFORMATION",
        "",
        "ITEM 9.  Exhibits",
        "",
        "      (a)  Documents filed as part of this report:",
        "",
        *_exhibit_table(r, distribution),
        "",
        *textwrap.wrap(
            "      (b)  The exhibits required to be filed by the registrant pursuant to this "
            "form are listed above and in the Exhibit Index that immediately follows the "
            "signature page hereof.",
            width=80,
        ),
        "",
        "",
        "",
    ]


def filing(
    registrant: Registrant | None,
    form: str,
    distribution: date,
    prior_distribution: date | None,
    closing: date,
    classes: Sequence[str],
    exhibit: str,
    filed: date | None = None,
) -> str:
    """The whole filing text of ``form`` ('8-K' or '10-D') around ``exhibit`` (the statement's
    EDGAR text). ``filed`` defaults to the registrant's filing date rule."""
    if registrant is None:
        raise RemitError.one(
            "deal.toml",
            "registrant",
            "(missing)",
            "a [registrant] section (name, state, commission_file_number, address, ...)",
        )
    if form not in ("8-K", "10-D"):
        raise RemitError.one("(command line)", "--form", form, "8-K or 10-D")
    when = filed or filing_date(registrant, distribution)
    if form == "8-K":
        return form_8k(registrant, distribution, when, exhibit)
    start = prior_distribution + timedelta(days=1) if prior_distribution else closing
    return form_10d(registrant, distribution, start, when, classes, exhibit)
