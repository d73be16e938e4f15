"""The statement as a view over a closed period: every figure is read from the ledger, the
state or the close's recorded figures, never recomputed from the remittance's raw numbers
except where the statement prints the remittance itself (delinquency, collateral data)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from remit import money
from remit.close.close import PeriodResult
from remit.close.ledger import Ledger, Posting
from remit.remittance import BUCKETS, STATUSES
from remit.statement.model import Cell, Row, Section, Statement, Trace

Z = Decimal("0.00")
PRINCIPAL_STEPS = (
    "principal.distribution",
    "excess.extra_principal",
    "oc.release",
    "residual.retire",
)
BUCKET_LABELS = {
    "0-29": "0-29 Days",
    "30": "30 Days",
    "60": "60 Days",
    "90": "90 Days",
    "120": "120 Days",
    "150": "150 Days",
    "180+": "180+ Days",
}


def _posted(postings: Iterable[Posting], rule: str, basis: str = "", sign: int = 1) -> Cell:
    ps = tuple(postings)
    total = Ledger.total(ps)
    if sign < 0:
        total = Z - total if total else Z
    bases = sorted({p.basis for p in ps})
    formula = " + ".join(f"{p.amount} ({p.step})" for p in ps) or "no postings"
    return Cell(total, Trace(rule, basis or "; ".join(bases), formula, tuple(p.index for p in ps)))


def _fig(value: Decimal | int | str | None, rule: str, basis: str, formula: str = "") -> Cell:
    return Cell(value, Trace(rule, basis, formula))


def build_statement(r: PeriodResult) -> Statement:
    spec, led, prior, state, rem = r.spec, r.ledger, r.prior, r.state, r.remittance
    ocs = spec.overcollateralization
    oc_name = ocs.oc_class
    names = [c.name for c in spec.classes]
    metric = {k[3:]: v for k, v in r.figures.items() if k.startswith("oc:")}

    # ---- per-class figures -------------------------------------------------------------
    per: dict[str, dict[str, Cell]] = {n: {} for n in names}
    for c in spec.classes:
        n = c.name
        cp = r.classes[n]
        wf = cp.waterfall
        to_holder = led.select(target=f"holder:{n}")
        prin_ps = [p for p in to_holder if p.step in PRINCIPAL_STEPS]
        int_ps = [p for p in to_holder if p.step not in PRINCIPAL_STEPS]
        f = per[n]
        f["interest_distribution"] = _posted(int_ps, "interest distribution")
        f["principal_distribution"] = _posted(prin_ps, "principal distribution")
        f["beginning_balance"] = _fig(
            prior.classes[n].balance, "class balance", "prior period's ending state"
        )
        f["ending_balance"] = _fig(
            state.classes[n].balance,
            "class balance",
            "this period's ending state",
            "pool balance - certificates"
            if n == oc_name
            else "beginning - principal - write-down + write-up",
        )
        if n == oc_name:
            absorbed = rem.principal.realized_losses - metric["applied_realized_loss"].value
            loss = _fig(absorbed, "realized loss absorbed by overcollateralization", ocs.basis)
            accretion = _fig(
                metric["extra_principal"].value
                + rem.principal.subsequent_recoveries
                - _sum_writeups(r),
                "overcollateralization increase",
                ocs.basis,
                "extra principal distribution + recoveries not used for write-ups",
            )
        else:
            loss = _posted(
                led.select(step="losses.writedown", source=f"balance:{n}"),
                "applied realized loss amount",
            )
            accretion = _posted(
                led.select(step="losses.writeup", target=f"balance:{n}"),
                "write-up for subsequent recoveries",
            )
        f["current_realized_loss"] = loss
        f["accretion"] = accretion
        total = f["interest_distribution"].value + f["principal_distribution"].value  # type: ignore[operator]
        f["total_distribution"] = Cell(
            total,
            Trace(
                "total distribution", "interest + principal", "", tuple(p.index for p in to_holder)
            ),
        )
        f["cumulative_realized_losses"] = _fig(
            state.classes[n].cumulative_realized_loss, "cumulative realized loss", spec.losses.basis
        )
        prin_total = f["principal_distribution"].value
        assert isinstance(prin_total, Decimal)
        sched, unsched = _split_principal(r, prin_ps)
        f["scheduled_principal"] = sched
        f["unscheduled_principal"] = unsched
        f["original_face"] = _fig(c.original_balance, "original face", c.basis)
        reduction = prin_total + _d(loss) - _d(accretion)
        f["total_principal_reduction"] = _fig(
            reduction, "total principal reduction", "", "principal + realized loss - accretion"
        )
        f["total_principal_distribution"] = f["principal_distribution"]
        f["ending_percentage"] = _fig(
            money.ratio(state.classes[n].balance, c.original_balance),
            "ending certificate percentage",
            "",
            "ending balance / original face, 8 decimals",
        )
        f["rate"] = _fig(
            money.round_places(cp.rate * 100, 5),
            "pass-through rate",
            c.coupon.basis,
            f"min(formula rate {cp.formula_rate}, cap)"
            if cp.capped
            else f"formula rate {cp.formula_rate}",
        )
        f["accrued_interest"] = _fig(
            wf["accrued"],
            "current interest",
            c.coupon.basis,
            f"{prior.classes[n].balance} x {cp.rate} x {cp.days} / 360",
        )
        f["unpaid_interest_paid"] = _posted(
            [p for p in to_holder if p.step in ("interest.unpaid", "excess.unpaid_interest")],
            "payment of unpaid interest",
        )
        f["current_shortfall"] = _fig(
            wf["current_shortfall"], "current interest shortfall", spec.interest.basis
        )
        f["non_supported_shortfall"] = _fig(
            wf["non_supported_shortfall"],
            "net prepayment interest and Relief Act shortfall",
            spec.interest.basis,
        )
        f["realized_losses"] = _fig(Z, "interest realized losses", spec.losses.basis)
        f["total_interest"] = f["interest_distribution"]
        f["remaining_unpaid"] = _fig(
            state.classes[n].unpaid_interest, "unpaid interest", spec.interest.basis
        )
        f["cusip"] = Cell(c.cusip)
        f["description"] = Cell(c.description)

    def class_rows(cols: list[str]) -> list[Row]:
        return [Row(n, n, {k: per[n][k] for k in cols}) for n in names]

    def totals(cols: list[str], sum_cols: list[str], rows: list[Row]) -> Row:
        cells: dict[str, Cell] = {}
        for k in cols:
            if k in sum_cols:
                cells[k] = _fig(
                    sum((_d(rw.cells[k]) for rw in rows), Z), f"total {k}", "", "sum of the classes"
                )
        return Row("totals", "Totals", cells)

    def factor_rows(cols: list[str], keep: dict[str, str] | None = None) -> list[Row]:
        rows = []
        for c in spec.classes:
            cells = {}
            for k in cols:
                src = per[c.name][k]
                if keep and k in keep:
                    cells[k] = src
                    continue
                v = _d(src)
                fv = money.factor(v, c.original_balance, c.denomination)
                cells[k] = Cell(
                    fv,
                    Trace(
                        "factor",
                        "amount / original face x denomination, 8 decimals half-up",
                        f"{v} / {c.original_balance} x {c.denomination}",
                        src.trace.postings if src.trace else (),
                    ),
                )
            rows.append(Row(c.name, c.name, cells))
        return rows

    sections: list[Section] = []

    def grid(key: str, title: str, cols: dict[str, str], sum_cols: list[str] | None) -> None:
        rows = class_rows(list(cols))
        if sum_cols is not None:
            rows.append(totals(list(cols), sum_cols, rows))
        sections.append(Section(key, title, cols, tuple(rows)))

    money_sum = ["beginning_balance", "interest_distribution", "principal_distribution"]
    grid(
        "distribution_summary",
        "Certificateholder Distribution Summary",
        {
            "cusip": "CUSIP",
            "description": "Certificate Class Description",
            "rate": "Certificate Pass-Through Rate",
            "beginning_balance": "Beginning Certificate Balance",
            "interest_distribution": "Interest Distribution",
            "principal_distribution": "Principal Distribution",
        },
        money_sum,
    )
    c2 = {
        "current_realized_loss": "Current Realized Loss",
        "ending_balance": "Ending Certificate Balance",
        "total_distribution": "Total Distribution",
        "cumulative_realized_losses": "Cumulative Realized Losses",
    }
    grid(
        "distribution_summary_2", "Certificateholder Distribution Summary (continued)", c2, list(c2)
    )
    p1 = {
        "original_face": "Original Face Amount",
        "beginning_balance": "Beginning Certificate Balance",
        "scheduled_principal": "Scheduled Principal Distribution",
        "unscheduled_principal": "Unscheduled Principal Distribution",
        "accretion": "Accretion",
        "current_realized_loss": "Realized Loss",
    }
    grid("principal_distribution", "Principal Distribution Statement", p1, list(p1))
    p2 = {
        "total_principal_reduction": "Total Principal Reduction",
        "ending_balance": "Ending Certificate Balance",
        "ending_percentage": "Ending Certificate Percentage",
        "total_principal_distribution": "Total Principal Distribution",
    }
    grid(
        "principal_distribution_2",
        "Principal Distribution Statement (continued)",
        p2,
        ["total_principal_reduction", "ending_balance", "total_principal_distribution"],
    )
    tot = sections[-1].rows[-1]
    tot.cells["ending_percentage"] = _fig(
        money.ratio(
            _d(tot.cells["ending_balance"]), sum((c.original_balance for c in spec.classes), Z)
        ),
        "ending certificate percentage",
        "",
        "total ending balance / total original face",
    )
    pf1 = {
        "original_face": "Original Face Amount",
        "beginning_balance": "Beginning Certificate Balance",
        "scheduled_principal": "Scheduled Principal Distribution",
        "unscheduled_principal": "Unscheduled Principal Distribution",
        "accretion": "Accretion",
    }
    sections.append(
        Section(
            "principal_factors",
            "Principal Distribution Factors Statement",
            pf1,
            tuple(factor_rows(list(pf1), {"original_face": ""})),
        )
    )
    pf2 = {
        "current_realized_loss": "Realized Loss",
        "total_principal_reduction": "Total Principal Reduction",
        "ending_balance": "Ending Certificate Balance",
        "ending_percentage": "Ending Certificate Percentage",
        "total_principal_distribution": "Total Principal Distribution",
    }
    sections.append(
        Section(
            "principal_factors_2",
            "Principal Distribution Factors Statement (continued)",
            pf2,
            tuple(factor_rows(list(pf2), {"ending_percentage": ""})),
        )
    )
    i1 = {
        "original_face": "Original Face Amount",
        "rate": "Current Certificate Rate",
        "beginning_balance": "Beginning Certificate/Notional Balance",
        "accrued_interest": "Current Accrued Interest",
        "unpaid_interest_paid": "Payment of Unpaid Interest Shortfall",
        "current_shortfall": "Current Interest Shortfall",
    }
    grid(
        "interest_distribution",
        "Interest Distribution Statement",
        i1,
        ["original_face", "accrued_interest", "unpaid_interest_paid", "current_shortfall"],
    )
    i2 = {
        "non_supported_shortfall": "Non-Supported Interest Shortfall",
        "realized_losses": "Realized Losses",
        "total_interest": "Total Interest Distribution",
        "remaining_unpaid": "Remaining Unpaid Interest Shortfall",
        "ending_balance": "Ending Certificate/Notional Balance",
    }
    grid(
        "interest_distribution_2",
        "Interest Distribution Statement (continued)",
        i2,
        ["non_supported_shortfall", "realized_losses", "total_interest", "remaining_unpaid"],
    )
    sections.append(
        Section(
            "interest_factors",
            "Interest Distribution Factors Statement",
            i1,
            tuple(factor_rows(list(i1), {"original_face": "", "rate": ""})),
        )
    )
    sections.append(
        Section(
            "interest_factors_2",
            "Interest Distribution Factors Statement (continued)",
            i2,
            tuple(factor_rows(list(i2))),
        )
    )

    # ---- certificate account -----------------------------------------------------------
    def kv(key: str, title: str, items: list[tuple[str, str, Cell]]) -> None:
        sections.append(
            Section(
                key,
                title,
                {"value": "Amount"},
                tuple(Row(k, label, {"value": c}) for k, label, c in items),
            )
        )

    def dep(*steps: str) -> tuple[Posting, ...]:
        return led.select(step=steps)

    deposits = [
        (
            "deposit_interest_and_principal",
            "Payments of Interest and Principal",
            _posted(dep("deposit.interest_and_principal"), "deposit"),
        ),
        (
            "deposit_liquidations",
            "Liquidations, Insurance Proceeds, Reserve Funds",
            _posted(dep("deposit.liquidations", "deposit.subsequent_recoveries"), "deposit"),
        ),
        (
            "deposit_repurchases",
            "Proceeds from Repurchased Loans",
            _posted(dep("deposit.repurchases"), "deposit"),
        ),
        (
            "deposit_advances",
            "Other Amounts (Servicer Advances)",
            _posted(dep("deposit.advances"), "deposit"),
        ),
        (
            "deposit_realized_losses",
            "Realized Losses",
            _posted(dep("deposit.realized_losses"), "realized losses (printed negative)", sign=-1),
        ),
        (
            "deposit_prepayment_penalties",
            "Prepayment Penalties",
            _posted(dep("deposit.prepayment_penalties"), "deposit"),
        ),
    ]
    fee_ps = led.select(step_prefix="fees.")
    comp_ps = led.select(step="fees.compensating_interest")
    net_fee = Ledger.total(
        p for p in fee_ps if p.step != "fees.compensating_interest"
    ) - Ledger.total(comp_ps)
    cert_out = [
        p for p in led.select(source="certificate_account") if p.target.startswith("holder:")
    ]
    withdrawals = [
        (
            "withdrawal_advance_reimbursement",
            "Reimbursement for Servicer Advances",
            _posted(dep("withdrawal.advance_reimbursement"), "withdrawal"),
        ),
        (
            "withdrawal_fees",
            "Payment of Service Fee",
            Cell(
                net_fee,
                Trace("fees less compensating interest", "", "", tuple(p.index for p in fee_ps)),
            ),
        ),
        (
            "withdrawal_distribution",
            "Payment of Interest and Principal",
            _posted(cert_out, "distributions to certificateholders"),
        ),
    ]
    total_dep = sum((_d(c) for _, _, c in deposits), Z)
    total_wd = sum((_d(c) for _, _, c in withdrawals), Z)
    ending = led.balances().get("certificate_account", Z)
    kv(
        "certificate_account",
        "Certificate Account",
        [
            (
                "beginning_balance",
                "Beginning Balance",
                _fig(Z, "certificate account", "opens empty"),
            ),
            *deposits,
            ("total_deposits", "Total Deposits", _fig(total_dep, "sum of deposits", "")),
            *withdrawals,
            (
                "total_withdrawals",
                "Total Withdrawals (Pool Distribution Amount)",
                _fig(total_wd, "sum of withdrawals", ""),
            ),
            (
                "ending_balance",
                "Ending Balance",
                _fig(ending + Z, "ledger balance", "sources = uses"),
            ),
        ],
    )
    it = rem.interest
    kv(
        "ppis",
        "Prepayment/Curtailment Interest Shortfall",
        [
            (
                "total",
                "Total Prepayment/Curtailment Interest Shortfall",
                _fig(it.prepayment_interest_shortfall, "remittance", "servicer report"),
            ),
            ("supported", "Servicing Fee Support", _posted(comp_ps, "compensating interest")),
            (
                "non_supported",
                "Non-Supported Prepayment/Curtailment Interest Shortfall",
                _fig(
                    it.prepayment_interest_shortfall - it.compensating_interest,
                    "non-supported shortfall",
                    "",
                    "total - compensating interest",
                ),
            ),
        ],
    )
    fee_rows = [
        (f.name, f.label, _posted(led.select(step=f"fees.{f.name}"), f"fee {f.name}", f.basis))
        for f in spec.fees
    ]
    kv(
        "servicing_fees",
        "Servicing Fees",
        [
            *fee_rows,
            (
                "supported_ppis",
                "Supported Prepayment/Curtailment Interest Shortfall",
                _posted(comp_ps, "compensating interest"),
            ),
            (
                "net_servicing_fee",
                "Net Servicing Fee",
                Cell(
                    net_fee,
                    Trace(
                        "fees less compensating interest", "", "", tuple(p.index for p in fee_ps)
                    ),
                ),
            ),
        ],
    )
    sections.append(
        Section(
            "other_accounts",
            "Other Accounts",
            {
                "beginning_balance": "Beginning Balance",
                "withdrawals": "Current Withdrawals",
                "deposits": "Current Deposits",
                "ending_balance": "Ending Balance",
            },
            tuple(
                Row(
                    a.label,
                    a.label,
                    {
                        k: _fig(Z, "no such account in the deal", "deal spec")
                        for k in ("beginning_balance", "withdrawals", "deposits", "ending_balance")
                    },
                )
                for a in spec.statement.other_accounts
            ),
        )
    )

    # ---- delinquency ---------------------------------------------------------------------
    end_count = rem.collateral.ending_count
    end_actual = rem.collateral.ending_actual_balance
    dq_rows, pct_rows = [], []
    tot_c = dict.fromkeys(STATUSES, 0)
    tot_b = dict.fromkeys(STATUSES, Z)

    def dq_row(
        key: str,
        label: str,
        counts: dict[str, int],
        bals: dict[str, Decimal],
        blank_delinquent: bool,
    ) -> tuple[Row, Row]:
        cells: dict[str, Cell] = {}
        pcts: dict[str, Cell] = {}
        for s in (*STATUSES, "total"):
            if s == "delinquent" and blank_delinquent:
                continue
            cnt = sum(counts.values()) if s == "total" else counts[s]
            bal = sum(bals.values(), Z) if s == "total" else bals[s]
            cells[f"{s}_count"] = _fig(cnt, "delinquency stratification", spec.delinquency.basis)
            cells[f"{s}_balance"] = _fig(bal, "delinquency stratification", spec.delinquency.basis)
            pcts[f"{s}_count"] = _fig(
                money.percent(Decimal(cnt), Decimal(end_count)),
                "delinquency percentage",
                "by count over the ending loan count",
                f"{cnt} / {end_count}",
            )
            pcts[f"{s}_balance"] = _fig(
                money.percent(bal, end_actual),
                "delinquency percentage",
                "by balance over the ending actual balance",
                f"{bal} / {end_actual}",
            )
        return Row(key, label, cells), Row(key, label, pcts)

    for b in BUCKETS:
        counts = {s: rem.delinquency_cell(s, b)[0] for s in STATUSES}
        bals = {s: rem.delinquency_cell(s, b)[1] for s in STATUSES}
        for s in STATUSES:
            tot_c[s] += counts[s]
            tot_b[s] += bals[s]
        a, p = dq_row(b, BUCKET_LABELS[b], counts, bals, b == "0-29")
        dq_rows.append(a)
        pct_rows.append(p)
    a, p = dq_row("totals", "Totals", tot_c, tot_b, False)
    dq_rows.append(a)
    pct_rows.append(p)
    dq_cols = {
        f"{s}_{k}": f"{s.title()} {k}" for s in (*STATUSES, "total") for k in ("count", "balance")
    }
    sections.append(Section("delinquency", "Delinquency Status", dq_cols, tuple(dq_rows)))
    sections.append(
        Section("delinquency_pct", "Delinquency Status (percentages)", dq_cols, tuple(pct_rows))
    )

    senior_class = spec.statement.insufficient_funds_class
    kv(
        "other_information",
        "Other Information",
        [
            (
                "insufficient_funds",
                f"Current Period Class {senior_class} Insufficient Funds",
                per[senior_class]["current_shortfall"],
            ),
            (
                "contaminated_properties",
                "Principal Balance of Contaminated Properties",
                _fig(
                    rem.collateral.contaminated_properties_balance, "remittance", "servicer report"
                ),
            ),
            (
                "periodic_advance",
                "Periodic Advance",
                _posted(dep("deposit.advances"), "P&I advances"),
            ),
        ],
    )

    # ---- collateral ----------------------------------------------------------------------
    col = rem.collateral
    pr = rem.principal

    def rep(v: Decimal | int | None) -> Cell:
        return _fig(v, "remittance", "servicer report")

    fees_by_row: dict[str, Decimal] = {}
    for fee in spec.fees:
        fees_by_row[fee.statement_row] = fees_by_row.get(fee.statement_row, Z) + r.figure(
            f"fee:{fee.name}"
        )
    total_fees = sum(fees_by_row.values(), Z)

    def oc(k: str) -> Cell:
        return Cell(metric[k].value + Z, Trace(f"oc.{k}", ocs.basis, metric[k].formula))

    common = {
        "description": Cell(spec.collateral.description),
        "wac": Cell(r.figure("pool:wac"), _trace(r, "pool:wac")),
        "net_wac": Cell(r.figure("pool:net_wac"), _trace(r, "pool:net_wac")),
        "pass_through_rate": Cell(r.figure("pool:pass_through"), _trace(r, "pool:pass_through")),
        "wam": rep(col.wam),
        "beginning_count": _fig(prior.loan_count, "loan count", "prior state"),
        "payoffs_count": rep(pr.payoffs_count),
        "ending_count": _fig(
            state.loan_count, "loan count", "beginning - payoffs - liquidations - repurchases"
        ),
        "beginning_balance": _fig(prior.pool_balance, "pool balance", "prior state"),
        "ending_balance": _fig(
            state.pool_balance,
            "pool balance",
            "",
            "beginning - scheduled - unscheduled - repurchased - liquidated",
        ),
        "ending_actual_balance": rep(col.ending_actual_balance),
        "p_and_i_constant": rep(col.p_and_i_constant),
        "special_servicing_fee": rep(col.special_servicing_fee),
        "prepayment_penalties": _posted(
            dep("deposit.prepayment_penalties"), "prepayment penalties"
        ),
        "realized_loss_amount": rep(pr.realized_losses),
        "cumulative_realized_loss": _fig(
            state.cumulative_loss,
            "cumulative realized loss",
            "prior cumulative + realized losses - recoveries",
        ),
        "scheduled_principal": rep(pr.scheduled_principal),
        "unscheduled_principal": rep(pr.unscheduled_principal),
        "required_oc": oc("required_oc"),
        "oc_increase": oc("extra_principal"),
        "oc_reduction": oc("oc_release"),
        "specified_oc": oc("specified_oc"),
        "oc_amount": oc("oc_amount"),
        "oc_deficiency": oc("oc_deficiency"),
        "base_oc": oc("oc_floor"),
    }
    c1 = [
        "description",
        "wac",
        "net_wac",
        "pass_through_rate",
        "wam",
        "beginning_count",
        "payoffs_count",
        "ending_count",
        "beginning_balance",
        "ending_balance",
        "ending_actual_balance",
        "p_and_i_constant",
        "special_servicing_fee",
        "prepayment_penalties",
        "realized_loss_amount",
        "cumulative_realized_loss",
        "premium_loans_balance",
        "scheduled_principal",
        "unscheduled_principal",
        "required_oc",
        "oc_increase",
        "oc_reduction",
        "specified_oc",
        "oc_amount",
        "oc_deficiency",
        "base_oc",
        "extra_principal",
        "excess_cash",
    ]
    common["premium_loans_balance"] = rep(col.premium_loans_balance)
    common["extra_principal"] = oc("extra_principal")
    common["excess_cash"] = oc("excess_cash")
    kv("collateral", "Collateral Statement", [(k, k, common[k]) for k in c1])
    kv(
        "collateral_b",
        "Collateral Statement (notional and product balances)",
        [
            (
                "beginning_notional",
                f"Beginning Class {oc_name} Notional Amount",
                _fig(prior.pool_balance, "notional amount", "pool balance"),
            ),
            (
                "ending_notional",
                f"Ending Class {oc_name} Notional Amount",
                _fig(state.pool_balance, "notional amount", "pool balance"),
            ),
        ],
    )
    products = Section(
        "products",
        "Product balances",
        {"value": "Amount"},
        tuple(
            Row(p.key, p.label, {"value": rep(col.product_balances[p.key])})
            for p in spec.collateral.products
            if p.key in col.product_balances
        ),
    )
    sections.append(products)
    zero = _fig(Z, "not used by the deal", "deal spec")
    extra2 = {
        "record_date": Cell(r.record_date.strftime("%m/%d/%Y")),
        "scheduled_interest": rep(it.scheduled_interest),
        "servicing_fee": _fig(fees_by_row.get("gross_servicing", Z), "fees", ""),
        "master_servicing_fee": _fig(fees_by_row.get("master_servicing", Z), "fees", ""),
        "trustee_fee": _fig(fees_by_row.get("trustee", Z), "fees", ""),
        "fry_amount": zero,
        "special_hazard_fee": zero,
        "other_fee": _fig(
            fees_by_row.get("external_master_servicing", Z) + fees_by_row.get("other", Z),
            "fees",
            "",
        ),
        "pool_insurance_fee": zero,
        "spread_1": zero,
        "spread_2": zero,
        "spread_3": zero,
        "net_interest": _fig(
            it.scheduled_interest - total_fees,
            "net interest",
            "",
            f"scheduled interest {it.scheduled_interest} - fees {total_fees}",
        ),
        "cumulative_loss_pct": _fig(
            money.percent(state.cumulative_loss, spec.collateral.cut_off_balance, 2),
            "cumulative loss percentage",
            "of the cut-off balance",
        ),
    }
    c2k = [
        "description",
        "wac",
        "net_wac",
        "pass_through_rate",
        "wam",
        "record_date",
        "p_and_i_constant",
        "beginning_count",
        "payoffs_count",
        "ending_count",
        "beginning_balance",
        "ending_balance",
        "ending_actual_balance",
        "scheduled_principal",
        "unscheduled_principal",
        "scheduled_interest",
        "servicing_fee",
        "master_servicing_fee",
        "trustee_fee",
        "fry_amount",
        "special_hazard_fee",
        "other_fee",
        "pool_insurance_fee",
        "spread_1",
        "spread_2",
        "spread_3",
        "net_interest",
        "realized_loss_amount",
        "cumulative_realized_loss",
        "cumulative_loss_pct",
        "special_servicing_fee",
        "prepayment_penalties",
        "required_oc",
        "oc_increase",
        "oc_reduction",
        "specified_oc",
        "oc_amount",
        "oc_deficiency",
        "base_oc",
    ]
    kv(
        "collateral_2",
        "Collateral Statement (servicer summary)",
        [(k, k, extra2.get(k) or common[k]) for k in c2k],
    )

    variables = _variables(r)
    return Statement(
        deal_id=spec.deal.id,
        distribution_date=r.distribution_date,
        record_date=r.record_date,
        variables=variables,
        title_lines=tuple(spec.statement.title),
        contact_lines=tuple(spec.statement.contact),
        sections=tuple(sections),
    )


def _trace(r: PeriodResult, key: str) -> Trace:
    f = r.figures[key]
    return Trace(f.rule, f.basis, f.formula)


def _d(c: Cell) -> Decimal:
    v = c.value
    if isinstance(v, Decimal):
        return v
    if isinstance(v, int):
        return Decimal(v)
    return Z


def _sum_writeups(r: PeriodResult) -> Decimal:
    return Ledger.total(r.ledger.select(step="losses.writeup"))


def _split_principal(r: PeriodResult, ps: list[Posting]) -> tuple[Cell, Cell]:
    """Scheduled and unscheduled principal columns. Where the deal prints all principal as
    unscheduled (as the reference does), the scheduled column is zero; otherwise principal
    from the principal remittance is split in proportion to scheduled principal."""
    total = Ledger.total(ps)
    idx = tuple(p.index for p in ps)
    basis = r.spec.principal.basis
    if r.spec.principal.statement_column == "unscheduled":
        return (
            Cell(Z, Trace("scheduled principal column", basis, "printed as unscheduled")),
            Cell(total, Trace("principal distribution", basis, "", idx)),
        )
    rem = r.remittance.principal
    pra = (
        rem.scheduled_principal
        + rem.unscheduled_principal
        + rem.liquidation_proceeds
        + rem.repurchases_principal
    )
    from_remittance = Ledger.total(p for p in ps if p.step == "principal.distribution")
    sched = money.cents(from_remittance * rem.scheduled_principal / pra) if pra else Z
    return (
        Cell(
            sched, Trace("scheduled principal", basis, "pro rata share of scheduled principal", idx)
        ),
        Cell(total - sched, Trace("unscheduled principal", basis, "the rest", idx)),
    )


def _denominations(r: PeriodResult, include_residual: bool) -> list[str]:
    groups: dict[Decimal, list[str]] = {}
    for c in r.spec.classes:
        if c.type == "RES" and not include_residual:
            continue
        groups.setdefault(c.denomination, []).append(c.name)
    parts = []
    for denom, names in groups.items():
        amount = (
            f"${denom:,.2f}"
            if denom != denom.to_integral_value() or denom < 1000
            else f"${denom:,.0f}"
        )
        head = "Classes" if len(names) > 1 else "Class"
        parts.append(f"{head} {', '.join(names)} are per {amount} Denomination.")
    return parts


def _variables(r: PeriodResult) -> dict[str, str]:
    d, rd = r.distribution_date, r.record_date

    def short(x: date) -> str:
        return f"{x.month}/{x.day}/{x.year % 100:02d}"

    cert = "  ".join(_denominations(r, False))
    full = _denominations(r, True)
    line1 = "  ".join(full)
    line2 = ""
    if len(line1) > 120 and len(full) > 1:
        # wrap the last group, as the published layout does
        head = "  ".join(full[:-1]) + "  " + full[-1].split(" are per ")[0] + " are per"
        line1, line2 = head, full[-1].split(" are per ")[1]
    from remit.dates import due_period_end

    end = due_period_end(d)
    return {
        "record_date_short": short(rd),
        "distribution_date_short": short(d),
        "series": r.spec.deal.series,
        "denominations_certificates": cert,
        "denominations_all_line1": line1,
        "denominations_all_line2": line2,
        "insufficient_funds_class": r.spec.statement.insufficient_funds_class,
        "oc_class": r.spec.overcollateralization.oc_class,
        "due_period_end_dmy": end.strftime("%d-%b-%Y"),
    }
