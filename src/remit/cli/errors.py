"""How a command ends when something is wrong: bad input prints every problem on stderr,
located, and exits 2; a bug prints one line and exits 70 (``REMIT_DEBUG=1`` shows the
traceback). The library names a caller's argument by its parameter (file
:data:`~remit.errors.REQUEST`) and the store's URL by ``url``; here they are worded as the
command line spells them."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TypeVar

import typer

from remit.errors import REQUEST, Problem, RemitError

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


def reports_errors(fn: F) -> F:
    """Bad input: every problem on stderr, exit code 2. A bug: one line, exit code 70."""

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
        except Exception as exc:
            if os.environ.get("REMIT_DEBUG"):
                raise
            typer.echo(
                f"internal error: {type(exc).__name__}: {exc} (set REMIT_DEBUG=1 for a traceback)",
                err=True,
            )
            raise typer.Exit(70) from None

    return wrapper  # type: ignore[return-value]


def add_commands(app: typer.Typer, commands: Mapping[str, Callable[..., None]]) -> None:
    """Add each function to ``app`` as the command of its name, its errors reported."""
    for name, fn in commands.items():
        app.command(name)(reports_errors(fn))
