"""conflict: the same measure and the same period, with figures that cannot both be true.

Compares the groups of figures of one measure that speak of the same time (running
totals stated for the same date, or at most ``same_period_days`` apart when a date is only
the publication date; a running total and a month ending together; the same closed
period) and flags them when their intervals do not overlap after the tolerance: one
finding per conflict (sides joined by clashes; December's figures and the year's end on
one day but are two), listing every side that clashes with another, the side most
independent sources give first. Qualifiers are respected: "over 100" does not
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


def _clashes(figures: list[list], ctx: Context, tolerance: Tolerance, days: int,
             max_ratio: float) -> list[list[int]]:
    """The groups that clash, as the connected parts of the clash graph, each sorted and
    in order of its first group: a pair clashes when both speak of the same time, their
    values cannot both be true, and they are not all from the same documents. One part
    is one conflict; December's 7 against 8 and the year's 9 against 10 end on one day,
    so they share a window, but no December figure clashes with a yearly one: two parts.

    A pair already in one part is not looked at again: a group that clashes is paired
    only with the groups outside its part (``open_``, those clashing with nothing yet,
    and the other parts' groups), so a window of many figures that all clash with the
    first costs about one pass over it, not the square of it."""
    firsts = [group[0] for group in figures]
    bounds = [interval(claim, tolerance) for claim in firsts]
    docs = [frozenset(c.doc for c in group) for group in figures]
    part: dict[int, int] = {}  # a clashing group -> the first group of its part
    parts: dict[int, list[int]] = {}  # the first group of a part -> its groups, sorted
    open_ = list(range(len(figures)))  # the groups clashing with nothing yet, in order
    for i, a in enumerate(firsts):
        if i in part:
            others = open_[bisect.bisect_right(open_, i):] + sorted(
                j for first, members in parts.items() if first != part[i]
                for j in members if j > i)
        else:
            others = range(i + 1, len(figures))
        for j in others:
            if i in part and part[i] == part.get(j):
                continue
            b = firsts[j]
            if not same_time(a, ctx.period(a), b, ctx.period(b), days):
                continue
            overlap = bounds[i][0] <= bounds[j][1] and bounds[j][0] <= bounds[i][1]
            if (overlap and not _far_apart(a, b, max_ratio)) or docs[i] == docs[j]:
                continue
            _join(i, j, part, parts, open_)
    return sorted(parts.values())


def _join(i: int, j: int, part: dict[int, int], parts: dict[int, list[int]],
          open_: list[int]) -> None:
    """Put clashing groups ``i`` and ``j`` in one part (``_clashes``), merging theirs."""
    for k in (i, j):
        if k not in part:
            part[k] = k
            parts[k] = [k]
            del open_[bisect.bisect_left(open_, k)]
    keep, gone = sorted((part[i], part[j]))
    if keep == gone:
        return
    for k in parts[gone]:
        part[k] = keep
    parts[keep] = sorted(parts[keep] + parts.pop(gone))


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
            for clashing in _clashes(figures, ctx, tolerance, days, params["max_ratio"]):
                chosen = sorted((figures[i] for i in clashing),
                                key=lambda g: (-ctx.independent({c.doc for c in g}), g[0].start))
                sides = [side(group, ctx) for group in chosen]
                yield Hit([c for group in chosen for c in group],
                          {"measure": measure.label, "sides": sides,
                           "period": sides[0]["period"]}, measure)
