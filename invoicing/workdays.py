"""Working days in Vietnam: not Saturday or Sunday, not a public holiday (``holidays.VN``).

Why here: R9 (NĐ 254/2026, Phụ lục mục 7) gives the seller until the *next working day* after ``NLap`` to
sign and send an invoice; the deadline alert and the signing-time check on import both count that way.
"""
import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def _holidays(year):
    return holidays.VN(years=year)


def is_working_day(day):
    return day.weekday() < 5 and day not in _holidays(day.year)


def next_working_day(day):
    """The first working day strictly after ``day``."""
    day += datetime.timedelta(days=1)
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day
