"""Sentence spans inside content lines, by offsets (the text is never copied or changed).

A line break always ends a sentence here: news copy puts headlines, list items and
paragraphs on their own lines. Inside a line, a full stop ends a sentence unless it
belongs to an abbreviation, an initial or a number.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_ABBREVIATIONS = frozenset("""
mr mrs ms dr prof gen lt col maj capt sgt cmdr adm gov sen rep st jr sr rev hon pres
no nos vol fig art sec ch pp p vs v approx est dept univ corp inc ltd co
jan feb mar apr jun jul aug sep sept oct nov dec e.g i.e u.s u.k u.n
""".split())
_BOUNDARY = re.compile(r"[.!?…]+[\"”’')\]]*(?=[ \t\u00a0]+[\"“‘'(\[]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_EDGE = " \t\r\n\u00a0\u200b"


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int


def _is_abbreviation(line: str, dot: int) -> bool:
    m = _WORD_BEFORE.search(line, 0, dot)
    if not m:
        return False
    word = m.group(1).lower().rstrip(".")
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def split_line(text: str, start: int, end: int) -> list[Sentence]:
    """Sentences of ``text[start:end]`` (one line), trimmed of surrounding blanks."""
    line = text[start:end]
    cuts = [0]
    for m in _BOUNDARY.finditer(line):
        if line[m.start()] == "." and _is_abbreviation(line, m.start()):
            continue
        cuts.append(m.end())
    cuts.append(len(line))
    sentences = []
    for a, b in zip(cuts, cuts[1:]):
        piece = line[a:b]
        lead = len(piece) - len(piece.lstrip(_EDGE))
        trail = len(piece) - len(piece.rstrip(_EDGE))
        if b - trail > a + lead:
            sentences.append(Sentence(start + a + lead, start + b - trail))
    return sentences


def split(text: str, spans: list[tuple[int, int]]) -> list[Sentence]:
    """All sentences of the content spans, in order."""
    return [s for a, b in spans for s in split_line(text, a, b)]
