"""Dates: business days, distribution and record dates, accrual periods and day counts."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

BusinessDayRule = Literal["following", "modified_following", "preceding", "none"]
DayCount = Literal["actual/360", "30/360"]
RecordDateRule = Literal["last_business_day_of_prior_month", "business_day_before_distribution"]


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th given weekday (0 = Monday) of a month; n = -1 for the last one."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year, month, calendar.monthrange(year, month)[1])
    return last - timedelta(days=(last.weekday() - weekday) % 7)


@lru_cache(maxsize=256)
def us_federal_holidays(year: int) -> frozenset[date]:
    """Federal Reserve holidays: a Sunday holiday is observed on Monday; Saturday ones are not."""
    fixed = [date(year, 1, 1), date(year, 7, 4), date(year, 11, 11), date(year, 12, 25)]
    if year >= 2022:
        fixed.append(date(year, 6, 19))
    days = {d + timedelta(days=1) if d.weekday() == 6 else d for d in fixed}
    if year >= 1986:
        days.add(_nth_weekday(year, 1, 0, 3))  # Martin Luther King Jr. Day
    days.add(_nth_weekday(year, 2, 0, 3))  # Washington's Birthday
    days.add(_nth_weekday(year, 5, 0, -1))  # Memorial Day
    days.add(_nth_weekday(year, 9, 0, 1))  # Labor Day
    days.add(_nth_weekday(year, 10, 0, 2))  # Columbus Day
    days.add(_nth_weekday(year, 11, 3, 4))  # Thanksgiving
    return frozenset(days)


def is_business_day(d: date) -> bool:
    return d.weekday() < 5 and d not in us_federal_holidays(d.year)


def index_determination_date(accrual_start: date, business_days: int = 2) -> date:
    """The index determination date of an accrual period: ``business_days`` business days
    (US federal holidays) before the period starts -- the market standard for one-month
    LIBOR, two."""
    d = accrual_start
    for _ in range(business_days):
        d -= timedelta(days=1)
        while not is_business_day(d):
            d -= timedelta(days=1)
    return d


def adjust(d: date, rule: BusinessDayRule) -> date:
    """Move a date onto a business day by the named convention."""
    if rule == "none" or is_business_day(d):
        return d
    step = -1 if rule == "preceding" else 1
    out = d
    while not is_business_day(out):
        out += timedelta(days=step)
    if rule == "modified_following" and out.month != d.month:
        return adjust(d, "preceding")
    return out


def add_months(d: date, months: int, day: int | None = None) -> date:
    """Same day (or ``day``) ``months`` later, clipped to the month's end."""
    total = d.year * 12 + d.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day if day is not None else d.day, last))


def distribution_date(year: int, month: int, day: int, rule: BusinessDayRule) -> date:
    """The distribution date of a month: ``day`` or the business day the rule gives."""
    last = calendar.monthrange(year, month)[1]
    return adjust(date(year, month, min(day, last)), rule)


def distribution_dates(first: date, day: int, rule: BusinessDayRule, count: int) -> list[date]:
    """``count`` consecutive distribution dates starting with the month of ``first``."""
    return [
        distribution_date(add_months(first, k, 1).year, add_months(first, k, 1).month, day, rule)
        for k in range(count)
    ]


def record_date(distribution: date, rule: RecordDateRule) -> date:
    """The record date for a distribution date: holders of record on it are paid."""
    if rule == "business_day_before_distribution":
        return adjust(distribution - timedelta(days=1), "preceding")
    end_prior = distribution.replace(day=1) - timedelta(days=1)
    return adjust(end_prior, "preceding")


def due_period_end(distribution: date) -> date:
    """Last day of the month before the distribution date (the due period and cut-off of data)."""
    return distribution.replace(day=1) - timedelta(days=1)


def days_30_360(start: date, end: date) -> int:
    """30/360 (bond basis) days between two dates."""
    d1 = min(start.day, 30)
    d2 = end.day if not (end.day == 31 and d1 == 30) else 30
    return (end.year - start.year) * 360 + (end.month - start.month) * 30 + (d2 - d1)


def accrual_days(start: date, end: date, day_count: DayCount) -> int:
    """Days in the accrual period [start, end): Actual/360 counts actual days, 30/360 bond days."""
    if day_count == "actual/360":
        return (end - start).days
    return days_30_360(start, end)
