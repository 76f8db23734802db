"""Tell article content from page furniture, and find the headline.

Copied web pages carry "3 min read" (alone or beside a date), "Advertisement:",
"Support us on Patreon", photo captions, bylines with a date and a repeated headline.
None of that is a claim a source makes, so those lines are left out of the content spans
that claims are drawn from (the text itself is never changed: offsets must stay true to
the file).
"""
from __future__ import annotations

import re

from .claims.prefilter import Hint
from .textdates import DATELINE, LEADING_DATE, dated_reading_time

# Furniture is a line that is little more than a label ("3 min read", "Tags:",
# "Photo: …", a copyright line) …
_FURNITURE_LABEL = re.compile(
    r"""^\W*(?:
        \d+\s*(?:min(?:ute)?s?|m)\.?\s+read
      | by\s+[^|·•—–\d\n]{1,60}[|·•—–]\s*\d+\s*(?:min(?:ute)?s?|m)\.?\s+read  # a byline and one
      | advertisement:?
      | (?:sponsored|promoted)(?:\s+content)?
      | (?:category|categories|tags?|topics?|authors?|share|see\s+all|read\s+more|related(?:\s+\w+)?
          |latest\s+news|most\s+read|comments?|newsletter|menu|home)\s*:?
      | (?:photo|image|video|illustration|credit|source\s+image)\s*:.*
      | ©.*
    )\W*$""",
    re.I | re.X)
# … or a line with a credit or an appeal anywhere in it: a caption ending "(Source: …)" or
# "… Photo: …", "Support us on Patreon". These backtrack over the whole line, so a line
# is only tried when it holds one of their words.
_FURNITURE_MENTION = re.compile(
    r"""^\W*(?:
        .*\((?:source|photo|credit)\s*:[^)]*\)\W*
      | .*[.!?]\s+(?:photo|image|credit)\s*:\s*[^.]{1,60}
      | .*\b(?:on\s+patreon|subscribe\s+to|sign\s+up\s+for|donate\s+to|your\s+support|
             support\s+us|help\s+us\b|follow\s+us|all\s+rights\s+reserved|cookie)\b.*
    )\W*$""",
    re.I | re.X)
_MENTION_WORDS = Hint("source photo credit image patreon subscribe sign donate support help "
                      "follow rights cookie".split())
_FURNITURE_MAX = 300  # furniture is a short line; long lines are paragraphs
_OUTLET = re.compile(r"\bsupport\s+(?!(?:us|me|our|them)\b)(?P<outlet>[A-Z][\w.&' -]{1,60}?)\s+on\s+patreon\b"
                     r"|©\s*(?:\d{4}\s+)?(?P<copy>[A-Z][\w.&' -]{1,60}?)\s*(?:\.|$|all\s+rights)",
                     re.I | re.M)
_PATREON = Hint(["patreon"])  # _OUTLET cannot match without it or a "©"
# A byline ending in a clock time ("Jane Doe — 19 November, 14:12") or a bare date. The
# words before the dash are matched possessively: a plain ``\w+`` may split one word in
# every possible way before giving up, which made this the slowest pattern of the run.
_DATE_ONLY = re.compile(r"^[\W\d]*(?:\w++[ ,]*+){0,6}[—–|][^\n]*\d{1,2}:\d{2}\W*$"
                        r"|^\W*\d[\d.\-/]+\W*$")
_SENTENCE_END = re.compile(r"[.…:;\"”’)]\s*$")
# _DATE_ONLY's byline needs a clock time's colon; its bare date has no word character but
# digits. A line with neither a colon nor only digits for word characters is not tried.
_LETTER = re.compile(r"[^\W\d]")


_OPEN_END = re.compile(r"[\w,;%)\-–—]$")


def _continues(text: str, previous: tuple[int, int], line: str) -> bool:
    """Whether ``line`` carries on the paragraph of the line just before it, as in plain
    text wrapped at a fixed width: the previous line stops mid-sentence and this one
    starts with a lower-case word or a figure."""
    # _OPEN_END ends at the end or before a final newline: the last two characters tell.
    return bool(_OPEN_END.search(text, max(previous[0], previous[1] - 2), previous[1])) and (
        line[:1].islower() or line[:1].isdigit())


def _is_title(line: str) -> bool:
    words = line.split()
    return 3 <= len(words) <= 30 and not _SENTENCE_END.search(line) and line[:1].isupper()


def content_spans(text: str, body_start: int = 0) -> tuple[list[tuple[int, int]], dict]:
    """Spans of content lines (offsets into ``text``) and what the furniture told us
    (``title``: the first headline-like line; ``outlet``: from a "Support X on
    Patreon" or copyright line)."""
    spans: list[tuple[int, int]] = []
    detected: dict = {}
    seen: set[str] = set()
    pos = body_start
    for line in text[body_start:].splitlines(keepends=True):
        start, pos = pos, pos + len(line)
        stripped = line.strip(" \t\r\n\u00a0\u200b")
        if not stripped:
            continue
        key = " ".join(stripped.split())
        if len(stripped) <= _FURNITURE_MAX:
            mentions = _MENTION_WORDS(text, start, pos)  # asked first: it holds _PATREON's word
            if ("©" in stripped or (mentions and _PATREON(text, start, pos))) and (
                    m := _OUTLET.search(stripped)):
                detected.setdefault("outlet", (m["outlet"] or m["copy"]).strip())
            if (_FURNITURE_LABEL.match(stripped)
                    or ((":" in stripped or not _LETTER.search(stripped))
                        and _DATE_ONLY.match(stripped))
                    or (mentions and _FURNITURE_MENTION.match(stripped))
                    or ("read" in stripped and dated_reading_time(stripped))):
                continue
        if key in seen and len(key) >= 15:
            continue
        seen.add(key)
        if not spans and _is_title(stripped):
            detected["title"] = key
        end = start + len(line.rstrip("\r\n"))
        if (not spans and (lead := LEADING_DATE.match(line))) or (lead := DATELINE.match(line)):
            start += lead.end()
        if spans and spans[-1][1] == start - 1 and _continues(text, spans[-1], stripped):
            spans[-1] = (spans[-1][0], end)  # a hard-wrapped paragraph is one span
            continue
        spans.append((start, end))
    if not spans and text[body_start:].strip():
        spans.append((body_start, len(text)))
    return spans, detected
