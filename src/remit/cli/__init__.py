"""The command line, ``remit COMMAND ...``: thin. A command parses its arguments, calls a use
case (:mod:`remit.workflows`) or the library, and prints. Bad input ends with every problem on
stderr, located (file, field, value, what was expected), exit code 2 and nothing written; a
bug with one line and exit code 70 (:mod:`remit.cli.errors`).

Where a new command goes:

* its function goes in the module of its stage -- ``close.py`` (close, explain, check),
  ``store.py`` (deals, history, show, export), ``audit.py`` (verify, import, diff),
  ``collateral.py`` (tape, collect), ``publish.py`` (filing, render, serve),
  ``project.py`` (project, price, grid) -- or, for a new stage, a module of its own in
  this package. Each module has ``register(app)``, which adds its commands to a typer app,
  each wrapped in :func:`~remit.cli.errors.reports_errors`;
* its options come from :mod:`remit.cli.options`, where each (``--db``, ``--date``, the deal
  directory, ``--format``, ``--out``, ...) is defined once;
* it is listed in :data:`COMMANDS` below: one line, ``name: Entry(module, summary)``, the
  summary being the first paragraph of its docstring (a test holds them equal);
* the module imports only typer, the standard library and this package at its top; each
  command imports what it calls (pandas, SQLAlchemy, the close) in its body. Together with
  the registry this keeps ``remit --help`` and ``remit verify`` from importing what they do
  not use: the module of a command is imported only when that command runs or its help is
  shown (:mod:`remit.cli.lazy`, pip's ``commands_dict``).
"""

from __future__ import annotations

import gc
from typing import Annotated, NamedTuple

import typer

from remit.cli.lazy import PLAIN, LazyGroup


class Entry(NamedTuple):
    """Where a command is defined, and the line ``remit --help`` shows for it."""

    module: str
    summary: str


COMMANDS: dict[str, Entry] = {
    "close": Entry("remit.cli.close", "Close a distribution date and print its statement."),
    "explain": Entry(
        "remit.cli.close",
        "Print the ledger postings and rule bases behind one figure of the statement.",
    ),
    "check": Entry(
        "remit.cli.close",
        "Validate the deal spec and every remittance, closing the dates in sequence.",
    ),
    "deals": Entry("remit.cli.store", "List the deals in the store."),
    "history": Entry(
        "remit.cli.store",
        "One row per stored period and version: pool balance, class balances and factors, "
        "delinquency, losses.",
    ),
    "show": Entry("remit.cli.store", "Print a stored statement, as filed (EDGAR text) or as JSON."),
    "export": Entry(
        "remit.cli.store",
        "Write pool.parquet and classes.parquet: the deal's time series (latest versions).",
    ),
    "verify": Entry(
        "remit.cli.audit",
        "Check a published statement to certificateholders: every identity, recomputed from "
        "its own figures.",
    ),
    "import": Entry("remit.cli.audit", "Store a published statement's figures beside its period."),
    "diff": Entry(
        "remit.cli.audit",
        "Our stored statement for a date against the published one, cell by cell.",
    ),
    "collect": Entry(
        "remit.cli.collateral",
        "Compute the pool-level remittance for a distribution date from the loan tape.",
    ),
    "tape": Entry("remit.cli.collateral", "Synthetic loan tapes."),
    "filing": Entry(
        "remit.cli.publish",
        "Write the complete filing of a stored period: cover page, items, signature, exhibit "
        "index and the statement as Exhibit 99.1.",
    ),
    "render": Entry(
        "remit.cli.publish", "Render a stored statement in one or more formats into a directory."
    ),
    "serve": Entry(
        "remit.cli.publish",
        "Serve the investor web site and its JSON API (read-only unless --token is set).",
    ),
    "project": Entry(
        "remit.cli.project",
        "Project a deal through its own waterfall, or a pool, under scenarios (floats).",
    ),
    "price": Entry(
        "remit.cli.project",
        "Price a deal class's or a pool's cash flows: yield from price or price from yield.",
    ),
    "grid": Entry(
        "remit.cli.project",
        "Run every (subject, scenario) pair through local processes or a Dask cluster.",
    ),
}


class RemitGroup(LazyGroup):
    """The ``remit`` group: the commands of :data:`COMMANDS`."""

    registry = COMMANDS


app = typer.Typer(
    cls=RemitGroup,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=PLAIN,
)


def _print_version(value: bool) -> None:
    if value:
        from remit import __version__

        typer.echo(f"remit {__version__}")
        raise typer.Exit()


@app.callback()
def _remit(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="print remit's version and exit",
            callback=_print_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """remit: administer mortgage pass-through trusts, exactly."""


def main() -> None:
    try:
        app()
    finally:
        # the command is done (its files written and closed): what is left is the exit,
        # whose last garbage collection would walk every object of every module imported
        # (some 40 ms after a projection); frozen, they are only released. The young
        # generations are collected first, so that a reference cycle the command left
        # recently is still finalized (one old enough to have reached the oldest
        # generation is not: remit closes its files and connections explicitly)
        gc.collect(1)
        gc.freeze()
