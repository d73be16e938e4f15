"""The class tables of the statement: distribution summary, principal and interest
statements and their factor tables, one row per class and a Totals row."""

from __future__ import annotations

from decimal import Decimal

from remit import money
from remit.close.close import PeriodResult
from remit.close.ledger import Ledger, Posting
from remit.spec.models import OCSpec
from remit.statement.cells import Z, amount, basis_of, fig, posted
from remit.statement.model import Cell, Row, Section, Trace

PRINCIPAL_STEPS = (
    "principal.distribution",
    "excess.extra_principal",
    "oc.release",
    "residual.retire",
    "principal.senior",
    "principal.senior_retired_group",
    "principal.cross_collateral",
    "principal.subordinate",
)


def class_sections(r: PeriodResult) -> tuple[list[Section], dict[str, dict[str, Cell]]]:
    """The class tables, and each class's cells by column key (other sections quote them)."""
    spec, led, prior, state, rem = r.spec, r.ledger, r.prior, r.state, r.remittance
    ocs = spec.overcollateralization if isinstance(spec, OCSpec) else None
    oc_name = ocs.oc_class if ocs is not None else None
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
        notional = c.notional == "pool_balance" and c.coupon.kind != "none"
        base = prior.pool_balance if notional else prior.classes[n].balance
        end_base = state.pool_balance if notional else state.classes[n].balance
        f["beginning_notional"] = fig(
            base, "notional amount" if notional else "class balance", c.basis
        )
        f["ending_notional"] = fig(
            end_base, "notional amount" if notional else "class balance", c.basis
        )
        accrual = (
            f"current interest {base:,} x {cp.rate * 100:.5f}% x "
            f"{cp.days}/360 = {wf['accrued']:,} ({c.coupon.day_count}, "
            f"{cp.accrual_start} to {cp.accrual_end}, end excluded)"
        )
        paid = posted(int_ps, "interest distribution")
        assert paid.trace is not None
        f["interest_distribution"] = Cell(
            paid.value,
            Trace(
                paid.trace.rule,
                paid.trace.basis,
                f"{accrual}; paid: {paid.trace.formula}",
                paid.trace.postings,
            ),
        )
        f["principal_distribution"] = posted(prin_ps, "principal distribution")
        f["beginning_balance"] = fig(
            prior.classes[n].balance, "class balance", "prior period's ending state"
        )
        f["ending_balance"] = fig(
            state.classes[n].balance,
            "class balance",
            "this period's ending state",
            "pool balance - certificates"
            if n == oc_name
            else "beginning - principal - write-down + write-up",
        )
        if ocs is not None and n == oc_name:
            absorbed = rem.principal.realized_losses - metric["applied_realized_loss"].value
            loss = fig(absorbed, "realized loss absorbed by overcollateralization", ocs.basis)
            accretion = fig(
                metric["extra_principal"].value
                + rem.principal.subsequent_recoveries
                - _sum_writeups(r),
                "overcollateralization increase",
                ocs.basis,
                "extra principal distribution + recoveries not used for write-ups",
            )
        else:
            loss = posted(
                led.select(step="losses.writedown", source=f"balance:{n}"),
                "applied realized loss amount",
            )
            accretion = posted(
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
        f["cumulative_realized_losses"] = fig(
            state.classes[n].cumulative_realized_loss,
            "cumulative realized loss",
            basis_of(spec, "losses"),
        )
        prin_total = f["principal_distribution"].value
        assert isinstance(prin_total, Decimal)
        sched, unsched = _split_principal(r, prin_ps)
        f["scheduled_principal"] = sched
        f["unscheduled_principal"] = unsched
        f["original_face"] = fig(c.original_balance, "original face", c.basis)
        reduction = prin_total + amount(loss) - amount(accretion)
        f["total_principal_reduction"] = fig(
            reduction, "total principal reduction", "", "principal + realized loss - accretion"
        )
        f["total_principal_distribution"] = f["principal_distribution"]
        f["ending_percentage"] = fig(
            money.ratio(state.classes[n].balance, c.original_balance),
            "ending certificate percentage",
            "",
            "ending balance / original face, 8 decimals",
        )
        f["rate"] = fig(
            money.round_places(cp.rate * 100, 5),
            "pass-through rate",
            c.coupon.basis,
            f"min(formula rate {cp.formula_rate}, cap)"
            if cp.capped
            else f"formula rate {cp.formula_rate}",
        )
        f["accrued_interest"] = fig(
            wf["accrued"],
            "current interest",
            c.coupon.basis,
            accrual,
        )
        f["unpaid_interest_paid"] = posted(
            [p for p in to_holder if p.step in ("interest.unpaid", "excess.unpaid_interest")],
            "payment of unpaid interest",
        )
        f["current_shortfall"] = fig(
            wf["current_shortfall"], "current interest shortfall", basis_of(spec, "interest")
        )
        f["non_supported_shortfall"] = fig(
            wf["non_supported_shortfall"],
            "net prepayment interest and Relief Act shortfall",
            basis_of(spec, "interest"),
        )
        f["realized_losses"] = fig(Z, "interest realized losses", basis_of(spec, "losses"))
        f["total_interest"] = f["interest_distribution"]
        f["remaining_unpaid"] = fig(
            state.classes[n].unpaid_interest, "unpaid interest", basis_of(spec, "interest")
        )
        f["cusip"] = Cell(c.cusip)
        f["description"] = Cell(c.description)

    def class_rows(cols: list[str]) -> list[Row]:
        return [Row(n, n, {k: per[n][k] for k in cols}) for n in names]

    def totals(cols: list[str], sum_cols: list[str], rows: list[Row]) -> Row:
        cells: dict[str, Cell] = {}
        for k in cols:
            if k in sum_cols:
                cells[k] = fig(
                    sum((amount(rw.cells[k]) for rw in rows), Z),
                    f"total {k}",
                    "",
                    "sum of the classes",
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
                v = amount(src)
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
    tot.cells["ending_percentage"] = fig(
        money.ratio(
            amount(tot.cells["ending_balance"]), sum((c.original_balance for c in spec.classes), Z)
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
        "beginning_notional": "Beginning Certificate/Notional Balance",
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
        "ending_notional": "Ending Certificate/Notional Balance",
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

    return sections, per


def _sum_writeups(r: PeriodResult) -> Decimal:
    return Ledger.total(r.ledger.select(step="losses.writeup"))


def _split_principal(r: PeriodResult, ps: list[Posting]) -> tuple[Cell, Cell]:
    """Scheduled and unscheduled principal columns. Where the deal prints all principal as
    unscheduled (as the reference does), the scheduled column is zero; otherwise principal
    from the principal remittance is split in proportion to scheduled principal."""
    total = Ledger.total(ps)
    idx = tuple(p.index for p in ps)
    basis = basis_of(r.spec, "principal")
    if isinstance(r.spec, OCSpec) and r.spec.principal.statement_column == "unscheduled":
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
    from_remittance = Ledger.total(p for p in ps if p.step.startswith("principal."))
    sched = money.cents(from_remittance * rem.scheduled_principal / pra) if pra else Z
    return (
        Cell(
            sched, Trace("scheduled principal", basis, "pro rata share of scheduled principal", idx)
        ),
        Cell(total - sched, Trace("unscheduled principal", basis, "the rest", idx)),
    )
