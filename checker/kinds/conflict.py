"""conflict: the same measure and the same period, with figures that cannot both be true.

Compares the groups of figures of one measure that speak of the same time (running
totals stated for the same date, or at most ``same_period_days`` apart when a date is only
the publication date; a running total and a month ending together; the same closed
period) and flags them when their intervals do not overlap after the tolerance: one
finding per measure and time, listing every side that clashes with another, the side
most independent sources give first. Qualifiers are respected: "over 100" does not
conflict with 150, though stated numbers more than ``max_ratio`` apart for one time clash
anyway ("at least 18,000" and "at least 81,000").

Fires: "As of June 2025, 6 162 foreigners had signed contracts" and "By June 2025, 6,612
foreign nationals had signed contracts".
Quiet: "over 100 prisoners" and "130 prisoners" on the same day.
"""
from __future__ import annotations

import bisect
import datetime as dt

from ..timing import same_time
from ..tolerance import Tolerance, interval
from .base import SAMPLE_SIDE, SAME_PERIOD_DAYS, TOLERANCE, Context, Hit, Param, figure_groups, side

KIND = "conflict"
PARAMS = {
    "tolerance": TOLERANCE,
    "respect_qualifiers": Param("bool", True, "read 'over 100' as [100, ∞) and so on; false "
                                              "compares the stated numbers only"),
    "same_period_days": SAME_PERIOD_DAYS,
    "max_ratio": Param("number", 2.0, "figures for the same time whose stated numbers differ "
                                      "by more than this factor clash even when qualifiers "
                                      "allow both ('at least 18,000' and 'at least 81,000'); "
                                      "0 turns this off"),
}
SAMPLE = {"measure": "foreign nationals", "period": "as of June 2025",
          "sides": [SAMPLE_SIDE, SAMPLE_SIDE]}


def _far_apart(a, b, max_ratio: float) -> bool:
    """Stated numbers more than ``max_ratio`` apart: no qualifier explains 18,000 vs 81,000."""
    if not max_ratio or not a.value or not b.value or (a.value < 0) != (b.value < 0):
        return False
    return max(abs(a.value), abs(b.value)) / min(abs(a.value), abs(b.value)) > max_ratio


def _windows(ends: list[str], days: int):
    """Positions of claims cut into runs whose period ends (``ends``, ISO dates) lie
    within ``days`` of the run's first: only claims in one run can speak of the same
    time, so pairs are never sought across the whole measure (a running count reported
    daily for a year is 365 small runs). In date order, many claims end alike: each end
    is read once."""
    run, first = [], None
    last = end = None
    for i in sorted(range(len(ends)), key=ends.__getitem__):
        if ends[i] != last:
            last, end = ends[i], dt.date.fromisoformat(ends[i])
        if first is not None and (end - first).days > days:
            yield run
            run, first = [], None
        if first is None:
            first = end
        run.append(i)
    if run:
        yield run


def _clashing(figures: list[list], ctx: Context, tolerance: Tolerance, days: int,
              max_ratio: float) -> set[int]:
    """The groups that clash with at least one other: same time, values that cannot both
    be true, not all from the same documents. A pair whose groups are both known to
    clash already is not looked at again: once a group clashes, only the groups not yet
    known to clash (``open_``, in order) are paired with it, so a window of many figures
    that all clash with the first costs about one pass over it, not the square of it."""
    firsts = [group[0] for group in figures]
    bounds = [interval(claim, tolerance) for claim in firsts]
    docs = [frozenset(c.doc for c in group) for group in figures]
    clashing: set[int] = set()
    open_ = list(range(len(figures)))  # the groups not known to clash, in order
    for i, a in enumerate(firsts):
        others = (open_[bisect.bisect_right(open_, i):] if i in clashing
                  else range(i + 1, len(figures)))
        for j in others:
            if i in clashing and j in clashing:
                continue
            b = firsts[j]
            if not same_time(a, ctx.period(a), b, ctx.period(b), days):
                continue
            overlap = bounds[i][0] <= bounds[j][1] and bounds[j][0] <= bounds[i][1]
            if (overlap and not _far_apart(a, b, max_ratio)) or docs[i] == docs[j]:
                continue
            for k in (i, j):
                if k not in clashing:
                    clashing.add(k)
                    del open_[bisect.bisect_left(open_, k)]
    return clashing


def evaluate(params: dict, ctx: Context):
    tolerance = Tolerance.from_params(params)
    days = params["same_period_days"]
    for measure in ctx.measures:
        dated, periods = [], []
        for claim, period in zip(measure.claims, ctx.periods(measure)):
            if period is not None and period[1]:
                dated.append(claim)
                periods.append(period)
        for window in _windows([period[1] for period in periods], days):
            figures = figure_groups(
                [dated[i] for i in window], tolerance,
                lambda a, b: same_time(a, ctx.period(a), b, ctx.period(b), days),
                keys=[(dated[i].value, periods[i]) for i in window])
            clashing = _clashing(figures, ctx, tolerance, days, params["max_ratio"])
            if not clashing:
                continue
            chosen = sorted((figures[i] for i in clashing),
                            key=lambda g: (-ctx.independent({c.doc for c in g}), g[0].start))
            sides = [side(group, ctx) for group in chosen]
            yield Hit([c for group in chosen for c in group],
                      {"measure": measure.label, "sides": sides, "period": sides[0]["period"]},
                      measure)
