"""Report periods: a month, a quarter, a year or custom dates, and the period just before it.

Periods are whole local days (Asia/Ho_Chi_Minh): ``bounds()`` turns them into the aware datetimes
[start 00:00, day after end 00:00) that orders are filtered on, so an order placed at 23:30 on the last
day of a month in Vietnam (16:30 UTC) belongs to that month.
"""
import calendar
import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.periods import INPUT_FORMATS

MONTH, QUARTER, YEAR, CUSTOM = "month", "quarter", "year", "custom"
KIND_CHOICES = [(MONTH, _("Month")), (QUARTER, _("Quarter")), (YEAR, _("Year")), (CUSTOM, _("Custom dates"))]
#: The longest custom period accepted (the API and the dashboard both refuse more).
MAX_DAYS = 366 * 5


class PeriodError(ValueError):
    """A period that cannot be read; the message is in English (the API shows it as is)."""


def _strict_date(value, name):
    for fmt in INPUT_FORMATS:
        try:
            return datetime.datetime.strptime((value or "").strip(), fmt).date()
        except ValueError:
            continue
    raise PeriodError(f"'{name}' must be a date written dd/mm/yyyy or yyyy-mm-dd, got {value!r}")


def _add_months(day, months):
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive
    kind: str = CUSTOM

    @classmethod
    def month(cls, year, month):
        return cls(datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1]), MONTH)

    @classmethod
    def quarter(cls, year, quarter):
        first = datetime.date(year, 3 * (quarter - 1) + 1, 1)
        return cls(first, _add_months(first, 3) - datetime.timedelta(days=1), QUARTER)

    @classmethod
    def year(cls, year):
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31), YEAR)

    @property
    def days(self):
        return (self.end - self.start).days + 1

    def bounds(self):
        """Aware datetimes [start, end) in the project's zone (Asia/Ho_Chi_Minh)."""
        zone = timezone.get_default_timezone()
        start = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=zone)
        end = datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
        return start, end

    def previous(self):
        """The period of the same kind just before: previous month/quarter/year, or as many days before."""
        if self.kind == MONTH:
            first = _add_months(self.start, -1)
            return Period.month(first.year, first.month)
        if self.kind == QUARTER:
            first = _add_months(self.start, -3)
            return Period.quarter(first.year, (first.month - 1) // 3 + 1)
        if self.kind == YEAR:
            return Period.year(self.start.year - 1)
        end = self.start - datetime.timedelta(days=1)
        return Period(end - datetime.timedelta(days=self.days - 1), end, CUSTOM)

    def months(self):
        """First days of the months the period touches."""
        first, out = self.start.replace(day=1), []
        while first <= self.end:
            out.append(first)
            first = _add_months(first, 1)
        return out

    def trend_period(self):
        """The months charted: the period's own months, at least the 12 months ending with its last month."""
        last = self.end.replace(day=1)
        first = min(self.start.replace(day=1), _add_months(last, -11))
        return Period(first, _add_months(last, 1) - datetime.timedelta(days=1), CUSTOM)

    @property
    def label(self):
        if self.kind == MONTH:
            return f"{self.start:%m/%Y}"
        if self.kind == QUARTER:
            return f"Q{(self.start.month - 1) // 3 + 1}/{self.start.year}"
        if self.kind == YEAR:
            return str(self.start.year)
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"

    def as_params(self):
        """Query string keys that give this period back (links to exports)."""
        return {"period": CUSTOM if self.kind == CUSTOM else self.kind, "from": f"{self.start:%d/%m/%Y}",
                "to": f"{self.end:%d/%m/%Y}"}


def _int(value, name, low, high):
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise PeriodError(f"'{name}' must be a whole number, got {value!r}") from None
    if not low <= number <= high:
        raise PeriodError(f"'{name}' must be between {low} and {high}, got {number}")
    return number


def period_from_params(params, *, default_kind=MONTH):
    """Read ``period`` (month|quarter|year|custom) with ``month=mm/yyyy``, ``quarter=q/yyyy``, ``year=yyyy``
    or ``from``/``to`` (dd/mm/yyyy). With only ``from``/``to`` the period is custom; with nothing it is the
    current month. Raises ``PeriodError`` (English message) on anything unreadable.
    """
    today = timezone.localdate()
    kind = (params.get("period") or "").strip()
    if not kind:
        kind = CUSTOM if (params.get("from") or params.get("to")) else default_kind
    if kind not in {MONTH, QUARTER, YEAR, CUSTOM}:
        raise PeriodError(f"'period' must be one of month, quarter, year, custom, got {kind!r}")
    if kind == CUSTOM:
        if not params.get("from") or not params.get("to"):
            raise PeriodError("A custom period needs both 'from' and 'to' (dd/mm/yyyy)")
        start, end = _strict_date(params.get("from"), "from"), _strict_date(params.get("to"), "to")
        if start > end:
            raise PeriodError("'from' must not be after 'to'")
        if (end - start).days + 1 > MAX_DAYS:
            raise PeriodError(f"A period may span at most {MAX_DAYS} days")
        return Period(start, end, CUSTOM)
    # month/quarter/year: an explicit value, else the one containing ``from``, else today's.
    anchor = _strict_date(params["from"], "from") if params.get("from") else today
    if kind == MONTH:
        if params.get("month"):
            month, _, year = str(params["month"]).partition("/")
            return Period.month(_int(year, "month (year)", 2000, 2100), _int(month, "month", 1, 12))
        return Period.month(anchor.year, anchor.month)
    if kind == QUARTER:
        if params.get("quarter"):
            quarter, _, year = str(params["quarter"]).upper().lstrip("Q").partition("/")
            return Period.quarter(_int(year, "quarter (year)", 2000, 2100), _int(quarter, "quarter", 1, 4))
        return Period.quarter(anchor.year, (anchor.month - 1) // 3 + 1)
    if params.get("year"):
        return Period.year(_int(params["year"], "year", 2000, 2100))
    return Period.year(anchor.year)
