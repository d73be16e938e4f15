"""The `remit` typer app and its error reporting, shared by every command module."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import TypeVar

import typer

from remit.errors import RemitError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="remit: administer mortgage pass-through trusts, exactly.",
)
F = TypeVar("F", bound=Callable[..., None])


def reports_errors(fn: F) -> F:
    """Bad input: every problem on stderr, exit code 2. A bug: one line, exit code 70."""

    @functools.wraps(fn)
    def wrapper(*args: object, **kwargs: object) -> None:
        try:
            fn(*args, **kwargs)
        except RemitError as exc:
            for p in exc.problems:
                typer.echo(f"error: {p}", err=True)
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


def command(fn: F) -> F:
    return app.command()(reports_errors(fn))
