"""Period expressions: what time a figure refers to, as a (start, end) pair of dates.

DESIGN.md: ``start`` is null for a running total "as of"/"by" a date; ``end`` is the
last day of the stated day, month, quarter or year. Expressions without a year
("in July", "as of 1 October", "last year") are resolved against a year stated next
to them ("In 2025, as of 1 October") or else the publication date (the latest such
month not after it). When neither is known the expression is kept, unresolved, so the
figure is not given some other period by mistake.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..textdates import DAY, MONTH, TIME, YEAR, day_number, month_end, month_number, safe_date
from .prefilter import Hint, trie_alternation

SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11),
           "winter": (12, 2)}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3,
            "4th": 4, "last": 4}
COUNT_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
_S = r"[ \t\u00a0\n]+"

# Every form starts with a digit, "Q", a month, "a day", "a week", "a month" or "a year", or
# one of these words (in any case).
_FIRST_WORDS = ("the first second third fourth last early mid late end spring summer autumn "
                "fall winter this past previous current").split()
_MONTH_PREFIXES = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()

# One alternation, longest forms first; named groups say which form matched.
_FORMS = {
    "iso": rf"(?<!\d){YEAR}-\d{{2}}-\d{{2}}(?!\d)",
    "dotted": rf"(?<![\d.])\d{{1,2}}\.\d{{1,2}}\.{YEAR}(?!\d)",
    "firstn": rf"(?i:the{_S})?(?i:first){_S}(?P<n>\d{{1,2}}|(?i:{'|'.join(COUNT_WORDS)})){_S}"
              rf"(?i:months){_S}(?i:of){_S}(?P<ny>{YEAR})",
    "quarter": rf"(?:Q(?P<q>[1-4]){_S}?(?P<qy>{YEAR}))|(?i:the{_S})?(?P<qo>(?i:first|second|third|"
               rf"fourth|last|1st|2nd|3rd|4th)){_S}(?i:quarter){_S}(?i:of){_S}(?P<qy2>{YEAR})",
    "half": rf"(?i:the{_S})?(?P<ho>(?i:first|second)){_S}(?i:half){_S}(?i:of){_S}(?P<hy>{YEAR})",
    "dmy": rf"(?P<d1>{DAY}){_S}(?i:of{_S})?(?P<m1>{MONTH})(?:,?{_S}(?P<y1>{YEAR}))?(?![\w])",
    "mdy": rf"(?P<m2>{MONTH}){_S}(?P<d2>{DAY})(?!\d)(?:,?{_S}(?P<y2>{YEAR}))?(?![\w])",
    "my": rf"(?P<m3>{MONTH})(?:{_S}(?i:of))?{_S}(?:(?P<y3>{YEAR})|(?P<rel3>(?i:this|last|next)"
          rf"{_S}year))(?![\w])",
    "season": rf"(?P<sn>(?i:spring|summer|autumn|fall|winter))(?:{_S}(?i:of))?{_S}(?P<sy>{YEAR})",
    "part": rf"(?P<pp>(?i:early|mid|late|the{_S}(?:beginning|start|end|middle){_S}of|"
            rf"(?:the{_S})?end{_S}of|mid-))[ \t\u00a0-]*(?P<py>{YEAR})(?!\d)",
    "yrange": rf"(?<![\d,.])(?P<ya>{YEAR})[ \t\u00a0\n]*(?:–|—|-|/|to)[ \t\u00a0\n]*"
              rf"(?P<yb>{YEAR}|\d{{2}})(?![\d])",
    "before": rf"(?i:(?:the|a){_S}(?P<bu>day|week|month|year){_S}(?:before|earlier)|the{_S}"
              rf"(?:previous|preceding){_S}(?P<bu2>day|week|month|year)(?={_S}|[,;.)]|$))",
    "ago": rf"(?i:a{_S}(?P<au>day|week|month|year){_S}ago|the{_S}same{_S}(?:period|time|"
           rf"weeks|months){_S}(?:of{_S})?(?:last{_S}year|a{_S}year{_S}(?:ago|earlier)))",
    "rel": rf"(?i:(?:the{_S})?(?:last|this|past|previous|current){_S}(?:year|month))",
    "year": rf"(?<![\d,.$€£])(?P<yy>{YEAR})(?![\d%]|[ \t\u00a0\n]?(?:per|%))",
    "month": r"(?P<m4>(?:January|February|March|April|May|June|July|August|September|"
             r"October|November|December))(?![\w])",
}


def _forms(*names: str) -> str:
    return "|".join(f"(?P<{name}>{_FORMS[name]})" for name in names)


# Every form starts a word with a digit, a capital or one of these letters, and more
# precisely with one of the starts above: checking that first lets the scan pass over most
# words at once.
_START = (r"(?<![A-Za-z])(?=[0-9A-Zaceflmpstw])"
          rf"(?=\d|Q|{trie_alternation(_MONTH_PREFIXES)}|(?i:{trie_alternation(_FIRST_WORDS)})"
          rf"|(?i:a{_S}(?:day|week|month|year)\b))")
# The forms are tried in the order above, where more than one can match. They are grouped
# by what they start with, a digit or a letter (only a quarter starts with either), so
# that the forms that cannot start with the character at hand are passed over at once
# rather than each tried in turn (all fourteen were, at every digit and every "the"); the
# order within each group is the one above, and a form that starts with a digit never
# competes with one that starts with a letter.
_BASE = re.compile(
    rf"{_START}(?:"
    rf"(?=\d)(?:{_forms('iso', 'dotted')})"
    rf"|(?!\d)(?:{_forms('firstn')})"
    rf"|{_forms('quarter')}"
    rf"|(?=\d)(?:{_forms('dmy', 'yrange', 'year')})"
    rf"|(?!\d)(?:{_forms('half', 'mdy', 'my', 'season', 'part', 'before', 'ago', 'rel', 'month')})"
    r")"
)
_TIME = re.compile(rf"(?<![\d:]){TIME}(?![\d:])")
# Every form above holds a year, a month's name (which starts with one of _MONTH_PREFIXES,
# a hint's words being prefixes), the word "year" or "month", or ("a week ago") "ago"; a
# clock time holds a digit, a colon and a digit. The pattern is YEAR|\d:\d, written to
# start with \d so that the scan skips to the digits.
_MAY_HOLD_PERIOD = Hint(_MONTH_PREFIXES + ["year", "month", "ago"],
                        pattern=r"\d(?:(?<=1)9\d\d|(?<=2)0\d\d|:\d)")
_PREFIX = re.compile(
    # A whole word: "into", "Dublin" and "Washington" end in no "to", "in" or "on".
    r"\b(?i:(?=[abdfiostuw]))"  # the first letters of the prefixes below, checked first
    r"(?i:(?P<asof>as\s+of|as\s+at|by(?:\s+the\s+end\s+of)?|until|till|up\s+to|through|"
    r"at\s+the\s+end\s+of|to\s+the\s+end\s+of|to)"
    r"|(?P<since>since(?:\s+early)?|starting\s+(?:in|from)|from)"
    r"|(?P<between>between)|(?P<and>and)"
    r"|(?P<span>for\s+the\s+whole\s+of|for\s+the\s+entirety\s+of|for\s+all\s+of|all\s+of|"
    r"in|during|for|throughout|over|of|on|at|within))[ \t\u00a0\n]+(?:the\s+)?$")
# A _PREFIX match is at most this many words (letters; "for the entirety of the") apart by
# blanks, and ends the text: it starts within its last so many runs of non-blanks.
_PREFIX_WORDS = 5


def _prefix_from(before: str) -> int:
    """Where in ``before`` a _PREFIX search may start: at its last _PREFIX_WORDS runs of
    non-blanks (as ``\\s`` tells blanks), rather than trying the pattern, with a letter
    in any case first, at each of its characters."""
    runs = before.rsplit(None, _PREFIX_WORDS)
    return len(runs[0]) if len(runs) > _PREFIX_WORDS else 0


# "so far this year", "this year to date": the year (or month) until the publication date,
# a running total as of it, not the whole year.
_SO_FAR_BEFORE = re.compile(r"\b(?:so[ \t\u00a0]+far|thus[ \t\u00a0]+far)[ \t\u00a0,]+(?:in[ \t\u00a0]+)?$", re.I)
_SO_FAR_AFTER = re.compile(r"[ \t\u00a0,]+(?:so[ \t\u00a0]+far|to[ \t\u00a0]+date)\b", re.I)
_SINCE_EVENT = re.compile(r"\bsince\b[^,;.]{0,60}?\b(?:began|begun|started|start|beginning|erupted)"
                          r"[ \t\u00a0\n]+in[ \t\u00a0\n]+$", re.I)


@dataclass
class PeriodExpr:
    """A period expression found in the text, resolved where possible."""

    start: int
    end: int
    kind: str  # span, asof, since, range
    first: dt.date | None = None
    last: dt.date | None = None
    resolved: bool = True
    year_only: bool = False
    # "the month before", "a year earlier": a month or year before the sentence's previous
    # period, which _combine works out ("3.1% in January, from 3.4% the month before").
    before: str | None = None

    @property
    def period(self) -> dict | None:
        if not self.resolved:
            return None
        lo = None if self.kind == "asof" else self.first
        hi = None if self.kind == "since" else self.last
        return {"start": lo.isoformat() if lo else None, "end": hi.isoformat() if hi else None}


def _latest_year(month: int, day: int, published: dt.date | None) -> int | None:
    if published is None:
        return None
    year = published.year
    return year if (month, day) <= (published.month, published.day) else year - 1


def _base_dates(m: re.Match, published: dt.date | None):
    """(first, last, resolved, year_only) for one base expression."""
    form = m.lastgroup  # the outer group of the form that matched: it closes last
    if form == "iso":
        d = safe_date(*map(int, m["iso"].split("-")))
        return d, d, d is not None, False
    if form == "dotted":
        day, month, year = map(int, m["dotted"].split("."))
        d = safe_date(year, month, day)
        return d, d, d is not None, False
    if form == "firstn":
        n = int(m["n"]) if m["n"].isdigit() else COUNT_WORDS[m["n"].lower()]
        year = int(m["ny"])
        if not 1 <= n <= 12:
            return None, None, False, False
        return dt.date(year, 1, 1), month_end(year, n), True, False
    if form == "quarter":
        q = int(m["q"]) if m["q"] else ORDINALS[m["qo"].lower()]
        year = int(m["qy"] or m["qy2"])
        return dt.date(year, 3 * q - 2, 1), month_end(year, 3 * q), True, False
    if form == "half":
        h = 1 if m["ho"].lower() == "first" else 2
        year = int(m["hy"])
        return dt.date(year, 6 * h - 5, 1), month_end(year, 6 * h), True, False
    if form in ("dmy", "mdy"):
        day = day_number(m["d1"] or m["d2"])
        month = month_number(m["m1"] or m["m2"])
        year = m["y1"] or m["y2"]
        year = int(year) if year else _latest_year(month, day, published)
        d = safe_date(year, month, day) if year else None
        return d, d, d is not None, False
    if form == "my":
        month = month_number(m["m3"])
        if m["y3"]:
            year = int(m["y3"])
        elif published is None:
            return None, None, False, False
        else:
            rel = m["rel3"].split()[0].lower()
            year = published.year + {"this": 0, "last": -1, "next": 1}[rel]
        return dt.date(year, month, 1), month_end(year, month), True, False
    if form == "season":
        first_m, last_m = SEASONS[m["sn"].lower()]
        year = int(m["sy"])
        last_y = year + 1 if last_m < first_m else year
        return dt.date(year, first_m, 1), month_end(last_y, last_m), True, False
    if form == "part":
        year = int(m["py"])
        part = " ".join(m["pp"].lower().replace("-", " ").split())
        if part.startswith("early") or "beginning" in part or "start" in part:
            return dt.date(year, 1, 1), dt.date(year, 4, 30), True, False
        if part.startswith("mid") or "middle" in part:
            return dt.date(year, 5, 1), dt.date(year, 8, 31), True, False
        if "end" in part:
            return dt.date(year, 12, 31), dt.date(year, 12, 31), True, False
        return dt.date(year, 9, 1), dt.date(year, 12, 31), True, False
    if form == "yrange":
        a, b = int(m["ya"]), m["yb"]
        b = int(b) if len(b) == 4 else a // 100 * 100 + int(b)
        if b <= a:
            return None, None, False, False
        return dt.date(a, 1, 1), dt.date(b, 12, 31), True, False
    if form == "ago":  # "a year ago", "the same period last year": a running total then
        if published is None:
            return None, None, False, False
        unit = (m["au"] or "year").lower()
        if unit == "year":
            then = published.replace(year=published.year - 1, day=min(published.day, 28)) \
                if (published.month, published.day) == (2, 29) else \
                published.replace(year=published.year - 1)
        else:
            then = published - dt.timedelta(days={"day": 1, "week": 7, "month": 30}[unit])
        return then, then, True, False
    if form == "rel":
        if published is None:
            return None, None, False, False
        words = m["rel"].lower().split()
        unit, which = words[-1], words[-2]
        if unit == "year":
            year = published.year - (1 if which in ("last", "past", "previous") else 0)
            if which == "past":
                return published - dt.timedelta(days=365), published, True, False
            return dt.date(year, 1, 1), dt.date(year, 12, 31), True, True
        month_first = published.replace(day=1)
        if which in ("last", "previous", "past"):
            month_first = (month_first - dt.timedelta(days=1)).replace(day=1)
        return month_first, month_end(month_first.year, month_first.month), True, False
    if form == "year":
        year = int(m["yy"])
        return dt.date(year, 1, 1), dt.date(year, 12, 31), True, True
    if form == "month":
        month = month_number(m["m4"])
        year = _latest_year(month, 1, published)
        if year is None:
            return None, None, False, False
        return dt.date(year, month, 1), month_end(year, month), True, False
    return None, None, False, False


def find(text: str, lo: int, hi: int, published: dt.date | None
         ) -> tuple[list[PeriodExpr], list[tuple[int, int]]]:
    """Period expressions in ``text[lo:hi]`` (one sentence), prefixes included, and the
    spans no figure may come from (periods, dates and clock times)."""
    if not _MAY_HOLD_PERIOD(text, lo, hi):
        return [], []
    exprs: list[PeriodExpr] = []
    # A clock time needs a colon, which is far quicker to look for than the pattern.
    masked = [m.span() for m in _TIME.finditer(text, lo, hi)] if text.find(":", lo, hi) >= 0 else []
    for m in _BASE.finditer(text, lo, hi):
        masked.append(m.span())
        before = text[max(lo, m.start() - 40):m.start()]
        prefix = _PREFIX.search(before, _prefix_from(before))
        bare = m.group("year") or m.group("month")
        if bare and not prefix:
            continue  # a bare "2024" or "May" is only a period after in/by/since/…
        try:
            first, last, resolved, year_only = _base_dates(m, published)
        except (ValueError, OverflowError):  # "last year" said in year 1, "next December" in 9999
            first, last, resolved, year_only = None, None, False, False
        kind = "span"
        start = m.start()
        if m.group("rel") and resolved and m["rel"].split()[-2].lower() in ("this", "current") \
                and (_SO_FAR_BEFORE.search(before) or _SO_FAR_AFTER.match(text, m.end(), hi)):
            kind, last = "asof", published  # year (or month) to date
        elif prefix:
            kind = next(k for k in ("asof", "since", "between", "and", "span") if prefix.group(k))
            start = m.start() - len(before) + prefix.start()
            if m.group("yrange") and kind in ("since", "between"):
                kind = "span"  # "from 2022 to 2024" is closed at both ends
            elif kind == "span" and _SINCE_EVENT.search(before):
                kind = "since"  # "since the invasion began in February 2022"
        if m.group("ago"):
            kind = "asof"  # "in the same period last year" too is a running total then
        exprs.append(PeriodExpr(start, m.end(), kind, first, last, resolved, year_only,
                                (m.group("bu") or m.group("bu2") or "").lower() or None))
        masked.append((start, m.end()))
    return _combine(text, exprs, published), masked


def _combine(text: str, exprs: list[PeriodExpr], published: dt.date | None) -> list[PeriodExpr]:
    """Join "from A to B", "between A and B", and "In 2025, as of 1 October"; date "the
    month before" by the period before it."""
    out: list[PeriodExpr] = []
    for e in exprs:
        prev = out[-1] if out else None
        if e.before:
            _date_before(text, e, prev, published)
        if prev is not None:
            gap = text[prev.end:e.start]
            joins_range = ((prev.kind == "since" and e.kind == "asof" and not gap.strip(" \t\u00a0"))
                           or (prev.kind == "between" and e.kind == "and" and not gap.strip(" \t\u00a0")))
            if joins_range:
                if e.resolved:
                    _start_in_end_year(text, prev, e.last)
                prev.end, prev.kind = e.end, "span"
                prev.last, prev.resolved = e.last, prev.resolved and e.resolved
                continue
            if (prev.year_only and prev.kind == "span" and e.kind == "asof"
                    and re.fullmatch(r"[ \t\u00a0\n]*,?[ \t\u00a0\n]*", gap)):
                _rebase_year(text, e, prev.first.year)
                e.first, e.kind, e.start = prev.first, "span", prev.start
                out[-1] = e
                continue
        out.append(e)
    for e in out:
        if e.kind in ("between", "and"):  # "between May 2024" with no "and …": that period
            e.kind = "span"
    return out


_PREVIOUS = re.compile(r"the\s+(?:previous|preceding)", re.I)


def _date_before(text: str, e: PeriodExpr, prev: PeriodExpr | None,
                 published: dt.date | None) -> None:
    """"The month before", "a year earlier": the month (or year) before the period the
    sentence gave last ("3.1% in January, from 3.4% the month before" is December's), the
    same month a year before a month; with none, "the previous month" is the one before
    publication's, as "last month" is, and "the month before" stays unresolved. "A week
    earlier" and "the day before" move a date or an "as of" date back."""
    kind = "span"
    if e.before in ("day", "week"):
        # "288 a week earlier" beside "412 as of 28 February": as of 21 February
        days = 1 if e.before == "day" else 7
        if prev is not None and prev.resolved and prev.last and (
                prev.kind == "asof" or prev.first == prev.last):
            try:
                last = prev.last - dt.timedelta(days=days)
            except OverflowError:
                last = None
            first, kind = (None, "asof") if prev.kind == "asof" else (last, "span")
            e.first, e.last, e.resolved, e.kind = first, last, last is not None, kind
        else:
            e.first = e.last = None
            e.resolved = False
        return
    try:
        first, last = _before_dates(text, e, prev, published)
    except (ValueError, OverflowError):  # before year 1
        first = last = None
    e.first, e.last, e.resolved, e.kind = first, last, first is not None, kind


def _before_dates(text: str, e: PeriodExpr, prev: PeriodExpr | None,
                  published: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    first = last = None
    if prev is not None and prev.resolved and prev.first and prev.last:
        if _is_month(prev.first, prev.last):
            back = 1 if e.before == "month" else 12
            month = prev.first.year * 12 + prev.first.month - 1 - back
            first = dt.date(month // 12, month % 12 + 1, 1)
            last = month_end(first.year, first.month)
        elif e.before == "year" and (prev.first.month, prev.first.day, prev.last.month,
                                     prev.last.day) == (1, 1, 12, 31):
            first = dt.date(prev.first.year - 1, 1, 1)
            last = dt.date(prev.last.year - 1, 12, 31)
    elif published is not None and _PREVIOUS.match(text, e.start, e.end):
        if e.before == "month":
            last = published.replace(day=1) - dt.timedelta(days=1)
            first = last.replace(day=1)
        else:
            first, last = dt.date(published.year - 1, 1, 1), dt.date(published.year - 1, 12, 31)
    return first, last


def _is_month(first: dt.date, last: dt.date) -> bool:
    return first.day == 1 and last == month_end(first.year, first.month)


def _start_in_end_year(text: str, start: PeriodExpr, last: dt.date) -> None:
    """The start of a range, when it states no year, is of the end's year ("from 1 March
    to 30 April 2025"), or of the year before when that would put it after the end ("from
    1 December to 31 January 2025"); not of the year of publication."""
    m = _BASE.search(text, start.start, start.end)
    if m and (m.group("dmy") or m.group("mdy")) and not (m.group("y1") or m.group("y2")):
        month = month_number(m.group("m1") or m.group("m2"))
        day = day_number(m.group("d1") or m.group("d2"))
    elif m and m.group("month"):
        month, day = month_number(m.group("m4")), 1
    else:
        return
    first = safe_date(last.year, month, day)
    if first is not None and first > last:
        first = safe_date(last.year - 1, month, day)
    start.first, start.resolved = first, first is not None


def _rebase_year(text: str, e: PeriodExpr, year: int) -> None:
    """Give a year-less date ("as of 1 October") the year stated next to it."""
    m = _BASE.search(text, e.start, e.end)
    if m and (m.group("dmy") or m.group("mdy")) and not (m.group("y1") or m.group("y2")):
        day = day_number(m.group("d1") or m.group("d2"))
        d = safe_date(year, month_number(m.group("m1") or m.group("m2")), day)
        e.last, e.resolved = d, d is not None
    elif m and m.group("month"):
        e.last, e.resolved = month_end(year, month_number(m.group("m4"))), True
