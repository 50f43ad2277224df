"""Adding a norm interval to a date: calendar days, Norwegian working days, weeks or months."""
from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays
from dateutil.relativedelta import relativedelta

ONE_DAY = timedelta(days=1)


@cache
def public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("NO", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def add_working_days(start: date, count: int) -> date:
    """The `count`-th working day after `start`; the start day itself is not counted."""
    day = start
    while count > 0:
        day += ONE_DAY
        if is_working_day(day):
            count -= 1
    return day


def add(start: date, amount: int, unit: str) -> date:
    if unit == "calendar_days":
        return start + timedelta(days=amount)
    if unit == "working_days":
        return add_working_days(start, amount)
    if unit == "weeks":
        return start + timedelta(weeks=amount)
    if unit == "months":
        return start + relativedelta(months=amount)
    raise ValueError(f"unknown unit {unit!r}")
