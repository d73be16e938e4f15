"""The account tables: the certificate account, the prepayment interest shortfall, the
servicing fees, the other accounts, and the other information."""

from __future__ import annotations

from remit.close.ledger import Ledger, Posting
from remit.money import ZERO
from remit.statement.cells import amount, fig, posted, value_section
from remit.statement.model import Cell, Row, Section, Trace
from remit.statement.view import View
from remit.waterfall.steps import CERT, FEE_STEP_PREFIX, Step, holder

OTHER_ACCOUNT_COLUMNS = {
    "beginning_balance": "Beginning Balance",
    "withdrawals": "Current Withdrawals",
    "deposits": "Current Deposits",
    "ending_balance": "Ending Balance",
}


def certificate_account(v: View) -> list[Section]:
    """Deposits into and withdrawals from the certificate account, which opens and ends empty."""
    led = v.r.ledger

    def deposit(*steps: str) -> Cell:
        return posted(led.select(step=steps), "deposit")

    deposits = [
        ("deposit_interest_and_principal", "Payments of Interest and Principal",
         deposit(Step.DEPOSIT_INTEREST_AND_PRINCIPAL)),
        # printed gross (the liquidated balance), the realized losses printed negative below
        ("deposit_liquidations", "Liquidations, Insurance Proceeds, Reserve Funds",
         deposit(Step.DEPOSIT_LIQUIDATIONS, Step.DEPOSIT_SUBSEQUENT_RECOVERIES,
                 Step.REALIZED_LOSSES)),
        ("deposit_repurchases", "Proceeds from Repurchased Loans",
         deposit(Step.DEPOSIT_REPURCHASES)),
        ("deposit_advances", "Other Amounts (Servicer Advances)", deposit(Step.DEPOSIT_ADVANCES)),
        ("deposit_realized_losses", "Realized Losses",
         posted(led.select(step=Step.REALIZED_LOSSES), "realized losses (printed negative)",
                sign=-1)),
        ("deposit_prepayment_penalties", "Prepayment Penalties",
         deposit(Step.DEPOSIT_PREPAYMENT_PENALTIES)),
    ]  # fmt: skip
    to_holders = [p for p in led.select(source=CERT) if p.target.startswith(holder(""))]
    withdrawals = [
        ("withdrawal_advance_reimbursement", "Reimbursement for Servicer Advances",
         posted(led.select(step=Step.ADVANCE_REIMBURSEMENT), "withdrawal")),
        ("withdrawal_fees", "Payment of Service Fee", _net_fee(led)),
        ("withdrawal_distribution", "Payment of Interest and Principal",
         posted(to_holders, "distributions to certificateholders")),
    ]  # fmt: skip
    total_dep = sum((amount(c) for _, _, c in deposits), ZERO)
    total_wd = sum((amount(c) for _, _, c in withdrawals), ZERO)
    ending = led.balances().get(CERT, ZERO)
    items = [
        ("beginning_balance", "Beginning Balance", fig(ZERO, "certificate account", "opens empty")),
        *deposits,
        ("total_deposits", "Total Deposits", fig(total_dep, "sum of deposits", "")),
        *withdrawals,
        ("total_withdrawals", "Total Withdrawals (Pool Distribution Amount)",
         fig(total_wd, "sum of withdrawals", "")),
        ("ending_balance", "Ending Balance",
         fig(ending + ZERO, "ledger balance", "sources = uses")),
    ]  # fmt: skip
    return [value_section("certificate_account", "Certificate Account", items)]


def ppis(v: View) -> list[Section]:
    """The prepayment/curtailment interest shortfall: reported, supported by the servicer's
    compensating interest, and the rest."""
    rem = v.r.remittance
    items = [
        ("total", "Total Prepayment/Curtailment Interest Shortfall",
         fig(rem.interest.prepayment_interest_shortfall, "remittance", "servicer report")),
        ("supported", "Servicing Fee Support", _compensating_interest(v.r.ledger)),
        ("non_supported", "Non-Supported Prepayment/Curtailment Interest Shortfall",
         fig(v.r.figure("pool:non_supported_ppis"), "non-supported shortfall", "",
             "total - compensating interest")),
    ]  # fmt: skip
    return [value_section("ppis", "Prepayment/Curtailment Interest Shortfall", items)]


def servicing_fees(v: View) -> list[Section]:
    """Each fee of the deal as posted, the supported shortfall, and the net servicing fee."""
    led = v.r.ledger
    items = [
        *(
            (f.name, f.label, posted(led.select(step=f"fees.{f.name}"), f"fee {f.name}", f.basis))
            for f in v.r.spec.fees
        ),
        ("supported_ppis", "Supported Prepayment/Curtailment Interest Shortfall",
         _compensating_interest(led)),
        ("net_servicing_fee", "Net Servicing Fee", _net_fee(led)),
    ]  # fmt: skip
    return [value_section("servicing_fees", "Servicing Fees", items)]


def other_accounts(v: View) -> list[Section]:
    """The accounts the statement names that the deal does not have: printed as zero."""
    rows = tuple(
        Row(
            a.label,
            a.label,
            {
                k: fig(ZERO, "no such account in the deal", "deal spec")
                for k in OTHER_ACCOUNT_COLUMNS
            },
        )
        for a in v.r.spec.statement.other_accounts
    )
    return [Section("other_accounts", "Other Accounts", dict(OTHER_ACCOUNT_COLUMNS), rows)]


def other_information(v: View) -> list[Section]:
    """The insufficient-funds class's current shortfall, contaminated properties, advances."""
    senior = v.r.spec.statement.insufficient_funds_class
    items = [
        ("insufficient_funds", f"Current Period Class {senior} Insufficient Funds",
         v.classes[senior]["current_shortfall"]),
        ("contaminated_properties", "Principal Balance of Contaminated Properties",
         fig(v.r.remittance.collateral.contaminated_properties_balance, "remittance",
             "servicer report")),
        ("periodic_advance", "Periodic Advance",
         posted(v.r.ledger.select(step=Step.DEPOSIT_ADVANCES), "P&I advances")),
    ]  # fmt: skip
    return [value_section("other_information", "Other Information", items)]


def _compensating_interest(led: Ledger) -> Cell:
    return posted(led.select(step=Step.COMPENSATING_INTEREST), "compensating interest")


def _net_fee(led: Ledger) -> Cell:
    """The fees paid out of the certificate account less the compensating interest paid in."""
    fee_ps: tuple[Posting, ...] = led.select(step_prefix=FEE_STEP_PREFIX)
    comp = Ledger.total(p for p in fee_ps if p.step == Step.COMPENSATING_INTEREST)
    net = Ledger.total(p for p in fee_ps if p.step != Step.COMPENSATING_INTEREST) - comp
    trace = Trace("fees less compensating interest", "", "", tuple(p.index for p in fee_ps))
    return Cell(net, trace)
