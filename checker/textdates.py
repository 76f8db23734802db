"""Calendar words and the publication date as articles print it in their text.

Web copy loses its metadata; what survives is a date line: ``date 2025-08-14`` before
the first sentence, ``17.05.2025.`` on a line of its own, or a byline ending
``19 November, 14:12`` whose year must be inferred from the years the article mentions.
Dates inside sentences and photo captions ("Kyiv, April 14, 2025. (Source: …)") are not
publication dates, so only lines that are essentially a date are read, and a wire
dateline opening a paragraph ("DORNFELD, June 4 (CPA) – Workers…").
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from itertools import chain

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
         r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?")
YEAR = r"(?:19|20)\d{2}"
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?"

_ISO = re.compile(rf"(?<!\d)({YEAR})-(\d{{2}})-(\d{{2}})(?!\d)")
_DOTTED = re.compile(rf"(?<![\d.])(\d{{1,2}})\.(\d{{1,2}})\.({YEAR})(?!\d)")
_DAY_MONTH = re.compile(rf"\b({DAY})\s+({MONTH})(?:,?\s+({YEAR}))?(?!\w)", re.I)
_MONTH_DAY = re.compile(rf"\b({MONTH})\s+({DAY})(?!\d)(?:,?\s+({YEAR}))?(?!\w)", re.I)
_YEAR_TOKEN = re.compile(rf"(?<![\d.,])({YEAR})(?![\d])")

# A reading time, as page furniture prints it beside a date: "February 12, 2026 | 3 min
# read". After a date, with its separator, at most 24 characters; never itself the date
# (after "February 12, 2026 |").
_READING_WORDS = r"\d{1,3}[ \t\u00a0]?(?:mins?|minutes?)\.?[ \t\u00a0]read\b"
_READING_TIME = rf"(?:[ \t\u00a0]{{0,3}}[—–|•·][ \t\u00a0]{{0,3}}{_READING_WORDS})?"
_READING = re.compile(_READING_WORDS, re.I)
# A line that is only a date (optionally after a byline or a "date"/"published" label,
# optionally with a clock time and a reading time): the way page furniture prints a
# publication date.
_DATE_LINE = re.compile(
    rf"^[ \t\u00a0]*(?:(?:date|published|posted|updated|by\b[^\n]{{0,80}}?|[^\n]{{0,80}}?[—–|•·])"
    rf"[ \t\u00a0:,]*)?(?![ \t\u00a0]*{_READING_WORDS})(?P<date>[^\n]{{4,40}}?)"
    rf"[ \t\u00a0,.]*(?:{TIME})?[ \t\u00a0.]*"
    rf"{_READING_TIME}[ \t\u00a0.]*$",
    re.I | re.M)
# In a _DATE_LINE match the date is at most 40 characters, and only blanks, ",.:", a clock
# time (digits, blanks, ":", "." and a/p/m in either case) and a reading time of at most
# 24 characters may follow it. So the date starts at most 64 characters before the
# line's last character that is none of blanks, ",.:", digits and a/p/m (``_LAST_SOLID``);
# when the line holds no digit from there on, no date can be read from it.
_DATE_SPAN = 64
_LAST_SOLID = re.compile(r".*[^\s,.:\dAaPpMm]", re.S)
# Before the date come blanks, and at most one label, "by" and 80 characters, or 80
# characters and a dash, each followed by blanks, ":" and ",": no more than this many
# characters other than those. A line holding more before its date's earliest start is
# no date line, which is far quicker to count than for the pattern to try every way.
_PREFIX_SPAN = 82
_PREFIX_BLANKS = " \t\u00a0:,"
_DIGIT = re.compile(r"\d")
# "date 2025-08-14 In addition to…": a label and ISO date before the first sentence.
LEADING_DATE = re.compile(r"[^\w\n]{0,3}(?:date|published|updated)[ \t\u00a0:]+(\d{4}-\d{2}-\d{2})"
                          r"[ \t\u00a0]*", re.I)

# A wire dateline opening a paragraph: "DORNFELD, June 4 (CPA) – ", "BRENSTADT, 6 October
# 2025 (BNA) - ", "KYIV (Reuters) — ": a place in capitals, then a date, an agency in
# brackets or both, then a dash. Its date is when the story was filed: the publication
# date, not when the paragraph's figures hold (``furniture`` leaves it out of the content).
_BLANK = r"[ \t\u00a0]"
DATELINE = re.compile(
    rf"{_BLANK}*[A-Z][A-Z.'’\- ]*[A-Z.]"
    rf"(?:,{_BLANK}+(?P<date>{DAY}{_BLANK}+{MONTH}(?:,?{_BLANK}+{YEAR})?"
    rf"|{MONTH}{_BLANK}+{DAY}(?:,?{_BLANK}+{YEAR})?)(?:{_BLANK}+\([^()\n]{{1,30}}\))?"
    rf"|{_BLANK}+\([^()\n]{{1,30}}\)){_BLANK}*[—–-]{{1,2}}{_BLANK}+")


def month_number(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def day_number(word: str) -> int:
    return int(re.match(r"\d+", word).group())


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def month_end(year: int, month: int) -> dt.date:
    """The last day of that month."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_date(text: str) -> tuple[dt.date | None, tuple[int, int] | None]:
    """A full date, or (None, (month, day)) when the year is missing, or (None, None)."""
    text = text.strip()
    if m := _ISO.fullmatch(text):
        return safe_date(int(m[1]), int(m[2]), int(m[3])), None
    if m := _DOTTED.fullmatch(text):
        return safe_date(int(m[3]), int(m[2]), int(m[1])), None
    for pattern, d, mo, y in ((_DAY_MONTH, 1, 2, 3), (_MONTH_DAY, 2, 1, 3)):
        if m := pattern.fullmatch(text):
            month, day = month_number(m[mo]), day_number(m[d])
            if m[y]:
                return safe_date(int(m[y]), month, day), None
            return None, (month, day)
    return None, None


def infer_published_year(text: str, month: int, day: int) -> int | None:
    """The year of a year-less date line: the latest year the article mentions, so a
    piece that talks about "2025" and is dated "19 November" is 19 November 2025."""
    years = [int(y) for y in _YEAR_TOKEN.findall(text)]
    today = dt.date.today()
    years = [y for y in years if y <= today.year]
    if not years:
        return None
    year = max(years)
    return year if safe_date(year, month, day) else None


def detect_published(text: str, body_start: int = 0,
                     head_chars: int = 1500) -> tuple[dt.date, str] | None:
    """Publication date from the head of the text, with how it was known ("text" or
    "inferred")."""
    head = text[body_start:body_start + head_chars]
    if m := LEADING_DATE.match(head):
        date, _ = parse_date(m[1])
        if date:
            return date, "text"
    datelines = (m for line in head.splitlines() if (m := DATELINE.match(line)) and m["date"])
    for m in chain(_date_lines(head), datelines):
        date, month_day = _parse_tail(m["date"])
        if date:
            return date, "text"
        if month_day:
            year = infer_published_year(text[body_start:], *month_day)
            if year:
                return dt.date(year, *month_day), "inferred"
    return None


_SEPARATOR = re.compile(r"[,|—–•·]")


def dated_reading_time(line: str) -> bool:
    """Whether a line is a reading time and a date ("February 12, 2026 | 3 min read",
    "By Jane Doe · 12 February 2026 · 4 mins read"): page furniture, whose "3" is no
    figure of the article."""
    m = _READING.search(line)
    if not m:
        return False
    rest = f"{line[:m.start()]}|{line[m.end():]}".strip(" \t\u00a0|•·—–.")
    return bool(rest) and _parse_tail(rest) != (None, None)


def _parse_tail(text: str) -> tuple[dt.date | None, tuple[int, int] | None]:
    """``parse_date`` of a date line's date, or of what follows a separator in it: the
    line's pattern may leave a byline in front ("Jane Doe, 14 August 2025", "Jane Doe |
    August 14, 2025")."""
    found = parse_date(text)
    for separator in _SEPARATOR.finditer(text):
        if found != (None, None):
            break
        found = parse_date(text[separator.end():])
    return found


def _prefix_too_long(before_date: str) -> bool:
    """Whether ``before_date`` (a line up to where its date may start at the earliest)
    holds more than _PREFIX_SPAN characters other than _PREFIX_BLANKS."""
    blanks = sum(map(before_date.count, _PREFIX_BLANKS))
    return len(before_date) - blanks > _PREFIX_SPAN


def _date_lines(head: str):
    """What ``_DATE_LINE.finditer(head)`` yields, less matches whose date holds no digit
    (nothing can be read from those): a match never spans lines, so each line is tried
    alone, and only where its end (see _DATE_SPAN) holds a digit and what comes before
    is short enough (see _PREFIX_SPAN)."""
    pos = 0
    while digit := _DIGIT.search(head, pos):
        start = head.rfind("\n", 0, digit.start()) + 1
        end = head.find("\n", digit.start())
        if end < 0:
            end = len(head)
        pos = end + 1
        solid = _LAST_SOLID.match(head, start, end)
        if solid:
            date_from = max(start, solid.end() - _DATE_SPAN)
            if not _DIGIT.search(head, date_from, end) or _prefix_too_long(head[start:date_from]):
                continue
        if m := _DATE_LINE.match(head, start, end):
            yield m
