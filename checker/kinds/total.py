"""total: stated parts that do not add up to the stated total, in one document.

Two shapes, both only where the text says the parts make up the whole:

- a list ("Nepal – nine people", one per line) after a lead-in that states a total ("81
  citizens from 26 countries"): the items must sum to the total and their number must
  match the stated count. A lead-in that says "including" or "such as" promises no sum.
- a breakdown after "Among them", "Of these", "of whom": its parts must sum to the figure
  just before, when the last part is "the rest" or "other …" (that is what makes it whole);
  after "made up of", "consisting of", "broken down into" the parts are the whole anyway.

Fires: "16 894 foreign citizens… Among them are 4 658 citizens of Belarus…, 1 013 citizens
of African countries, plus another 9 961 citizens of other countries" (15 632, not 16 894).
Quiet: a list of 26 countries summing to the 81 its lead-in states.
"""
from __future__ import annotations

import re
from collections import defaultdict
from operator import attrgetter
from typing import NamedTuple

from ..claims.counted import TIME_UNITS
from ..claims.model import Claim
from ..measures import unit_class
from ..messages import format_number
from ..tolerance import Tolerance, interval
from .base import TOLERANCE, Context, Hit, Param

KIND = "total"
UNALIGNED = True  # parts and totals of one document: runs while claims align
PARAMS = {
    "tolerance": TOLERANCE,
    "lead_in_lines": Param("int", 4, "how many lines before a list may hold its stated total"),
}
SAMPLE = {"total": "16 894", "sum": "15 632", "parts": ["4 658", "1 013", "9 961"], "doc": "000",
          "shape": "breakdown", "items": 3, "count": "", "unit": "foreign citizens"}

def _words(pattern: str) -> re.Pattern:
    """A case-insensitive pattern whose spaces match any run of white space (no-break
    spaces included, as news sites use them between short words)."""
    return re.compile(pattern.replace(" ", r"\s+"), re.I)


_NOT_WHOLE = _words(r"\b(?:including|include[sd]?|such as|for example|for instance|e\.g\.|"
                    r"among others|notably|in particular|some of|most|top|largest|biggest)\b")
_BREAKDOWN = _words(r"\b(?:among (?:them|these|those|whom)|of (?:these|them|those|whom|which)"
                    r"|(?P<whole>broken down (?:into|as)|consisting of|made up of|comprising|split into"
                    r"|divided into))\b")
_REST = _words(r"\b(?:other|others|the rest|remaining|remainder)\b")


def evaluate(params: dict, ctx: Context):
    tolerance = Tolerance.from_params(params)
    by_doc: dict[str, list[Claim]] = defaultdict(list)
    for measure in ctx.measures:
        for claim in measure.claims:
            by_doc[claim.doc].append(claim)
    markers: dict = {}
    for doc_id, claims in sorted(by_doc.items()):
        claims.sort(key=attrgetter("start"))
        text = ctx.documents[doc_id].text
        yield from _lists(claims, text, params, tolerance)
        yield from _breakdowns(claims, text, tolerance, markers)


def _runs(claims: list[Claim]) -> list[list[Claim]]:
    """Consecutive list-item claims, one per line."""
    runs: list[list[Claim]] = []
    for claim in claims:
        if not claim.list_item:
            continue
        if runs and runs[-1][-1].line >= claim.line - 2 and runs[-1][-1].line != claim.line:
            runs[-1].append(claim)
        elif not runs or runs[-1][-1].line != claim.line:
            runs.append([claim])
    return [run for run in runs if len(run) >= 2]


def _lists(claims, text, params, tolerance):
    for items in _runs(claims):
        first_line = items[0].line
        lead = [c for c in claims if not c.list_item
                and first_line - params["lead_in_lines"] <= c.line < first_line]
        list_start = items[0].start - items[0].column + 1
        lead_start = list_start
        for _ in range(params["lead_in_lines"]):
            lead_start = text.rfind("\n", 0, max(lead_start - 1, 0)) + 1
        if not lead or _NOT_WHOLE.search(text, lead_start, list_start):
            continue
        kind = unit_class(items[0])
        # A whole is larger than each of its parts: a lead-in figure no larger than an
        # item is about one of them ("won 10 seats", then a table of every party's seats).
        largest = max(c.value for c in items)
        totals = [c for c in lead if unit_class(c) == kind and c.value > largest]
        counts = [c for c in lead if unit_class(c) != kind and c.kind == "count"
                  and c.value == int(c.value) and c.unit and c.unit.split()[-1] not in TIME_UNITS]
        found = sum(c.value for c in items)
        base = {"doc": items[0].doc, "items": len(items), "shape": "list",
                "parts": [c.text for c in items], "sum": format_number(found), "unit": items[0].unit or ""}
        if totals and not _within(totals[-1], found, tolerance):
            yield Hit([totals[-1]] + items, {**base, "total": totals[-1].text, "count": ""})
        if counts:
            count = counts[-1]
            if not _within(count, len(items), tolerance):
                yield Hit([count] + items, {**base, "total": count.text, "count": count.text,
                                            "sum": str(len(items)), "unit": count.unit or ""})


class _Marker(NamedTuple):
    """A breakdown marker in a document: where, and whether it says the parts are whole."""

    start: int
    end: int
    whole: bool


def _marker(text: str, claim: Claim, found: dict) -> _Marker | None:
    """The first ``_BREAKDOWN`` in the claim's sentence. Wire copy repeats sentences in
    thousands of articles, so each distinct sentence is searched once (with the character
    before it, which decides the word boundary the pattern starts with)."""
    start, sentence = claim.sentence_start, claim.sentence
    if not text.startswith(sentence, start):  # a sentence not as the document has it
        return _search_marker(text, start, start + len(sentence), 0)
    key = (text[start - 1:start], sentence)
    if key not in found:
        found[key] = _search_marker(text, start, start + len(sentence), start)
    relative = found[key]
    return relative and _Marker(relative.start + start, relative.end + start, relative.whole)


def _search_marker(text: str, start: int, end: int, origin: int) -> _Marker | None:
    """``_BREAKDOWN`` in ``text[start:end]``, with offsets from ``origin``."""
    match = _BREAKDOWN.search(text, start, end)
    if not match:
        return None
    return _Marker(match.start() - origin, match.end() - origin, bool(match.group("whole")))


def _breakdowns(claims, text, tolerance, markers: dict):
    for i, claim in enumerate(claims):
        sentence_start = claim.sentence_start
        sentence_end = sentence_start + len(claim.sentence)
        marker = _marker(text, claim, markers)
        if not marker or claim.start < marker.end:
            continue
        if i and claims[i - 1].sentence_start == sentence_start and claims[i - 1].start > marker.end:
            continue  # not the first part of this breakdown
        kind = unit_class(claim)
        parts = [c for c in claims[i:] if c.sentence_start == sentence_start
                 and unit_class(c) == kind and c.start > marker.end]
        if len(parts) < 2:
            continue
        last_clause = text[parts[-2].end:sentence_end]
        if not (marker.whole or _REST.search(last_clause)):
            continue
        before = [c for c in claims[:i] if unit_class(c) == kind and not c.list_item
                  and c.start < marker.start and c.value > max(p.value for p in parts)]
        if not before:
            continue
        total = before[-1]
        if total.sentence_start != sentence_start and text.count("\n", total.start, marker.start) > 2:
            continue
        found = sum(p.value for p in parts)
        if _within(total, found, tolerance):
            continue
        yield Hit([total] + parts, {"doc": claim.doc, "total": total.text, "sum": format_number(found),
                                    "parts": [p.text for p in parts], "items": len(parts),
                                    "shape": "breakdown", "count": "", "unit": total.unit or ""})


def _within(total: Claim, found: float, tolerance: Tolerance) -> bool:
    """Whether a computed sum or count is what the stated figure allows."""
    low, high = interval(total, tolerance)
    return low <= found <= high
