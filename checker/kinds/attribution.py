"""attribution: the same figure credited to different sources.

One figure of one measure, stated in two documents, each naming who it comes from, where
the names are not one source written two ways ("the Emergency Service" and "the Marsden
County Emergency Service" are one; a charity's survey and a minister's speech are two).
Compared with rapidfuzz's token-set ratio.

Fires: "Nine dead, according to the county police" and "nine dead, the emergency service
said".
Quiet: "according to the Emergency Service" and "the Marsden County Emergency Service
said". Also quiet when some article names both in one sentence ("Lis speaks for the
county police"): a spokeswoman and the body she speaks for are one source.
"""
from __future__ import annotations

import re
from itertools import chain

from rapidfuzz import fuzz

from ..tolerance import Tolerance
from .base import SAMPLE_SIDE, TOLERANCE, Context, Hit, Param, figure_groups, groups, join, side

KIND = "attribution"
# Most of its work is per run, not per measure: the sentences that name both sources,
# searched for across the corpus once per name (``_Sentences``). Run in parts on several
# processes, each would search again.
WHOLE = True
PARAMS = {
    "tolerance": TOLERANCE,
    "same_source_similarity": Param("number", 80, "source names at least this similar "
                                                  "(rapidfuzz token-set ratio, 0–100) are one source"),
}
SAMPLE = {"measure": "foreign fighters", "figure": "16,894", "docs": "000 and 001",
          "sources": ["the project", "the headquarters"], "sides": [SAMPLE_SIDE, SAMPLE_SIDE]}


_WORDS = re.compile(r"\w+")
_STOP = re.compile(r"[.!?\n]")
_FILLER = frozenset("the of for and a an on in to".split())


class _Sentences:
    """The distinct sentences (as word sets) that contain a word, across documents, found
    when first asked for: only the few surnames being compared are ever looked up, so a
    large corpus is never indexed whole. Copies share their sentences and count once."""

    def __init__(self, ctx: Context):
        self.documents = ctx.documents.values()
        self.lines: str | None = None  # lower case, made on the first lookup
        self.found: dict[str, list[frozenset[str]]] = {}

    def containing(self, word: str) -> list[frozenset[str]]:
        """``word`` in lower case, as ``_WORDS`` finds words."""
        if self.lines is None:
            self.lines = _distinct_lines(self.documents)
        if word not in self.found:
            sentences, seen = set(), set()  # seen: as written; copies repeat them
            text = self.lines
            for at in _occurrences(text, word):
                line = text.rfind("\n", 0, at) + 1  # the other stops are sought in its line
                start = max(line - 1, *(text.rfind(stop, line, at) for stop in ".!?")) + 1
                end = _STOP.search(text, at + len(word))
                sentence = text[start:end.start() if end else len(text)]
                if sentence not in seen:
                    seen.add(sentence)
                    sentences.add(frozenset(_WORDS.findall(sentence)))
            self.found[word] = list(sentences)
        return self.found[word]


def _distinct_lines(documents) -> str:
    """The documents' distinct lines in lower case, one text: a sentence never runs over
    a line's end (a newline ends it as a full stop does), so searching each distinct line
    once finds every sentence, and wire copy repeats most lines in thousands of articles.
    Each text is lowered whole, as a word's case can depend on its neighbours."""
    texts = dict.fromkeys(d.text for d in documents)
    return "\n".join(dict.fromkeys(chain.from_iterable(t.lower().split("\n") for t in texts)))


def _occurrences(text: str, word: str):
    """Where ``word`` occurs in ``text`` as a whole word (``str.find``, which is far
    faster than a regular expression over a large corpus)."""
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        if (at == 0 or not _word_char(text[at - 1])) and (end == len(text)
                                                            or not _word_char(text[end])):
            yield at
        at = text.find(word, end)


def _word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _affiliated(a: str, b: str, sentences: _Sentences) -> bool:
    """Whether some sentence names both sources: the shorter by its last word (a person's
    surname), the longer by most of its words."""
    short, long_ = sorted((a, b), key=len)
    last = _WORDS.findall(short.lower())[-1:]
    words_long = set(_WORDS.findall(long_.lower())) - _FILLER
    if not last or not words_long:
        return False
    return any(len(words_long & words) >= 0.8 * len(words_long)
               for words in sentences.containing(last[0]))


def evaluate(params: dict, ctx: Context):
    tolerance = Tolerance.from_params(params)
    threshold = params["same_source_similarity"]
    sentences = _Sentences(ctx)
    decided: dict[tuple[str, str], bool] = {}

    def same_source(a, b) -> bool:
        pair = tuple(sorted((a.attribution, b.attribution)))
        if pair not in decided:
            decided[pair] = (fuzz.token_set_ratio(pair[0].lower(), pair[1].lower()) >= threshold
                             or _affiliated(pair[0], pair[1], sentences))
        return decided[pair]

    for measure in ctx.measures:
        credited = [c for c in measure.claims if c.attribution]
        for figure in figure_groups(credited, tolerance):
            by_source = groups(figure, same_source, lambda c: c.attribution)
            if len(by_source) < 2 or len({c.doc for c in figure}) < 2:
                continue
            if all({c.doc for c in g} == {figure[0].doc} for g in by_source):
                continue
            sides = [side(group, ctx) for group in by_source]
            yield Hit(figure, {"measure": measure.label, "figure": figure[0].text,
                               "sources": [s["sources"] for s in sides], "sides": sides,
                               "docs": join([s["docs"] for s in sides])}, measure)
