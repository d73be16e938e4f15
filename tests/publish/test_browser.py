"""The investor site in a real browser: Debian's Chromium driven by Playwright (never
`playwright install`), against a server this test starts on a loopback port it binds itself
(no fixed port, no race for it), over a store of twelve closed periods of each example deal.

Opens the deal list, each deal page and a period page; checks the figures displayed against
the store; checks that each chart drew each of its series; downloads every format; saves
screenshots and downloads under test-artifacts/browser/ (gitignored)."""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from remit.statement.formats import parse_number
from remit.store import Store

from .conftest import ROOT, ClosedStore

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts" / "browser"

pytestmark = pytest.mark.skipif(
    shutil.which(CHROMIUM) is None and not Path(CHROMIUM).exists(),
    reason="Debian's chromium is needed (scripts/system-deps installs it; make test runs it)",
)


@pytest.fixture(scope="module")
def server(closed_store: ClosedStore) -> Iterator[str]:
    """The site on 127.0.0.1, on a port the kernel gave the socket we pass to uvicorn."""
    import uvicorn

    from remit.web.app import create_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(closed_store.url), log_level="warning", lifespan="off")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not srv.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(30)
    sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


def test_deal_list(page: Any, server: str, store: Store) -> None:
    page.goto(server + "/")
    rows = page.locator("#deals tbody tr")
    shown = {
        rows.nth(i).get_attribute("data-deal"): rows.nth(i)
        .locator('[data-field="dates"]')
        .inner_text()
        for i in range(rows.count())
    }
    assert shown == {d.deal_id: str(d.dates) for d in store.deals()}
    page.screenshot(path=str(ARTIFACTS / "deals.png"), full_page=True)


@pytest.mark.parametrize("deal_id", ["tmst-2003-2", "psmt-2003-s1"])
def test_deal_page_charts_and_history(page: Any, server: str, store: Store, deal_id: str) -> None:
    page.goto(f"{server}/deals/{deal_id}")
    page.wait_for_selector("body[data-charts-drawn]")
    data = json.loads(page.locator("#chart-data").text_content())
    figures = page.locator("figure.chart")
    assert figures.count() == len(data["charts"]) >= 6
    for chart in data["charts"]:
        fig = page.locator(f'figure.chart[data-chart="{chart["key"]}"]')
        assert fig.get_attribute("data-drawn") == "true"
        paths = fig.locator("svg path.series")
        assert paths.count() == len(chart["series"]) > 0, chart["key"]
        for i, s in enumerate(chart["series"]):
            p = paths.nth(i)
            assert p.get_attribute("data-series") == s["name"]
            points = sum(1 for v in s["points"] if v is not None)
            assert int(p.get_attribute("data-points")) == points == 12, (chart["key"], s["name"])
            assert p.get_attribute("d").count("L") == points - 1
            box = p.bounding_box()
            assert box is not None and box["width"] > 100, (chart["key"], s["name"])
    # the history table shows the store's figures
    history = [r for r in store.history(deal_id) if r.current]
    rows = page.locator("#history tbody tr")
    assert rows.count() == len(history) == 12
    for i, h in enumerate(history):
        row = rows.nth(i)
        assert row.get_attribute("data-date") == h.distribution_date.isoformat()
        assert parse_number(row.locator('[data-field="pool_ending"]').inner_text()) == h.pool_ending
        assert (
            parse_number(row.locator('[data-field="cumulative_loss"]').inner_text())
            == h.cumulative_loss
        )
    page.screenshot(path=str(ARTIFACTS / f"deal-{deal_id}.png"), full_page=True)


def _stored_cells(store: Store, deal_id: str, when: str) -> dict[tuple[str, str, str], Any]:
    doc = json.loads(store.period(deal_id, when).statement_json)
    return {
        (s["key"], r["key"], k): c["value"]
        for s in doc["sections"]
        for r in s["rows"]
        for k, c in r["cells"].items()
    }


SHOWN_CELLS = """() => Array.from(document.querySelectorAll('table[data-section] td[data-col]'))
  .map(td => [td.closest('table').dataset.section, td.closest('tr').dataset.row,
              td.dataset.col, td.innerText])"""


def _same(text: str, stored: Any) -> bool:
    if stored is None:
        return text.strip() in ("", "N/A")
    if isinstance(stored, str) and parse_number(text) is not None:
        try:
            return parse_number(text) == Decimal(stored)
        except ArithmeticError:
            return False
    if isinstance(stored, int):
        return parse_number(text) == stored
    if len(stored) == 10 and stored[4] == "-" and stored[7] == "-":  # an ISO date
        m, d, y = text.split("/")
        return f"{y}-{m}-{d}" == stored
    return " ".join(text.split()) == " ".join(stored.split())


@pytest.mark.parametrize(("deal_id", "nth"), [("tmst-2003-2", 0), ("psmt-2003-s1", 11)])
def test_period_page_figures_explanation_and_downloads(
    page: Any, server: str, store: Store, closed_store: ClosedStore, deal_id: str, nth: int
) -> None:
    when = closed_store.dates[deal_id][nth]
    page.goto(f"{server}/deals/{deal_id}/{when}")
    stored = _stored_cells(store, deal_id, when)
    shown = {(s, r, c): t for s, r, c, t in page.evaluate(SHOWN_CELLS)}
    for key, value in stored.items():
        assert key in shown, key
        assert _same(shown[key], value), (key, shown[key], value)
    page.screenshot(path=str(ARTIFACTS / f"period-{deal_id}-{when}.png"), full_page=True)

    # a figure explains itself: the first class's interest distribution
    cell = page.locator('table[data-section="distribution_summary"] tbody tr').first.locator(
        'td[data-col="interest_distribution"] a'
    )
    cell.click()
    page.wait_for_selector("#explain pre")
    text = page.locator("#explain pre").inner_text()
    assert text.startswith("Certificateholder Distribution Summary / ")
    assert "ledger postings:" in text or "printed as given" in text
    page.screenshot(path=str(ARTIFACTS / f"explain-{deal_id}-{when}.png"))

    _download_every_format(page, store, deal_id, when)


def _download_every_format(page: Any, store: Store, deal_id: str, when: str) -> None:
    out = ARTIFACTS / "downloads" / f"{deal_id}-{when}"
    out.mkdir(parents=True, exist_ok=True)
    links = page.locator("aside.downloads a[data-format]")
    formats = [links.nth(i).get_attribute("data-format") for i in range(links.count())]
    assert formats == ["html", "pdf", "csv", "xlsx", "json", "edgar", "factors"]
    got: dict[str, bytes] = {}
    for fmt in formats:
        with page.expect_download() as info:
            page.locator(f'aside.downloads a[data-format="{fmt}"]').click()
        d = info.value
        path = out / d.suggested_filename
        d.save_as(str(path))
        got[fmt] = path.read_bytes()
    p = store.period(deal_id, when)
    assert got["edgar"].decode("ascii") == p.statement_text
    assert json.loads(got["json"]) == json.loads(p.statement_json)
    assert got["pdf"].startswith(b"%PDF-")
    assert b"<table" in got["html"]
    for fmt in ("csv", "xlsx"):
        with zipfile.ZipFile(
            out
            / next(
                f for f in out.iterdir() if f.suffix == (".zip" if fmt == "csv" else ".xlsx")
            ).name
        ) as zf:
            assert zf.namelist()
    assert got["factors"].decode().startswith("cusip,class,factor,distribution_date\n")


def test_unknown_date_shows_the_404_page(page: Any, server: str) -> None:
    response = page.goto(f"{server}/deals/tmst-2003-2/1999-01-25")
    assert response.status == 404
    assert page.locator("h1.error").get_attribute("data-status") == "404"
    page.screenshot(path=str(ARTIFACTS / "not-found.png"))
