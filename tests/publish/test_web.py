"""The web site without a browser: pages, API, downloads, and the bad requests -- unknown
deal or date (404 page), path traversal (refused), malformed upload (400 with the reason,
nothing stored), no or wrong token (401), read-only by default, loopback by default."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from remit.store import Store
from remit.workflows import close_into_store

from .conftest import DEALS, ClosedStore

TOKEN = "correct-horse-battery-staple"


def client(url: str, token: str | None = None) -> Any:
    from fastapi.testclient import TestClient

    from remit.web.app import create_app

    return TestClient(create_app(url, token=token))


@pytest.fixture(scope="module")
def site(closed_store: ClosedStore) -> Any:
    return client(closed_store.url)


def test_deal_list_links_every_deal(site: Any) -> None:
    r = site.get("/")
    assert r.status_code == 200
    for deal_id in DEALS:
        assert f'href="/deals/{deal_id}"' in r.text


def test_deal_page_has_every_chart_and_every_date(site: Any, closed_store: ClosedStore) -> None:
    for deal_id, dates in closed_store.dates.items():
        r = site.get(f"/deals/{deal_id}")
        assert r.status_code == 200
        for key in ("pool", "factors", "delinquency", "speeds", "losses"):
            assert f'data-chart="{key}"' in r.text
        enhancement = "excess_spread" if deal_id == "tmst-2003-2" else "percentages"
        assert f'data-chart="{enhancement}"' in r.text
        for d in dates:
            assert f'href="/deals/{deal_id}/{d}"' in r.text
        assert '<script src="/static/charts.js">' in r.text


def test_period_page_statement_explanation_and_downloads(site: Any) -> None:
    base = "/deals/tmst-2003-2/2003-04-25"
    r = site.get(base)
    assert r.status_code == 200
    assert 'data-row="A"' in r.text and "1,041,984.29" in r.text
    for fmt in ("html", "pdf", "csv", "xlsx", "json", "edgar", "factors"):
        assert f'href="{base}/download/{fmt}"' in r.text
    r = site.get(
        base,
        params={"section": "distribution_summary", "row": "A", "column": "interest_distribution"},
    )
    assert r.status_code == 200
    # the explanation remit explain prints: 1,039,673,900.00 x 1.64% x 22/360
    assert "current interest 1,039,673,900.00 x 1.64000% x 22/360 = 1,041,984.29" in r.text


def test_downloads(site: Any) -> None:
    base = "/deals/psmt-2003-s1/2003-07-25/download"
    r = site.get(f"{base}/pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF-")
    assert r.headers["content-type"] == "application/pdf"
    assert 'filename="psmt-2003-s1-2003-07-25-statement.pdf"' in r.headers["content-disposition"]
    r = site.get(f"{base}/factors")
    assert r.text.splitlines()[0] == "cusip,class,factor,distribution_date"
    r = site.get(f"{base}/csv")
    assert r.content.startswith(b"PK")
    r = site.get(f"{base}/docx")
    assert r.status_code == 404


def test_api_and_openapi(site: Any) -> None:
    deals = site.get("/api/deals").json()
    assert {d["deal"] for d in deals} == set(DEALS)
    doc = site.get("/api/deals/tmst-2003-2/2003-04-25").json()
    a = next(
        r
        for s in doc["sections"]
        if s["key"] == "distribution_summary"
        for r in s["rows"]
        if r["key"] == "A"
    )
    assert a["cells"]["interest_distribution"]["value"] == "1041984.29"
    ex = site.get(
        "/api/deals/tmst-2003-2/2003-04-25/explain",
        params={
            "section": "Certificateholder Distribution Summary",
            "row": "A",
            "column": "Interest Distribution",
        },
    ).json()
    assert ex["value"] == "1041984.29"
    assert sum(Decimal(p["amount"]) for p in ex["postings"]) == Decimal("1041984.29")
    series = site.get("/api/deals/tmst-2003-2").json()["series"]
    assert len(series["dates"]) == 12
    spec = site.get("/openapi.json").json()
    assert "/api/deals/{deal_id}/close" in spec["paths"]
    assert "/api/deals/{deal_id}/{when}" in spec["paths"]


@pytest.mark.parametrize(
    "path",
    [
        "/deals/no-such-deal",
        "/deals/tmst-2003-2/2001-01-25",
        "/deals/tmst-2003-2/2003-02-30",
        "/deals/tmst-2003-2/yesterday",
        "/deals/tmst-2003-2/2003-04-25/download/exe",
        "/deals/tmst-2003-2/2003-04-25?section=nope&row=A&column=rate",
    ],
)
def test_unknown_is_a_404_page(site: Any, path: str) -> None:
    r = site.get(path)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert 'data-status="404"' in r.text


def test_unknown_in_the_api_is_a_404_json(site: Any) -> None:
    r = site.get("/api/deals/nope/2003-04-25")
    assert r.status_code == 404 and "nope" in r.json()["error"]


@pytest.mark.parametrize(
    "path",
    [
        "/static/../pyproject.toml",
        "/static/%2e%2e/app.py",
        "/static/..%2f..%2f..%2fetc%2fpasswd",
        "/deals/..%2f..%2fetc%2fpasswd",
        "/deals/tmst-2003-2/..%2f..%2fremit.db",
        "/deals/tmst-2003-2/2003-04-25/download/..%2f..%2fdeal.toml",
        "/api/deals/..%2Fsecret",
        "/deals/%2e%2e",
    ],
)
def test_path_traversal_is_refused(site: Any, path: str) -> None:
    r = site.get(path)
    assert r.status_code in (400, 404)
    assert b"root:" not in r.content and b"[deal]" not in r.content


def test_static_assets_are_served_by_the_app(site: Any) -> None:
    r = site.get("/static/charts.js")
    assert r.status_code == 200 and "createElementNS" in r.text
    assert site.get("/statement.css").status_code == 200


# ---- closing by upload -------------------------------------------------------------------


@pytest.fixture
def writable(tmp_path: Path) -> Iterator[str]:
    """A store with the OC deal's first two dates closed."""
    url = f"sqlite:///{tmp_path / 'w.db'}"
    for _ in range(2):
        close_into_store(DEALS["tmst-2003-2"], "next", url=url)
    yield url


def _dates(url: str) -> list[str]:
    with Store.open(url, create=False) as s:
        return [r.distribution_date.isoformat() for r in s.history("tmst-2003-2")]


def third_remittance() -> bytes:
    files = sorted((DEALS["tmst-2003-2"] / "remittances").glob("*.toml"))
    return files[2].read_bytes()


def test_upload_with_the_token_closes_the_next_date(writable: str) -> None:
    c = client(writable, TOKEN)
    r = c.post(
        "/api/deals/tmst-2003-2/close",
        content=third_remittance(),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/toml"},
    )
    assert r.status_code == 201, r.text
    assert r.json()["distribution_date"] == "2003-06-25"
    assert _dates(writable) == ["2003-04-25", "2003-05-27", "2003-06-25"]
    # the new period is on the site at once
    assert c.get("/deals/tmst-2003-2/2003-06-25").status_code == 200


def test_upload_as_multipart(writable: str) -> None:
    c = client(writable, TOKEN)
    r = c.post(
        "/api/deals/tmst-2003-2/close",
        files={"remittance": ("2003-06-25.toml", third_remittance(), "application/toml")},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert r.status_code == 201, r.text


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"this is = = not toml", "TOML"),
        (b"", "empty"),
        (b"\xff\xfe\x00", "UTF-8"),
        (None, "2003-06-25"),  # the second month's remittance again: not the next date
    ],
)
def test_malformed_upload_is_400_with_the_reason_and_stores_nothing(
    writable: str, body: bytes | None, reason: str
) -> None:
    if body is None:
        body = sorted((DEALS["tmst-2003-2"] / "remittances").glob("*.toml"))[1].read_bytes()
    before = _dates(writable)
    c = client(writable, TOKEN)
    r = c.post(
        "/api/deals/tmst-2003-2/close", content=body, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert r.status_code == 400, r.text
    doc = r.json()
    assert reason.lower() in json.dumps(doc).lower()
    assert doc["problems"] and doc["problems"][0]["expected"]
    assert _dates(writable) == before


@pytest.mark.parametrize(
    "auth", [None, "Bearer wrong", f"Basic {TOKEN}", f"Bearer {TOKEN}x", "Bearer "]
)
def test_upload_without_the_right_token_is_401(writable: str, auth: str | None) -> None:
    c = client(writable, TOKEN)
    headers = {"Authorization": auth} if auth is not None else {}
    r = c.post("/api/deals/tmst-2003-2/close", content=third_remittance(), headers=headers)
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"
    assert _dates(writable) == ["2003-04-25", "2003-05-27"]


def test_read_only_by_default(writable: str) -> None:
    c = client(writable)
    r = c.post(
        "/api/deals/tmst-2003-2/close",
        content=third_remittance(),
        headers={"Authorization": "Bearer anything"},
    )
    assert r.status_code == 403
    assert _dates(writable) == ["2003-04-25", "2003-05-27"]


def test_serve_binds_loopback_unless_told(
    monkeypatch: pytest.MonkeyPatch, closed_store: ClosedStore
) -> None:
    import uvicorn

    from remit.cli import app

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    monkeypatch.delenv("REMIT_WEB_TOKEN", raising=False)
    r = CliRunner().invoke(app, ["serve", "--db", closed_store.url])
    assert r.exit_code == 0, r.stderr
    assert calls[-1]["host"] == "127.0.0.1"
    r = CliRunner().invoke(
        app, ["serve", "--db", closed_store.url, "--host", "0.0.0.0", "--port", "9"]
    )
    assert calls[-1]["host"] == "0.0.0.0" and calls[-1]["port"] == 9


def test_serve_refuses_a_store_that_does_not_exist(tmp_path: Path) -> None:
    from remit.cli import app

    r = CliRunner().invoke(app, ["serve", "--db", f"sqlite:///{tmp_path / 'none.db'}"])
    assert r.exit_code == 2
    assert not (tmp_path / "none.db").exists()


def test_a_period_this_code_does_not_reproduce_is_409_not_404(tmp_path: Path) -> None:
    """A stored statement that differs from what this code renders (closed by another
    version): the site says so instead of serving a statement that is not the filed one."""
    import hashlib

    from sqlalchemy import update
    from sqlalchemy.orm import Session

    from remit.store.models import PeriodRow

    url = f"sqlite:///{tmp_path / 'old.db'}"
    close_into_store(DEALS["tmst-2003-2"], "next", url=url)
    with Store.open(url, create=False) as s, Session(s.engine) as conn:
        other = "(another rendering)\n"  # what another version stored, with its sha256
        conn.execute(
            update(PeriodRow).values(
                statement_text=other, statement_sha256=hashlib.sha256(other.encode()).hexdigest()
            )
        )
        conn.commit()
    c = client(url)
    r = c.get("/deals/tmst-2003-2/2003-04-25")
    assert r.status_code == 409 and "reproduces" in r.text
    assert c.get("/api/deals/tmst-2003-2/2003-04-25").status_code == 409


def test_the_charts_show_the_published_figures(site: Any) -> None:
    """The first point of each chart of the example deal against the published 2003-04-25
    statement (tests/golden), figures by hand: the pool's ending balance, class A's factor
    (its printed ending percentage), no loss, the OC against its target and the annualized
    excess spread. remit's own OC amount and excess cash are the consistent ones (69.67 and
    2,653,685.85: the reference printed 69.76 and .86, see its inconsistency file)."""
    r = site.get("/api/deals/tmst-2003-2")
    assert r.status_code == 200
    charts = {c["key"]: c for c in r.json()["series"]["charts"]}

    def first(chart: str, series: str) -> float:
        s = next(s for s in charts[chart]["series"] if s["name"] == series)
        point = s["points"][0]
        assert isinstance(point, float | int)
        return float(point)

    assert first("pool", "Pool balance") == pytest.approx(1_047_510_098.26, abs=0.005)
    assert first("factors", "A") == pytest.approx(0.98712897, abs=5e-9)  # 1,026,292,228.59 / face
    assert first("losses", "Realized loss") == 0.0
    assert first("oc", "OC amount") == pytest.approx(1_047_510_098.26 - 1_047_510_028.59)
    assert first("oc", "OC target") == pytest.approx(2_652_229.42)
    spread = 2_653_685.85 * 12 / 1_060_891_769.67 * 100  # excess cash x 12 / beginning pool
    assert first("excess_spread", "Excess spread") == pytest.approx(spread, rel=1e-12)
