"""``remit import`` and ``remit diff`` on SQLite and PostgreSQL: the reference statement's
figures stored beside its period, and our close against it cell by cell -- exactly the 36
cells of the inconsistencies CSV, with the ledger explanation of each of our figures."""

from __future__ import annotations

import hashlib
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

import remit
from remit.spec import parse_spec
from remit.spec.load import read_text
from remit.store import Store
from remit.store.engine import alembic_config, make_engine, parse_url, script_directory, writing
from remit.store.models import Base, PublishedCellRow
from remit.workflows import close_into, close_period, diff, import_published, import_statement
from tests.audit.import_diff_helpers import (
    DATE,
    DEAL_ID,
    REFERENCE,
    close_first,
    dump,
    import_file,
    listed,
    run,
)
from tests.conftest import EXAMPLE
from tests.store.conftest import db_url, deal_dir  # noqa: F401  (fixtures)
from tests.store.helpers import amend_penalties

UNREACHABLE = "postgresql://remit@127.0.0.1:1/nothing"


def diff_json(url: str, *extra: str, code: int = 1) -> dict[str, object]:
    res = run("diff", DEAL_ID, DATE, "--db", url, "--format", "json", *extra)
    assert res.exit_code == code, (res.exit_code, res.stdout, res.stderr)
    out: dict[str, object] = json.loads(res.stdout)
    return out


def version_of(doc: dict[str, object]) -> object:
    """Which of our statement's versions a diff used."""
    ours = doc["ours"]
    assert isinstance(ours, dict)
    return ours["version"]


def differences(doc: dict[str, object]) -> list[dict[str, object]]:
    rows = doc["differences"]
    assert isinstance(rows, list)
    return rows


def test_reference_differs_in_exactly_the_listed_cells(db_url: str) -> None:  # noqa: F811
    close_first(db_url)
    res = import_file(db_url)
    assert "imported: tmst-2003-2 2003-04-25 published version 1, 602 cells" in res.stdout
    doc = diff_json(db_url)
    rows = differences(doc)
    expected = listed()
    assert len(expected) == 36
    assert {(r["section"], r["row"], r["column"]) for r in rows} == set(expected)
    for r in rows:
        want = expected[(str(r["section"]), str(r["row"]), str(r["column"]))]
        assert (r["published"], r["ours"]) == (want["published"], want["ours"]), r
    assert (doc["cells_agree"], doc["cells_differ"], doc["identical"]) == (566, 36, False)
    # the difference is published - ours, exactly
    by_key = {(r["section"], r["row"], r["column"]): r for r in rows}
    bio = by_key[("distribution_summary", "B-IO", "beginning_balance")]
    assert (bio["difference"], bio["row_label"]) == ("0.09", "B-IO")
    assert bio["column_label"] == "Beginning Certificate Balance"
    pt = by_key[("collateral", "pass_through_rate", "value")]
    assert (pt["difference"], pt["row_label"]) == (
        "-0.000001",
        "Weighted Average Pass-Through Rate",
    )
    assert pt["section_title"] == "Collateral Statement" and pt["published_line"] == 509
    # our figure's explanation: the trace and the ledger postings it names, from the ledger
    interest = by_key[("distribution_summary", "B-IO", "interest_distribution")]
    explanation = interest["explanation"]
    assert isinstance(explanation, dict)
    assert explanation["rule"] == "interest distribution"
    postings = {p["step"]: p["amount"] for p in explanation["postings"]}
    assert postings == {"excess.remainder": "2653685.85", "prepayment_penalties": "14000.00"}
    stored = Store.open(db_url, create=False)
    try:
        ledger = json.loads(stored.period(DEAL_ID, DATE).ledger_json)
    finally:
        stored.dispose()
    for p in explanation["postings"]:
        assert ledger[p["index"]]["amount"] == p["amount"]
    # the text report says the same
    text = run("diff", DEAL_ID, DATE, "--db", db_url)
    assert text.exit_code == 1
    assert "566 cells agree, 36 differ" in text.stdout
    assert "published 2,667,685.86  ours 2,667,685.85  difference +0.01" in text.stdout
    assert "excess.remainder" in text.stdout


def test_cells_are_stored_exactly(db_url: str) -> None:  # noqa: F811
    import_file(db_url)  # before any close: a deal's published history comes first
    with Store.open(db_url, create=False) as store:
        pub = store.published(DEAL_ID, DATE)
        assert (pub.version, pub.current, len(pub.cells)) == (1, True, 602)
        assert pub.record_date is not None and pub.record_date.isoformat() == "2003-03-31"
        assert pub.text == REFERENCE.read_text("utf-8")
        cells = pub.cell_map()
        assert cells[("distribution_summary", "A", "interest_distribution")].value == Decimal(
            "1041984.29"
        )
        with Session(store.engine) as conn:
            rows = {
                (r.section, r.row_key, r.column_key): r
                for r in conn.execute(select(PublishedCellRow)).scalars()
            }
    assert len(rows) == 602
    a = rows[("distribution_summary", "A", "interest_distribution")]
    assert (a.amount, a.number, a.printed) == (Decimal("1041984.29"), None, "1,041,984.29")
    # numbers the published statement cut to the column width keep their exact value
    cut = rows[("interest_distribution", "A", "original_face")]
    assert (cut.printed, cut.amount) == ("1,039,673,900.0", Decimal("1039673900.00"))
    factor = rows[("principal_factors_2", "B-IO", "ending_balance")]
    assert (factor.printed, factor.number) == ("10,000,000.000000", Decimal("10000000"))
    rate = rows[("distribution_summary", "A", "rate")]
    assert (rate.amount, rate.number) == (None, Decimal("1.64000000"))
    cusip = rows[("distribution_summary", "A", "cusip")]
    assert (cusip.printed, cusip.amount, cusip.number) == ("885220DC4", None, None)


def test_our_statement_imported_as_published_is_identical(
    db_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    close_first(db_url)
    with Store.open(db_url, create=False) as store:
        ours = tmp_path / "ours.txt"
        ours.write_text(store.period(DEAL_ID, DATE).statement_text)
    import_file(db_url, ours)
    doc = diff_json(db_url, code=0)
    assert (doc["cells_agree"], doc["cells_differ"], doc["identical"]) == (602, 0, True)
    res = run("diff", DEAL_ID, DATE, "--db", db_url)
    assert res.exit_code == 0
    assert "602 cells agree, 0 differ" in res.stdout


def test_the_same_file_again_stores_nothing(db_url: str) -> None:  # noqa: F811
    close_first(db_url)
    import_file(db_url)
    before = dump(db_url)
    res = import_file(db_url)
    assert res.stdout.startswith("already imported (nothing stored)")
    assert "published version 1" in res.stdout
    assert dump(db_url) == before


def test_another_file_for_the_date_is_version_2(db_url: str, tmp_path: Path) -> None:  # noqa: F811
    close_first(db_url)
    import_file(db_url)
    # the reference with B-IO's transposed balance corrected where it is printed
    fixed = tmp_path / "corrected.txt"
    fixed.write_text(REFERENCE.read_text("utf-8").replace(" 69.76 ", " 69.67 "))
    res = import_file(db_url, fixed)
    assert "published version 2" in res.stdout
    latest = differences(diff_json(db_url))
    first = differences(diff_json(db_url, "--published-version", "1"))
    assert len(first) == 36
    gone = {(r["section"], r["row"], r["column"]) for r in first} - {
        (r["section"], r["row"], r["column"]) for r in latest
    }
    assert gone and all(r[1] == "B-IO" for r in gone)
    assert {(r["section"], r["row"], r["column"]) for r in latest} < {
        (r["section"], r["row"], r["column"]) for r in first
    }
    with Store.open(db_url, create=False) as store:
        assert [(p.version, p.current) for p in store.imports(DEAL_ID)] == [(1, False), (2, True)]
        assert store.published(DEAL_ID, DATE).file_name == str(fixed)


def test_library_api(db_url: str) -> None:  # noqa: F811
    deal = remit.load_deal(EXAMPLE)
    with Store.open(db_url) as store:
        close_period(store, deal, "next")
        made = import_statement(store, deal, REFERENCE.read_bytes(), name="reference")
        again = import_statement(store, deal, REFERENCE)
        assert (made.created, again.created, again.published.id) == (True, False, made.published.id)
        d = diff(store, DEAL_ID, DATE)
    assert {c.key for c in d.differences} == set(listed())
    assert (d.agree, d.identical, d.published_file) == (566, False, "reference")


def _unreadable(tmp_path: Path, kind: str) -> Path:
    f = tmp_path / f"{kind}.txt"
    text = REFERENCE.read_text("utf-8")
    if kind == "missing":
        return f
    if kind == "empty":
        f.write_text("")
    elif kind == "binary":
        f.write_bytes(bytes(range(256)) * 64)
    elif kind == "truncated":
        f.write_text(text[: len(text) // 2])
    elif kind == "prose":
        f.write_text("Dear certificateholders,\nthe trust paid what it owed.\n" * 50)
    elif kind == "no-date":
        f.write_text(text.replace("Distribution Date:", "Distributed:"))
    elif kind == "folder":
        f.mkdir()
    return f


@pytest.mark.parametrize(
    "kind", ["missing", "empty", "binary", "truncated", "prose", "no-date", "folder"]
)
def test_an_unreadable_statement_changes_nothing(
    db_url: str,  # noqa: F811
    tmp_path: Path,
    kind: str,
) -> None:
    close_first(db_url)
    import_file(db_url)
    before = dump(db_url)
    res = run("import", str(_unreadable(tmp_path, kind)), "--deal", str(EXAMPLE), "--db", db_url)
    assert res.exit_code == 2, (res.stdout, res.stderr)
    assert res.stderr.startswith("error: ") and "Traceback" not in res.stderr
    assert dump(db_url) == before


def test_a_statement_of_another_deal_is_refused(
    db_url: str,  # noqa: F811
    deal_dir: Path,  # noqa: F811
) -> None:
    close_first(db_url)
    before = dump(db_url)
    spec = deal_dir / "deal.toml"
    spec.write_text(spec.read_text().replace("885220DC4", "885220DZ9"))
    res = run("import", str(REFERENCE), "--deal", str(deal_dir), "--db", db_url)
    assert res.exit_code == 2
    assert "distribution_summary/cusip" in res.stderr and "another deal" in res.stderr
    res = run("import", str(REFERENCE), "--deal", str(deal_dir / "nowhere"), "--db", db_url)
    assert res.exit_code == 2 and "deal directory" in res.stderr
    assert dump(db_url) == before


def test_a_bad_import_does_not_create_a_store(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    res = run("import", str(_unreadable(tmp_path, "prose")), "--deal", str(EXAMPLE), "--db", url)
    assert res.exit_code == 2
    assert not (tmp_path / "new.db").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("other-deal", DATE), "a deal in the store"),
        ((DEAL_ID, "2003-05-27"), "a closed date of tmst-2003-2"),
        ((DEAL_ID, "2003-13-01"), "a date YYYY-MM-DD"),
        ((DEAL_ID, DATE, "--version", "2"), "a stored version"),
        ((DEAL_ID, DATE, "--published-version", "3"), "an imported version"),
    ],
)
def test_diff_of_what_is_not_there_changes_nothing(
    db_url: str,  # noqa: F811
    args: tuple[str, ...],
    message: str,
) -> None:
    close_first(db_url)
    import_file(db_url)
    before = dump(db_url)
    res = run("diff", *args, "--db", db_url)
    assert res.exit_code == 2, (res.stdout, res.stderr)
    assert message in res.stderr
    assert dump(db_url) == before


def test_diff_needs_both_a_close_and_an_import(db_url: str) -> None:  # noqa: F811
    import_file(db_url)
    before = dump(db_url)
    res = run("diff", DEAL_ID, DATE, "--db", db_url)
    assert res.exit_code == 2 and "a closed date of tmst-2003-2 (none)" in res.stderr
    assert dump(db_url) == before
    close_first(db_url)  # the import does not stand in the way of the close
    assert len(differences(diff_json(db_url))) == 36


def test_diff_of_a_closed_date_without_an_import(db_url: str) -> None:  # noqa: F811
    close_first(db_url)
    before = dump(db_url)
    res = run("diff", DEAL_ID, DATE, "--db", db_url)
    assert res.exit_code == 2 and "imported published statement" in res.stderr
    assert dump(db_url) == before


@pytest.mark.parametrize("command_", ["import", "diff"])
def test_an_unreachable_store(command_: str, tmp_path: Path) -> None:
    for url in (UNREACHABLE, f"sqlite:///{tmp_path / 'no-such-dir' / 'remit.db'}"):
        if command_ == "import":
            res = run("import", str(REFERENCE), "--deal", str(EXAMPLE), "--db", url)
        else:
            res = run("diff", DEAL_ID, DATE, "--db", url)
        assert res.exit_code == 2, (url, res.stdout, res.stderr)
        assert res.stderr.startswith("error: (store): --db")
    assert not (tmp_path / "no-such-dir").exists()


def test_a_store_at_revision_0001_is_upgraded(db_url: str) -> None:  # noqa: F811
    """A store made by the previous remit (schema 0001, one period closed) opens with this
    code: it is upgraded to the head, its period kept (revision 0003 adds the hashes of its
    state and ledger), and import and diff work on it."""
    url = parse_url(db_url)
    engine = make_engine(url, create=True)

    def migrate(to: str) -> None:
        with writing(engine, "remit-migrations") as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            (command.upgrade if to == "head" else command.downgrade)(cfg, to)

    try:
        migrate("head")  # closed by this code, then taken down to the 0001 schema
        deal = remit.load_deal(EXAMPLE)
        spec_text = read_text(EXAMPLE / "deal.toml")
        with writing(engine, "deal") as conn:
            close_into(conn, deal, parse_spec(spec_text, "deal.toml"), spec_text, None, False, None)
        migrate("0001")
    finally:
        engine.dispose()
    old = dump(db_url)
    assert old["alembic_version"] == [("0001",)]
    assert "published_statements" not in old
    with Store.open(db_url) as store:
        assert [h.distribution_date.isoformat() for h in store.history(DEAL_ID)] == [DATE]
    new = dump(db_url)
    assert new["alembic_version"] == [(script_directory().get_current_head(),)]
    assert [r[: len(old["periods"][0])] for r in new["periods"]] == old["periods"]
    assert {k: v for k, v in new.items() if k not in ("alembic_version", "periods")} == {
        **{k: v for k, v in old.items() if k not in ("alembic_version", "periods")},
        "published_cells": [],
        "published_statements": [],
    }
    plain = create_engine(url)
    try:
        with plain.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": False})
            assert compare_metadata(ctx, Base.metadata) == []
    finally:
        plain.dispose()
    import_file(db_url)
    assert len(differences(diff_json(db_url))) == 36
    # and back down: the 0001 schema, the period untouched
    engine = make_engine(url, create=False)
    try:
        with writing(engine, "remit-migrations") as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0001")
    finally:
        engine.dispose()
    assert dump(db_url) == old


def test_import_published_is_the_command(tmp_path: Path) -> None:
    """The function ``remit import`` runs creates a new SQLite store for a good file."""
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    copy = tmp_path / "statement.txt"
    shutil.copy(REFERENCE, copy)
    result = import_published(copy, EXAMPLE, url=url)
    assert (result.created, result.published.version) == (True, 1)
    assert result.published.file_sha256 == hashlib.sha256(REFERENCE.read_bytes()).hexdigest()


def test_diff_takes_the_current_version_unless_told(
    db_url: str,  # noqa: F811
    deal_dir: Path,  # noqa: F811
) -> None:
    """After a restatement (prepayment penalties corrected by 10.00) the diff is of version 2;
    --version 1 is the original close, with its 36 cells."""
    close_first(db_url, deal_dir)
    import_file(db_url, deal_dir=deal_dir)
    amend_penalties(deal_dir, DATE, "10.00")
    with Store.open(db_url) as store:
        close_period(store, remit.load_deal(deal_dir), DATE, restate=True, reason="penalties")
    current = diff_json(db_url)
    original = diff_json(db_url, "--version", "1")
    assert (version_of(current), version_of(original)) == (2, 1)
    assert {(r["section"], r["row"], r["column"]) for r in differences(original)} == set(listed())
    by_key = {(r["section"], r["row"], r["column"]): r for r in differences(current)}
    bio = by_key[("distribution_summary", "B-IO", "interest_distribution")]
    assert (bio["published"], bio["ours"], bio["difference"]) == (
        "2,667,685.86",
        "2,667,695.85",
        "-9.99",
    )
    assert len(by_key) > 36
