"""Tie the extractors together: a Document in, its Claims out.

Work is done line by line and sentence by sentence over the content spans, so every
figure gets the context a fact-checker would read with it: its qualifier and interval,
the counted thing, the period (the expression right after it, else the closest one before
it in the sentence, else the lead-in of the list it belongs to, else "currently" as of
publication), the source it is credited to, and the places and people in its scope.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from ..documents import Document
from . import attribution, counted, entities, numbers, periods, qualifiers
from ..timing import PUBLICATION_WORDS
from .model import Claim
from .prefilter import Hint
from .sentences import split_line

# "Nepal – nine people", "Kenya: 17": a label, a dash or colon, and a figure right after.
_LIST_ITEM = re.compile(
    r"[ \t\u00a0\n]*(?:[-•*·][ \t\u00a0\n]*)?(?P<label>[A-Z][^–—:\n ]*(?:[ \u00a0][^–—:\n ]+){0,4}?)"
    r"(?:[ \t\u00a0\n]+[–—-]|[ \t\u00a0\n]*[–—:])[ \t\u00a0\n]+"
    r"(?=(?:[A-Za-z]+[ \t\u00a0\n]+){0,2}(?:\d|(?:one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve|twenty|thirty|forty|fifty|a[ \t\u00a0\n]+dozen)\b))")
_LIST_SEPARATOR = re.compile(r"[–—:-]")  # _LIST_ITEM cannot match without one
_SCOPE_STOP = re.compile(r"\b(?:who|which|that|were|was|are|is|have|has|had|will|would|said|"
                         r"says|reported|according|while|but|when)\b|[;—–(]")
_CURRENTLY = re.compile(r"\b(?:" + "|".join(sorted(PUBLICATION_WORDS, key=len, reverse=True))
                        + r")\b", re.I)
# _CURRENTLY cannot match without the last word of one of its phrases.
_MAY_SAY_CURRENTLY = Hint([phrase.split()[-1] for phrase in PUBLICATION_WORDS])
_RATE = re.compile(r"\b(?:every|per|each|a)[ \t\u00a0\n]+(day|week|month|year)\b"
                   r"|\b(daily|weekly|monthly|annually|yearly)\b", re.I)
_RATE_WORDS = {"daily": "day", "weekly": "week", "monthly": "month", "annually": "year",
               "yearly": "year"}
_LIST_CONTEXT_LINES = 3
_CLAUSE_BREAK = re.compile(r"[,;:—–()]|\b(?:while|whereas|but|compared)\b")
_ADJACENT = re.compile(r"[ \t\u00a0\n]*(?:of[ \t\u00a0\n]+(?:them|these|those|whom)[ \t\u00a0\n]*)?")


def extract(doc: Document) -> list[Claim]:
    text = doc.text
    place_mentions = [m for a, b in doc.spans for m in entities.places(text, a, b)]
    person_mentions = entities.people(text, doc.spans, place_mentions)
    doc.people = person_mentions
    mentions = sorted(place_mentions + person_mentions, key=lambda m: m.start)
    mention_starts = [m.start for m in mentions]
    place_spans = [(m.start, m.end) for m in place_mentions]
    surname_of = {p.name.split()[-1]: p.name for p in person_mentions if " " in p.name}
    line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]

    claims: list[Claim] = []
    previous: list[Claim] = []
    last_person: str | None = None
    # Lines that are not list items: (index among them, last period, last source), so a
    # list of any length inherits its lead-in's period and source.
    recent: list[tuple[int, periods.PeriodExpr | None, str | None]] = []

    for a, b, item in _list_items(text, doc.spans):
        line_period = line_source = None
        for sent in split_line(text, a, b):
            sentence = text[sent.start:sent.end]
            exprs, masked = periods.find(text, sent.start, sent.end, doc.published)
            figures = numbers.scan(text, sent.start, sent.end, _overlaps(masked))
            source = attribution.credited(text, sent.start, sent.end)
            if source and attribution.is_pronoun(source):
                source = last_person
            elif source:
                source = surname_of.get(source.split()[-1], source) if source[:1].isupper() else source
                if any(p.name == source for p in person_mentions):
                    last_person = source
            if not figures and source and attribution.credits_previous(text, sent.start, sent.end):
                for c in previous:
                    c.attribution = c.attribution or source
            if exprs:
                line_period = exprs[-1]
            line_source = source or line_source
            current: list[Claim] = []
            for i, fig in enumerate(figures):
                next_start = figures[i + 1].start if i + 1 < len(figures) else sent.end
                claim = _claim(doc, fig, sent, sentence, exprs, next_start, place_spans,
                               mentions, mention_starts, source, line_starts, len(figures) == 1)
                if item and fig.start >= item.end():
                    claim.list_item = item.group("label")
                if claim.unit is None and fig.kind == "count":
                    claim.unit = (_partitive_unit(text, fig, figures[i + 1:], place_spans)
                                  or counted.subject(text, sent.start, fig.start)
                                  or _antecedent_unit(current or previous))
                if claim.period is None and claim.period_text is None:
                    _inherit_period(claim, item, fig, recent, len(recent), doc, sent)
                if claim.attribution is None and item and fig.start >= item.end():
                    claim.attribution = next((s for ln, _, s in reversed(recent)
                                              if s and len(recent) - ln <= _LIST_CONTEXT_LINES), None)
                current.append(claim)
            if current:
                previous = current
            claims.extend(current)
        if not item:
            recent.append((len(recent), line_period, line_source))
    default = attribution.source_line(text, doc.body_start)
    if default:
        for c in claims:
            c.attribution = c.attribution or default
    return claims


def _overlaps(spans: list[tuple[int, int]]):
    """``overlaps(start, end)``: whether that span overlaps one of ``spans``."""
    if not spans:
        return _nothing
    return lambda start, end: any(a < end and b > start for a, b in spans)


def _nothing(start: int, end: int) -> bool:
    return False


def _list_items(text: str, spans: list[tuple[int, int]]):
    """Each content line with its list-item match, kept only where a neighbouring line is
    an item too: a list is a run of lines, not one sentence with a dash in it."""
    items = [_list_item(text, a, b) for a, b in spans]
    for i, (a, b) in enumerate(spans):
        item = items[i]
        if item and not ((i and items[i - 1]) or (i + 1 < len(items) and items[i + 1])):
            item = None
        yield a, b, item


def _list_item(text: str, start: int, end: int) -> re.Match | None:
    """``_LIST_ITEM.match(text, start, end)``, tried only where a separator is."""
    return _LIST_ITEM.match(text, start, end) if _LIST_SEPARATOR.search(text, start, end) else None


def _claim(doc, fig, sent, sentence, exprs, next_start, place_spans, mentions, mention_starts,
           source, line_starts, alone) -> Claim:
    text = doc.text
    q, thing_start = qualifiers.find(text, fig.start, fig.end, sent.start)
    unit, phrase_end = fig.unit, fig.end
    if unit is None:
        unit, phrase_end = counted.phrase(text, thing_start, sent.end, place_spans,
                                          singular=fig.value == 1)
        if q.phrase is None and unit and (after := qualifiers.trailing(text, phrase_end, sent.end)):
            q, phrase_end = after
    low, high = qualifiers.interval(fig.value, q.kind, fig.high_value)
    expr = _bind_period(text, exprs, fig.start, phrase_end)
    line = bisect.bisect_right(line_starts, fig.start)
    clause_end = text.find(",", phrase_end, sent.end)
    rate = _RATE.search(text, phrase_end, sent.end if clause_end < 0 else clause_end)
    qualifier = q.phrase if q.kind != "exact" or q.phrase else None
    if fig.high_value is not None:
        qualifier = qualifier or "range"
    return Claim(
        id=f"{doc.id}:{fig.start}", doc=doc.id, text=text[fig.start:fig.end],
        start=fig.start, end=fig.end, line=line, column=fig.start - line_starts[line - 1] + 1,
        sentence=sentence, value=fig.value, low=low, high=high, unit=unit, kind=fig.kind,
        qualifier=qualifier, period=expr.period if expr else None,
        period_text=text[expr.start:expr.end] if expr else None, attribution=source,
        entities=_scope(text, fig, phrase_end, next_start, sent, mentions, mention_starts, source,
                        alone),
        sentence_start=sent.start,
        rate=(_RATE_WORDS.get((rate.group(2) or "").lower()) or rate.group(1).lower()) if rate else None)


def _bind_period(text, exprs, start, phrase_end):
    """The expression right after the figure's phrase; else the closest before it, unless
    that one governs an earlier clause and the figure's own clause states a period later
    ("By March 2025, 6 162 had joined, while 6,011 had joined in 2024")."""
    later = None
    for e in exprs:
        if e.start >= phrase_end:
            if _ADJACENT.fullmatch(text, phrase_end, e.start):
                return e
            if not _CLAUSE_BREAK.search(text, phrase_end, e.start):
                later = e
            break
    before = [e for e in exprs if e.end <= start]
    if before and later:
        opener_gap = text[before[-1].end:start].lstrip(" \t\u00a0,")
        return later if _CLAUSE_BREAK.search(opener_gap) else before[-1]
    return before[-1] if before else later


def _inherit_period(claim, item, fig, recent, lines_seen, doc, sent):
    """A list item takes the period of its lead-in; a "currently" figure is as of
    publication."""
    if item and fig.start >= item.end():
        for ln, expr, _ in reversed(recent):
            if lines_seen - ln > _LIST_CONTEXT_LINES:
                break
            if expr is not None:
                claim.period = expr.period
                claim.period_text = doc.text[expr.start:expr.end]
                return
    if doc.published and (now := _currently(doc.text, sent.start, sent.end)):
        claim.period = {"start": None, "end": doc.published.isoformat()}
        claim.period_text = now.group()


@lru_cache(maxsize=1)
def _currently(text: str, start: int, end: int) -> re.Match | None:
    """Where the sentence ``text[start:end]`` says "currently" (or the like): searched
    once for all its figures, and only where it holds the last word of such a phrase."""
    if not _MAY_SAY_CURRENTLY(text, start, end):
        return None
    return _CURRENTLY.search(text[start:end])


def _scope(text, fig, phrase_end, next_start, sent, mentions, mention_starts, source, alone):
    """Places and people the figure is about: those in its own phrase and complements,
    a list item's label, the name before "(771 people)", else (for the only figure of its
    sentence) the rest of the sentence."""
    stop = _SCOPE_STOP.search(text, phrase_end, next_start)
    hi = stop.start() if stop else next_start
    lo = fig.start
    line_start = text.rfind("\n", 0, fig.start) + 1
    label = _list_item(text, line_start, fig.end)
    if label and fig.start >= label.end():
        lo = line_start
    elif _opens_parenthesis(text, fig.start):
        lo = max(sent.start, text.rfind(" ", sent.start, text.rfind("(", 0, fig.start) - 2) - 40)
    i, j = bisect.bisect_left(mention_starts, lo), bisect.bisect_left(mention_starts, hi)
    found = [m for m in mentions[i:j] if not (source and m.type == "person" and m.name in source)]
    if not found and alone:
        i, j = bisect.bisect_left(mention_starts, sent.start), bisect.bisect_left(mention_starts, sent.end)
        found = [m for m in mentions[i:j] if not (source and m.name in source)]
    seen, out = set(), []
    for m in found:
        key = (m.type, m.name)
        if key not in seen:
            seen.add(key)
            out.append(m.to_json())
    return out


def _opens_parenthesis(text: str, offset: int) -> bool:
    """Whether the text before ``offset``, blanks aside, ends with "("."""
    while offset and text[offset - 1] in " \t\u00a0":
        offset -= 1
    return offset > 0 and text[offset - 1] == "("


_PARTITIVE = re.compile(r"[ \t\u00a0\n]+of[ \t\u00a0\n]+(?:the|these|those|its|their)[ \t\u00a0\n]+"
                        r"(?:[a-z]+[ \t\u00a0\n]+){0,2}$")


def _partitive_unit(text, fig, later, place_spans) -> str | None:
    """"3,388 of the more than 18,000 foreign fighters": the unit of the whole."""
    if later and _PARTITIVE.match(text[fig.end:later[0].start]):
        return counted.phrase(text, later[0].end, len(text), place_spans)[0]
    return None


def _antecedent_unit(candidates: list[Claim]) -> str | None:
    """"6,011 of them": the unit of the closest earlier figure that counts people or things."""
    for c in reversed(candidates):
        if c.kind == "count" and counted.can_be_antecedent(c.unit):
            return c.unit
    return None


# Long articles carry a few hundred figures. A file with thousands is a table or a data
# dump: its figures all share the same few words, so lining them up with each other
# would cost time in proportion to their square, and would mean little.
MAX_FIGURES = 5000


def extract_documents(documents: list[Document]) -> tuple[list[Document], list[Claim], list[str]]:
    """Claims of every document; a document the extractor fails on, or with more figures
    than an article holds, is reported and skipped, so one odd file never costs a run."""
    kept, claims, problems = [], [], []
    for doc in documents:
        try:
            found = extract(doc)
        except (ValueError, OverflowError, RecursionError) as exc:
            problems.append(f"{doc.path}: could not extract claims: {exc}")
            continue
        if len(found) > MAX_FIGURES:
            problems.append(f"{doc.path}: {len(found):,} figures, more than an article holds "
                            f"(the limit is {MAX_FIGURES:,}); a table or data dump is not checked")
            continue
        kept.append(doc)
        claims.extend(found)
    return kept, claims, problems
