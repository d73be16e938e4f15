"""The pool and account tables: certificate account, interest shortfalls, fees, other
accounts, delinquency, other information and the collateral statements."""

from __future__ import annotations

from decimal import Decimal

from remit import money
from remit.close.close import PeriodResult
from remit.close.ledger import Ledger, Posting
from remit.remittance import BUCKETS, STATUSES
from remit.spec.models import DealSpec, OCSpec, ShiftingSpec
from remit.statement.cells import Z, amount, fig, figure_trace, posted
from remit.statement.fee_lines import COLLATERAL_2_FEES
from remit.statement.model import Cell, Row, Section, Trace

BUCKET_LABELS = {
    "0-29": "0-29 Days",
    "30": "30 Days",
    "60": "60 Days",
    "90": "90 Days",
    "120": "120 Days",
    "150": "150 Days",
    "180+": "180+ Days",
}


def pool_sections(r: PeriodResult, per: dict[str, dict[str, Cell]]) -> list[Section]:
    """The sections after the class tables, in the statement's order."""
    spec, led, prior, state, rem = r.spec, r.ledger, r.prior, r.state, r.remittance
    ocs = spec.overcollateralization if isinstance(spec, OCSpec) else None
    notional_class = notional_class_name(spec)
    metric = {k[3:]: v for k, v in r.figures.items() if k.startswith("oc:")}
    sections: list[Section] = []

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
            posted(dep("deposit.interest_and_principal"), "deposit"),
        ),
        (
            "deposit_liquidations",
            "Liquidations, Insurance Proceeds, Reserve Funds",
            posted(dep("deposit.liquidations", "deposit.subsequent_recoveries"), "deposit"),
        ),
        (
            "deposit_repurchases",
            "Proceeds from Repurchased Loans",
            posted(dep("deposit.repurchases"), "deposit"),
        ),
        (
            "deposit_advances",
            "Other Amounts (Servicer Advances)",
            posted(dep("deposit.advances"), "deposit"),
        ),
        (
            "deposit_realized_losses",
            "Realized Losses",
            posted(dep("deposit.realized_losses"), "realized losses (printed negative)", sign=-1),
        ),
        (
            "deposit_prepayment_penalties",
            "Prepayment Penalties",
            posted(dep("deposit.prepayment_penalties"), "deposit"),
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
            posted(dep("withdrawal.advance_reimbursement"), "withdrawal"),
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
            posted(cert_out, "distributions to certificateholders"),
        ),
    ]
    total_dep = sum((amount(c) for _, _, c in deposits), Z)
    total_wd = sum((amount(c) for _, _, c in withdrawals), Z)
    ending = led.balances().get("certificate_account", Z)
    kv(
        "certificate_account",
        "Certificate Account",
        [
            (
                "beginning_balance",
                "Beginning Balance",
                fig(Z, "certificate account", "opens empty"),
            ),
            *deposits,
            ("total_deposits", "Total Deposits", fig(total_dep, "sum of deposits", "")),
            *withdrawals,
            (
                "total_withdrawals",
                "Total Withdrawals (Pool Distribution Amount)",
                fig(total_wd, "sum of withdrawals", ""),
            ),
            (
                "ending_balance",
                "Ending Balance",
                fig(ending + Z, "ledger balance", "sources = uses"),
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
                fig(it.prepayment_interest_shortfall, "remittance", "servicer report"),
            ),
            ("supported", "Servicing Fee Support", posted(comp_ps, "compensating interest")),
            (
                "non_supported",
                "Non-Supported Prepayment/Curtailment Interest Shortfall",
                fig(
                    it.prepayment_interest_shortfall - it.compensating_interest,
                    "non-supported shortfall",
                    "",
                    "total - compensating interest",
                ),
            ),
        ],
    )
    fee_rows = [
        (f.name, f.label, posted(led.select(step=f"fees.{f.name}"), f"fee {f.name}", f.basis))
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
                posted(comp_ps, "compensating interest"),
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
                        k: fig(Z, "no such account in the deal", "deal spec")
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
            cells[f"{s}_count"] = fig(cnt, "delinquency stratification", spec.delinquency.basis)
            cells[f"{s}_balance"] = fig(bal, "delinquency stratification", spec.delinquency.basis)
            pcts[f"{s}_count"] = fig(
                money.percent(Decimal(cnt), Decimal(end_count)),
                "delinquency percentage",
                "by count over the ending loan count",
                f"{cnt} / {end_count}",
            )
            pcts[f"{s}_balance"] = fig(
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
                fig(
                    rem.collateral.contaminated_properties_balance, "remittance", "servicer report"
                ),
            ),
            (
                "periodic_advance",
                "Periodic Advance",
                posted(dep("deposit.advances"), "P&I advances"),
            ),
        ],
    )

    # ---- collateral ----------------------------------------------------------------------
    col = rem.collateral
    pr = rem.principal

    def rep(v: Decimal | int | None) -> Cell:
        return fig(v, "remittance", "servicer report")

    fees_by_row: dict[str, Decimal] = {}
    for fee in spec.fees:
        fees_by_row[fee.statement_row] = fees_by_row.get(fee.statement_row, Z) + r.figure(
            f"fee:{fee.name}"
        )
    total_fees = sum(fees_by_row.values(), Z)

    def oc(k: str) -> Cell:
        basis = ocs.basis if ocs is not None else ""
        return Cell(metric[k].value + Z, Trace(f"oc.{k}", basis, metric[k].formula))

    common = {
        "description": Cell(spec.collateral.description),
        "wac": Cell(r.figure("pool:wac"), figure_trace(r, "pool:wac")),
        "net_wac": Cell(r.figure("pool:net_wac"), figure_trace(r, "pool:net_wac")),
        "pass_through_rate": Cell(
            r.figure("pool:pass_through"), figure_trace(r, "pool:pass_through")
        ),
        "wam": rep(col.wam),
        "beginning_count": fig(prior.loan_count, "loan count", "prior state"),
        "payoffs_count": rep(pr.payoffs_count),
        "ending_count": fig(
            state.loan_count, "loan count", "beginning - payoffs - liquidations - repurchases"
        ),
        "beginning_balance": fig(prior.pool_balance, "pool balance", "prior state"),
        "ending_balance": fig(
            state.pool_balance,
            "pool balance",
            "",
            "beginning - scheduled - unscheduled - repurchased - liquidated",
        ),
        "ending_actual_balance": rep(col.ending_actual_balance),
        "p_and_i_constant": rep(col.p_and_i_constant),
        "special_servicing_fee": rep(col.special_servicing_fee),
        "prepayment_penalties": posted(dep("deposit.prepayment_penalties"), "prepayment penalties"),
        # the period's realized losses net of subsequent recoveries (the cumulative figure
        # below is net of them too); the recoveries themselves are cash in the
        # certificate account's liquidations line
        "realized_loss_amount": fig(
            pr.realized_losses - pr.subsequent_recoveries,
            "realized loss net of subsequent recoveries",
            "servicer report",
            f"{pr.realized_losses} - {pr.subsequent_recoveries}",
        ),
        "cumulative_realized_loss": fig(
            state.cumulative_loss,
            "cumulative realized loss",
            "prior cumulative + realized losses - recoveries",
        ),
        "scheduled_principal": rep(pr.scheduled_principal),
        "unscheduled_principal": rep(pr.unscheduled_principal),
    }
    # the OC lines of the collateral statements (an overcollateralization deal's only)
    oc_rows = [
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
    if ocs is None:
        oc_rows = []
    else:
        common |= {
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
        *oc_rows,
    ]
    common["premium_loans_balance"] = rep(col.premium_loans_balance)
    if ocs is not None:
        common["extra_principal"] = oc("extra_principal")
        common["excess_cash"] = oc("excess_cash")
    kv("collateral", "Collateral Statement", [(k, k, common[k]) for k in c1])
    kv(
        "collateral_b",
        "Collateral Statement (notional and product balances)",
        [
            (
                "beginning_notional",
                f"Beginning Class {notional_class} Notional Amount",
                fig(prior.pool_balance, "notional amount", "pool balance"),
            ),
            (
                "ending_notional",
                f"Ending Class {notional_class} Notional Amount",
                fig(state.pool_balance, "notional amount", "pool balance"),
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
    zero = fig(Z, "not used by the deal", "deal spec")
    extra2 = {
        "record_date": Cell(r.record_date.strftime("%m/%d/%Y")),
        "scheduled_interest": rep(it.scheduled_interest),
        "servicing_fee": fig(fees_by_row.get("gross_servicing", Z), "fees", ""),
        "master_servicing_fee": fig(fees_by_row.get("master_servicing", Z), "fees", ""),
        "trustee_fee": fig(fees_by_row.get("trustee", Z), "fees", ""),
        "fry_amount": zero,
        "special_hazard_fee": zero,
        "other_fee": fig(
            fees_by_row.get("external_master_servicing", Z) + fees_by_row.get("other", Z),
            "fees",
            "",
        ),
        "pool_insurance_fee": zero,
        "spread_1": zero,
        "spread_2": zero,
        "spread_3": zero,
        "net_interest": fig(
            it.scheduled_interest - total_fees,
            "net interest",
            "",
            f"scheduled interest {it.scheduled_interest} - fees {total_fees}",
        ),
        "cumulative_loss_pct": fig(
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
        *COLLATERAL_2_FEES,
        "net_interest",
        "realized_loss_amount",
        "cumulative_realized_loss",
        "cumulative_loss_pct",
        "special_servicing_fee",
        "prepayment_penalties",
        *oc_rows[:7],
    ]
    kv(
        "collateral_2",
        "Collateral Statement (servicer summary)",
        [(k, k, extra2.get(k) or common[k]) for k in c2k],
    )
    if isinstance(spec, ShiftingSpec):
        sections.extend(shifting_interest_sections(r))

    return sections


def notional_class_name(spec: DealSpec) -> str:
    """The class whose notional amount is the pool balance (an OC deal's OC class)."""
    if isinstance(spec, OCSpec):
        return spec.overcollateralization.oc_class
    for c in spec.classes:
        if c.notional == "pool_balance":
            return c.name
    return "IO"


def shifting_interest_sections(r: PeriodResult) -> list[Section]:
    """Senior and subordinate percentages, senior prepayment percentages and the step-down
    test results of a senior/subordinate deal."""
    spec = r.spec
    assert isinstance(spec, ShiftingSpec)
    si = spec.shifting_interest
    basis = si.basis
    pct: list[Row] = []
    for g in si.groups:
        sp = r.figure(f"si:group:{g.name}:senior_percentage")
        spp = r.figure(f"si:group:{g.name}:senior_prepayment_percentage")
        for key, label, value in (
            ("senior", f"Group {g.name} Senior Percentage", sp),
            ("subordinate", f"Group {g.name} Subordinate Percentage", 1 - sp),
            ("senior_prepayment", f"Group {g.name} Senior Prepayment Percentage", spp),
        ):
            pct.append(
                Row(
                    f"{g.name}:{key}",
                    label,
                    {"value": fig(money.round_places(value * 100, 6), key, basis)},
                )
            )
    tests = [
        Row(
            "stepdown",
            "Step-down Conditions Met",
            {
                "value": fig(
                    "Yes" if r.figure("si:stepdown_conditions") else "No",
                    "step-down conditions",
                    basis,
                    r.figures["si:stepdown_conditions"].formula,
                )
            },
        ),
        Row(
            "two_times",
            "Two Times Test Met",
            {
                "value": fig(
                    "Yes" if r.figure("si:two_times") else "No",
                    "two-times test",
                    si.two_times.basis,
                    r.figures["si:two_times"].formula,
                )
            },
        ),
    ]
    return [
        Section(
            "si_percentages", "Senior and Subordinate Percentages", {"value": "Percent"}, tuple(pct)
        ),
        Section("si_tests", "Step-down Tests", {"value": "Result"}, tuple(tests)),
    ]
