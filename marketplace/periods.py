"""Report and export periods from query strings, shared by statements and invoice exports."""
import datetime

from django.utils import timezone

INPUT_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
#: Dates outside these years are typing mistakes, and at the calendar's ends (01/01/0001, 31/12/9999)
#: "the day after" overflows: they are treated as no date at all.
EARLIEST, LATEST = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)


def parse_date(value, default=None):
    for fmt in INPUT_FORMATS:
        try:
            parsed = datetime.datetime.strptime(value or "", fmt).date()
        except ValueError:
            continue
        return parsed if EARLIEST <= parsed <= LATEST else default
    return default


def period_from_params(params):
    """?from=dd/mm/yyyy&to=dd/mm/yyyy; defaults to the current month; bad dates fall back quietly."""
    today = timezone.localdate()
    start = parse_date(params.get("from"), today.replace(day=1))
    end = parse_date(params.get("to"), today)
    return (start, end) if start <= end else (end, start)
