"""attribution: the same figure credited to different sources.

One figure of one measure, stated in two documents, each naming who it comes from, where
the names are not one source written two ways ("Coordination Headquarters" and "Ukrainian
Coordination Headquarters for the Treatment of Prisoners of War" are one; a project's list
and a general's speech are two). Compared with rapidfuzz's token-set ratio.

Fires: "16,894, according to the project's lists" and "16,894, the headquarters said".
Quiet: "according to the Coordination Headquarters" and "the Ukrainian Coordination
Headquarters for the Treatment of Prisoners of War said". Also quiet when some article
names both in one sentence ("Usov is Secretary of the Coordination Headquarters"): a
spokesman and the body he speaks for are one source.
"""
from __future__ import annotations

import re

from rapidfuzz import fuzz

from ..tolerance import Tolerance, same_figure
from .base import SAMPLE_SIDE, TOLERANCE, Context, Hit, Param, groups, join, side

KIND = "attribution"
PARAMS = {
    "tolerance": TOLERANCE,
    "same_source_similarity": Param("number", 80, "source names at least this similar "
                                                  "(rapidfuzz token-set ratio, 0–100) are one source"),
}
SAMPLE = {"measure": "foreign fighters", "figure": "16,894", "docs": "000 and 001",
          "sources": ["the project", "the headquarters"], "sides": [SAMPLE_SIDE, SAMPLE_SIDE]}


_WORDS = re.compile(r"\w+")
_SENTENCE = re.compile(r"[^.!?\n]+")
_FILLER = frozenset("the of for and a an on in to".split())


def _affiliated(a: str, b: str, sentences: list[set[str]]) -> bool:
    """Whether some sentence names both sources: the shorter by its last word (a person's
    surname), the longer by most of its words."""
    short, long_ = sorted((a, b), key=len)
    last = _WORDS.findall(short.lower())[-1:]
    words_long = set(_WORDS.findall(long_.lower())) - _FILLER
    if not last or not words_long:
        return False
    return any(last[0] in words and len(words_long & words) >= 0.8 * len(words_long)
               for words in sentences)


def evaluate(params: dict, ctx: Context):
    tolerance = Tolerance.from_params(params)
    threshold = params["same_source_similarity"]
    sentences: list[set[str]] | None = None

    def same_source(a, b) -> bool:
        nonlocal sentences
        if fuzz.token_set_ratio(a.attribution.lower(), b.attribution.lower()) >= threshold:
            return True
        if sentences is None:
            sentences = [set(_WORDS.findall(m.group().lower())) for doc in ctx.documents.values()
                         for m in _SENTENCE.finditer(doc.text)]
        return _affiliated(a.attribution, b.attribution, sentences)

    for measure in ctx.measures:
        credited = [c for c in measure.claims if c.attribution]
        for figure in groups(credited, lambda a, b: same_figure(a, b, tolerance)):
            by_source = groups(figure, same_source)
            if len(by_source) < 2 or len({c.doc for c in figure}) < 2:
                continue
            if all({c.doc for c in g} == {figure[0].doc} for g in by_source):
                continue
            sides = [side(group, ctx) for group in by_source]
            yield Hit(figure, {"measure": measure.label, "figure": figure[0].text,
                               "sources": [s["sources"] for s in sides], "sides": sides,
                               "docs": join([s["docs"] for s in sides])}, measure)
