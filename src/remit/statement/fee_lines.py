"""The fee lines of the servicer summary (the second collateral statement), in its order:
one list for the statement that prints them and the audit that checks them. A leaf, so that
reading a statement does not import the builders."""

COLLATERAL_2_FEES = (
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
)
