"""Column types that read back exactly or not at all.

An exact decimal column: integer units of 10^-scale in SQLite, NUMERIC in PostgreSQL.

SQLite has no exact decimal type (its NUMERIC affinity stores floats), so amounts are kept
there as integers -- cents for money, 10^-8 for factors -- whose SUM is exact integer
arithmetic. PostgreSQL stores NUMERIC(precision, scale), exact too. Either way Python sees a
:class:`~decimal.Decimal` with exactly ``scale`` decimals, and a value with more decimals than
the column holds is refused rather than rounded. SQLite's 64-bit integers bound amounts to
about 9.2e16 in money and 9.2e10 in factors; PostgreSQL's NUMERIC(20, scale) to 1e18 / 1e12."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Date, DateTime, Integer, Numeric, String, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine


class Exact(TypeDecorator[Decimal]):
    """A Decimal with ``scale`` decimals, stored exactly on every backend."""

    impl = Numeric
    cache_ok = True

    def __init__(self, scale: int = 2, precision: int = 20) -> None:
        super().__init__()
        self.scale = scale
        self.precision = precision
        self._quantum = Decimal(1).scaleb(-scale)

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(self.precision, self.scale, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if isinstance(value, (bool, float)):
            raise TypeError(f"refusing to store {value!r} ({type(value).__name__}) as money")
        d = Decimal(value)
        q = d.quantize(self._quantum)
        if q != d:
            raise ValueError(f"{value} has more than {self.scale} decimals")
        if dialect.name == "sqlite":
            return int(q.scaleb(self.scale))
        return q

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if isinstance(value, bool | float | str | bytes):
            raise ValueError(f"an amount column holds {type(value).__name__} {value!r:.40}")
        if dialect.name == "sqlite":
            return Decimal(int(value)).scaleb(-self.scale)
        return Decimal(value).quantize(self._quantum)


class Count(TypeDecorator[int]):
    """A 32-bit integer column (PostgreSQL's ``integer``) that reads back as one or not at all:
    SQLite keeps whatever a row was given (text in an integer column, a 64-bit number), and a
    value that is not a 32-bit integer is refused as damage (ValueError), not passed on. NULL
    reads as None (an aggregate over no rows is NULL too)."""

    impl = Integer
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool) and -(2**31) <= value < 2**31:
            return value
        raise ValueError(f"an integer column holds {type(value).__name__} {value!r:.40}")


class Str(TypeDecorator[str]):
    """A required text column (``length`` characters at most, or any length) that reads back
    as text or not at all (NULL, or a number where text is, is damage: ValueError)."""

    impl = String
    cache_ok = True

    def __init__(self, length: int | None = None) -> None:
        super().__init__(length)
        self.length = length

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        return dialect.type_descriptor(String(self.length) if self.length else Text())

    def process_result_value(self, value: Any, dialect: Dialect) -> str:
        if not isinstance(value, str):
            raise ValueError(f"a text column holds {type(value).__name__} {value!r:.40}")
        return value


class Day(TypeDecorator[date]):
    """A date column: what is not a date is damage (ValueError); NULL reads as None (the
    first date of a deal without periods is NULL)."""

    impl = Date
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Dialect) -> date | None:
        if value is None:
            return None
        if not isinstance(value, date):
            raise ValueError(f"a date column holds {type(value).__name__} {value!r:.40}")
        return value


class Moment(TypeDecorator[datetime]):
    """A required timestamp column (with its zone): NULL is damage (ValueError)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime:
        if not isinstance(value, datetime):
            raise ValueError(f"a timestamp column holds {type(value).__name__} {value!r:.40}")
        return value


Money = Exact(2)
Factor = Exact(8)
