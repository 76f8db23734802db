"""Find figures in text and read their values, with exact offsets.

Newsroom copy writes one number many ways: ``6 162`` and ``16,894`` (space, comma,
non-breaking or thin-space thousands), ``12 thousand``, ``1.5 billion``, ``nine``,
``49%`` and ``49 per cent``, ``$ 2,200``. All of them are found here by one scan of
regular expressions (LIBRARIES.md: a hand-written ``re`` extractor is the only approach
fast and accurate enough); number words are valued by text2num. What is *not* a counted
figure is decided here too: years, dates and clock times (masked by the caller), ages,
ordinals, list numbering and model designations such as ``Su-34``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from text_to_num import text2num

from .prefilter import Hint, digit_runs, finditer_at, trie_alternation

SEPARATORS = (",", " ", "\u00a0", "\u202f", "\u2009")
SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12,
          "k": 10**3, "m": 10**6, "mn": 10**6, "mln": 10**6, "b": 10**9, "bn": 10**9,
          "bln": 10**9, "tn": 10**12}
SMALL_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
               "fourteen fifteen sixteen seventeen eighteen nineteen").split()
TENS_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
SCALE_WORDS = ("hundred", "thousand", "million", "billion", "trillion")
CURRENCY_SIGNS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₴": "UAH",
                  "₽": "RUB", "₹": "INR", "₺": "TRY", "zł": "PLN"}
CURRENCY_WORDS = {"dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR",
                  "pound": "GBP", "pounds": "GBP", "hryvnia": "UAH", "hryvnias": "UAH",
                  "ruble": "RUB", "rubles": "RUB", "rouble": "RUB",
                  "roubles": "RUB", "yuan": "CNY", "rupee": "INR", "rupees": "INR"}
RATIO_WORDS = {"double": 2, "twice": 2, "triple": 3, "treble": 3, "quadruple": 4}

_groups = "|".join(rf"\d{{1,3}}(?:{re.escape(sep)}\d{{3}})+" for sep in SEPARATORS)
_NUMBER_WORDS = SMALL_WORDS + TENS_WORDS + list(SCALE_WORDS)
_WORD = trie_alternation(_NUMBER_WORDS)
# Every figure starts with a digit or a word starting with one of these letters; testing
# that first lets the scan pass over most positions at once.
_INITIALS = "".join(sorted({w[0] for w in _NUMBER_WORDS + list(RATIO_WORDS) + ["a"]}))
NUMBER_RE = re.compile(
    rf"(?=\d|\b[{_INITIALS}])"
    rf"(?:(?P<digits>(?<![\w.,])(?:{_groups}|\d+)(?:\.\d+)?(?!\d|[.,]\d))"
    rf"|(?P<words>\b(?:a\s+dozen|(?:{_WORD})(?:(?:[ \t\u00a0]+(?:and[ \t\u00a0]+)?|-)(?:{_WORD}))*)\b)"
    rf"|(?P<ratio>\b(?:double|twice|triple|treble|quadruple)\b(?=\s+(?:that|the|as|what|of)\b)))",
    re.I)
# Every NUMBER_RE match starts at a run of digits, at one of these words, or at the "a"
# of "a dozen".
_FIGURE_WORDS = Hint(_NUMBER_WORDS + list(RATIO_WORDS) + ["dozen"])
_SCALE_AFTER = re.compile(r"(?:[ \t\u00a0]+(thousand|million|billion|trillion|mln|bln|bn|mn)\b"
                          r"|(k|m|mn|bn|b|tn)\b)", re.I)
_PERCENT_AFTER = re.compile(r"[ \t\u00a0]?(%|per[ \t\u00a0]?cent\b|percent\b|pct\b"
                            r"|percentage[ \t\u00a0]+points?\b)", re.I)
_CURRENCY_BEFORE = re.compile(r"(US\$|[$€£¥₴₽₹₺]|\b[A-Z]{3})[ \t\u00a0]?$")
_CURRENCY_SPAN = 5  # the longest _CURRENCY_BEFORE, "US$ " before a final newline
_CURRENCY_AFTER = re.compile(r"[ \t\u00a0]+([a-z]+)\b|[ \t\u00a0]+([A-Z]{3})\b")
_ORDINAL_OR_CODE_AFTER = re.compile(r"(?:st|nd|rd|th|s)\b|[A-Za-z]")
_AGE = re.compile(r"^(?:-|[ \t\u00a0]+)years?[- \t\u00a0]old\b|^-year-old|^-month-old", re.I)
_AGED_BEFORE = re.compile(r"\b(?:aged|age|ages|at\s+the\s+age\s+of)[ \t\u00a0]+$", re.I)
# A capitalised word, accented letters included ("Novák", "Šimečka"), then a comma: a name
# before an age. (Latin Extended-A alternates capital and small letters: taken as either.)
_CAPITALISED = (r"[A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u017f]"
                r"[a-z\u00df-\u00f6\u00f8-\u00ff\u0100-\u017f]+")
_NAME_COMMA_BEFORE = re.compile(rf"{_CAPITALISED}(?:[ \t]{_CAPITALISED})*,[ \t\u00a0]$")
_DESIGNATIONS = ("no nos number page p pp article art section chapter item paragraph resolution "
                 "rule flight route highway room unit vol volume part step phase level grade code "
                 "division brigade battalion regiment corps army district").split()
# A designation can only be followed by a dot or blanks, so one at most fits at a place:
# written as a trie, the words are quicker to try.
_DESIGNATION_BEFORE = re.compile(
    rf"(?:\b(?:{trie_alternation(_DESIGNATIONS)})\.?|#|№)[ \t\u00a0]*$", re.I)
# A _DESIGNATION_BEFORE match starts at most this far before the blanks (and line break)
# that end the text, so the search starts there rather than trying every position.
_DESIGNATION_SPAN = max(map(len, _DESIGNATIONS)) + 1
_NEXT_WORD = re.compile(r"[ \t\u00a0]+([A-Za-z][\w'’-]*)")
# After a number word, a noun must follow for it to be a figure: "nine people" is one,
# "one of the most", "for four." and "one-time" are not.
_NOT_AFTER_WORD = frozenset(
    "of or and to by another day time times way side after in on at is was were are has "
    "had have who which that the a an thing point hand said says with for from as than if "
    "but so too per each its it their his her this these those day's".split())
_YEAR_CONTEXT_NOUNS = frozenset("people persons men women children soldiers troops".split())


@dataclass
class Figure:
    """A number as it stands in the text, before context is read around it."""

    start: int
    end: int
    value: int | float
    unit: str | None = None
    kind: str = "count"
    high_value: int | float | None = None
    scale: int = 1  # the multiplier of a scale word after the digits ("200 million")


def to_number(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(d)


def parse_digits(text: str) -> Decimal:
    """``"6 162"``, ``"16,894"``, ``"1.5"`` → Decimal; thousands separators dropped."""
    cleaned = text
    for sep in SEPARATORS:
        cleaned = cleaned.replace(sep, "")
    return Decimal(cleaned)


@lru_cache(maxsize=4096)
def parse_words(text: str) -> int | None:
    """Number words through text2num; ``a dozen`` is 12."""
    norm = " ".join(text.lower().replace("-", " ").split())
    if norm == "a dozen":
        return 12
    try:
        return text2num(norm, "en")
    except ValueError:
        return None


def parse_number(text: str) -> int | float:
    """Read a figure written any supported way, including a trailing scale word."""
    text = text.strip()
    m = re.fullmatch(r"(.*?\d)\s*(thousand|million|billion|trillion|k|m|bn|mn|mln|bln|tn)",
                     text, re.I)
    if m:
        return to_number(parse_digits(m.group(1)) * SCALES[m.group(2).lower()])
    try:
        return to_number(parse_digits(text))
    except InvalidOperation:
        value = parse_words(text)
        if value is None:
            raise ValueError(f"not a number: {text!r}") from None
        return value


def _is_year(text: str, end: int, value: Decimal, raw: str) -> bool:
    if not (raw.isdigit() and len(raw) == 4 and 1800 <= value <= 2100):
        return False
    m = _NEXT_WORD.match(text, end)
    return not (m and m.group(1).lower() in _YEAR_CONTEXT_NOUNS)


_TO_AFTER = re.compile(r"[ \t\u00a0]+to[ \t\u00a0]+\w")


def _word_figure(text: str, m: re.Match, lo: int, hi: int) -> Figure | None:
    raw = m.group("words")
    if raw.split()[0].lower() in SCALE_WORDS:
        return None  # "thousands of", "several thousand": no stated figure
    value = parse_words(raw)
    start, end = m.start(), m.end()
    if value is None:  # "one and two": keep the first number only
        first = re.match(r"[\w]+", raw).group()
        value, end = parse_words(first), start + len(first)
        if value is None:
            return None
    after = text[end:hi]
    nxt = _NEXT_WORD.match(after)
    if after[:1] == "-" or not nxt or nxt.group(1).lower() in _NOT_AFTER_WORD:
        if not _TO_AFTER.match(after):  # "one to two weeks"
            return None
    before = text[lo:start].lower()
    if raw.lower() == "one" and re.search(r"\b(?:no|any|every|each|the|this|that|which|next|last|"
                                          r"same|other|another)\s*$", before):
        return None
    return Figure(start, end, value)


# Nothing a newsroom compares is this large (a quintillion); longer digit strings are
# identifiers, and beyond floats' range they would break every comparison.
MAX_FIGURE = 10 ** 18


def scan(text: str, lo: int, hi: int, masked: "callable") -> list[Figure]:
    """Figures in ``text[lo:hi]`` (one sentence). ``masked(start, end)`` says whether a
    span is taken by a date, clock time or period expression."""
    starts = _figure_starts(text, lo, hi)
    if starts is None:
        matches = NUMBER_RE.finditer(text, lo, hi)
    elif starts:
        matches = finditer_at(NUMBER_RE, text, starts, lo, hi)
    else:
        return []
    figures: list[Figure] = []
    consumed = lo
    for m in matches:
        if m.start() < consumed or masked(m.start(), m.end()):
            continue
        if m.group("ratio"):
            figures.append(Figure(m.start(), m.end(), RATIO_WORDS[m.group().lower()],
                                  unit="times", kind="ratio"))
            continue
        if m.group("words"):
            fig = _word_figure(text, m, lo, hi)
            if fig and abs(fig.value) < MAX_FIGURE:
                figures.append(fig)
            continue
        fig = _digit_figure(text, m, lo, hi)
        if fig and abs(fig.value) < MAX_FIGURE:
            figures.append(fig)
            consumed = fig.end
        elif fig:
            consumed = fig.end  # a 40-digit string is an identifier, not a figure
    return _merge_ranges(text, figures)


def _figure_starts(text: str, lo: int, hi: int) -> list[int] | None:
    """Where in ``text[lo:hi]`` a figure may start (see _FIGURE_WORDS), in order; None
    when the words cannot be told apart quickly."""
    words = _FIGURE_WORDS.starts(text, lo, hi)
    if words is None:
        return None
    starts = digit_runs(text, lo, hi) + words
    for word in words:
        if text[word:word + 5].lower() == "dozen":
            blank = word
            while blank > lo and text[blank - 1].isspace():  # what \s matches
                blank -= 1
            starts.append(blank - 1)
    return sorted(starts)


def _digit_figure(text: str, m: re.Match, lo: int, hi: int) -> Figure | None:
    raw = m.group("digits")
    start, end = m.span()
    try:
        value = parse_digits(raw)
    except InvalidOperation:
        return None
    before = text[max(lo, start - 40):start]
    after = text[end:min(hi, end + 40)]
    # Model names and ranges of codes: "Su-34", "F-16" (but "-5" after a space is negative).
    if before.endswith(("-", "−")):
        if len(before) >= 2 and before[-2].isalpha():
            return None
        if len(before) < 2 or not before[-2].isdigit():  # "10-20" is a range, not -20
            start, value = start - 1, -value
            before = before[:-1]
    designation_from = len(before.rstrip(" \t\u00a0\n")) - _DESIGNATION_SPAN
    if (_DESIGNATION_BEFORE.search(before, max(0, designation_from))
            or _AGED_BEFORE.search(before) or _AGE.match(after)):
        return None
    # (_NAME_COMMA_BEFORE's comma is one of the last three characters: a quick first test)
    if ("," in before[-3:] and _NAME_COMMA_BEFORE.search(before)
            and re.match(r"[ \t\u00a0]*[,)]", after) and value < 120):
        return None  # "Nikolai Zhuravlyov, 43, described…"
    if text[lo:start].strip() == "" and re.match(r"[.)]\s", after):
        return None  # list numbering "1. …"
    kind, unit, scale = "count", None, 1
    if sm := _SCALE_AFTER.match(after):
        word = (sm.group(1) or sm.group(2)).lower()
        scale = SCALES[word]
        value *= scale
        end += sm.end()
        after = text[end:min(hi, end + 40)]
    elif _ORDINAL_OR_CODE_AFTER.match(after):
        return None  # "3rd", "46th", "1990s", "10am", "4x4"
    elif _is_year(text, end, value, raw):
        return None
    if pm := _PERCENT_AFTER.match(after):
        kind = "percent"
        unit = "percentage points" if pm.group(1).lower().startswith("percentage") else "%"
        end += pm.end()
    elif cm := _CURRENCY_BEFORE.search(before, max(0, len(before) - _CURRENCY_SPAN)):
        code = CURRENCY_SIGNS.get(cm.group(1)) or _iso_currency(cm.group(1))
        if code:
            kind, unit, start = "money", code, start - len(cm.group(0))
    if kind == "count" and (cm := _CURRENCY_AFTER.match(after)):
        word = cm.group(1) or cm.group(2)
        code = CURRENCY_WORDS.get(word.lower()) if cm.group(1) else _iso_currency(word)
        if code:
            kind, unit, end = "money", code, end + cm.end()
    return Figure(start, end, to_number(value), unit=unit, kind=kind, scale=scale)


@lru_cache(maxsize=512)
def _iso_currency(code: str) -> str | None:
    if not re.fullmatch(r"[A-Z]{3}", code):
        return None
    import pycountry

    return code if pycountry.currencies.get(alpha_3=code) else None


_RANGE_JOIN = re.compile(r"[ \t\u00a0]*(?:–|—|-|to)[ \t\u00a0]*$|^[ \t\u00a0]+and[ \t\u00a0]+$")
_BETWEEN_BEFORE = re.compile(r"\bbetween[ \t\u00a0]+$", re.I)
_FROM_BEFORE = re.compile(r"\bfrom[ \t\u00a0]+$", re.I)


def _merge_ranges(text: str, figures: list[Figure]) -> list[Figure]:
    """"one to two weeks", "10–20%", "between 5 and 7" become one figure with a high end.
    What the high end says after its digits holds for both ends: "150-200 million" runs
    from 150 million (unless that would pass the high end: "900 to 1.2 million"), and
    "€16-17bn" is euros at both ends."""
    merged: list[Figure] = []
    for fig in figures:
        prev = merged[-1] if merged else None
        if prev is not None and prev.high_value is None and (
                prev.kind in ("count", fig.kind)
                or (prev.kind == "money" and fig.kind == "count" and fig.unit is None)):
            gap = text[prev.end:fig.start]
            between = gap.strip() == "and" and _BETWEEN_BEFORE.search(
                text[max(0, prev.start - 12):prev.start])
            joined = (_RANGE_JOIN.match(gap) and gap.strip() != "and"
                      and not _FROM_BEFORE.search(text[max(0, prev.start - 8):prev.start]))
            low = prev.value
            if fig.scale > 1 and prev.scale == 1 and low * fig.scale <= fig.value:
                low = to_number(Decimal(str(low)) * fig.scale)
            if (between or joined) and fig.value > low:
                prev.value, prev.high_value, prev.end = low, fig.value, fig.end
                if fig.kind != "count":
                    prev.kind, prev.unit = fig.kind, fig.unit or prev.unit
                continue
        merged.append(fig)
    return merged
