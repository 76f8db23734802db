"""The counted thing: the noun phrase after a figure ("6 162 foreigners without …" →
``foreigners``), with place words left to the entities ("two Chinese citizens" →
``citizens`` about China).

Without a tagger (LIBRARIES.md: spaCy is slow and has no verified small model on PyPI),
the phrase is read as up to four words that stop at function words, verbs in -ing/-ed
after a noun, and punctuation. "6,011 of them" and "3,388 have been killed" have no
phrase of their own: the unit comes from the antecedent, the closest earlier figure that
counts people or things rather than places.
"""
from __future__ import annotations

import bisect
import re

STOP = frozenset("""
of from in on at to for with without by who whom which that whose were was are is have has had
be been being and or but as than this these those the a an it its their his her they he she we
i you not no only also while when where after before since until per each every including
among out up down into through across over under about around near against between during will
would can could may might must shall should do does did so such there here then now still already
most all both some any many few several other others another more less like if because though
although whether either neither nor yet just even ever never very too again once twice within
upon via plus minus versus vs etc said says told according later earlier ago old apart away
long wide high deep
""".split())
PLACE_UNITS = frozenset("countries country states territories nations regions cities "
                        "provinces oblasts districts villages towns settlements".split())
PLURAL_NOUNS = frozenset("people men women children personnel staff police troops cattle "
                         "livestock crew militia clergy".split())
UNITS = frozenset("km kg g mg t m cm mm ha mph kph kmh mw gw kw kwh mwh gwh bbl sq ft mi lb oz "
                  "tonnes tons litres liters metres meters miles feet".split())
TIME_UNITS = frozenset("seconds minutes hours days weeks months years decades centuries "
                       "second minute hour day week month year decade century".split())
PERSON_NOUNS = frozenset("people person men women children citizen national personnel staff "
                         "soldier man woman child individual resident".split())
_TOKEN = re.compile(r"[ \t\u00a0\n]*([A-Za-z][A-Za-z’'\-]*)")
# "17 of its citizens", "678 of these individuals", "three more foreigners".
_LEAD = re.compile(r"(?:[ \t\u00a0\n]+of[ \t\u00a0\n]+(?:its|their|his|her|our|these|those|the)(?=[ \t\u00a0\n]+[a-z]))?"
                   r"(?:[ \t\u00a0\n]+(?:more|other|additional|further|new|extra))?(?=[ \t\u00a0\n]+[A-Za-z])")
_MONTHS = frozenset("january february march april may june july august september october "
                    "november december".split())


def phrase(text: str, end: int, hi: int, place_spans: list[tuple[int, int]],
           singular: bool = False) -> tuple[str | None, int]:
    """The counted-thing phrase right after ``end`` (lowercased, place words removed),
    and the offset where it ends. Its last word must be a noun that fits the number
    (a plural, a person noun or a unit; a singular only after "one"), which keeps verbs
    out: "1,013 come from African states" has no phrase of its own."""
    words: list[str] = []
    pos = end
    last_end = end
    skipped_place = False
    if lead := _LEAD.match(text, pos, hi):
        pos = lead.end()
    for _ in range(6):
        m = _TOKEN.match(text, pos, hi)
        if not m:
            break
        word = m.group(1)
        low = word.lower().strip("’'-")
        place_end = _place_end(place_spans, m.start(1))
        if place_end is not None:
            pos = last_end = place_end
            skipped_place = True
            continue
        if low in STOP or low in _MONTHS:
            break
        if words and (low.endswith("ing") or low.endswith("ed")) and len(low) > 4:
            break
        if low.endswith("ly") and len(low) > 4:
            pos = m.end()
            continue
        words.append(low)
        pos = last_end = m.end()
        if len(words) == 4:
            break
        if _ends_phrase(low):
            # A noun compound ends on its last plural: "412 measles cases".
            nxt = _TOKEN.match(text, pos, hi)
            following = nxt.group(1).lower() if nxt else ""
            if (len(words) < 4 and following not in STOP and _fits_plural(following)
                    and following.endswith("s") and not _place_end(place_spans, nxt.start(1))):
                words.append(following)
                pos = last_end = nxt.end()
            break
    while words and (words[-1].endswith("ed") or words[-1].endswith("ing")) and len(words) > 1:
        words.pop()
    if words and not (singular or _fits_plural(words[-1])):
        words = []
    if not words and skipped_place:  # "two Chinese": a demonym used as a noun
        return "people", last_end
    return (" ".join(words) or None), last_end if words else end


def _place_end(place_spans: list[tuple[int, int]], offset: int) -> int | None:
    """End of the place mention covering ``offset`` (spans are sorted), else None."""
    i = bisect.bisect_right(place_spans, (offset, float("inf"))) - 1
    if i >= 0 and place_spans[i][0] <= offset < place_spans[i][1]:
        return place_spans[i][1]
    return None


def _fits_plural(word: str) -> bool:
    return (word in PLURAL_NOUNS or word in UNITS
            or (word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 2))


def _ends_phrase(word: str) -> bool:
    """A plural or a person noun closes the phrase: "300 people remain", "6 162 foreigners
    lacking…", "one Nepalese citizen joined"."""
    return word in PERSON_NOUNS or (word.endswith("s") and not word.endswith("ss") and len(word) > 3)


def can_be_antecedent(unit: str | None) -> bool:
    """"6,011 of them" refers back to people or things, not to places, spans of time or
    units of measure ("95 km/h. Of the injured, five…" counts no kilometres)."""
    return bool(unit) and unit.split()[-1] not in _NOT_ANTECEDENTS


_NOT_ANTECEDENTS = PLACE_UNITS | TIME_UNITS | UNITS


_B = r"[ \t\u00a0]+"
# "Measles cases in the province have reached 421": a verb that says the figure is how many
# its subject are, with a qualifier or two between ("rose to almost 400").
_LINKED = re.compile(
    rf"(?<![\w'’-])(?P<subject>[A-Za-z][\w'’-]*(?:{_B}[A-Za-z][\w'’-]*){{0,6}}){_B}"
    rf"(?:(?:has|have|had){_B})?(?:reach(?:es|ed)?|hits?|number(?:s|ed)|totall?(?:s|ed)|"
    rf"(?:rises?|risen|rose|climb(?:s|ed)?|increas(?:es|ed)|grow(?:s|n)?|grew|falls?|fallen|"
    rf"fell|drop(?:s|ped)?|declin(?:es|ed)){_B}to|(?:stood|stands?){_B}at)"
    rf"(?:{_B}[a-z]+){{0,2}}{_B}$", re.I)
_DETERMINERS = frozenset("the a an its their this these those our his her".split())
# Words after which a new clause, and so the subject, starts ("officials said that cases …").
_CLAUSE_MARKERS = frozenset("that which who whom whose said says and but while when as after "
                            "because since although though if".split())
_AGGREGATES = frozenset("number total count tally".split())


def subject(text: str, lo: int, start: int) -> str | None:
    """The counted thing as the subject of a verb before the figure at ``start`` ("Measles
    cases in the province have reached 421": ``measles cases``; "the number of people
    evacuated rose to 3,500": ``people``), with ``lo`` the sentence's start. Only a
    plural noun phrase of at most three words that opens its clause (after "officials
    said that"), within seven words of the verb."""
    m = _LINKED.search(text, max(lo, start - 120), start)
    if not m:
        return None
    words = m.group("subject").lower().split()
    markers = [k for k, word in enumerate(words) if word in _CLAUSE_MARKERS]
    if markers:
        words = words[markers[-1] + 1:]
    while words and words[0] in _DETERMINERS:
        words = words[1:]
    if len(words) > 2 and words[0] in _AGGREGATES and words[1] == "of":
        words = words[2:]
    phrase: list[str] = []
    for word in words:
        if word in STOP or word in _MONTHS or (
                phrase and word.endswith(("ed", "ing")) and len(word) > 4):
            break
        phrase.append(word)
    if not phrase or len(phrase) > 3 or not _fits_plural(phrase[-1]) or phrase[-1] in TIME_UNITS:
        return None
    return " ".join(phrase)
