"""The repository: a deal's stored history, read back, and the transactions that write it.

Queries return the plain records of :mod:`remit.records` and :mod:`remit.store.records`.
Writing happens in :meth:`Store.deal_transaction`, one transaction under the deal's write lock
in which the use cases (:mod:`remit.workflows`) plan and insert through :mod:`remit.store.write`
and :mod:`remit.store.published`; anything raised before the commit leaves nothing written."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, or_, select
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from remit.close import DealState
from remit.errors import RemitError, shown
from remit.money import ZERO
from remit.records import PublishedStatement, StoredPeriod
from remit.store.engine import URL_FIELD, WHERE, display, open_engine, unreachable, writing
from remit.store.integrity import (
    CLASS_FIELDS,
    DECODE_ERRORS,
    HISTORY_FIELDS,
    require,
    sha256_of,
    stored_period,
    text_mismatches,
)
from remit.store.models import (
    DealRow,
    PeriodClassRow,
    PeriodDelinquencyRow,
    PeriodRow,
    PublishedRow,
    SpecRow,
)
from remit.store.published import find_import, listed_dates, load_import
from remit.store.records import (
    DELINQUENCY,
    NINETY_PLUS,
    ClassPoint,
    DealSummary,
    HistoryRow,
    utc,
)

P = PeriodRow
C = PeriodClassRow
D = PeriodDelinquencyRow


def as_date(when: date | str, where: str) -> date:
    """A date given as a date or as YYYY-MM-DD text; RemitError naming ``where`` else."""
    if isinstance(when, date):
        return when
    try:
        return date.fromisoformat(when)
    except ValueError:
        raise RemitError.one(where, "date", when, "a date YYYY-MM-DD") from None


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
        """A database error as a located problem (busy, damaged, unreachable)."""
        return unreachable(self.url, exc)

    @contextmanager
    def deal_transaction(self, deal_id: str, what: str, conflict: str) -> Iterator[Connection]:
        """One transaction holding the deal's write lock; it commits on leaving normally and
        rolls back on any exception. A unique-key clash (another process wrote the same
        ``what`` at the same time) is a RemitError expecting ``conflict``; a busy or
        unreachable database is one naming the store."""
        try:
            with writing(self.engine, f"deal:{deal_id}") as conn:
                yield conn
        except IntegrityError:
            raise RemitError.one(self.where, "", what, conflict) from None
        except DBAPIError as exc:
            raise self._db_error(exc) from None

    @contextmanager
    def _read(self) -> Iterator[Session]:
        try:
            with Session(self.engine) as session:
                yield session
        except DBAPIError as exc:
            raise self._db_error(exc) from None
        except DECODE_ERRORS as exc:
            # a stored value that does not decode (a state that is not JSON, text where an
            # amount is), a row another refers to gone: the store is damaged
            raise RemitError.one(
                WHERE,
                URL_FIELD,
                self.where,
                f"a store that reads back whole ({type(exc).__name__}: "
                f"{shown(str(exc), 100)}): restore it from a backup",
            ) from None

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
            for row, _ in periods:
                require(row, HISTORY_FIELDS)
            for points in classes.values():
                for point in points:
                    require(point, CLASS_FIELDS)
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
                    delinquency=dq.get(r.id, {k: (0, ZERO) for k in DELINQUENCY}),
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
                k: (int(vals[2 * i] or 0), vals[2 * i + 1] if vals[2 * i + 1] is not None else ZERO)
                for i, k in enumerate(cats)
            }
        return out

    def period(self, deal_id: str, when: date | str, version: int | None = None) -> StoredPeriod:
        """A stored period: the latest version of the date unless ``version`` is given."""
        d = as_date(when, self.where)
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
                    "version",
                    version,
                    f"a stored version of {deal_id} {d.isoformat()} ({sorted(by_version)})",
                )
            return self._load(conn, by_version[version], version == max(by_version))

    def period_by_id(self, pid: int) -> StoredPeriod:
        """A stored period by its id, as the current version of its date."""
        with self._read() as conn:
            return self._load(conn, pid, True)

    def _load(self, conn: Session, pid: int, current: bool) -> StoredPeriod:
        r = conn.execute(select(P).where(P.id == pid)).scalar_one()
        require(r, HISTORY_FIELDS)
        wrong = text_mismatches(r)
        if wrong:  # what is shown is what was stored, or nothing
            raise ValueError(f"period {pid}'s {wrong[0][0]} does not match its sha256")
        return stored_period(r, DealState.from_dict(json.loads(r.state_json)), current)

    # ---- published statements ------------------------------------------------------------

    def published(
        self, deal_id: str, when: date | str, version: int | None = None
    ) -> PublishedStatement:
        """The published statement imported for a date: the latest import unless
        ``version``."""
        d = as_date(when, self.where)
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

    def inputs(self, pid: int) -> tuple[str, str, str, DealState | None]:
        """The stored inputs of a period: spec text, remittance text and source, and the prior
        state (None for the first period: the deal's closing state); each checked against
        the sha256 stored with it (a mismatch is a damaged store)."""
        with self._read() as conn:
            r = conn.execute(select(P).where(P.id == pid)).scalar_one()
            spec_text = conn.execute(
                select(SpecRow.text).where(SpecRow.sha256 == r.spec_sha256)
            ).scalar_one()
            if sha256_of(spec_text) != r.spec_sha256 or any(
                field == "remittance_text" for field, _, _ in text_mismatches(r)
            ):
                raise ValueError(f"period {pid}'s inputs do not match their sha256")
            prior: DealState | None = None
            if r.prior_id is not None:
                prior = self._load(conn, r.prior_id, False).state
        return spec_text, r.remittance_text, r.remittance_source, prior

    def import_by_id(self, iid: int) -> PublishedStatement:
        """A stored import by its id."""
        with self._read() as conn:
            return load_import(conn, iid)
