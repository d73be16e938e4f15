"""A published statement's file, read defensively: whatever is handed to ``verify`` ends in
a statement's text or in a RemitError naming the file and what is wrong with it."""

from __future__ import annotations

from pathlib import Path

from remit.errors import RemitError

#: a statement is some 50 kB; a 10-D submission with every exhibit a few MB
MAX_BYTES = 16 * 1024 * 1024
#: share of bytes outside printable text above which a file is taken for binary
BINARY_SHARE = 0.05


def read_statement_file(path: Path) -> str:
    """The text of a statement file, or RemitError (missing, a folder, too large, binary)."""
    name = str(path)
    if not path.exists():
        raise RemitError.one(name, "", "no such file", "a statement file (8-K, 10-D or exhibit)")
    if not path.is_file():
        raise RemitError.one(name, "", "not a regular file", "a statement file")
    try:
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise RemitError.one(name, "", exc.strerror or str(exc), "a readable file") from None
    if len(data) > MAX_BYTES:
        size = path.stat().st_size
        raise RemitError.one(
            name,
            "",
            f"{size:,d} bytes",
            f"a statement of at most {MAX_BYTES // (1024 * 1024)} MB",
        )
    return decode(data, name)


def decode(data: bytes, name: str = "<input>") -> str:
    """Bytes as text: UTF-8, else Latin-1 (EDGAR's older filings); binary data refused."""
    if not data.strip():
        raise RemitError.one(name, "", "an empty file", "a statement in the EDGAR text layout")
    sample = data[:65536]
    odd = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    if b"\x00" in sample or odd > BINARY_SHARE * len(sample):
        raise RemitError.one(name, "", "binary data", "a statement in the EDGAR text layout")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")
