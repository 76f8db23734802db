"""What every rule kind shares: parameter declarations, the context kinds read, the hits
they return, and the "sides" messages describe.

A kind declares each parameter once (sqlfluff's way): type, default, help. The rule loader
validates rule files against these declarations and ``checker rules list`` documents them
from the same place. A kind never stamps rule ids, severities or messages: it returns
``Hit``s, and the engine turns them into findings.
"""
from __future__ import annotations

import bisect
import copy
import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from ..claims.model import Claim
from ..documents import Document
from ..measures import Measure
from ..timing import effective_period, label, when
from ..tolerance import ROUNDING_CAP, Tolerance, rounding_slack, same_figure


@dataclass(frozen=True)
class Param:
    """One parameter of a kind, as editors write it under ``params:``."""

    type: str  # "int", "number", "bool", "tolerance"
    default: Any
    help: str


TOLERANCE_HELP = ("how much difference is forgiven: {absolute: N, relative: 0.05, "
                  "rounding: true} (rounding: a round figure like 18,000 covers ±500)")
TOLERANCE = Param("tolerance", {"absolute": 0, "relative": 0, "rounding": True}, TOLERANCE_HELP)
SAME_PERIOD_DAYS = Param("int", 2, "a figure dated only by its article's publication is the "
                                   "same time as another at most this many days apart")


# A side as ``side`` builds it: the sample kinds' message templates are test-rendered with.
SAMPLE_SIDE = {"docs": "000 and 001", "count": 2, "independent": 2, "figure": "6 162",
               "value": 6162, "qualifier": "", "stated": "6 162", "unit": "foreigners",
               "period": "as of June 2025", "when": "June 2025", "period_text": "As of June 2025",
               "date": "2025-06-30", "published": "2025-08-14 and 2025-08-15",
               "sources": "Coordination Headquarters"}


_UNKNOWN = object()  # a period not yet worked out (None is a period: unknown time)


@dataclass
class Context:
    """What kinds see: the measures, the documents, and which documents are copies."""

    measures: list[Measure]
    documents: dict[str, Document]
    copies: dict[str, str] = field(default_factory=dict)
    # Undated documents dated by the figures they share with a dated one: (date, doc id).
    inferred: dict[str, tuple] = field(default_factory=dict)
    _periods: dict[int, tuple | None] = field(default_factory=dict, repr=False)

    def __post_init__(self):
        # Every kind asks of every claim whether it is the draft's: a set answers at once.
        self.drafts = frozenset(k for k, d in self.documents.items() if d.role == "draft")
        self._labels: dict[str, str] = {}
        self._of_measure: dict[int, tuple[Measure, list]] = {}

    def over(self, measures: list[Measure]) -> Context:
        """This context over other measures (a rule's selection, or a part of the
        measures), sharing everything worked out so far: periods and labels."""
        part = copy.copy(self)
        part.measures = measures
        return part

    def published(self, doc_id: str) -> dt.date | None:
        doc = self.documents.get(doc_id)
        if doc and doc.published:
            return doc.published
        return self.inferred[doc_id][0] if doc_id in self.inferred else None

    def published_label(self, doc_id: str) -> str:
        """"2025-08-14", or how an undated document's time was inferred; worked out once
        per document, as every side of every message lists its documents' dates."""
        label = self._labels.get(doc_id)
        if label is None:
            label = self._labels[doc_id] = self._published_label(doc_id)
        return label

    def _published_label(self, doc_id: str) -> str:
        if doc_id in self.inferred:
            date, source = self.inferred[doc_id]
            return f"undated, figures as in {source} of {date.isoformat()}"
        date = self.published(doc_id)
        return date.isoformat() if date else "undated"

    def period(self, claim: Claim) -> tuple | None:
        try:
            return self._periods[id(claim)]
        except KeyError:
            return self._new_period(claim)

    def _new_period(self, claim: Claim) -> tuple | None:
        """Work out and keep a claim's period, asked once per claim."""
        cached = self._periods[id(claim)] = effective_period(claim, self.published(claim.doc))
        return cached

    def periods(self, measure: Measure) -> list[tuple | None]:
        """``period`` of each of the measure's claims, in order: what kinds filter a whole
        measure by, worked out once per measure for all the kinds that ask. The first kind
        finds most claims unknown: looked up without raising a KeyError for each."""
        known = self._of_measure.get(id(measure))
        if known is None or known[0] is not measure:
            get = self._periods.get
            periods = [period if (period := get(id(c), _UNKNOWN)) is not _UNKNOWN
                       else self._new_period(c) for c in measure.claims]
            known = self._of_measure[id(measure)] = (measure, periods)
        return known[1]

    def is_draft(self, claim: Claim) -> bool:
        """Whether the claim is the draft's (``checker draft``), not a source's."""
        return claim.doc in self.drafts

    def independent(self, doc_ids) -> int:
        """How many independent sources these documents are (wire copies count once).
        ``doc_ids`` is a collection, read twice over by ``map`` (every finding and every
        side asks this of up to thousands of documents)."""
        return len(set(map(self.copies.get, doc_ids, doc_ids)))


@dataclass
class Hit:
    """A kind's verdict: the evidence, and the facts its message template can use."""

    claims: list[Claim]
    data: dict
    measure: Measure | None = None


def join(items: list[str]) -> str:
    """"000", "000 and 001", "000, 001 and 002"."""
    items = list(dict.fromkeys(items))
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def side(claims: list[Claim], ctx: Context) -> dict:
    """How one group of agreeing claims reads in a message; its time is the latest any
    of its claims is known to speak for."""
    docs = sorted({c.doc for c in claims})
    first = claims[0]
    latest, period = latest_claim(claims, ctx)
    return {
        "docs": join(docs),
        "count": len(docs),
        "independent": ctx.independent(docs),
        "figure": first.text,
        "value": first.value,
        "qualifier": first.qualifier or "",
        "stated": f"{first.qualifier} {first.text}" if first.qualifier and first.qualifier != "range"
                  else first.text,
        "unit": first.unit or "",
        "period": label(period),
        "when": label(period).removeprefix("as of "),
        "period_text": latest.period_text or "",
        "date": when(period).isoformat() if when(period) else "undated",
        "published": join([ctx.published_label(d) for d in docs]),
        "sources": join(sorted({c.attribution for c in claims if c.attribution})),
    }


def latest_claim(claims: list[Claim], ctx: Context) -> tuple[Claim, tuple | None]:
    """The first claim speaking for the latest time, dated ones first, and its period.
    A side may hold thousands of claims but few distinct periods: each is dated once."""
    periods = list(map(ctx.period, claims))
    rank = {p: (p is not None, when(p) or dt.date.min) for p in dict.fromkeys(periods)}
    top = max(rank.values())
    at = next(k for k, p in enumerate(periods) if rank[p] == top)
    return claims[at], periods[at]


def value_key(claim: Claim):
    """Group key for "the same figure": the number as stated."""
    return claim.value


def figure_groups(claims: list[Claim], tolerance: Tolerance, also=None,
                  key=value_key, keys: list | None = None) -> list[list[Claim]]:
    """``groups`` by "the same figure" (``same_figure``, and ``also(a, b)`` when given),
    with identical results, but each claim is compared only with the groups whose first
    value is near enough for ``same_figure`` to hold: the groups are kept sorted by that
    value, so a measure with thousands of distinct values costs n log n, not n squared.

    The windows are sound. ``same_figure(g, c)`` holds when d = |g - c| is at most one
    of: the absolute tolerance; c's rounding slack; R|g|, R the relative tolerance, which
    gives d <= R|c| / (1 - R); or g's rounding slack, at most 5% of g, which gives
    d <= 0.05|c| / 0.95. That last window is searched among the round groups only: most
    figures are not round, and in a measure of thousands of close values (a big story's
    running count) a 5% window around every figure would hold hundreds of groups.
    ``keys``, when given, are the claims' keys worked out beforehand, in order."""
    relative = tolerance.relative
    if relative >= 0.5:
        return groups(claims, lambda a, b: same_figure(a, b, tolerance)
                      and (also is None or also(a, b)), key, keys)
    slack = rounding_slack if tolerance.rounding else (lambda claim: 0.0)
    round_reach = ROUNDING_CAP / (1 - ROUNDING_CAP) if tolerance.rounding else 0.0
    by_key = _by_key(claims, key, keys)
    out: list[list[Claim]] = []
    slacks: list[float] = []  # the rounding slack of each group's first claim
    firsts: list[tuple[float, int]] = []  # (first value, group index), sorted
    round_firsts: list[tuple[float, int]] = []  # the same, of the groups with a slack
    for members in by_key.values():
        claim = members[0]
        value = claim.value or 0
        own = slack(claim)
        near = _near(firsts, value, max(tolerance.absolute, own,
                                        relative * abs(value) / (1 - relative)))
        if round_firsts:
            near = sorted(set(near).union(_near(round_firsts, value, round_reach * abs(value))))
        for index in near:
            first = out[index][0]
            # same_figure(first, claim, tolerance), with each slack worked out once
            if abs((first.value or 0) - value) <= max(
                    tolerance.absolute, relative * abs(first.value or 0), slacks[index], own) \
                    and (also is None or also(first, claim)):
                out[index].extend(members)
                break
        else:
            bisect.insort(firsts, (value, len(out)))
            if own:
                bisect.insort(round_firsts, (value, len(out)))
            slacks.append(own)
            out.append(list(members))
    return out


def _near(firsts: list[tuple[float, int]], value: float, width: float) -> list[int]:
    """The group indexes, in order, of the values in ``firsts`` within ``width`` of
    ``value`` (a hair wider, for floating-point rounding)."""
    width = width * 1.000001 + 1e-9
    lo = bisect.bisect_left(firsts, (value - width, -1))
    hi = bisect.bisect_right(firsts, (value + width, math.inf))
    return sorted(index for _, index in firsts[lo:hi])


def groups(claims: list[Claim], same, key, keys: list | None = None) -> list[list[Claim]]:
    """Claims grouped by ``same(a, b)`` against each group's first claim, in order.

    Claims with equal ``key(c)`` (or ``keys``, as ``figure_groups``) are always together,
    and ``same`` is asked only of one claim per distinct key, so a measure repeating a few
    figures in thousands of articles costs the square of the few, not of the thousands."""
    by_key = _by_key(claims, key, keys)
    out: list[list[Claim]] = []
    for members in by_key.values():
        for group in out:
            if same(group[0], members[0]):
                group.extend(members)
                break
        else:
            out.append(list(members))
    return out


def _by_key(claims: list[Claim], key, keys: list | None) -> dict:
    """The claims by key, in order of first appearance."""
    by_key: dict = {}
    for claim, k in zip(claims, map(key, claims) if keys is None else keys):
        by_key.setdefault(k, []).append(claim)
    return by_key
