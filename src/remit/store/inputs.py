"""Inputs as stored: the deal spec and the remittance parsed from the exact text that is
stored beside them, so that what was used and what was kept cannot differ.

The parsers are the ones the deal directory is read with, started from the text."""

from __future__ import annotations

import hashlib

from remit.remittance import parse_remittance
from remit.spec.load import parse_spec, read_text

__all__ = ["parse_remittance", "parse_spec", "read_text", "sha256"]


def sha256(text: str) -> str:
    """Hex sha256 of the UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
