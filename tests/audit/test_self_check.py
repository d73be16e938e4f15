"""Every close verifies itself: the closing use case (``remit close``, the web upload) reads
its own rendered statement back and runs every ``verify`` identity on it before the store
commits. A statement that contradicts itself is refused, each failed identity listed, and
nothing is stored (a new store file is not even made)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

import remit
from remit import workflows
from remit.audit.verify import self_check
from remit.close import PeriodResult
from remit.errors import RemitError
from remit.statement import Statement, build_statement
from remit.store import Store
from remit.workflows import closing, record
from tests.conftest import EXAMPLE, GOLDEN

REFERENCE = GOLDEN / "tmst-2003-2-2003-04-25.8k.txt"


def test_our_statements_pass() -> None:
    result = remit.load_deal(EXAMPLE).close("2003-04-25")
    self_check(build_statement(result).to_edgar(), "test")


def test_the_published_reference_does_not() -> None:
    """The reference contradicts itself (36 cells, the inconsistency file): a statement like
    it would be refused, every failed identity named."""
    with pytest.raises(RemitError) as e:
        self_check(REFERENCE.read_text("utf-8"), "reference")
    paths = [p.path for p in e.value.problems]
    assert "statement: collateral/excess_cash/value" in paths
    assert all("contradicts itself" in p.expected for p in e.value.problems)
    assert len(paths) == 5  # the five root causes of the 36 cells


def wrong_interest(result: PeriodResult, amended: bool) -> tuple[Statement, str, str]:
    """The renderer, but class A's interest distribution printed a cent high in the summary
    (one figure of the statement disagreeing with the others)."""
    st, text, js = ORIGINAL_RENDER(result, amended)
    value = st.value("distribution_summary", "A", "interest_distribution")
    assert isinstance(value, Decimal)
    shown, wrong = f"{value:,.2f}", f"{value + Decimal('0.01'):,.2f}"
    return replace(st), text.replace(shown, wrong, 1), js


ORIGINAL_RENDER = record.render


@pytest.fixture
def broken_renderer(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(record, "render", wrong_interest)
    monkeypatch.setattr(closing, "render", wrong_interest)
    yield


def test_a_new_store_is_not_made(broken_renderer: None, tmp_path: Path) -> None:
    db = tmp_path / "remit.db"
    with pytest.raises(RemitError) as e:
        workflows.close_into_store(EXAMPLE, "next", url=f"sqlite:///{db}")
    assert not db.exists()
    text = str(e.value)
    assert "statement: distribution_summary/A/interest_distribution: found '1,041,984.30'" in text
    assert "expected 1,041,984.29 by the identity" in text


def test_nothing_is_stored(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'remit.db'}"
    workflows.close_into_store(EXAMPLE, "next", url=url)
    monkeypatch.setattr(record, "render", wrong_interest)
    with pytest.raises(RemitError, match="contradicts itself"):
        workflows.close_into_store(EXAMPLE, "next", url=url)
    with Store.open(url) as store:
        assert [r.distribution_date.isoformat() for r in store.history("tmst-2003-2")] == [
            "2003-04-25"
        ]


def test_in_memory_closes_check_too(broken_renderer: None) -> None:
    with pytest.raises(RemitError, match="contradicts itself"):
        workflows.close_in_memory(EXAMPLE, "2003-04-25")


def test_the_web_upload_checks_too(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The site's upload closes through the same use case: refused (400, the identity in the
    problems), nothing stored."""
    from fastapi.testclient import TestClient

    from remit.web.app import create_app

    url = f"sqlite:///{tmp_path / 'w.db'}"
    workflows.close_into_store(EXAMPLE, "next", url=url)
    monkeypatch.setattr(record, "render", wrong_interest)
    body = sorted((EXAMPLE / "remittances").glob("*.toml"))[1].read_bytes()
    c = TestClient(create_app(url, token="t"))
    r = c.post("/api/deals/tmst-2003-2/close", content=body, headers={"Authorization": "Bearer t"})
    assert r.status_code == 400, r.text
    assert "contradicts itself" in r.text
    with Store.open(url) as store:
        assert len(store.history("tmst-2003-2")) == 1
