"""A store with the twelve example months of both example deals closed, shared by the
publishing, web and browser tests (built once per session, read only)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from remit.store import Store
from remit.workflows import close_into_store

ROOT = Path(__file__).resolve().parents[2]
DEALS = {
    "tmst-2003-2": ROOT / "examples" / "thornburg-2003-2",
    "psmt-2003-s1": ROOT / "examples" / "prime-senior-sub",
}


def pytest_configure(config: pytest.Config) -> None:
    # starlette's TestClient asks for httpx2 when imported; httpx is what this project pins
    config.addinivalue_line("filterwarnings", "ignore:Using `httpx` with `starlette.testclient`")


@dataclass(frozen=True)
class ClosedStore:
    url: str
    path: Path
    dates: dict[str, list[str]]


@pytest.fixture(scope="session")
def closed_store(tmp_path_factory: pytest.TempPathFactory) -> ClosedStore:
    path = tmp_path_factory.mktemp("publish") / "store.db"
    url = f"sqlite:///{path}"
    dates: dict[str, list[str]] = {}
    for deal_id, deal_dir in DEALS.items():
        for _ in range(12):
            p = close_into_store(deal_dir, "next", url=url)
            dates.setdefault(deal_id, []).append(p.distribution_date.isoformat())
    return ClosedStore(url, path, dates)


@pytest.fixture(scope="session")
def store(closed_store: ClosedStore) -> Store:
    return Store.open(closed_store.url, create=False)
