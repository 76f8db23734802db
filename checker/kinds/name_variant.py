"""name-variant: one person's name spelled differently, across or within documents.

People are the names the extractor found (a given name and surname, or a title and
surname) plus bare capitalised words close to one of their surnames ("Zjazjulcik" after
"Maksim Zyazyulchik"). Names are folded to ASCII (anyascii) and compared with rapidfuzz's
ratio, which LIBRARIES.md measured to separate the seeds' variants (76.2 and up) from
different people (64.5 and down). Two full names are one person when the surnames are at
least ``min_similarity`` alike and the given names at least ``min_given_similarity``
(Dmitry/Dmytro Usov yes; Olena and Volodymyr Zelensk… no; Usov and Ruto never).
Places are not compared here: an alias table already joins their spellings.

Fires: "Dmitry Usov" in one article and "Dmytro Usov" in another.
Quiet: "Dmitry Usov" and "William Ruto".
"""
from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from functools import lru_cache
from typing import NamedTuple

import regex
from anyascii import anyascii
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from ..claims.entities import NOT_NAME_TOKENS, ORG_WORDS, TITLES
from ..claims.model import Claim
from ..documents import Document
from .base import Context, Hit, Param, join

KIND = "name-variant"
UNALIGNED = True  # reads the documents and copies, no measure: runs while claims align
PARAMS = {
    "min_similarity": Param("number", 76, "surnames at least this alike (rapidfuzz ratio on "
                                          "ASCII-folded names, 0–100) may be one person"),
    "min_given_similarity": Param("number", 50, "given names at least this alike may be one "
                                                "person (Dmitry/Dmytro: 67)"),
    "min_length": Param("int", 4, "shorter surnames are compared only when spelled the same"),
}
SAMPLE = {"names": ["Dmitry Usov", "Dmytro Usov"], "prevailing": "Dmytro Usov", "tied": False,
          "variants": [{"name": "Dmitry Usov", "docs": "002", "count": 1, "independent": 1}] * 2}

# One to three capitalised words, in any script.
_CAPITALISED = regex.compile(r"(?<![\w’'-])\p{Lu}[\p{Ll}’'-]+(?:[ \u00a0]\p{Lu}[\p{Ll}’'-]+){0,2}(?![\w’'-])")
NOT_GIVEN = NOT_NAME_TOKENS | TITLES | ORG_WORDS
_POSSESSIVE = regex.compile(r"[’']s?$")
_TOKEN = regex.compile(r"\S+")


_TRANSLITERATION = ((regex.compile(r"j"), "y"), (regex.compile(r"(?:ff|w)\b"), "v"))


@lru_cache(maxsize=1 << 16)
def _fold(name: str) -> str:
    """ASCII, lower case, and the commonest transliteration swaps made equal: j/y
    (Zjazjulcik, Zyazyulchik) and a final -ff or -w for -v (Usoff, Usow, Usov)."""
    folded = anyascii(name).lower()
    for pattern, replacement in _TRANSLITERATION:
        folded = pattern.sub(replacement, folded)
    return folded


def surname_keys(name: str) -> tuple[str, str]:
    """Blocking keys: names are compared only with names sharing the surname's first
    letter or its last three (Yefremov and Jefremov share "mov"), never all pairs."""
    last = _fold(name.split()[-1])
    return "^" + last[:1], "$" + last[-3:]


def _one_letter(a: str, b: str) -> bool:
    """Short surnames differ by one letter when misspelt (Usov/Usow scores only 75)."""
    return Levenshtein.distance(a, b) <= 1


def _same_person(a: str, b: str, params: dict) -> bool:
    a_tokens, b_tokens = _fold(a).split(), _fold(b).split()
    a_last, b_last = a_tokens[-1], b_tokens[-1]
    if a_last != b_last:
        if min(len(a_last), len(b_last)) < params["min_length"]:
            return False
        if fuzz.ratio(a_last, b_last) < params["min_similarity"] and not _one_letter(a_last, b_last):
            return False
    if len(a_tokens) > 1 and len(b_tokens) > 1:
        if a_last == b_last and fuzz.ratio(" ".join(a_tokens), " ".join(b_tokens)) < params["min_similarity"]:
            return False  # Kim Jong Un and Kim Yo Un
        return fuzz.ratio(a_tokens[0], b_tokens[0]) >= params["min_given_similarity"]
    return True


DEFAULTS = {name: param.default for name, param in PARAMS.items()}


def may_be_same_person(a: str, b: str) -> bool:
    """``_same_person`` with the default parameters: what a draft's lookup of namesakes
    in the claim index asks."""
    return _same_person(a, b, DEFAULTS)


class _Seen(NamedTuple):
    """A name where it was seen; made into evidence (``_evidence``) only when it is cited,
    since most names in a large corpus never are."""

    doc: Document
    start: int
    end: int
    name: str


def _mentions(ctx: Context, params: dict) -> list[_Seen]:
    """Every person mention, plus capitalised words the extractor did not take for a
    person but that look like a variant of a known surname ("Zjazjulcik"), with the
    capitalised word before them as a given name ("Jaroslaw Nowicky")."""
    found: list[_Seen] = []
    spelled: set[str] = set()  # surnames as written (ASCII, lower case)
    for doc in ctx.documents.values():
        for m in doc.people:
            found.append(_Seen(doc, m.start, m.end, m.name))
            if " " in m.name:
                spelled.add(_ascii_lower(m.name.split()[-1]))
    buckets: dict[str, set[str]] = defaultdict(set)
    for surname in spelled:
        for key in surname_keys(surname):
            buckets[key].add(_fold(surname))
    # A draft is checked for its own spellings: bare words are sought in it alone.
    drafts = [d for d in ctx.documents.values() if d.role == "draft"]
    variant: dict[str, bool] = {}  # a capitalised word -> whether it may spell a known surname
    decided: set[str] = set()  # every capitalised sequence (as written) looked at so far
    varying: set[str] = set()  # ... those whose last word may spell a known surname

    def may_vary(word: str) -> bool:
        folded = _fold(word)
        if len(folded) < params["min_length"] or _ascii_lower(word) in spelled:
            return False
        near = {k for key in surname_keys(folded) for k in buckets.get(key, ())}
        return any(fuzz.ratio(folded, known) >= params["min_similarity"]
                   or _one_letter(folded, known) for known in near)

    def decide(seqs: list[str]) -> None:
        for seq in seqs:
            if seq not in decided:
                decided.add(seq)
                word = _last_word(seq)
                known = variant.get(word)
                if known is None:
                    known = variant[word] = may_vary(word)
                if known:
                    varying.add(seq)

    in_span: dict[tuple, list[str]] = {}
    for doc in drafts or ctx.documents.values():
        covered = sorted((m.start, m.end) for m in doc.people)
        for lo, hi in doc.spans:
            # Most spans hold no variant: the strings alone, checked against the sets in
            # one go, rule them out without a match object or a word decided twice.
            seqs = _capitalised(doc.text, lo, hi, in_span)
            if not decided.issuperset(seqs):
                decide(seqs)
            if varying.isdisjoint(seqs):
                continue
            for seq in _CAPITALISED.finditer(doc.text, lo, hi):
                if seq.group() in varying:
                    seen = _bare(doc, seq, covered)
                    if seen:
                        found.append(seen)
    return found


def _capitalised(text: str, lo: int, hi: int, found: dict) -> list[str]:
    """``_CAPITALISED.findall(text, lo, hi)``, worked out once per distinct span: wire
    copy repeats paragraphs in thousands of articles. The pattern looks one character
    behind a match, so a span is known by its text with the character before it."""
    key = (lo > 0, text[max(lo - 1, 0):hi])
    seqs = found.get(key)
    if seqs is None:
        seqs = found[key] = _CAPITALISED.findall(text, lo, hi)
    return seqs


def _last_word(seq: str) -> str:
    """The word of a capitalised sequence that may spell a surname: its last, without a
    possessive ending."""
    return _POSSESSIVE.sub("", seq).rsplit(None, 1)[-1]


def _bare(doc: Document, seq: regex.Match, covered: list[tuple[int, int]]) -> _Seen | None:
    """A capitalised sequence ending in a possible surname variant as a mention, with the
    capitalised word before it as a given name; none when the extractor already took
    the surname for part of a person."""
    stripped = _POSSESSIVE.sub("", seq.group())
    end = seq.start() + len(stripped)
    words = list(_TOKEN.finditer(stripped))
    start = seq.start() + words[-1].start()
    if _inside(covered, start):
        return None
    if len(words) > 1 and words[-2].group() not in NOT_GIVEN:
        start = seq.start() + words[-2].start()
    return _Seen(doc, start, end, " ".join(doc.text[start:end].split()))


@lru_cache(maxsize=1 << 16)
def _ascii_lower(word: str) -> str:
    return anyascii(word).lower()


def _inside(spans: list[tuple[int, int]], at: int) -> bool:
    """Whether ``at`` falls in one of the sorted, non-overlapping ``spans``."""
    i = bisect.bisect_right(spans, (at, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= at < spans[i][1]


def _evidence(seen: _Seen) -> Claim:
    """A name mention as a claim with no value, so findings quote it like a figure."""
    doc, start, end, name = seen
    text = doc.text[start:end]
    line = doc.text.count("\n", 0, start) + 1
    line_start = doc.text.rfind("\n", 0, start) + 1
    sentence_start = max(doc.text.rfind(". ", 0, start) + 2, line_start)
    sentence_end = doc.text.find(". ", end)
    line_end = doc.text.find("\n", end)
    stops = [p for p in (sentence_end + 1 if sentence_end >= 0 else -1, line_end) if p >= 0]
    return Claim(id=f"{doc.id}:{start}", doc=doc.id, text=text, start=start, end=end, line=line,
                 column=start - line_start + 1,
                 sentence=doc.text[sentence_start:min(stops) if stops else len(doc.text)],
                 value=None, low=None, high=None, unit=None, kind="name", qualifier=None,
                 period=None, period_text=None, attribution=None,
                 entities=[{"type": "person", "name": name}], sentence_start=sentence_start)


def evaluate(params: dict, ctx: Context):
    mentions = _mentions(ctx, params)
    spellings: dict[str, list[_Seen]] = defaultdict(list)
    for m in mentions:
        spellings[m.name].append(m)
    names = sorted(spellings)
    parent = {n: n for n in names}

    def root(n: str) -> str:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    buckets: dict[str, list[str]] = defaultdict(list)
    for name in names:
        for key in surname_keys(name):
            buckets[key].append(name)
    compared: set[tuple[str, str]] = set()
    for bucket in buckets.values():
        for i, a in enumerate(bucket):
            for b in bucket[i + 1:]:
                if (a, b) not in compared and _same_person(a, b, params):
                    parent[root(b)] = root(a)
                compared.add((a, b))
    people: dict[str, list[str]] = defaultdict(list)
    for name in names:
        people[root(name)].append(name)
    for variants in people.values():
        full = [v for v in variants if " " in v]
        if len(variants) < 2 or (len(full) < 2 and len(variants) - len(full) < 1):
            continue
        if _bare_only_extends(variants):
            continue
        in_sources = {n: [m for m in spellings[n] if m.doc.role != "draft"] for n in variants}
        in_sources = {n: found for n, found in in_sources.items() if found}
        if len(in_sources) > 1 and not _bare_only_extends(list(in_sources)):
            yield _hit(in_sources, ctx)
        in_draft = {n: [m for m in spellings[n] if m.doc.role == "draft"] for n in variants}
        if in_sources and any(in_draft.values()):
            yield from _draft_hits(in_draft, in_sources, ctx)


def _sides(spellings: dict[str, list[_Seen]], ctx: Context, prevailing: str | None = None,
           ) -> list[dict]:
    """One person's spellings as sides, the one most independent sources use first."""
    sides = []
    for name, mentions in spellings.items():
        docs = sorted({m.doc.id for m in mentions})
        sides.append({"name": name, "docs": join(docs), "count": len(mentions),
                      "independent": ctx.independent(docs)})
    sides.sort(key=lambda s: (s["name"] != prevailing, -s["independent"], -s["count"], s["name"]))
    return sides


def _hit(spellings: dict[str, list[_Seen]], ctx: Context, prevailing: str | None = None,
         tied: bool | None = None) -> Hit:
    """``tied``: whether the sources' spellings are tied (see ``_tied``); of these sides
    when not given."""
    sides = _sides(spellings, ctx, prevailing)
    evidence = [_evidence(m) for side in sides for m in spellings[side["name"]]]
    return Hit(evidence, {"names": [s["name"] for s in sides], "prevailing": sides[0]["name"],
                          "variants": sides, "tied": _tied(sides) if tied is None else tied})


def _tied(sides: list[dict]) -> bool:
    """Whether no spelling has more independent sources and mentions than the next: then
    the first is first only by the alphabet, and no message may call it the sources'."""
    return len(sides) > 1 and (sides[0]["independent"], sides[0]["count"]) == (
        sides[1]["independent"], sides[1]["count"])


def _draft_hits(in_draft: dict[str, list[_Seen]], in_sources: dict[str, list[_Seen]],
                ctx: Context):
    """A draft is measured against the sources' prevailing spelling, not counted among
    them: each spelling of the draft's unlike it is one finding citing the draft's
    mentions and the sources' that spell it the prevailing way. A bare surname spelled as
    the prevailing name's surname is not a variant."""
    sources = _sides(in_sources, ctx)
    prevailing = sources[0]["name"]
    for name, mentions in in_draft.items():
        if mentions and name != prevailing and not _bare_only_extends([name, prevailing]):
            yield _hit({name: mentions, prevailing: in_sources[prevailing]}, ctx, prevailing,
                       _tied(sources))


def _bare_only_extends(variants: list[str]) -> bool:
    """"Usov" beside "Dmitry Usov" is the same spelling, not a variant (compared as
    written, so Usow beside Usov still is one)."""
    surnames = Counter(anyascii(v.split()[-1]).lower() for v in variants)
    full = {anyascii(v).lower() for v in variants if " " in v}
    return len(surnames) == 1 and len(full) <= 1
