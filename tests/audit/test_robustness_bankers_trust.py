"""Whatever ``remit verify`` is handed in the second layout family, it ends with a report or
with a clear message and exit code 2: truncated statements, damaged figures, negatives
printed otherwise than the layout prints them, and layouts remit does not know (named by
their captions, in text and in JSON)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from remit.audit.verify import verify_text
from remit.errors import RemitError


def run(app: typer.Typer, path: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["verify", str(path), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output and "internal error" not in result.output
    return result.exit_code, result.output


@pytest.mark.parametrize("share", [0.0, 0.1, 0.3, 0.45, 0.6, 0.8, 0.95])
def test_truncated(app: typer.Typer, tmp_path: Path, bt_text: str, share: float) -> None:
    last_table = bt_text.rindex("</TABLE>")
    f = tmp_path / "cut.txt"
    f.write_text(bt_text[: int(last_table * share)])
    code, out = run(app, f)
    assert code == 2, out
    assert out.startswith(f"error: {f}")


def test_truncated_names_the_missing_section(
    app: typer.Typer, tmp_path: Path, bt_text: str
) -> None:
    f = tmp_path / "cut.txt"
    f.write_text(bt_text[: bt_text.index("ACCRUED CERTIFICATE INTEREST")])
    code, out = run(app, f)
    assert code == 2
    assert "section 'accrued certificate interest': not found" in out


def test_a_damaged_figure_is_a_problem(bt_text: str) -> None:
    text = bt_text.replace("2,148,671.03", "2,148,6X1.03", 1)
    with pytest.raises(RemitError) as err:
        verify_text(text, "damaged")
    assert "'2,148,6X1.03' is not a number" in str(err.value)


def test_a_minus_sign_where_the_layout_prints_parentheses(bt_text: str) -> None:
    text = bt_text.replace("(497,568.25)", " -497,568.25 ", 1)
    with pytest.raises(RemitError) as err:
        verify_text(text, "minus")
    assert "interest_sources/delinquent_interest/fixed: '-497,568.25'" in str(err.value)
    assert "negatives are in parentheses here" in str(err.value)


def test_an_unknown_layout_names_its_captions(
    app: typer.Typer, tmp_path: Path, bt_text: str
) -> None:
    """Another trustee's statement: the captions looked for, and the ones the file has; no
    cell is read from it."""
    other = bt_text.replace("DISTRIBUTIONS IN DOLLARS", "CERTIFICATE PAYMENT REPORT")
    f = tmp_path / "other.txt"
    f.write_text(other)
    code, out = run(app, f)
    assert code == 2
    assert "no layout remit knows" in out
    assert "'DISTRIBUTIONS IN DOLLARS'" in out and "'Certificateholder Distribution Summary'" in out
    assert "CERTIFICATE PAYMENT REPORT" in out  # what the file looks like
    code, out = run(app, f, "--format", "json")
    assert code == 2
    doc = json.loads(out)
    assert doc["error"] is True
    paths = [p["path"] for p in doc["problems"]]
    assert paths == ["layout", "captions"]
    assert "FACTOR INFORMATION PER $1000 OF ORIGINAL FACE" in doc["problems"][1]["value"]


def test_json_errors_for_every_refusal(app: typer.Typer, tmp_path: Path) -> None:
    for name, data in (("empty.txt", b""), ("garbage.bin", bytes(range(256)) * 8)):
        f = tmp_path / name
        f.write_bytes(data)
        code, out = run(app, f, "--format", "json")
        assert code == 2
        doc = json.loads(out)
        assert doc["file"] == str(f) and doc["problems"][0]["file"] == str(f)
    code, out = run(app, tmp_path / "missing.txt", "--format", "json")
    assert code == 2 and json.loads(out)["problems"][0]["value"] == "no such file"
