"""Sentence spans inside content lines, by offsets (the text is never copied or changed).

A line break always ends a sentence here: news copy puts headlines, list items and
paragraphs on their own lines. Inside a line, a full stop ends a sentence unless it
belongs to an abbreviation, an initial or a number.
"""
from __future__ import annotations

import re
from typing import NamedTuple

_ABBREVIATIONS = frozenset("""
mr mrs ms dr prof gen lt col maj capt sgt cmdr adm gov sen rep st jr sr rev hon pres
no nos vol fig art sec ch pp p vs v approx est dept univ corp inc ltd co
jan feb mar apr jun jul aug sep sept oct nov dec e.g i.e u.s u.k u.n
""".split())
# ("[.!?…][.!?…]*" rather than "[.!?…]+": a pattern that starts with a plain character set
# lets the scan skip to the next stop at once, instead of trying every position.)
_BOUNDARY = re.compile(r"[.!?…][.!?…]*[\"”’')\]]*(?=[ \t\u00a0]+[\"“‘'(\[]?[A-Z0-9])")
_EDGE = " \t\r\n\u00a0\u200b"
# News sentences run to a few hundred characters. Past this, a "sentence" is a dump with
# no full stops (a minified page, a table flattened to one line), and per-figure look-ups
# that read to the end of the sentence would make extraction quadratic in its length.
MAX_SENTENCE = 1200
_BLANK = re.compile(r"[ \t\u00a0]+")


class Sentence(NamedTuple):
    start: int
    end: int


_RUN = re.compile(r"[\w.]+\Z")
_RUN_WINDOW = 12  # longer than any abbreviation with its dots


def _is_abbreviation(text: str, lo: int, dot: int) -> bool:
    r"""Whether the full stop at ``dot`` ends an abbreviation or an initial: the run of
    word characters and dots right before it (from ``lo`` on) is a known abbreviation or
    a single letter. A line break right before the stop is passed over, as ``[\w.]+$``
    passes over a final newline. The run is looked for in the few characters before the
    stop, not from the start of the line, which cost time in proportion to the line for
    every stop; only a run that fills them all is read backwards to its start."""
    end = dot - 1 if dot > lo and text[dot - 1] == "\n" else dot
    window = max(lo, end - _RUN_WINDOW)
    run = _RUN.search(text, window, end)
    if run is None:
        return False
    start = run.start()
    if start == window:
        while start > lo and (text[start - 1] == "." or _is_word_char(text[start - 1])):
            start -= 1
    word = text[start:end].lower().rstrip(".")
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _is_word_char(char: str) -> bool:
    r"""What ``\w`` matches."""
    return char.isalnum() or char == "_"


def split_line(text: str, start: int, end: int) -> list[Sentence]:
    """Sentences of ``text[start:end]`` (one line), trimmed of surrounding blanks."""
    cuts = [start]
    for m in _BOUNDARY.finditer(text, start, end):
        if text[m.start()] == "." and _is_abbreviation(text, start, m.start()):
            continue
        cuts.append(m.end())
    cuts.append(end)
    sentences = []
    for a, b in zip(cuts, cuts[1:]):
        for a, b in (_bounded(text, a, b) if b - a > MAX_SENTENCE else ((a, b),)):
            # Trimmed in place: a sentence has a blank or two at its edges, if any, so
            # this is quicker than copying it to strip it.
            while a < b and text[a] in _EDGE:
                a += 1
            while b > a and text[b - 1] in _EDGE:
                b -= 1
            if b > a:
                sentences.append(Sentence(a, b))
    return sentences


def _bounded(text: str, start: int, end: int):
    """``text[start:end]`` in pieces of at most MAX_SENTENCE characters, each cut at the
    last blank before the limit (or at the limit where a piece has no blank), so no
    figure's sentence is longer than that."""
    while end - start > MAX_SENTENCE:
        limit = start + MAX_SENTENCE
        cut = limit
        for blank in _BLANK.finditer(text, start + MAX_SENTENCE // 2, limit):
            cut = blank.end()
        yield start, cut
        start = cut
    yield start, end


def split(text: str, spans: list[tuple[int, int]]) -> list[Sentence]:
    """All sentences of the content spans, in order."""
    return [s for a, b in spans for s in split_line(text, a, b)]
