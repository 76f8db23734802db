"""When a figure holds: effective periods, and when two periods count as the same.

A figure with no period of its own is, as news is written, true as of its article's
publication ("16,894 foreigners have fought"): a running total to that date. A figure in an
undated article with no period has no known time at all, and rules must not guess one.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

from .claims.model import Claim
from .textdates import month_end

_MONTHS = ("January February March April May June July August September October November "
           "December").split()


def effective_period(claim: Claim, published: dt.date | None) -> tuple[str | None, str | None] | None:
    """(start, end) as ISO dates, None for unbounded; None when the time is unknown."""
    if claim.period:
        return claim.period.get("start"), claim.period.get("end")
    if published:
        return _as_of(published)
    return None


@lru_cache(maxsize=1 << 14)
def _as_of(published: dt.date) -> tuple[None, str]:
    """The period of a figure dated only by its article: asked for nearly every claim,
    by alignment and by the rules, of a few thousand distinct publication dates."""
    return None, published.isoformat()


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def is_running(period: tuple | None) -> bool:
    """A total "as of" a date: no start, a known end."""
    return period is not None and period[0] is None and period[1] is not None


def _gap_days(a: tuple, b: tuple) -> int:
    return abs((_date(a[1]) - _date(b[1])).days)


def same_period(a: tuple | None, b: tuple | None, days: int) -> bool:
    """Whether two figures speak of the same time, so that different values clash.

    Running totals are the same when their dates are at most ``days`` apart; a running
    total and a closed period when they end so (49% "as of July 2025" and 49% "in July").
    Closed periods must be the same period: 23 cases "last year" and 9 "in 2023–2024"
    may count different places, and a part of a period is not the whole. Unknown times
    are never the same as anything.
    """
    if a is None or b is None or a[1] is None or b[1] is None:
        return False
    if is_running(a) or is_running(b):
        return _gap_days(a, b) <= days
    return a == b


def different_period(a: tuple | None, b: tuple | None, days: int) -> bool:
    """Whether two known times are clearly not the same: running totals more than
    ``days`` apart, closed periods that share no day (June and July), or unequal periods
    given to the same grain (2022–2024 and 2023–2024). 8 April and April are not
    different: one is only more precise."""
    if a is None or b is None or a[1] is None or b[1] is None:
        return False
    if is_running(a) or is_running(b):
        return _gap_days(a, b) > days
    a_start, b_start = _date(a[0]) or dt.date.min, _date(b[0]) or dt.date.min
    if _date(a[1]) < b_start or _date(b[1]) < a_start:
        return True
    return a != b and _grain(a) == _grain(b)  # 2022–2024 vs 2023–2024; not 8 April vs April


def _grain(period: tuple) -> str:
    """How precisely a closed period is given: a day, months, years, or other."""
    start, end = _date(period[0]), _date(period[1])
    if start is None:
        return "open"
    if start == end:
        return "day"
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return "years"
    if start.day == 1 and _month_end(end):
        return "months"
    return "other"


PUBLICATION_WORDS = frozenset({"currently", "now", "to date", "so far", "at present",
                               "at the moment", "today"})


def stated(claim: Claim) -> bool:
    """Whether the text dates the figure itself: not "now", "currently" or nothing,
    which only mean as of publication."""
    return (claim.period is not None and claim.period_text is not None
            and claim.period_text.lower() not in PUBLICATION_WORDS)


def _slack(a: Claim, b: Claim, days: int) -> int:
    """Stated dates must match to the day; a date that is only the publication date may
    be ``days`` off (two articles a day apart quoting one count)."""
    return 0 if stated(a) and stated(b) else days


def same_time(a: Claim, a_period: tuple | None, b: Claim, b_period: tuple | None,
              days: int) -> bool:
    return same_period(a_period, b_period, _slack(a, b, days))


def other_time(a: Claim, a_period: tuple | None, b: Claim, b_period: tuple | None,
               days: int) -> bool:
    return different_period(a_period, b_period, _slack(a, b, days))


def when(period: tuple | None) -> dt.date | None:
    """The date a figure speaks for (its period's end), for ordering a running figure."""
    return _date(period[1]) if period and period[1] else None


def label(period: tuple | None) -> str:
    """A period as an editor would say it: "July 2025", "as of 14 August 2025", "2024"."""
    if period is None:
        return "undated"
    start, end = _date(period[0]), _date(period[1])
    if end is None:
        return f"since {_day(start)}" if start else "undated"
    if start is None:
        return f"as of {_MONTHS[end.month - 1]} {end.year}" if _month_end(end) else f"as of {_day(end)}"
    if start == end:
        return _day(end)
    if start.day == 1 and start.month == 1 and end.month == 12 and end.day == 31:
        return str(end.year) if start.year == end.year else f"{start.year}–{end.year}"
    if start.day == 1 and _month_end(end):
        if (start.year, start.month) == (end.year, end.month):
            return f"{_MONTHS[end.month - 1]} {end.year}"
        return f"{_MONTHS[start.month - 1]} {start.year} to {_MONTHS[end.month - 1]} {end.year}"
    return f"{_day(start)} to {_day(end)}"


def _month_end(date: dt.date) -> bool:
    """Whether ``date`` is the last day of its month (by the calendar, so that 31 December
    9999, which has no next day, is one too)."""
    return date == month_end(date.year, date.month)


def _day(date: dt.date) -> str:
    return f"{date.day} {_MONTHS[date.month - 1]} {date.year}"
