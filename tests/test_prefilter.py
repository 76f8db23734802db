"""checker.claims.prefilter: the quick tests may only ever skip text the exact patterns
would not match, so the claims stay the same with them as without them."""
from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.claims import attribution, numbers, periods
from checker.claims.prefilter import Hint, finditer_at, trie_alternation

SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
# Words the hints look for, pieces of them, and the letters whose case rules differ
# between str.lower and re.IGNORECASE (İ ı ſ K).
PIECES = ["one", "Seven", "TEEN", "ty", "a", "dozen", "twice", "that", "2024", "12", "3",
          "May", "mayor", "year", "month", "last", "January", "said", "Said", "according",
          "to", "He", "The Ministry", "officials", "data", "from", "in", "of",
          " ", "  ", "-", ",", ".", "\n", "\u00a0", "x", "É", "İ", "ı", "ſ", "\u212a"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=25).map("".join)


def flat_alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@SETTINGS
@given(st.lists(st.text("abc ", min_size=1, max_size=4), min_size=1, max_size=8, unique=True),
       st.text("abc !", max_size=12))
def test_trie_matches_as_the_longest_first_alternation(words, text):
    tail = r"(?:!|\b)"  # something after the word that may fail, so the match backtracks
    trie = re.compile(f"(?:{trie_alternation(words)}){tail}")
    flat = re.compile(f"(?:{flat_alternation(words)}){tail}")
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in flat.finditer(text)]


@SETTINGS
@given(TEXT)
def test_no_figure_is_skipped(text):
    hi = len(text)
    starts = numbers._figure_starts(text, 0, hi)
    expected = [m.span() for m in numbers.NUMBER_RE.finditer(text, 0, hi)]
    if starts is not None:
        assert [m.span() for m in finditer_at(numbers.NUMBER_RE, text, starts, 0, hi)] == expected


@SETTINGS
@given(TEXT, st.integers(0, 30))
def test_no_period_is_skipped(text, lo):
    lo = min(lo, len(text))
    if periods._BASE.search(text, lo) or periods._TIME.search(text, lo):
        assert periods._MAY_HOLD_PERIOD(text, lo, len(text))


@SETTINGS
@given(TEXT, st.integers(0, 30))
def test_no_attribution_is_skipped(text, lo):
    lo = min(lo, len(text))
    sentence = text[lo:]
    if attribution._ACCORDING.search(sentence) or attribution._SPEAKER.search(sentence):
        assert attribution.may_credit(text, lo, len(text))


def test_a_hint_reads_each_document_once_and_answers_by_range():
    hint = Hint(["million"], digits=True)
    text = "Nothing here. Over a MILLION people. And 40 more."
    assert not hint(text, 0, 13)
    assert hint(text, 14, 35)
    assert hint(text, 36, len(text))
    assert hint.starts(text, 0, len(text)) == [text.index("MILLION")]
    # A letter lowered differently by str.lower and re.IGNORECASE: nothing is ruled out.
    assert hint("no ſuch thing", 0, 13) and hint.starts("no ſuch thing") is None
