"""``remit import`` of a statement in the second layout family, on SQLite and PostgreSQL: the
Aames 1998-C statement of 1998-12-15 stored beside its deal (``examples/aames-1998-c``), every
cell with its exact value. The deal is outside remit's structure families, so it is imported
and verified, not closed: ``remit diff`` has no statement of ours to compare and says so."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from remit.store.engine import parse_url
from remit.store.models import PublishedCellRow
from tests.audit.import_diff_helpers import dump, run
from tests.conftest import ROOT
from tests.store.conftest import db_url  # noqa: F401  (fixture)

DEAL = ROOT / "examples" / "aames-1998-c"
FILING = ROOT / "tests" / "golden" / "aames-1998-c-1998-12-15.bankers-trust.8k.txt"


def test_import_and_no_diff(db_url: str) -> None:  # noqa: F811
    res = run("import", str(FILING), "--deal", str(DEAL), "--db", db_url)
    assert res.exit_code == 0, res.stderr
    assert res.stdout.startswith("imported: aames-1998-c 1998-12-15 published version 1, 668 cells")
    engine = create_engine(parse_url(db_url))
    try:
        with Session(engine) as s:
            rows = {
                (c.section, c.row_key, c.column_key): c
                for c in s.execute(select(PublishedCellRow)).scalars()
            }
    finally:
        engine.dispose()
    assert len(rows) == 668
    neg = rows[("interest_sources", "delinquent_interest", "fixed")]
    assert (neg.printed, neg.amount, neg.format) == ("(497,568.25)", Decimal("-497568.25"), "money")
    factor = rows[("remic_2_factors", "A-1A", "beginning_balance")]
    assert (factor.printed, factor.number, factor.format) == (
        "980.705472",
        Decimal("980.705472"),
        "factor6",
    )
    before = dump(db_url)
    again = run("import", str(FILING), "--deal", str(DEAL), "--db", db_url)
    assert again.exit_code == 0 and again.stdout.startswith("already imported (nothing stored)")
    diff = run("diff", "aames-1998-c", "1998-12-15", "--db", db_url)
    assert diff.exit_code == 2
    assert "a closed date of aames-1998-c (none)" in diff.stderr
    assert dump(db_url) == before


def test_another_deals_statement_is_refused(db_url: str, tmp_path: Path) -> None:  # noqa: F811
    deal = tmp_path / "deal"
    shutil.copytree(DEAL, deal)
    spec = deal / "deal.toml"
    spec.write_text(spec.read_text().replace("00253CFK8", "00253CFZ9"))
    res = run("import", str(FILING), "--deal", str(deal), "--db", db_url)
    assert res.exit_code == 2
    assert "remic_2_factors/cusip" in res.stderr and "another deal" in res.stderr
    assert dump(db_url) == {}


def test_the_deal_is_not_closed(tmp_path: Path) -> None:
    """No remittance, no close: the example deal only imports and verifies."""
    res = run("close", str(DEAL), "--next", "--db", f"sqlite:///{tmp_path / 'r.db'}")
    assert res.exit_code == 2
    assert "the servicer's remittance for 1998-10-15" in res.stderr
    check = run("check", str(DEAL))
    assert check.exit_code == 0 and "0 remittance(s) checked" in check.stdout
