"""unsupported: a draft's figure that no source gives.

Only drafts (``checker draft``) have such figures. A draft figure is supported when some
source's figure for the same measure can be the same number (intervals and tolerance
respected, whatever its date); otherwise the fact-checker should see where it comes
from. The reporter may have it first-hand, so the default pack makes this info. Small
counts (under ``min_count``: "two officials", "three regions") are left alone, and a
figure another finding already cites (a conflict, an outdated figure) is not reported
again as unsupported (the engine runs this kind last, as a residue).

Fires: a draft says "42 volunteers drowned" and no source mentions volunteers.
Quiet: a draft says "over 100 prisoners" and a source says 130.
"""
from __future__ import annotations

from ..tolerance import Tolerance, compatible
from .base import SAMPLE_SIDE, TOLERANCE, Context, Hit, Param, figure_groups, side

KIND = "unsupported"
RESIDUAL = True
PARAMS = {
    "tolerance": TOLERANCE,
    "min_count": Param("number", 10, "counts below this are not reported (percentages and "
                                     "money always are)"),
}
SAMPLE = {"measure": "foreign fighters", "figure": SAMPLE_SIDE, "sources": [SAMPLE_SIDE]}
SHOWN = 3  # the sources' other figures a message lists


def evaluate(params: dict, ctx: Context):
    tolerance = Tolerance.from_params(params)
    if not ctx.drafts:
        return  # only drafts have such figures: no need to read every measure
    for measure in ctx.measures:
        drafted = [c for c in measure.claims if ctx.is_draft(c)
                   and not (c.kind == "count" and abs(c.value) < params["min_count"])]
        if not drafted:
            continue
        sources = [c for c in measure.claims if not ctx.is_draft(c)]
        for claim in drafted:
            if any(compatible(claim, s, tolerance) for s in sources):
                continue
            others = figure_groups(sources, tolerance)
            yield Hit([claim], {"measure": measure.label, "figure": side([claim], ctx),
                                "sources": [side(g, ctx) for g in others[:SHOWN]]}, measure)
