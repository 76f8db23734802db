"""Cheap tests that let the extractors skip text their patterns cannot match.

The extractors' patterns are exact but costly per character: long alternations,
case-insensitive words, lookarounds tried at every position. Most sentences of an
article hold no figure, no date and no attribution verb, so an extractor first asks a
``Hint``: does the sentence hold a digit, or one of the words that its pattern cannot
match without? ``Hint.starts`` goes further and says where those words start, so that
``finditer_at`` tries a pattern there alone. The words of all hints are found in one
pass over a lowercased copy of the document, once per document.

A hint may say yes when the full pattern then finds nothing; it must never say no when
the full pattern would find something. That is all that keeps the claims unchanged, so
every hint lists the words its pattern requires, not the words it usually sees, and
each says why next to the pattern it serves.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import Iterable, Iterator

_DIGIT = re.compile(r"\d")
_DIGIT_RUN = re.compile(r"\d\d*")  # as \d+, but starting with a plain set lets the scan skip
# Letters that ``re.IGNORECASE`` matches to a-z although ``str.lower`` does not lower them
# to one a-z letter (İ, ı, ſ, and K the Kelvin sign, which does lower to k but which a
# pattern's [A-Za-z] would not take). A document holding one gets no hints at all.
_ODD_CASE = "\u0130\u0131\u017f\u212a"


def trie_alternation(words: Iterable[str], space: str = " ") -> str:
    """A pattern matching any of ``words``, longest first, written as a trie; a space in
    a word stands for the pattern ``space`` (which must not match the letter after it).

    ``re`` tries the branches of a flat alternation one by one, so a flat list of a
    thousand place names costs a thousand comparisons at every capital letter; in a trie
    each character is compared once. Longer words are still preferred: every branch
    tries its longer continuations before stopping, and the words that can match at one
    position are all prefixes of each other, so the order is the same as longest first.
    """
    root: dict = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here
    return _trie_pattern(root, space)


def _trie_pattern(node: dict, space: str) -> str:
    branches = [(space if char == " " else re.escape(char)) + _trie_pattern(child, space)
                for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


_HINTS: list[Hint] = []  # every hint made, in order: one pass serves them all


class Hint:
    """Whether ``text[lo:hi]`` may hold a match of ``pattern`` (a short, quick one, such
    as a digit) or any of ``words``, in any letter case, starting a word (not right after
    a letter).

    The words of every hint are looked up together, in one pass over a lowercased copy of
    the document, the first time any hint is asked about it; later questions about the
    same document are a binary search.
    """

    def __init__(self, words: Iterable[str], pattern: str | None = None):
        self.words = frozenset(w.lower() for w in words)
        if not all("a" <= w[-1:] <= "z" for w in self.words):
            raise ValueError("a hint's words must end with a letter (see _words_pattern)")
        self._pattern = re.compile(pattern) if pattern else None
        self._number = len(_HINTS)
        _HINTS.append(self)

    def __call__(self, text: str, lo: int = 0, hi: int | None = None) -> bool:
        hi = len(text) if hi is None else hi
        if self._pattern and self._pattern.search(text, lo, hi):
            return True
        index = _word_index(text)
        if index is None:
            return True
        starts = index.starts[self._number]
        i = bisect.bisect_left(starts, lo)
        if i < len(starts) and starts[i] < hi:
            return True
        # A word right at ``lo`` after a letter is no word start in the document, but a
        # pattern run on the slice ``text[lo:hi]`` sees one there.
        return lo > 0 and "a" <= index.lowered[lo - 1] <= "z"

    def starts(self, text: str, lo: int = 0, hi: int | None = None) -> list[int] | None:
        """Where the words start in ``text[lo:hi]`` (not right after a letter), in order;
        None when that cannot be known."""
        index = _word_index(text)
        if index is None:
            return None
        starts = index.starts[self._number]
        hi = len(text) if hi is None else hi
        return starts[bisect.bisect_left(starts, lo):bisect.bisect_left(starts, hi)]


def finditer_at(pattern: re.Pattern, text: str, starts: Iterable[int], lo: int, hi: int
                ) -> Iterator[re.Match]:
    """What ``pattern.finditer(text, lo, hi)`` yields, for a pattern that never matches
    the empty string and can start a match only at one of ``starts`` (in order): the
    pattern is tried at those places alone instead of at every character."""
    pos = lo
    for start in starts:
        if start >= pos and (m := pattern.match(text, start, hi)):
            pos = m.end()
            yield m



def digit_runs(text: str, lo: int = 0, hi: int | None = None) -> list[int] | None:
    r"""Where the runs of digits in ``text[lo:hi]`` start, as ``\d+`` finds them there
    (a run that ``lo`` cuts starts at ``lo``); None when that cannot be known. The runs of
    the whole document are found once, with the words of the hints."""
    index = _word_index(text)
    if index is None:
        return None
    runs = index.digit_runs
    hi = len(text) if hi is None else hi
    found = runs[bisect.bisect_left(runs, lo):bisect.bisect_left(runs, hi)]
    if 0 < lo < hi and _DIGIT.match(text, lo) and _DIGIT.match(text, lo - 1):
        found.insert(0, lo)
    return found


class _WordIndex:
    """Where the words of every hint start in one document: ``starts[n]`` for hint n;
    and where its runs of digits start."""

    def __init__(self, lowered: str, hints: int):
        pattern, hints_of = _words_pattern(hints)
        self.lowered = lowered
        self.starts: list[list[int]] = [[] for _ in range(hints)]
        # A match starts at the character before its word (see _words_pattern): with a
        # blank before the text, that is where the word starts in the text itself.
        for m in pattern.finditer(" " + lowered):
            for n in hints_of[m.group()[1:]]:
                self.starts[n].append(m.start())
        self.digit_runs = [m.start() for m in _DIGIT_RUN.finditer(lowered)]


@lru_cache(maxsize=2)
def _words_pattern(hints: int) -> tuple[re.Pattern, dict[str, tuple[int, ...]]]:
    """One pattern for the words of the first ``hints`` hints, and for each word the
    hints it serves. The pattern takes the longest word at a place, so a word also serves
    the hints of the shorter words it starts with ("seventeen" those of "seven").

    A word must not follow a letter. The pattern takes the character before it,
    ``[^a-z]``, rather than looking behind with ``(?<![a-z])``: a pattern that starts with
    a plain character set lets the scan skip to the next candidate at once. A match
    starts one character early, which the caller's leading blank makes up for; and it
    never takes a character the next word needs before it, as every word ends with a
    letter."""
    words = sorted({w for hint in _HINTS[:hints] for w in hint.words})
    hints_of = {w: tuple(n for n, hint in enumerate(_HINTS[:hints])
                         if any(w[:k] in hint.words for k in range(1, len(w) + 1)))
                for w in words}
    return re.compile(rf"[^a-z](?:{trie_alternation(words)})"), hints_of


def _has_odd_case(text: str) -> bool:
    """Whether ``text`` holds one of _ODD_CASE: looked for as substrings, which is quick
    (and at once over for a text whose characters are all below them), where a pattern's
    character set was tried on every character."""
    return not text.isascii() and any(char in text for char in _ODD_CASE)


_last: tuple[str, int, _WordIndex | None] = ("", 0, None)


def _word_index(text: str) -> _WordIndex | None:
    """The index of ``text``; None when it holds a letter that ``str.lower`` and
    ``re.IGNORECASE`` treat differently (see _ODD_CASE), so no word can be ruled out.
    Hints ask about one document sentence after sentence, so the last index is kept."""
    global _last
    last = _last  # read once: another thread may replace it meanwhile
    if last[0] is not text or last[1] != len(_HINTS):
        index = None if _has_odd_case(text) else _WordIndex(text.lower(), len(_HINTS))
        last = _last = (text, len(_HINTS), index)
    return last[2]
