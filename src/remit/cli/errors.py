"""How a command ends when something is wrong: bad input prints every problem on stderr,
located, and exits 2; a bug prints one line and exits 70 (``REMIT_DEBUG=1`` shows the
traceback). The library names a caller's argument by its parameter (file
:data:`~remit.errors.REQUEST`) and the store's URL by ``url``; here they are worded as the
command line spells them."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TypeVar

import typer

from remit.errors import REQUEST, Problem, RemitError, redacted

COMMAND_LINE = "(command line)"
#: (problem file, field) -> the option a user gives it with
OPTIONS = {
    (REQUEST, "reason"): "--reason",
    (REQUEST, "restate"): "--restate",
    ("(store)", "url"): "--db",
    (REQUEST, "class"): "--class",
    (REQUEST, "settle"): "--settle",
    (REQUEST, "yield"): "--yield",
    (REQUEST, "tape"): "--tape",
    (REQUEST, "lines"): "--lines",
}
F = TypeVar("F", bound=Callable[..., None])


def worded(p: Problem) -> Problem:
    """A problem as the command line words it: its own arguments, its own options."""
    path = OPTIONS.get((p.file, p.path), p.path)
    return replace(p, file=COMMAND_LINE if p.file == REQUEST else p.file, path=path)


#: the exit code of a command whose standard output was closed early (``remit ... | head``),
#: as a shell reports a process ended by SIGPIPE
BROKEN_PIPE = 141


def _quiet_stdout() -> None:
    """Send what is left of standard output nowhere (it was closed by its reader), so that
    the interpreter's own flush at exit does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def internal(exc: BaseException) -> str:
    """A bug, in one line: the exception's type and the first line of its message, cut short
    and with any URL password masked (never a database statement or its parameters)."""
    lines = str(exc).strip().splitlines()
    first = redacted(lines[0]) if lines else ""
    if len(first) > 200:
        first = first[:197] + "..."
    return f"internal error: {type(exc).__name__}: {first} (set REMIT_DEBUG=1 for a traceback)"


def reports_errors(fn: F) -> F:
    """Bad input: every problem on stderr, exit code 2. A bug: one line, exit code 70. Standard
    output closed by its reader: quietly, exit code 141."""

    @functools.wraps(fn)
    def wrapper(*args: object, **kwargs: object) -> None:
        try:
            fn(*args, **kwargs)
        except RemitError as exc:
            for p in exc.problems:
                typer.echo(f"error: {worded(p)}", err=True)
            raise typer.Exit(2) from None
        except (typer.Exit, typer.Abort):
            raise
        except BrokenPipeError:
            _quiet_stdout()
            raise typer.Exit(BROKEN_PIPE) from None
        except Exception as exc:
            if os.environ.get("REMIT_DEBUG"):
                raise
            typer.echo(internal(exc), err=True)
            raise typer.Exit(70) from None

    return wrapper  # type: ignore[return-value]


def add_commands(app: typer.Typer, commands: Mapping[str, Callable[..., None]]) -> None:
    """Add each function to ``app`` as the command of its name, its errors reported."""
    for name, fn in commands.items():
        app.command(name)(reports_errors(fn))
