"""The repository: close a period into the store, read the history back.

A close is one transaction under the deal's write lock: read the stored prior state, run the
pure :func:`remit.close.close`, render the statement, and store inputs, outputs and audit
fields together. Anything wrong raises :class:`~remit.errors.RemitError` before the commit,
so that nothing is written (the writing is in :mod:`remit.store.write`)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine, and_, func, or_, select
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from remit.api import Deal, close_date, load_deal, parse_date
from remit.audit.diff import StatementDiff, diff_statements
from remit.close import DealState, close, initial_state
from remit.close.close import expected_date
from remit.errors import RemitError
from remit.spec.models import DealSpec, OCSpec
from remit.store.engine import display, open_engine, resolve_url, unreachable, writing
from remit.store.inputs import parse_remittance, parse_spec, read_text
from remit.store.models import (
    DealRow,
    PeriodClassRow,
    PeriodDelinquencyRow,
    PeriodRow,
    PublishedRow,
    SpecRow,
)
from remit.store.published import (
    ImportResult,
    Prepared,
    PublishedStatement,
    find_import,
    insert_import,
    listed_dates,
    load_import,
    prepare,
    read_file,
)
from remit.store.records import (
    DELINQUENCY,
    NINETY_PLUS,
    ClassPoint,
    DealSummary,
    HistoryRow,
    Reproduction,
    StoredPeriod,
    Z,
    utc,
)
from remit.store.write import CMD, RemittanceSource, close_into, render

P = PeriodRow
C = PeriodClassRow
D = PeriodDelinquencyRow


class Store:
    """The period history of every deal, in one database."""

    def __init__(self, engine: Engine, url: URL) -> None:
        self.engine = engine
        self.url = url

    @classmethod
    def open(cls, url: str | None = None, *, create: bool = True) -> Store:
        """Open (and, with ``create``, create) the store at ``url`` -- default ``$REMIT_DB`` or
        ``remit.db`` in the working directory -- upgrading its schema to this code's."""
        engine, u = open_engine(url, create=create)
        return cls(engine, u)

    def dispose(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.dispose()

    @property
    def where(self) -> str:
        return display(self.url)

    def _db_error(self, exc: DBAPIError) -> RemitError:
        text = str(exc.orig) if exc.orig is not None else str(exc)
        if "locked" in text or "busy" in text:
            return RemitError.one(
                self.where, "", "busy", "the store free: another close held it too long"
            )
        return unreachable(self.url, exc)

    # ---- closing -------------------------------------------------------------------------

    def close_period(
        self,
        deal: Deal,
        when: date | str = "next",
        *,
        restate: bool = False,
        reason: str | None = None,
        remittance_from: RemittanceSource | None = None,
    ) -> StoredPeriod:
        """Close ``when`` (a date, or ``"next"``: the date after the last one stored) from the
        stored prior state, and store it. The remittance is the deal directory's, unless
        ``remittance_from`` gives it (see :func:`remit.store.write.close_into`). A date
        already closed is refused unless ``restate`` with a ``reason``: then it is stored as a
        new version, its statement marked amended, and every later period of the deal flagged
        stale until it is closed again."""
        if restate and not (reason and reason.strip()):
            raise RemitError.one(CMD, "--reason", reason or "(missing)", "a reason to restate")
        if reason and not restate:
            raise RemitError.one(CMD, "--reason", reason, "--restate with it")
        target = None if when == "next" else parse_date(when)
        if target is None and restate:
            raise RemitError.one(CMD, "--restate", "--next", "--date DATE: the date to restate")
        spec_path = deal.path / "deal.toml"
        spec_text = read_text(spec_path)
        spec = parse_spec(spec_text, str(spec_path))
        try:
            with writing(self.engine, f"deal:{spec.deal.id}") as conn:
                pid = close_into(
                    conn, deal, spec, spec_text, target, restate, reason, remittance_from
                )
        except IntegrityError:
            raise RemitError.one(
                self.where,
                "",
                f"{spec.deal.id} {target or 'next'}",
                "a date no other process closed at the same time (it just did: see remit history)",
            ) from None
        except OperationalError as exc:
            raise self._db_error(exc) from None
        return self._period_by_id(pid)

    @contextmanager
    def _read(self) -> Iterator[Session]:
        try:
            with Session(self.engine) as session:
                yield session
        except OperationalError as exc:
            raise self._db_error(exc) from None

    def deals(self) -> list[DealSummary]:
        """Every deal in the store, with how many dates and versions it has."""
        latest = (
            select(P.deal_id, P.distribution_date, func.max(P.version).label("v"))
            .group_by(P.deal_id, P.distribution_date)
            .subquery()
        )
        stale_q = (
            select(P.deal_id, func.count().label("n"))
            .join(
                latest,
                and_(
                    latest.c.deal_id == P.deal_id,
                    latest.c.distribution_date == P.distribution_date,
                    latest.c.v == P.version,
                ),
            )
            .where(P.stale.is_(True))
            .group_by(P.deal_id)
            .subquery()
        )
        q = (
            select(
                DealRow.id,
                DealRow.name,
                func.count(func.distinct(P.distribution_date)),
                func.count(P.id),
                func.min(P.distribution_date),
                func.max(P.distribution_date),
                func.coalesce(func.max(stale_q.c.n), 0),
            )
            .outerjoin(P, P.deal_id == DealRow.id)
            .outerjoin(stale_q, stale_q.c.deal_id == DealRow.id)
            .group_by(DealRow.id, DealRow.name)
            .order_by(DealRow.id)
        )
        with self._read() as conn:
            return [DealSummary(*r) for r in conn.execute(q).all()]

    def _require_deal(self, conn: Session, deal_id: str) -> None:
        if conn.execute(select(DealRow.id).where(DealRow.id == deal_id)).first() is None:
            known = ", ".join(conn.execute(select(DealRow.id).order_by(DealRow.id)).scalars())
            raise RemitError.one(
                self.where, "deal", deal_id, f"a deal in the store ({known or 'none yet'})"
            )

    def history(self, deal_id: str) -> list[HistoryRow]:
        """One row per stored period and version of the deal, in date and version order."""
        with self._read() as conn:
            self._require_deal(conn, deal_id)
            periods = conn.execute(
                select(P, func.max(P.version).over(partition_by=P.distribution_date).label("mv"))
                .where(P.deal_id == deal_id)
                .order_by(P.distribution_date, P.version)
            ).all()
            ids = [r[0].id for r in periods]
            classes: dict[int, list[ClassPoint]] = {i: [] for i in ids}
            for c in conn.execute(
                select(C).where(C.period_id.in_(ids)).order_by(C.period_id, C.position)
            ).scalars():
                classes[c.period_id].append(
                    ClassPoint(
                        c.class_name,
                        c.original_face,
                        c.beginning_balance,
                        c.interest_distribution,
                        c.principal_distribution,
                        c.realized_loss,
                        c.ending_balance,
                        c.factor,
                        c.unpaid_interest,
                        c.basis_risk_carryforward,
                        c.unpaid_realized_loss,
                        c.cumulative_realized_loss,
                    )
                )
            dq = self._delinquency(conn, ids)
        out = []
        for row, max_version in periods:
            r: PeriodRow = row
            out.append(
                HistoryRow(
                    deal_id=r.deal_id,
                    distribution_date=r.distribution_date,
                    version=r.version,
                    period=r.period_no,
                    current=r.version == max_version,
                    amended=r.amended,
                    stale=r.stale,
                    closed_at=utc(r.closed_at),
                    pool_beginning=r.pool_beginning,
                    pool_ending=r.pool_ending,
                    count_ending=r.count_ending,
                    scheduled_principal=r.scheduled_principal,
                    unscheduled_principal=r.unscheduled_principal,
                    realized_losses=r.realized_losses,
                    cumulative_loss=r.cumulative_loss,
                    delinquency=dq.get(r.id, {k: (0, Z) for k in DELINQUENCY}),
                    classes=tuple(classes[r.id]),
                )
            )
        return out

    def _delinquency(
        self, conn: Session, ids: Sequence[int]
    ) -> dict[int, dict[str, tuple[int, Decimal]]]:
        """Delinquency by category per period, summed exactly in SQL."""
        late = D.status == "delinquent"
        cats = {
            "30": and_(late, D.bucket == "30"),
            "60": and_(late, D.bucket == "60"),
            "90+": and_(late, D.bucket.in_(NINETY_PLUS)),
            "60+": or_(D.status.in_(("foreclosure", "reo")), D.bucket.not_in(("0-29", "30"))),
            "bankruptcy": D.status == "bankruptcy",
            "foreclosure": D.status == "foreclosure",
            "reo": D.status == "reo",
        }
        cols = []
        for cond in cats.values():
            cols += [func.sum(D.count).filter(cond), func.sum(D.balance).filter(cond)]
        q = select(D.period_id, *cols).where(D.period_id.in_(ids)).group_by(D.period_id)
        out: dict[int, dict[str, tuple[int, Decimal]]] = {}
        for r in conn.execute(q).all():
            vals: list[Any] = list(r[1:])
            out[r[0]] = {
                k: (int(vals[2 * i] or 0), vals[2 * i + 1] if vals[2 * i + 1] is not None else Z)
                for i, k in enumerate(cats)
            }
        return out

    def period(self, deal_id: str, when: date | str, version: int | None = None) -> StoredPeriod:
        """A stored period: the latest version of the date unless ``version`` is given."""
        d = parse_date(when)
        with self._read() as conn:
            self._require_deal(conn, deal_id)
            versions = list(
                conn.execute(
                    select(P.version, P.id)
                    .where(P.deal_id == deal_id, P.distribution_date == d)
                    .order_by(P.version)
                ).all()
            )
            if not versions:
                listed = listed_dates(conn, P, deal_id)
                raise RemitError.one(
                    self.where, "date", d.isoformat(), f"a closed date of {deal_id} ({listed})"
                )
            by_version = dict(versions)
            if version is None:
                version = max(by_version)
            if version not in by_version:
                raise RemitError.one(
                    self.where,
                    "--version",
                    version,
                    f"a stored version of {deal_id} {d.isoformat()} ({sorted(by_version)})",
                )
            return self._load(conn, by_version[version], version == max(by_version))

    def _period_by_id(self, pid: int) -> StoredPeriod:
        with self._read() as conn:
            return self._load(conn, pid, True)

    def _load(self, conn: Session, pid: int, current: bool) -> StoredPeriod:
        r = conn.execute(select(P).where(P.id == pid)).scalar_one()
        return StoredPeriod(
            id=r.id,
            deal_id=r.deal_id,
            distribution_date=r.distribution_date,
            version=r.version,
            period=r.period_no,
            current=current,
            amended=r.amended,
            stale=r.stale,
            reason=r.reason,
            prior_id=r.prior_id,
            closed_by=r.closed_by,
            closed_at=utc(r.closed_at),
            code_version=r.code_version,
            spec_sha256=r.spec_sha256,
            remittance_source=r.remittance_source,
            remittance_sha256=r.remittance_sha256,
            statement_sha256=r.statement_sha256,
            statement_text=r.statement_text,
            statement_json=r.statement_json,
            ledger_json=r.ledger_json,
            state=DealState.from_dict(json.loads(r.state_json)),
        )

    # ---- published statements ------------------------------------------------------------

    def import_statement(
        self, deal: Deal | OCSpec, source: Path | bytes, *, name: str | None = None
    ) -> ImportResult:
        """Import a published statement of ``deal`` (a file, or its bytes named ``name``)
        beside its period: read and checked in memory first (RemitError, nothing written),
        then stored with every cell under the deal's write lock. The same file again is not
        stored twice (``created`` False); another file for the date is the next version. The
        period need not be closed."""
        spec = deal.spec if isinstance(deal, Deal) else deal
        if isinstance(source, Path):
            prepared = prepare(spec, read_file(source), name or str(source))
        else:
            prepared = prepare(spec, source, name or "<statement>")
        return self.store_import(prepared)

    def store_import(self, prepared: Prepared) -> ImportResult:
        """Store a statement :func:`~remit.store.published.prepare` read and checked."""
        try:
            with writing(self.engine, f"deal:{prepared.deal_id}") as conn:
                iid, created = insert_import(conn, prepared)
        except IntegrityError:
            raise RemitError.one(
                self.where,
                "",
                f"{prepared.deal_id} {prepared.distribution_date.isoformat()}",
                "an import no other process made at the same time (it just did: run it again)",
            ) from None
        except OperationalError as exc:
            raise self._db_error(exc) from None
        with self._read() as conn:
            return ImportResult(load_import(conn, iid), created)

    def published(
        self, deal_id: str, when: date | str, version: int | None = None
    ) -> PublishedStatement:
        """The published statement imported for a date: the latest import unless
        ``version``."""
        d = parse_date(when)
        with self._read() as conn:
            self._require_deal(conn, deal_id)
            return load_import(conn, find_import(conn, self.where, deal_id, d, version))

    def imports(self, deal_id: str) -> list[PublishedStatement]:
        """Every import of the deal's published statements, by date and version."""
        with self._read() as conn:
            self._require_deal(conn, deal_id)
            ids = conn.execute(
                select(PublishedRow.id)
                .where(PublishedRow.deal_id == deal_id)
                .order_by(PublishedRow.distribution_date, PublishedRow.version)
            ).scalars()
            return [load_import(conn, i) for i in list(ids)]

    def diff(
        self,
        deal_id: str,
        when: date | str,
        version: int | None = None,
        published_version: int | None = None,
    ) -> StatementDiff:
        """Our stored statement for a date (the current version unless ``version``) against
        the published one (the latest import unless ``published_version``), cell by cell."""
        ours = self.period(deal_id, when, version)
        theirs = self.published(deal_id, when, published_version)
        return diff_statements(ours, theirs)

    def inputs(self, pid: int) -> tuple[str, str, str, DealState | None]:
        """The stored inputs of a period: spec text, remittance text and source, and the prior
        state (None for the first period: the deal's closing state)."""
        with self._read() as conn:
            r = conn.execute(
                select(P.spec_sha256, P.remittance_text, P.remittance_source, P.prior_id).where(
                    P.id == pid
                )
            ).one()
            spec_text = conn.execute(
                select(SpecRow.text).where(SpecRow.sha256 == r.spec_sha256)
            ).scalar_one()
            prior: DealState | None = None
            if r.prior_id is not None:
                text = conn.execute(select(P.state_json).where(P.id == r.prior_id)).scalar_one()
                prior = DealState.from_dict(json.loads(text))
        return spec_text, r.remittance_text, r.remittance_source, prior

    def reproduce(self, deal_id: str, when: date | str, version: int | None = None) -> Reproduction:
        """Close a stored period again from its stored inputs alone."""
        stored = self.period(deal_id, when, version)
        spec_text, rem_text, source, prior = self.inputs(stored.id)
        spec = parse_spec(spec_text, f"(stored spec {stored.spec_sha256[:12]})")
        rem = parse_remittance(rem_text, source)
        result = close(spec, prior or initial_state(spec), rem, source=source)
        _, edgar, js = render(result, amended=stored.amended)
        return Reproduction(stored, edgar, js)


def store_close(
    deal_dir: str | Path,
    when: date | str | Literal["next"] = "next",
    *,
    restate: bool = False,
    reason: str | None = None,
    url: str | None = None,
    tape: str | Path | None = None,
) -> StoredPeriod:
    """Load the deal directory, open the store and close ``when`` into it (what ``remit
    close`` runs). With ``tape``, the remittance is collected from that loan tape directory
    (see :mod:`remit.collateral`) instead of read from the deal directory."""
    deal = load_deal(deal_dir)
    source = None if tape is None else remittance_from_tape(deal.spec, tape)
    if _new_sqlite_file(url) is not None:
        # A store that does not exist yet is created only by a close that succeeds: check
        # the first close in memory before the file is made (bad input writes nothing).
        start = initial_state(deal.spec)
        first = expected_date(deal.spec, start)
        if when != "next" and parse_date(when) != first:
            raise RemitError.one(
                CMD,
                "--date",
                str(when),
                f"{first.isoformat()}, the deal's first date (the store is new)",
            )
        if source is None:
            close_date(deal, first)
        else:
            text, name = source(first, start)
            close(deal.spec, start, parse_remittance(text, name), source=name)
    with Store.open(url) as store:
        return store.close_period(
            deal, when, restate=restate, reason=reason, remittance_from=source
        )


def remittance_from_tape(spec: DealSpec, tape: str | Path) -> RemittanceSource:
    """Remittances collected from a loan tape directory, as stored TOML text."""
    from remit.collateral import collect, remittance_to_toml

    def source(when: date, prior: DealState) -> tuple[str, str]:
        rem = collect(spec, tape, when, prior)
        return remittance_to_toml(rem), f"{tape} (loan tape, {when.isoformat()})"

    return source


def _new_sqlite_file(url: str | None) -> Path | None:
    """The SQLite file the URL names, if it does not exist yet."""
    u = resolve_url(url)
    if not u.startswith("sqlite") or ":memory:" in u:
        return None
    path = Path(u.split(":///", 1)[1]) if ":///" in u else None
    return path if path is not None and not path.exists() else None
