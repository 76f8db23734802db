"""Qualifiers turn a stated figure into the interval it actually claims.

"over 100" does not conflict with 150; "nearly 200" does not conflict with 190. DESIGN.md:
over / more than / at least → lower bound; nearly / almost / up to → upper bound;
about / around → both, here ±10% of the value (APPROX_MARGIN), wide enough that
"about 12 thousand" holds 12,000 and 11,500 but not 10,000.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .prefilter import trie_alternation

APPROX_MARGIN = 0.10

LOWER = ("more than", "over", "above", "upwards of", "in excess of", "exceeding", "at least",
         "no fewer than", "no less than", "not less than", "a minimum of", "minimum of",
         "beyond", "well over", "just over", "at minimum")
UPPER = ("nearly", "almost", "up to", "fewer than", "less than", "under", "below", "at most",
         "no more than", "not more than", "a maximum of", "maximum of", "just under",
         "close to", "approaching", "as many as", "as much as", "barely", "not quite")
APPROX = ("about", "around", "approximately", "approx.", "roughly", "some", "circa", "ca.",
          "c.", "~", "an estimated", "estimated", "an approximate", "nearly about",
          "in the region of", "in the order of", "on the order of", "or so")
EXACT = ("only", "exactly", "precisely", "just", "another", "a further", "an additional",
         "a total of", "total of", "all")
POST_LOWER = ("or more", "and more", "or over", "plus", "+", "-plus", "or above")
POST_UPPER = ("or fewer", "or less", "or under", "at most")
POST_APPROX = ("or so", "odd", "-odd")
TRAILING = ("or more", "and more", "or over", "or above", "or fewer", "or less", "or under",
            "or so")

_KINDS = [(p, "lower") for p in LOWER] + [(p, "upper") for p in UPPER] + \
         [(p, "approx") for p in APPROX] + [(p, "exact") for p in EXACT]
_BY_PHRASE = dict(_KINDS)


def _alternation(phrases) -> str:
    return trie_alternation(phrases, space=r"[ \t\u00a0\n]+")


_BEFORE = re.compile(rf"(?<![\w])({_alternation(_BY_PHRASE)})[ \t\u00a0\n]*$", re.I)
_AFTER = re.compile(rf"[ \t\u00a0\n]*({_alternation(POST_LOWER + POST_UPPER + POST_APPROX)})"
                    r"(?![\w])", re.I)
# After the counted thing, or its complement of a word or two ("100 prisoners of war or
# more"), only the "or …" forms qualify the figure: "plus" there adds ("100 prisoners
# plus 20 guards"), and "or more than 50" is a second figure's qualifier.
_TRAILING = re.compile(r"(?:[ \t\u00a0]+(?:of|from|in)"
                       r"(?:[ \t\u00a0]+[A-Za-z][A-Za-z'’-]*){1,2}?)?"
                       rf"[ \t\u00a0]*({_alternation(TRAILING)})(?![\w])"
                       r"(?![ \t\u00a0\n]*than\b)", re.I)


@dataclass(frozen=True)
class Qualifier:
    phrase: str | None
    kind: str  # exact, lower, upper, approx


_NONE = Qualifier(None, "exact")


def find(text: str, start: int, end: int, lo: int) -> tuple[Qualifier, int]:
    """The qualifier right before (or right after) the figure at ``text[start:end]``;
    ``lo`` is where the sentence starts, which a qualifier cannot cross. With it, where
    the counted thing may start: after a qualifier that follows the figure ("100 or more
    prisoners"), else at ``end``."""
    window = text[max(lo, start - 30):start]
    if m := _BEFORE.search(window):
        return _before(m.group(1)), end
    if m := _AFTER.match(text, end, min(len(text), end + 12)):
        return _after(m.group(1)), m.end()
    return _NONE, end


def trailing(text: str, end: int, hi: int) -> tuple[Qualifier, int] | None:
    """A qualifier after the counted thing that ends at ``end`` ("100 prisoners or more",
    "100 prisoners of war or more"), and where it ends; ``hi`` is the sentence's end."""
    if m := _TRAILING.match(text, end, hi):
        return _after(m.group(1)), m.end()
    return None


@lru_cache(maxsize=1024)
def _before(written: str) -> Qualifier:
    phrase = " ".join(written.lower().split())
    return Qualifier(phrase, _BY_PHRASE[phrase])


@lru_cache(maxsize=1024)
def _after(written: str) -> Qualifier:
    phrase = " ".join(written.lower().split())
    kind = ("lower" if phrase in POST_LOWER else "upper" if phrase in POST_UPPER
            else "approx")
    return Qualifier(phrase, kind)


def interval(value: float, kind: str, high_value: float | None = None
             ) -> tuple[float | None, float | None]:
    """(low, high) for a figure; None is unbounded."""
    if high_value is not None:
        return value, high_value
    if kind == "lower":
        return value, None
    if kind == "upper":
        return None, value
    if kind == "approx":
        margin = abs(value) * APPROX_MARGIN
        return _tidy(value - margin), _tidy(value + margin)
    return value, value


def _tidy(x: float) -> int | float:
    x = round(x, 6)
    return int(x) if x == int(x) else x
