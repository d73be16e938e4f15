"""Shared fixtures: the reference filing (read once) and a typer app with ``verify``."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from remit.cli.audit import register
from remit.statement.reader import ReadResult, read

REFERENCE = Path(__file__).resolve().parents[1] / "golden" / "tmst-2003-2-2003-04-25.8k.txt"


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
def app() -> typer.Typer:
    """The main app is wired by the lead; tests register ``verify`` on an app of their own."""
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """remit (test app)."""

    register(app)
    return app
