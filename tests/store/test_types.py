"""Money in the store is exact: integer units in SQLite, NUMERIC in PostgreSQL; a value with
more decimals than the column holds, or a float, is refused rather than rounded."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect

from remit.store.types import Exact

DIALECTS = [sqlite.dialect(), postgresql.dialect()]


@pytest.mark.parametrize("dialect", DIALECTS, ids=["sqlite", "postgresql"])
def test_round_trip_is_exact(dialect: Dialect) -> None:
    money, factor = Exact(2), Exact(8)
    for col, value in [
        (money, Decimal("1060891769.67")),
        (money, Decimal("-0.01")),
        (money, Decimal("0.00")),
        (money, Decimal("92233720368547758.07")),  # the largest SQLite holds
        (factor, Decimal("0.98712897")),
        (factor, Decimal("38068.45729869")),
    ]:
        stored = col.process_bind_param(value, dialect)
        if dialect.name == "sqlite":
            assert isinstance(stored, int)
        back = col.process_result_value(stored, dialect)
        assert back == value and str(back) == str(value)


@pytest.mark.parametrize("dialect", DIALECTS, ids=["sqlite", "postgresql"])
def test_too_many_decimals_or_floats_are_refused(dialect: Dialect) -> None:
    with pytest.raises(ValueError, match="more than 2 decimals"):
        Exact(2).process_bind_param(Decimal("1.005"), dialect)
    with pytest.raises(TypeError, match="refusing"):
        Exact(2).process_bind_param(0.1, dialect)
    assert Exact(2).process_bind_param(Decimal("1.10"), dialect) in (110, Decimal("1.10"))
    assert Exact(2).process_bind_param(Decimal("1.1"), dialect) in (110, Decimal("1.10"))
