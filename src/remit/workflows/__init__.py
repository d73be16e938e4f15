"""The use cases: what a front end (the command line, the coming web site) can do with a deal.

Each is a function taking typed arguments. A use case that writes opens the store, reads what
it needs under the deal's write lock, runs the pure :func:`remit.close.close` (or the audit's
statement reader), and writes the outcome in that one transaction; anything wrong raises a
:class:`~remit.errors.RemitError` first and nothing is written. The store underneath is
persistence only (:mod:`remit.store`); the words a front end uses (options, commands) are the
front end's: a refused argument is a problem whose file is :data:`~remit.errors.REQUEST` and
whose path is the argument's name here (``date``, ``restate``, ``reason``), and a refusal
that has a remedy is a :class:`Refused` the front end can reword.

* closing: :func:`close_into_store` (a deal directory into a store, from its remittances or a
  loan tape), :func:`close_period` (into an open store), :func:`close_in_memory` (no store),
  :func:`check_deal` (every date of a deal directory), :func:`explain_figure` (a date in
  memory), :func:`explain_stored` (a stored period), :func:`reclose`;
* published statements: :func:`import_published`, :func:`import_statement`, :func:`diff`,
  :func:`diff_stored`; two stored versions: :func:`diff_stored_versions`;
* the history: :func:`reproduce`, :func:`deals`, :func:`history`, :func:`period`,
  :func:`export`."""

from remit.workflows.closing import (
    RemittanceSource,
    check_deal,
    close_in_memory,
    close_into,
    close_into_store,
    close_period,
    explain_figure,
    explain_stored,
    reclose,
    remittance_from_tape,
    reproduce,
)
from remit.workflows.history import deals, export, history, period
from remit.workflows.plan import (
    AlreadyClosed,
    Plan,
    Refused,
    StaleFirst,
    Unchanged,
    plan_close,
)
from remit.workflows.published import (
    diff,
    diff_stored,
    diff_stored_versions,
    import_published,
    import_statement,
)
from remit.workflows.record import Outputs, new_period, render

__all__ = [
    "AlreadyClosed",
    "Outputs",
    "Plan",
    "Refused",
    "RemittanceSource",
    "StaleFirst",
    "Unchanged",
    "check_deal",
    "close_in_memory",
    "close_into",
    "close_into_store",
    "close_period",
    "deals",
    "diff",
    "diff_stored",
    "diff_stored_versions",
    "explain_figure",
    "explain_stored",
    "export",
    "history",
    "import_published",
    "import_statement",
    "new_period",
    "period",
    "plan_close",
    "reclose",
    "remittance_from_tape",
    "render",
    "reproduce",
]
