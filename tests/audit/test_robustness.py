"""Whatever file ``remit verify`` is handed, it ends with a report or with a clear message
and exit code 2: never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from remit.audit.source import MAX_BYTES
from remit.audit.verify import verify_text
from remit.errors import RemitError


def run(app: typer.Typer, path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["verify", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output


def assert_unreadable(app: typer.Typer, path: Path, message: str) -> None:
    code, out = run(app, path)
    assert code == 2, out
    assert "Traceback" not in out and "internal error" not in out
    assert out.startswith(f"error: {path}"), out
    assert message in out, out


@pytest.mark.parametrize("share", [0.0, 0.1, 0.35, 0.5, 0.8, 0.97, 0.999])
def test_truncated(app: typer.Typer, tmp_path: Path, reference_text: str, share: float) -> None:
    f = tmp_path / "cut.txt"
    f.write_text(reference_text[: int(len(reference_text) * share)])
    code, out = run(app, f)
    assert code == 2, out
    assert "error:" in out and "Traceback" not in out


def test_truncated_names_the_missing_section(
    app: typer.Typer, tmp_path: Path, reference_text: str
) -> None:
    f = tmp_path / "cut.txt"
    f.write_text(reference_text[: reference_text.index("OTHER INFORMATION")])
    assert_unreadable(app, f, "section 'collateral statement': not found")


def test_empty_and_blank(app: typer.Typer, tmp_path: Path) -> None:
    for name, data in (("empty.txt", b""), ("blank.txt", b"  \n\n\t\n")):
        f = tmp_path / name
        f.write_bytes(data)
        assert_unreadable(app, f, "an empty file")


def test_binary_garbage(app: typer.Typer, tmp_path: Path) -> None:
    f = tmp_path / "garbage.bin"
    f.write_bytes(bytes(range(256)) * 64 + os.urandom(4096))
    assert_unreadable(app, f, "binary data")


def test_other_layouts(app: typer.Typer, tmp_path: Path, reference_text: str) -> None:
    others = {
        "page.html": "<html><body><table><tr><td>Class A</td><td>1.00</td></tr></table>"
        "</body></html>",
        "figures.csv": "section,row,column,value\ndistribution_summary,A,rate,1.64\n",
        "statement.json": '{"sections": [{"key": "distribution_summary", "rows": []}]}',
        "cover.txt": reference_text[: reference_text.index("<TABLE>")],
        "latin1.txt": "Statement to certificateholders \u00e9t\u00e9\n" * 20,
    }
    for name, text in others.items():
        f = tmp_path / name
        f.write_text(text, "latin-1" if name == "latin1.txt" else "utf-8")
        assert_unreadable(app, f, "a monthly statement to certificateholders")


def test_a_100_mb_file(app: typer.Typer, tmp_path: Path) -> None:
    f = tmp_path / "huge.txt"
    with f.open("wb") as out:
        out.truncate(100 * 1024 * 1024)  # sparse: cheap to make, 100 MB to read
    assert f.stat().st_size > MAX_BYTES
    assert_unreadable(app, f, "104,857,600 bytes")


def test_missing_file_and_folder(app: typer.Typer, tmp_path: Path) -> None:
    assert_unreadable(app, tmp_path / "nope.txt", "no such file")
    # a folder is a batch of filings: an empty one is refused
    assert_unreadable(app, tmp_path, "a folder with no files")


def test_a_damaged_figure_is_a_problem_not_a_crash(reference_text: str) -> None:
    text = reference_text.replace("   13,381,671.41\n", "   13,381,6X1.41\n", 1)
    with pytest.raises(RemitError) as err:
        verify_text(text, "damaged")
    assert "'13,381,6X1.41' is not a number" in str(err.value)
