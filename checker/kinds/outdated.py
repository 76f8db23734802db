"""outdated: a draft gives as current a running figure the sources have moved on from.

Only drafts (``checker draft``) have such figures. A draft figure with no date of its own
speaks for the draft's publication, so it is compared with the newest figure any source
gives for the same running measure (a total "as of" a date, or one dated only by its
article): when the two cannot both be true, the finding names that newest source and its
date, and any older sources that gave the draft's number. A draft figure with its own
date ("in August, 16,894") is history, not outdated; figures for the same date clash
under the conflict kind instead.

Fires: a draft says "16,894 foreigners have fought", a source of 19 November says "at
least 18,000 have fought".
Quiet: the draft says "at least 18,000".
"""
from __future__ import annotations

from ..timing import is_running, stated, when
from ..tolerance import Tolerance, compatible, same_figure
from .base import SAMPLE_SIDE, TOLERANCE, Context, Hit, side

KIND = "outdated"
PARAMS = {"tolerance": TOLERANCE}
SAMPLE = {"measure": "foreign fighters", "draft": SAMPLE_SIDE, "newest": SAMPLE_SIDE,
          "older": [SAMPLE_SIDE]}


def evaluate(params: dict, ctx: Context):
    tolerance = Tolerance.from_params(params)
    if not ctx.drafts:
        return  # only drafts have such figures: no need to read every measure
    for measure in ctx.measures:
        current = [c for c in measure.claims if ctx.is_draft(c) and not stated(c)]
        sources = [c for c, period in zip(measure.claims, ctx.periods(measure))
                   if not ctx.is_draft(c) and is_running(period)]
        if not current or not sources:
            continue
        latest = max(when(ctx.period(c)) for c in sources)
        newest = [c for c in sources if when(ctx.period(c)) == latest]
        # A figure its source dates itself beats one dated only by its article (which
        # may repeat an older count); and a source with its own date beats one dated by
        # the figures it shares with another.
        newest = [c for c in newest if stated(c)] or newest
        newest = [c for c in newest if c.doc not in ctx.inferred] or newest
        for claim in current:
            if any(compatible(claim, n, tolerance) for n in newest):
                continue
            older = [c for c in sources if c not in newest and same_figure(claim, c, tolerance)]
            yield Hit([claim, *newest, *older],
                      {"measure": measure.label, "draft": side([claim], ctx),
                       "newest": side(newest, ctx),
                       "older": [side(older, ctx)] if older else []}, measure)
