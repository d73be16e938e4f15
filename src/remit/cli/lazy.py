"""A typer group whose commands are imported when used (pip's ``commands_dict`` with lazy
``create_command``).

The group lists the commands of its registry -- name to (module, summary) -- without importing
them: ``remit --help`` shows each summary. Running a command, or asking for its help, imports
its module, lets the module's ``register(app)`` add its commands to a fresh typer app, and
takes the command from there."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from difflib import get_close_matches
from functools import cache
from typing import Protocol

import typer
from typer import _click
from typer.core import TyperCommand, TyperGroup


class Listed(Protocol):
    """A registry entry: the module that defines the command, the line the help shows."""

    @property
    def module(self) -> str: ...

    @property
    def summary(self) -> str: ...


PLAIN = None
"""The help's markup: plain text, as click writes it. Rich panels cost an import of rich and
markdown-it on every ``--help`` (about half its time) and wrap the docstrings worse."""


@cache
def commands_of(module: str) -> TyperGroup:
    """The commands ``module``'s ``register(app)`` adds, as a click group (built once)."""
    sub = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=PLAIN)

    @sub.callback()
    def _group() -> None:
        """The commands of one module."""

    importlib.import_module(module).register(sub)
    return typer.main.get_group(sub)


def load(name: str, entry: Listed) -> _click.Command:
    """The command ``name`` from its module; a registry line naming the wrong module fails."""
    cmd = commands_of(entry.module).commands.get(name)
    if cmd is None:
        raise LookupError(f"{entry.module}.register(app) adds no command {name!r}")
    return cmd


class Placeholder(TyperCommand):
    """A listed command not imported yet: its name and summary, for the help's list."""


class LazyGroup(TyperGroup):
    """The commands registered on the app, then those of :attr:`registry`, loaded on use."""

    registry: Mapping[str, Listed] = {}

    def list_commands(self, ctx: _click.Context) -> list[str]:
        return [*self.commands, *(n for n in self.registry if n not in self.commands)]

    def get_command(self, ctx: _click.Context, cmd_name: str) -> _click.Command | None:
        cmd = self.commands.get(cmd_name)
        entry = self.registry.get(cmd_name)
        if cmd is not None or entry is None:
            return cmd
        return Placeholder(cmd_name, help=entry.summary, short_help=entry.summary)

    def resolve_command(
        self, ctx: _click.Context, args: list[str]
    ) -> tuple[str | None, _click.Command | None, list[str]]:
        name = args[0] if args else ""
        unknown = self.get_command(ctx, name) is None and not name.startswith("-")
        if args and unknown and not ctx.resilient_parsing:
            close = get_close_matches(name, self.list_commands(ctx))
            hint = f" Did you mean {', '.join(repr(m) for m in close)}?" if close else ""
            ctx.fail(f"No such command {name!r}.{hint}")
        cmd_name, cmd, rest = super().resolve_command(ctx, args)
        if isinstance(cmd, Placeholder) and cmd_name is not None:
            cmd = load(cmd_name, self.registry[cmd_name])
        return cmd_name, cmd, rest
