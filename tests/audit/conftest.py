"""Shared fixtures: the reference filings (read once) and a typer app with ``verify``."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from remit.cli.audit import register
from remit.statement.reader import ReadResult, read

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
REFERENCE = GOLDEN / "tmst-2003-2-2003-04-25.8k.txt"
#: the second layout family: Bankers Trust's statement for Aames Capital 1998-C, 1998-12-15
BANKERS_TRUST = GOLDEN / "aames-1998-c-1998-12-15.bankers-trust.8k.txt"


@pytest.fixture(scope="session")
def reference_path() -> Path:
    return REFERENCE


@pytest.fixture(scope="session")
def reference_text() -> str:
    return REFERENCE.read_text("utf-8")


@pytest.fixture(scope="session")
def reference_read(reference_text: str) -> ReadResult:
    return read(reference_text)


@pytest.fixture(scope="session")
def bt_path() -> Path:
    return BANKERS_TRUST


@pytest.fixture(scope="session")
def bt_text() -> str:
    return BANKERS_TRUST.read_text("utf-8")


@pytest.fixture(scope="session")
def bt_read(bt_text: str) -> ReadResult:
    return read(bt_text)


@pytest.fixture(scope="session")
def app() -> typer.Typer:
    """The main app is wired by the lead; tests register ``verify`` on an app of their own."""
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """remit (test app)."""

    register(app)
    return app


#: lines the audit tests report at the end of the run (the mutation tests' shares)
SUMMARY: list[str] = []


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for line in SUMMARY:
        terminalreporter.write_line(line)
