"""Reading a tape directory into arrays: the loan tape, a month's activity, index fixings.

A tape directory holds ``loans.parquet`` (or ``loans.csv``), ``indices.parquet`` (or
``.csv``) and ``activity/YYYY-MM-DD.parquet`` (or ``.csv``), one per distribution date. See
``FORMATS.md``."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from remit.arrowbuf import fixed, to_numpy
from remit.collateral.formats import (
    ACTIVITY_COLUMNS,
    FIXING_COLUMNS,
    I32,
    I64,
    INFORMATIONAL,
    LOAN_COLUMNS,
    MAX_BALANCE_CENTS,
    NO_DATE,
    PRODUCT_TYPES,
    RATE_SCALE,
    ROUND_FLAGS,
    ZERO_BALANCE_CODES,
    Bool,
    Column,
    Problems,
    convert,
    convert_ids,
    convert_text,
    duplicates,
    fee_column,
    find_file,
    read_table,
)
from remit.errors import Problem, RemitError
from remit.spec.models import DealSpec

EPOCH = date(1970, 1, 1)


def month_index(days: I32 | I64) -> I32:
    """Months since January 1970 (year x 12 + month - 1 - 1970 x 12) of day numbers; days
    equal to ``NO_DATE`` give 0. Computed through a table of the days spanned (one gather),
    which is much quicker than numpy's calendar conversion for a million dates."""
    d = np.asarray(days, dtype=np.int64)
    valid = d != NO_DATE
    if not valid.any():
        return np.zeros(d.shape, dtype=np.int32)
    lo = int(d[valid].min()) if not valid.all() else int(d.min())
    hi = int(d[valid].max()) if not valid.all() else int(d.max())
    span = np.arange(lo, hi + 1, dtype=np.int64)
    table = span.astype("datetime64[D]").astype("datetime64[M]").astype(np.int32)
    return np.where(valid, table[np.clip(d - lo, 0, hi - lo)], 0).astype(np.int32)


def month_of(d: date) -> int:
    return (d.year - 1970) * 12 + d.month - 1


def day_number(d: date) -> int:
    return (d - EPOCH).days


def month_start_day(m: int) -> int:
    return int(np.datetime64(m, "M").astype("datetime64[D]").astype(np.int64))


def reported_fees(spec: DealSpec) -> list[str]:
    """The fees the servicer reports, computed loan by loan from the tape's rate columns."""
    return [f.name for f in spec.fees if f.amount == "reported"]


@dataclass
class LoanTape:
    """The loans at the cut-off date: static terms and the starting state, one row per loan."""

    file: str
    ids: pa.Array
    product: I32
    deal_product: I32
    product_keys: list[str]
    original_balance: I64
    balance: I64
    rate: I64
    first_payment_m: I32
    maturity_m: I32
    io_end_m: I32
    arm: Bool
    index_code: I32
    index_names: list[str]
    margin: I64
    first_change_m: I32
    reset_frequency: I32
    initial_cap: I64
    periodic_cap: I64
    ceiling: I64
    floor: I64
    round_mode: I32
    round_factor: I64
    lookback_days: I32
    fee_rates: dict[str, I64]
    servicing_fee: str | None = None  # the fee the servicer keeps (statement row gross_servicing)
    # senior/subordinate deals: each loan's position in ``group_names`` (the spec's loan
    # groups, in its order), from ``asset_group_number``; None for a deal without groups
    group: I32 | None = None
    group_names: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.ids)


def group_names(spec: DealSpec) -> list[str]:
    """The deal's loan groups (senior/subordinate deals), in the spec's order; [] for none."""
    return [g.name for g in spec.loan_groups]


def _loan_columns(fees: list[str], groups: list[str]) -> list[Column]:
    """The loan tape's columns for a deal: the known ones, a rate for each fee the servicer
    reports, and the loan group (required) for a deal with loan groups."""
    cols: list[Column] = [
        *(c for c in LOAN_COLUMNS if c.name not in INFORMATIONAL),
        *(fee_column(f) for f in fees),
    ]
    if groups:
        group_col = next(c for c in LOAN_COLUMNS if c.name == "asset_group_number")
        cols.append(replace(group_col, required=True))
    return cols


def read_loans(spec: DealSpec, tape_dir: Path) -> LoanTape:
    """Read and check the loan tape; raise one RemitError listing every bad row and field.
    For a deal with loan groups, ``asset_group_number`` is required and must name one of
    them on every row."""
    path = find_file(tape_dir, "loans")
    fees = reported_fees(spec)
    groups = group_names(spec)
    cols = _loan_columns(fees, groups)
    table = read_table(path, cols)
    if table.num_rows == 0:
        raise RemitError.one(str(path), "", "no loans", "a loan tape with at least one loan")
    file, n, pr = str(path), table.num_rows, Problems()
    by = {c.name: c for c in cols}

    def num(name: str) -> tuple[np.ndarray, Bool]:
        return convert(file, by[name], table, pr, n)

    ids = convert_ids(file, by["asset_number"], table, pr, n)
    pr.rows(file, "asset_number", duplicates(ids), ids, "a unique asset_number")
    ptype = convert_text(file, by["product_type"], table, pr, n)
    product = ptype.codes(PRODUCT_TYPES)
    if ptype.raw is not None:
        pr.rows(file, "product_type", product < 0, ptype.raw, "one of " + ", ".join(PRODUCT_TYPES))
    keys = [p.key for p in spec.collateral.products]
    dprod = convert_text(file, by["deal_product"], table, pr, n)
    deal_product = dprod.codes(keys)
    pr.rows(
        file,
        "deal_product",
        (deal_product < 0) & ~dprod.empty,
        dprod.raw,
        f"empty or one of {keys}",
    )
    orig, _ = num("original_loan_amount")
    bal, _ = num("current_principal_balance")
    for name, v in (("original_loan_amount", orig), ("current_principal_balance", bal)):
        pr.rows(
            file,
            name,
            v < 0,
            table.column(name) if name in table.column_names else None,
            "an amount of 0 or more",
        )
        pr.rows(file, name, v > MAX_BALANCE_CENTS, None, "at most 900,000,000.00")
    rate, _ = num("current_interest_rate")
    term, _ = num("original_loan_term")
    pr.rows(file, "original_loan_term", term <= 0, None, "a term of 1 month or more")
    fpd, _ = num("first_payment_date")
    first_payment_m = month_index(fpd)
    io, _ = num("original_interest_only_term")
    arm = product > 0
    idx_name = convert_text(file, by["index_type"], table, pr, n)
    names = sorted(set(idx_name.values) - {""})
    index_code = idx_name.codes(names)
    pr.rows(file, "index_type", arm & (index_code < 0), idx_name.raw, "an index name (ARMs)")
    margin, _ = num("gross_margin")
    fcd, fcd_null = num("first_rate_change_date")
    pr.rows(file, "first_rate_change_date", arm & fcd_null, None, "a date (ARM loans)")
    freq, _ = num("rate_reset_frequency")
    pr.rows(file, "rate_reset_frequency", arm & (freq <= 0), None, "1 month or more (ARMs)")
    icap, icap_null = num("initial_rate_cap")
    pcap, pcap_null = num("periodic_rate_cap")
    ceil, ceil_null = num("lifetime_rate_ceiling")
    flo, _ = num("lifetime_rate_floor")
    rflag = convert_text(file, by["arm_round_flag"], table, pr, n)
    rmode = rflag.codes(ROUND_FLAGS)
    pr.rows(file, "arm_round_flag", (rmode < 0) & ~rflag.empty, rflag.raw, "N, U or D")
    rfac, _ = num("arm_round_factor")
    look, _ = num("index_lookback_days")
    fee_rates = {f: num(fee_column(f).name)[0] for f in fees}
    group: I32 | None = None
    if groups:
        gtext = convert_text(file, by["asset_group_number"], table, pr, n)
        group = gtext.codes(groups)
        if gtext.raw is not None:
            pr.rows(
                file,
                "asset_group_number",
                (group < 0) & ~gtext.empty,
                gtext.raw,
                "one of the deal's loan groups " + ", ".join(groups),
            )
    pr.raise_if_any()
    unlimited = RATE_SCALE
    return LoanTape(
        file=file,
        ids=ids,
        product=product,
        deal_product=deal_product,
        product_keys=keys,
        original_balance=orig,
        balance=bal,
        rate=rate,
        first_payment_m=first_payment_m,
        maturity_m=(first_payment_m + term - 1).astype(np.int32),
        io_end_m=(first_payment_m + io - 1).astype(np.int32),
        arm=arm,
        index_code=index_code,
        index_names=names,
        margin=margin,
        first_change_m=np.where(arm, month_index(fcd), 0).astype(np.int32),
        reset_frequency=np.maximum(freq, 1).astype(np.int32),
        initial_cap=np.where(icap_null, unlimited, icap),
        periodic_cap=np.where(pcap_null, unlimited, pcap),
        ceiling=np.where(ceil_null, unlimited, ceil),
        floor=flo,
        round_mode=np.maximum(rmode, 0).astype(np.int32),
        round_factor=rfac,
        lookback_days=look,
        fee_rates=fee_rates,
        servicing_fee=next(
            (f.name for f in spec.fees if f.statement_row == "gross_servicing"), None
        ),
        group=group,
        group_names=groups,
    )


@dataclass
class Fixings:
    """Index fixings, sorted by index and date; ``lookup`` finds the latest on or before a day."""

    names: list[str]
    code: I32
    day: I32
    value: I64
    file: str

    def lookup(self, names: list[str], code: I32, day: I64 | I32) -> I64:
        """Value of index ``names[code]`` fixed on or before ``day``, per element."""
        own = np.array(
            [self.names.index(x) if x in self.names else -1 for x in names], dtype=np.int32
        )
        mine = own[code] if len(names) else np.zeros(0, np.int32)
        key = (self.code.astype(np.int64) << 32) + (self.day.astype(np.int64) - NO_DATE)
        q = (mine.astype(np.int64) << 32) + (np.asarray(day, np.int64) - NO_DATE)
        pos = np.searchsorted(key, q, side="right") - 1
        ok = (mine >= 0) & (pos >= 0)
        ok &= self.code[np.maximum(pos, 0)] == mine if len(key) else False
        if not np.all(ok):
            bad = np.flatnonzero(~ok)[:50]
            raise RemitError(
                Problem(
                    self.file,
                    "value",
                    f"{names[int(code[i])]} on or before {np.datetime64(int(day[i]), 'D')}",
                    "a fixing for every index a loan resets on",
                )
                for i in bad
            )
        return self.value[np.maximum(pos, 0)]

    def latest(self, name: str, day: int) -> int | None:
        if name not in self.names:
            return None
        c = self.names.index(name)
        sel = (self.code == c) & (self.day <= day)
        if not sel.any():
            return None
        return int(self.value[np.flatnonzero(sel)[-1]])


def read_fixings(tape_dir: Path) -> Fixings:
    path = find_file(tape_dir, "indices")
    table = read_table(path, FIXING_COLUMNS)
    file, n, pr = str(path), table.num_rows, Problems()
    by = {c.name: c for c in FIXING_COLUMNS}
    name = convert_text(file, by["index_type"], table, pr, n)
    day, _ = convert(file, by["fixing_date"], table, pr, n)
    value, vnull = convert(file, by["value"], table, pr, n)
    pr.rows(file, "value", vnull, None, "an index value")
    pr.raise_if_any()
    names = sorted(set(name.values) - {""})
    code = name.codes(names)
    order = np.lexsort((day, code))
    return Fixings(names, code[order], day[order].astype(np.int32), value[order], file)


@dataclass
class Activity:
    """One month's activity aligned to the tape's rows (zeros where a loan has no row)."""

    file: str
    present: Bool
    row: I64
    next_due_m: I32
    curtailment: I64
    zero_balance: I32  # 0 none, 1 payoff, 2 liquidation, 3 repurchase
    zero_balance_day: I32
    payoff_amount: I64
    proceeds: I64
    expenses: I64
    penalty: I64
    modified_rate: I64
    modified_rate_set: Bool
    modified_term: I32
    modified_term_set: Bool
    bankruptcy: Bool
    foreclosure: Bool
    reo: Bool
    relief_act: Bool
    actual_balance: I64
    actual_balance_set: Bool


EVENT = {"payoff": 1, "liquidation": 2, "repurchase": 3}


def activity_path(tape_dir: Path, distribution: date) -> Path:
    return find_file(tape_dir / "activity", distribution.isoformat())


def read_activity_table(path: Path) -> pa.Table:
    """The activity file's known columns, unchecked (see :func:`read_activity`)."""
    return read_table(path, ACTIVITY_COLUMNS)


def read_activity(
    tape: LoanTape, balance: I64, path: Path, table: pa.Table | None = None
) -> Activity:
    """Read a month's activity: one row for every loan in the pool at the start of the month
    (``balance`` above zero), none for any other. ``table``: the file already read."""
    active = balance > 0
    if table is None:
        table = read_activity_table(path)
    file, n, pr = str(path), table.num_rows, Problems()
    by = {c.name: c for c in ACTIVITY_COLUMNS}

    def num(name: str) -> tuple[np.ndarray, Bool]:
        return convert(file, by[name], table, pr, n)

    ids = convert_ids(file, by["asset_number"], table, pr, n)
    pos, unknown, gone, present, row = _match_rows(tape, ids, active, file, pr)
    ok = ~unknown & ~gone
    nd, nd_null = num("next_due_date")
    curt, _ = num("curtailment_amount")
    pr.rows(file, "curtailment_amount", curt < 0, None, "an amount of 0 or more")
    zbc, _ = num("zero_balance_code")
    bad_code = (zbc != 0) & ~np.isin(zbc, list(ZERO_BALANCE_CODES))
    pr.rows(file, "zero_balance_code", bad_code, None, "0, 1, 2, 3, 6 or 9")
    zdate, zdate_null = num("zero_balance_effective_date")
    pr.rows(
        file,
        "zero_balance_effective_date",
        (zbc == 1) & zdate_null,
        None,
        "the payoff date (zero_balance_code 1)",
    )
    payoff, _ = num("payoff_amount")
    proceeds, _ = num("liquidation_proceeds")
    expenses, _ = num("liquidation_expenses")
    penalty, _ = num("prepayment_penalty_paid_amount")
    mrate, mrate_null = num("modified_interest_rate")
    mterm, mterm_null = num("modified_remaining_term")
    flags = {
        c: num(c)[0] for c in ("bankruptcy_flag", "foreclosure_flag", "reo_flag", "relief_act_flag")
    }
    actual, actual_null = num("reporting_period_actual_end_balance")
    for name, v in (
        ("payoff_amount", payoff),
        ("liquidation_proceeds", proceeds),
        ("liquidation_expenses", expenses),
        ("prepayment_penalty_paid_amount", penalty),
    ):
        pr.rows(file, name, v < 0, None, "an amount of 0 or more")
    # payoffs must repay the loan's whole scheduled balance
    bal_of_row = np.where(unknown | gone, 0, balance[np.maximum(pos, 0)] if tape.n else 0)
    is_payoff = zbc == 1
    pr.rows(
        file,
        "payoff_amount",
        is_payoff & (payoff > bal_of_row),
        None,
        "no more than the loan's scheduled balance",
    )
    pr.rows(
        file,
        "payoff_amount",
        is_payoff & (payoff < bal_of_row),
        None,
        "the loan's whole scheduled balance (a short payoff is a liquidation)",
    )
    pr.rows(file, "next_due_date", nd_null & (zbc == 0), None, "a date (loan stays in the pool)")
    pr.raise_if_any()
    event = np.zeros(n, dtype=np.int32)
    event[zbc == 1] = EVENT["payoff"]
    event[np.isin(zbc, [2, 3, 9])] = EVENT["liquidation"]
    event[zbc == 6] = EVENT["repurchase"]

    identity = n == tape.n and bool(np.all(ok)) and np.array_equal(pos, np.arange(n))

    def spread(v: np.ndarray, fill: object = 0) -> np.ndarray:
        if identity:
            return v
        out = np.full(tape.n, fill, dtype=v.dtype)
        out[pos[ok]] = v[ok]
        return out

    return Activity(
        file=file,
        present=present,
        row=row,
        next_due_m=spread(np.where(nd_null, 0, month_index(nd)).astype(np.int32)),
        curtailment=spread(curt),
        zero_balance=spread(event),
        zero_balance_day=spread(zdate),
        payoff_amount=spread(payoff),
        proceeds=spread(proceeds),
        expenses=spread(expenses),
        penalty=spread(penalty),
        modified_rate=spread(mrate),
        modified_rate_set=spread(~mrate_null, False),
        modified_term=spread(mterm),
        modified_term_set=spread(~mterm_null, False),
        bankruptcy=spread(flags["bankruptcy_flag"], False),
        foreclosure=spread(flags["foreclosure_flag"], False),
        reo=spread(flags["reo_flag"], False),
        relief_act=spread(flags["relief_act_flag"], False),
        actual_balance=spread(actual),
        actual_balance_set=spread(~actual_null, False),
    )


def no_activity(n: int, due_m: int, file: str = "(no activity)") -> Activity:
    """Activity in which every loan pays its installment as scheduled and nothing else
    happens (used for projections and schedules)."""
    z64 = np.zeros(n, dtype=np.int64)
    z32 = np.zeros(n, dtype=np.int32)
    f = np.zeros(n, dtype=bool)
    return Activity(
        file=file,
        present=np.ones(n, dtype=bool),
        row=np.arange(n, dtype=np.int64),
        next_due_m=np.full(n, due_m, dtype=np.int32),
        curtailment=z64,
        zero_balance=z32,
        zero_balance_day=np.full(n, NO_DATE, dtype=np.int32),
        payoff_amount=z64,
        proceeds=z64,
        expenses=z64,
        penalty=z64,
        modified_rate=z64,
        modified_rate_set=f,
        modified_term=z32,
        modified_term_set=f,
        bankruptcy=f,
        foreclosure=f,
        reo=f,
        relief_act=f,
        actual_balance=z64,
        actual_balance_set=f,
    )


def _match_rows(
    tape: LoanTape, ids: pa.Array, active: Bool, file: str, pr: Problems
) -> tuple[I64, Bool, Bool, Bool, I64]:
    """Each activity row's loan on the tape (its position; -1 for none), and the problems of
    matching: a row for an unknown loan, for a loan no longer in the pool, twice for a loan,
    or none for a loan in the pool. Returns (position by row, unknown rows, rows of loans gone,
    loans present, each loan's row)."""
    n = len(ids)
    in_pool = np.flatnonzero(active)
    if n == in_pool.size and ids.equals(tape.ids.take(fixed(in_pool.astype(np.int64)))):
        pos = in_pool.astype(np.int64)  # the tape's order: no join needed
    else:
        pr.rows(file, "asset_number", duplicates(ids), ids, "one row per loan")
        pos_a = pc.index_in(ids, value_set=tape.ids)
        pos = to_numpy(pos_a, fill=-1).astype(np.int64)
    unknown = pos < 0
    pr.rows(file, "asset_number", unknown, ids, "a loan of the tape")
    gone = ~unknown & ~active[np.maximum(pos, 0)]
    pr.rows(file, "asset_number", gone, ids, "a loan still in the pool (balance above zero)")
    present = np.zeros(tape.n, dtype=bool)
    row = np.full(tape.n, -1, dtype=np.int64)
    ok = ~unknown & ~gone
    present[pos[ok]] = True
    row[pos[ok]] = np.flatnonzero(ok)
    miss = np.flatnonzero(active & ~present)
    shown = miss[: pr.room]
    for i in shown:
        pr.add(Problem(file, "asset_number", tape.ids[int(i)].as_py(), "a row for this loan"))
    pr.more += miss.size - shown.size
    return pos, unknown, gone, present, row
