"""update: a running figure that changed; the older figure is outdated as of the newer.

Looks at figures of one measure that are running totals (stated "as of" a date, or with no
period of their own, which news means as of publication). When figures for different
times state different numbers, the finding lists them in date order, so the newest is
last and every earlier one is outdated as of its date (figures for one time are the
conflict kind's). Interval overlap does not matter here: "over 100" in August and "nearly
200" in November is a running figure growing. Undated figures are listed apart, as which
is newer is unknown; on their own against a single dated figure they are reported only
when the two cannot both be true. A draft is not a source of a running figure: the
outdated kind compares it with the sources' newest.

Fires: "16,894 foreigners have fought" (14 August 2025) and "at least 18,000 have fought"
(19 November 2025).
Quiet: 16,894 on 14 August and 16 894 on 15 August.
"""
from __future__ import annotations

from ..timing import is_running, same_time, when
from ..tolerance import Tolerance, compatible
from .base import (SAMPLE_SIDE, SAME_PERIOD_DAYS, TOLERANCE, Context, Hit, figure_groups,
                   latest_claim, side)

KIND = "update"
PARAMS = {
    "tolerance": TOLERANCE,
    "same_period_days": SAME_PERIOD_DAYS,
}
SAMPLE = {"measure": "foreign fighters", "sequence": [SAMPLE_SIDE, SAMPLE_SIDE],
          "newest": SAMPLE_SIDE, "outdated": [SAMPLE_SIDE], "undated": [SAMPLE_SIDE]}


def evaluate(params: dict, ctx: Context):
    tolerance = Tolerance.from_params(params)
    for measure in ctx.measures:
        running = [c for c, period in zip(measure.claims, ctx.periods(measure))
                   if not ctx.is_draft(c) and (period is None or is_running(period))]
        figures = figure_groups(running, tolerance)
        if len(figures) < 2:
            continue
        dated, undated = [], []
        for group in figures:
            latest = when(latest_claim(group, ctx)[1])
            (dated if latest else undated).append((latest, group))
        dated.sort(key=lambda pair: pair[0])
        newest = max((c for c in dated[-1][1] if ctx.period(c)), key=lambda c: when(ctx.period(c)),
                     default=None) if dated else None
        moved = any(not same_time(c, ctx.period(c), newest, ctx.period(newest), params["same_period_days"])
                    for _, group in dated[:-1] for c in group if ctx.period(c))
        clash = newest is not None and any(not compatible(g[0], newest, tolerance) for _, g in undated)
        if not (moved or clash):
            continue
        sequence = [side(group, ctx) for _, group in dated]
        evidence = [c for _, group in dated + undated for c in group]
        yield Hit(evidence, {"measure": measure.label, "sequence": sequence,
                             "newest": sequence[-1] if sequence else None,
                             "outdated": sequence[:-1],
                             "undated": [side(group, ctx) for _, group in undated]}, measure)
