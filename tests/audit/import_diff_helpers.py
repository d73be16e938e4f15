"""Helpers for the import and diff tests: a dump of every table (the published statements'
tables included), the CLI runner, the inconsistencies CSV."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from typer.testing import CliRunner, Result

from remit.cli import app
from remit.store.engine import parse_url
from tests.conftest import EXAMPLE, GOLDEN
from tests.store.helpers import ORDER as STORE_ORDER

REFERENCE = GOLDEN / "tmst-2003-2-2003-04-25.8k.txt"
INCONSISTENCIES = GOLDEN / "tmst-2003-2-2003-04-25.inconsistencies.csv"
DEAL_ID = "tmst-2003-2"
DATE = "2003-04-25"
ORDER = {
    **STORE_ORDER,
    "published_statements": "id",
    "published_cells": "import_id, section, row_key, column_key",
}
runner = CliRunner()


def dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order; {} when there are no tables. A table
    these tests do not know fails loudly."""
    engine = create_engine(parse_url(url))
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                q = "SELECT name FROM sqlite_master WHERE type = 'table'"
            else:
                q = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            out: dict[str, list[tuple[Any, ...]]] = {}
            for name in sorted(conn.execute(text(q)).scalars()):
                rows = conn.execute(text(f'SELECT * FROM "{name}" ORDER BY {ORDER[name]}'))
                out[name] = [tuple(r) for r in rows.all()]
            return out
    finally:
        engine.dispose()


def run(*args: str) -> Result:
    """Run the remit command line."""
    return runner.invoke(app, list(args))


def close_first(url: str, deal_dir: Path = EXAMPLE) -> None:
    """Close the deal's first date (2003-04-25) into the store."""
    res = run("close", str(deal_dir), "--next", "--db", url, "--quiet")
    assert res.exit_code == 0, res.stderr


def import_file(url: str, path: Path = REFERENCE, deal_dir: Path = EXAMPLE) -> Result:
    """``remit import`` a file, expecting success."""
    res = run("import", str(path), "--deal", str(deal_dir), "--db", url)
    assert res.exit_code == 0, res.stderr
    return res


def listed() -> dict[tuple[str, str, str], dict[str, str]]:
    """The inconsistencies CSV by (section, row, column)."""
    with INCONSISTENCIES.open(newline="") as fh:
        return {(r["section"], r["row"], r["column"]): r for r in csv.DictReader(fh)}
