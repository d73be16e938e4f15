"""The command registry: every command is listed once with the first paragraph of its help,
every listed command comes from its module, none is hidden, and listing them (``remit
--help``) or running ``remit verify`` imports none of the heavy libraries they do not use."""

from __future__ import annotations

import json
import subprocess
import sys

import typer
from typer.testing import CliRunner

from remit.cli import COMMANDS, app
from remit.cli.lazy import commands_of
from tests.conftest import GOLDEN

HEAVY = (
    "pandas",
    "numpy",
    "sqlalchemy",
    "pyarrow",
    "alembic",
    "rich",
    "remit.close",
    "remit.store",
)
REFERENCE = GOLDEN / "tmst-2003-2-2003-04-25.8k.txt"


def first_paragraph(text: str | None) -> str:
    return " ".join((text or "").split("\n\n")[0].split())


def test_each_listed_command_is_its_modules_with_its_summary() -> None:
    for name, entry in COMMANDS.items():
        cmd = commands_of(entry.module).commands.get(name)
        assert cmd is not None, (name, entry.module)
        assert not cmd.hidden, name
        assert first_paragraph(cmd.help) == entry.summary, name


def test_every_command_a_module_registers_is_listed() -> None:
    for module in {e.module for e in COMMANDS.values()}:
        for name in commands_of(module).commands:
            assert COMMANDS[name].module == module, (module, name)


def test_help_lists_every_command_by_its_summary() -> None:
    res = CliRunner().invoke(app, ["--help"])
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.replace("│", " ").split())
    for name, entry in COMMANDS.items():
        assert f"{name} {entry.summary.split()[0]}" in text, name


def test_a_misspelt_command_is_named_with_what_was_meant() -> None:
    res = CliRunner().invoke(app, ["histroy"])
    assert res.exit_code == 2
    assert "No such command 'histroy'" in res.output and "'history'" in res.output


def test_a_module_registers_on_any_app() -> None:
    """What other stages' ``cli_<stage>.py`` modules do: ``register(app)`` on a typer app."""
    from remit.cli import audit

    own = typer.Typer()

    @own.callback()
    def _main() -> None:
        """a test app"""

    audit.register(own)
    res = CliRunner().invoke(own, ["verify", str(REFERENCE), "--format", "json"])
    assert res.exit_code == 1 and json.loads(res.stdout)["consistent"] is False


def imported_by(*args: str) -> list[str]:
    """The heavy modules a whole ``remit`` process imports for ``args``."""
    code = (
        "import sys\n"
        "from remit.cli import main\n"
        f"sys.argv = ['remit', *{list(args)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print('\\n' + ' '.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    res = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    return res.stdout.splitlines()[-1].split()


def test_help_and_verify_import_no_heavy_library() -> None:
    assert imported_by("--help") == []
    assert imported_by("close", "--help") == []
    assert imported_by("verify", str(REFERENCE)) == []
