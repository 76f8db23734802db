"""period: the same figure dated differently.

Two sources state the same figure for one measure, each with a period of its own, and the
periods are clearly different times (dates more than ``same_period_days`` apart, or
periods that share no day: "8 April" and "April" are not different) (49% "as of June 2025" in one, 49% "in July" in the other).
Figures without a stated period are left alone: an article repeating a figure later is not
dating it. Small numbers (below ``min_value``) recur too easily to be one figure.

Fires: "As of June 2025, foreigners made up 49% of prisoners" and "In July 2025 the share of
foreigners among prisoners reached 49%".
Quiet: "By June 2025, 6,162 had signed" and "As of June 2025, 6 162 had signed".
"""
from __future__ import annotations

from ..timing import other_time, stated
from ..tolerance import Tolerance
from .base import SAMPLE_SIDE, SAME_PERIOD_DAYS, TOLERANCE, Context, Hit, Param, figure_groups, groups, side

KIND = "period"
PARAMS = {
    "tolerance": TOLERANCE,
    "same_period_days": SAME_PERIOD_DAYS,
    "min_value": Param("number", 10, "figures below this recur too often to be one figure "
                                     "(shares and money are always compared)"),
}
SAMPLE = {"measure": "share of prisoners", "figure": "49%", "sides": [SAMPLE_SIDE, SAMPLE_SIDE]}


def evaluate(params: dict, ctx: Context):
    tolerance = Tolerance.from_params(params)
    days = params["same_period_days"]
    for measure in ctx.measures:
        dated = [c for c in measure.claims if stated(c)
                 and (c.kind != "count" or abs(c.value) >= params["min_value"])]
        for figure in figure_groups(dated, tolerance):
            times = groups(figure, lambda a, b: not other_time(a, ctx.period(a), b, ctx.period(b), days),
                           lambda c: (ctx.period(c), stated(c)))
            if len(times) < 2 or len({c.doc for c in figure}) < 2:
                continue
            sides = [side(group, ctx) for group in times]
            yield Hit(figure, {"measure": measure.label, "figure": figure[0].text,
                               "sides": sides}, measure)
