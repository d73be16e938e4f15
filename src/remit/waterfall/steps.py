"""The vocabulary of the ledger, defined once by the code that produces it: waterfall steps,
and the accounts money moves between. The statement, the store export and the audit import
these names instead of spelling them."""

from __future__ import annotations

from enum import StrEnum


class Step(StrEnum):
    """Each kind of movement the close posts, in the order a period posts them."""

    DEPOSIT_INTEREST_AND_PRINCIPAL = "deposit.interest_and_principal"
    DEPOSIT_LIQUIDATIONS = "deposit.liquidations"
    DEPOSIT_SUBSEQUENT_RECOVERIES = "deposit.subsequent_recoveries"
    DEPOSIT_REPURCHASES = "deposit.repurchases"
    DEPOSIT_ADVANCES = "deposit.advances"
    DEPOSIT_PREPAYMENT_PENALTIES = "deposit.prepayment_penalties"
    REALIZED_LOSSES = "deposit.realized_losses"
    ADVANCE_REIMBURSEMENT = "withdrawal.advance_reimbursement"
    COMPENSATING_INTEREST = "fees.compensating_interest"
    WRITEUP = "losses.writeup"
    INTEREST_UNPAID = "interest.unpaid"
    INTEREST_CURRENT = "interest.current"
    PRINCIPAL_DISTRIBUTION = "principal.distribution"
    EXTRA_PRINCIPAL = "excess.extra_principal"
    EXCESS_UNPAID_INTEREST = "excess.unpaid_interest"
    EXCESS_UNPAID_REALIZED_LOSS = "excess.unpaid_realized_loss"
    EXCESS_BASIS_RISK = "excess.basis_risk_carryforward"
    EXCESS_REMAINDER = "excess.remainder"
    OC_RELEASE = "oc.release"
    PRINCIPAL_SENIOR = "principal.senior"
    PRINCIPAL_RETIRED_GROUP = "principal.senior_retired_group"
    PRINCIPAL_CROSS_COLLATERAL = "principal.cross_collateral"
    PRINCIPAL_SUBORDINATE = "principal.subordinate"
    RESIDUAL_REMAINDER = "residual.remainder"
    PREPAYMENT_PENALTIES = "prepayment_penalties"
    WRITEDOWN = "losses.writedown"
    RESIDUAL_RETIRE = "residual.retire"


def fee_step(name: str) -> str:
    """The step that pays the deal's fee ``name`` ("fees.<name>")."""
    return f"{FEE_STEP_PREFIX}{name}"


FEE_STEP_PREFIX = "fees."
#: Every step that pays principal from the principal remittance starts so (the OC release
#: and the extra principal distribution amount, paid from other funds, do not).
PRINCIPAL_STEP_PREFIX = "principal."

#: Steps that pay principal to a class, in either family (an OC release is paid to the OC
#: class as principal).
PRINCIPAL_STEPS = frozenset(
    {
        Step.PRINCIPAL_DISTRIBUTION,
        Step.EXTRA_PRINCIPAL,
        Step.OC_RELEASE,
        Step.PRINCIPAL_SENIOR,
        Step.PRINCIPAL_RETIRED_GROUP,
        Step.PRINCIPAL_CROSS_COLLATERAL,
        Step.PRINCIPAL_SUBORDINATE,
        Step.RESIDUAL_RETIRE,
    }
)
#: Steps that pay interest to a class (current, unpaid, and from excess cash).
INTEREST_STEPS = frozenset({Step.INTEREST_CURRENT, Step.INTEREST_UNPAID})
#: Deposits into the certificate account.
DEPOSIT_STEPS = frozenset(
    {
        Step.DEPOSIT_INTEREST_AND_PRINCIPAL,
        Step.DEPOSIT_LIQUIDATIONS,
        Step.DEPOSIT_SUBSEQUENT_RECOVERIES,
        Step.DEPOSIT_REPURCHASES,
        Step.DEPOSIT_ADVANCES,
        Step.DEPOSIT_PREPAYMENT_PENALTIES,
    }
)

# Accounts.
CERT = "certificate_account"
SERVICER = "servicer"
DEPOSIT = "closing_deposit"
REALIZED_LOSS = "loss:realized"
#: The mortgage pool's principal balance (realized losses leave it as memo movements).
POOL = "collateral"
RECOVERED = "loss:recovered"
APPLIED_LOSS = "loss:applied"


def holder(name: str) -> str:
    """The account of the holders of class ``name``."""
    return f"holder:{name}"


def balance(name: str) -> str:
    """The certificate balance of class ``name`` (moved by memo write-downs and write-ups)."""
    return f"balance:{name}"


def fee_account(name: str) -> str:
    """The payee account of the deal's fee ``name``."""
    return f"fee:{name}"
