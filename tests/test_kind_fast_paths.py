"""The kinds' fast paths give exactly what their plain definitions give.

- ``kinds.base.figure_groups``: "the same figure" groups found through sorted windows are
  those of comparing every claim with every group (``groups``), whatever the tolerance,
  the rounding of the figures and the extra condition.
- ``kinds.conflict._clashes``: skipping pairs whose groups are already in one part finds
  the connected parts of the clash graph that trying every pair gives."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import datetime as dt

from checker.claims.model import Claim
from checker.kinds import conflict
from checker.kinds.base import figure_groups, groups
from checker.timing import same_time
from checker.tolerance import Tolerance, interval, same_figure


def _claim(n: int, value: float, text: str, low=0.0, high=0.0, doc=None) -> Claim:
    return Claim(id=f"c{n}", doc=doc or f"d{n % 3}", text=text, start=n, end=n + 1, line=1,
                 column=n, sentence=text, value=value, low=value + low, high=value + high,
                 unit=None,
                 kind="count", qualifier=None, period=None, period_text=None,
                 attribution=None)


# Values clustered the way a big story's running counts are (many close, distinct values),
# with round figures among them: "18,000", "12 thousand", "1.5 million".
_VALUES = st.one_of(st.integers(0, 40), st.integers(900, 1_100), st.integers(17_000, 19_000),
                    st.sampled_from([0, 1000, 2000, 10_000, 18_000, 18_500, 20_000, 100_000]),
                    st.floats(0, 2e6, allow_nan=False), st.integers(-20_000, -1))
_FIGURE = st.tuples(_VALUES, st.sampled_from(["", " thousand", " million", "k"]))


@st.composite
def _claims(draw) -> list[Claim]:
    out = []
    for n, (value, scale) in enumerate(draw(st.lists(_FIGURE, max_size=60))):
        factor = {"": 1, " thousand": 1_000, " million": 1_000_000, "k": 1_000}[scale]
        out.append(_claim(n, value * factor, f"{value:g}{scale}"))
    return out


_TOLERANCES = st.builds(Tolerance, absolute=st.sampled_from([0.0, 0.5, 3.0, 250.0]),
                        relative=st.sampled_from([0.0, 0.01, 0.05, 0.2, 0.49, 0.6]),
                        rounding=st.booleans())


@settings(max_examples=300, deadline=None)
@given(_claims(), _TOLERANCES, st.sampled_from([None, "same doc", "odd pair"]))
def test_windowed_groups_are_the_groups_of_comparing_every_pair(claims, tolerance, extra):
    also = {None: None,
            "same doc": lambda a, b: a.doc == b.doc,
            "odd pair": lambda a, b: (a.start + b.start) % 2 == 1}[extra]

    def same(a, b):
        return same_figure(a, b, tolerance) and (also is None or also(a, b))

    expected = groups(claims, same, lambda c: c.value)
    found = figure_groups(claims, tolerance, also)
    assert [[c.id for c in g] for g in found] == [[c.id for c in g] for g in expected]


class _Periods:
    """The one thing ``_clashes`` asks of a check's context: each claim's period."""

    def __init__(self, periods: dict[str, tuple]):
        self.periods = periods

    def period(self, claim: Claim) -> tuple:
        return self.periods[claim.id]


# Running totals to days near and far apart, and closed periods ending with the last of
# them (June, the half-year, its last day), which overlap without being one time.
_PERIODS = [(None, dt.date(2025, 6, d).isoformat()) for d in (1, 2, 5, 30)] + [
    ("2025-06-01", "2025-06-30"), ("2025-01-01", "2025-06-30"), ("2025-06-30", "2025-06-30")]


@st.composite
def _groups(draw):
    """Groups of agreeing figures (their first claim stands for them) with periods, bounds
    (qualifiers) and documents drawn from small sets, so that pairs clash and not."""
    figures, periods = [], {}
    for n in range(draw(st.integers(0, 25))):
        value = draw(st.sampled_from([10, 11, 100, 130, 6162, 6612, 18_000, 81_000]))
        low, high = draw(st.sampled_from([(0, 0), (0, float("inf")), (-float("inf"), 0)]))
        first = _claim(n, value, str(value), low, high, doc=draw(st.sampled_from("abc")))
        periods[first.id] = draw(st.sampled_from(_PERIODS))
        figures.append([first] + [_claim(100 + n, value, str(value), doc=d)
                                  for d in draw(st.lists(st.sampled_from("abcd"), max_size=2))])
    return figures, _Periods(periods)


@settings(max_examples=300, deadline=None)
@given(_groups(), _TOLERANCES, st.sampled_from([0, 2]), st.sampled_from([0.0, 2.0]))
def test_clashes_are_the_connected_parts_of_every_pair_that_clashes(drawn, tolerance, days,
                                                                    ratio):
    figures, ctx = drawn

    def clash(a: list, b: list) -> bool:
        x, y = a[0], b[0]
        if not same_time(x, ctx.period(x), y, ctx.period(y), days):
            return False
        (x_low, x_high), (y_low, y_high) = interval(x, tolerance), interval(y, tolerance)
        overlap = x_low <= y_high and y_low <= x_high
        same_docs = {c.doc for c in a} == {c.doc for c in b}
        return not ((overlap and not conflict._far_apart(x, y, ratio)) or same_docs)

    edges = {i: {j for j, b in enumerate(figures) if i != j and clash(a, b)}
             for i, a in enumerate(figures)}
    expected, seen = [], set()
    for i in range(len(figures)):
        if edges[i] and i not in seen:
            part, todo = set(), [i]
            while todo:
                k = todo.pop()
                if k not in part:
                    part.add(k)
                    todo.extend(edges[k])
            seen |= part
            expected.append(sorted(part))
    assert conflict._clashes(figures, ctx, tolerance, days, ratio) == expected
