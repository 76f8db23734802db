"""kinds.base.figure_groups: "the same figure" groups found through sorted windows must
be exactly those of comparing every claim with every group (``groups``), whatever the
tolerance, the rounding of the figures and the extra condition."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.claims.model import Claim
from checker.kinds.base import figure_groups, groups
from checker.tolerance import Tolerance, same_figure


def _claim(n: int, value: float, text: str) -> Claim:
    return Claim(id=f"c{n}", doc=f"d{n % 3}", text=text, start=n, end=n + 1, line=1,
                 column=n, sentence=text, value=value, low=value, high=value, unit=None,
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
