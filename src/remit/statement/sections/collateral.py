"""The collateral statements: the pool's rates, counts, balances, losses and principal (with
the rows the structure family adds), the notional and product balances, and the servicer
summary with its fee lines."""

from __future__ import annotations

from decimal import Decimal

from remit import money
from remit.money import ZERO
from remit.statement.cells import fig, figure_cell, posted, reported, value_section
from remit.statement.fee_lines import COLLATERAL_2_FEES
from remit.statement.model import Cell, Row, Section
from remit.statement.view import View
from remit.waterfall.steps import Step

# The fee lines of the servicer summary (the second collateral statement), in its order.
POOL_ROWS = (
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
)
SERVICER_SUMMARY_ROWS = (
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
)


def collateral(v: View) -> list[Section]:
    """The collateral statement: the pool's figures, then the family's rows."""
    pool = _pool_cells(v)
    items = [(k, k, pool[k]) for k in POOL_ROWS]
    items += [(k, k, c) for k, c in v.family.collateral_rows]
    return [value_section("collateral", "Collateral Statement", items)]


def collateral_b(v: View) -> list[Section]:
    """The notional class's beginning and ending notional amount (the pool balance)."""
    name = v.family.notional_class
    items = [
        (
            "beginning_notional",
            f"Beginning Class {name} Notional Amount",
            fig(v.r.prior.pool_balance, "notional amount", "pool balance"),
        ),
        (
            "ending_notional",
            f"Ending Class {name} Notional Amount",
            fig(v.r.state.pool_balance, "notional amount", "pool balance"),
        ),
    ]
    title = "Collateral Statement (notional and product balances)"
    return [value_section("collateral_b", title, items)]


def products(v: View) -> list[Section]:
    """The balance of each product the deal names, where the servicer reports it."""
    balances = v.r.remittance.collateral.product_balances
    rows = tuple(
        Row(p.key, p.label, {"value": reported(balances[p.key])})
        for p in v.r.spec.collateral.products
        if p.key in balances
    )
    return [Section("products", "Product balances", {"value": "Amount"}, rows)]


def collateral_2(v: View) -> list[Section]:
    """The servicer summary: the pool's figures, interest, the fee lines, losses, then the
    family's rows."""
    cells = _pool_cells(v) | _servicer_summary_cells(v)
    items = [(k, k, cells[k]) for k in SERVICER_SUMMARY_ROWS]
    items += [(k, k, c) for k, c in v.family.servicer_summary_rows]
    return [value_section("collateral_2", "Collateral Statement (servicer summary)", items)]


def _pool_cells(v: View) -> dict[str, Cell]:
    r, col, pr = v.r, v.r.remittance.collateral, v.r.remittance.principal
    return {
        "description": Cell(r.spec.collateral.description),
        "wac": figure_cell(r, "pool:wac"),
        "net_wac": figure_cell(r, "pool:net_wac"),
        "pass_through_rate": figure_cell(r, "pool:pass_through"),
        "wam": reported(col.wam),
        "beginning_count": fig(r.prior.loan_count, "loan count", "prior state"),
        "payoffs_count": reported(pr.payoffs_count),
        "ending_count": fig(
            r.state.loan_count, "loan count", "beginning - payoffs - liquidations - repurchases"
        ),
        "beginning_balance": fig(r.prior.pool_balance, "pool balance", "prior state"),
        "ending_balance": fig(
            r.state.pool_balance,
            "pool balance",
            "",
            "beginning - scheduled - unscheduled - repurchased - liquidated",
        ),
        "ending_actual_balance": reported(col.ending_actual_balance),
        "p_and_i_constant": reported(col.p_and_i_constant),
        "special_servicing_fee": reported(col.special_servicing_fee),
        "prepayment_penalties": posted(
            r.ledger.select(step=Step.DEPOSIT_PREPAYMENT_PENALTIES), "prepayment penalties"
        ),
        # the recoveries themselves are cash in the certificate account's liquidations line
        "realized_loss_amount": fig(
            r.figure("pool:net_realized_loss"),
            "realized loss net of subsequent recoveries",
            "servicer report",
            f"{pr.realized_losses} - {pr.subsequent_recoveries}",
        ),
        "cumulative_realized_loss": fig(
            r.state.cumulative_loss,
            "cumulative realized loss",
            "prior cumulative + realized losses - recoveries",
        ),
        "premium_loans_balance": reported(col.premium_loans_balance),
        "scheduled_principal": reported(pr.scheduled_principal),
        "unscheduled_principal": reported(pr.unscheduled_principal),
    }


def _servicer_summary_cells(v: View) -> dict[str, Cell]:
    """The servicer summary's own rows: the record date, interest and the fee lines."""
    r = v.r
    it = r.remittance.interest
    fees: dict[str, Decimal] = {}
    for fee in r.spec.fees:
        fees[fee.statement_row] = fees.get(fee.statement_row, ZERO) + r.figure(f"fee:{fee.name}")
    unused = fig(ZERO, "not used by the deal", "deal spec")
    other = fees.get("external_master_servicing", ZERO) + fees.get("other", ZERO)
    return {
        "record_date": Cell(r.record_date.strftime("%m/%d/%Y")),
        "scheduled_interest": reported(it.scheduled_interest),
        "servicing_fee": fig(fees.get("gross_servicing", ZERO), "fees", ""),
        "master_servicing_fee": fig(fees.get("master_servicing", ZERO), "fees", ""),
        "trustee_fee": fig(fees.get("trustee", ZERO), "fees", ""),
        "other_fee": fig(other, "fees", ""),
        **dict.fromkeys(
            (
                "fry_amount",
                "special_hazard_fee",
                "pool_insurance_fee",
                "spread_1",
                "spread_2",
                "spread_3",
            ),
            unused,
        ),
        "net_interest": fig(
            r.figure("pool:net_interest"),
            "net interest",
            "",
            f"scheduled interest {it.scheduled_interest} - fees {r.figure('pool:total_fees')}",
        ),
        "cumulative_loss_pct": fig(
            money.percent(r.state.cumulative_loss, r.spec.collateral.cut_off_balance, 2),
            "cumulative loss percentage",
            "of the cut-off balance",
        ),
    }
