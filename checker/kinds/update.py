"""update: a running figure that changed; the older figure is outdated as of the newer.

Looks at figures of one measure that are running totals (stated "as of" a date, or with no
period of their own, which news means as of publication) and at least ``min_days`` apart
or undated. When they state different numbers, the finding lists the figures in date
order, so the newest is last and every earlier one is outdated as of its date. Undated
figures are listed apart: which is newer is unknown. Interval overlap does not matter here:
"over 100" in August and "nearly 200" in November is a running figure growing.

Fires: "16,894 foreigners have fought" (14 August 2025) and "at least 18,000 have fought"
(19 November 2025).
Quiet: 16,894 on 14 August and 16 894 on 15 August.
"""
from __future__ import annotations

from ..timing import is_running, when
from ..tolerance import Tolerance, same_figure
from .base import SAMPLE_SIDE, TOLERANCE, Context, Hit, Param, groups, side

KIND = "update"
PARAMS = {
    "tolerance": TOLERANCE,
    "min_days": Param("int", 8, "figures dated closer than this are one moment (a conflict, "
                                "not an update)"),
}
SAMPLE = {"measure": "foreign fighters", "sequence": [SAMPLE_SIDE, SAMPLE_SIDE],
          "newest": SAMPLE_SIDE, "outdated": [SAMPLE_SIDE], "undated": [SAMPLE_SIDE]}


def evaluate(params: dict, ctx: Context):
    tolerance = Tolerance.from_params(params)
    for measure in ctx.measures:
        running = [c for c in measure.claims
                   if ctx.period(c) is None or is_running(ctx.period(c))]
        figures = groups(running, lambda a, b: same_figure(a, b, tolerance))
        if len(figures) < 2:
            continue
        dated, undated = [], []
        for group in figures:
            dates = [when(ctx.period(c)) for c in group if ctx.period(c)]
            (dated if dates else undated).append((max(dates) if dates else None, group))
        dated.sort(key=lambda pair: pair[0])
        spread = (dated[-1][0] - dated[0][0]).days if len(dated) > 1 else 0
        if spread < params["min_days"] and not (undated and dated):
            continue
        sequence = [side(group, ctx) for _, group in dated]
        evidence = [c for _, group in dated + undated for c in group]
        yield Hit(evidence, {"measure": measure.label, "sequence": sequence,
                             "newest": sequence[-1] if sequence else None,
                             "outdated": sequence[:-1],
                             "undated": [side(group, ctx) for _, group in undated]}, measure)
