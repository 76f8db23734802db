"""Mutation benchmark: does ``checker check`` catch realistic injected errors, and do
formatting-only edits leave its warnings alone?

A measurement, not a test: it prints recall per mutation type and the formatting edits
that added warnings, and exits 0 whatever the figures are. It talks to the checker only
through the command line and the JSON contract of DESIGN.md (``checker extract`` and
``checker check ... --format json --fail-on never``), so it works with whatever engine is
installed.

What it does:

1. Copies the corpus (default ``fixtures/sources``) into a temporary folder and runs
   ``checker extract --format json`` on the copy: the claims (figures with exact offsets,
   sentences, ``period_text`` and ``entities`` where the extractor gives them) are where
   mutation sites are chosen.
2. Builds ``--count`` mutations per type, each one change in one document, the sites drawn
   from a ``random.Random`` seeded by ``--seed`` and the type name (so a type's sites do
   not move when another type is added or ``--only`` is used):

   injected errors (should be caught)
     transposed-digit    two adjacent different digits of a figure swapped, separators
                         kept (``6 162`` -> ``1 662``); only figures whose value also appears
                         in another document, or that are a list item or a list's total.
     misdated-figure     the month (failing that, the year) of the period expression bound
                         to such a figure changed (``As of June 2025`` -> ``As of April 2025``);
                         the claim's ``period_text``, else the nearest month in its sentence.
     changed-list-entry  one item of a line-per-item list changed
                         (``Nepal – nine people`` -> ``Nepal – seven people``).
     misspelled-name     one occurrence of a surname changed by one letter or a
                         transliteration-like edit (y->i, ya->ja, ch->tch, ...), for people
                         named at least twice in the corpus (``entities`` of type person,
                         and "Given Surname" pairs).
   formatting-only edits (must add no warning or error)
     separator           thousands separator comma / space / no-break space (U+00A0)
     percent             ``49%`` <-> ``49 per cent``
     number-word         ``two`` <-> ``2`` for numbers up to twenty
     blank-line          a blank line removed or added between two lines
     rewrap              a long paragraph hard-wrapped at 60-80 columns (figures not split)
   (blank-line and rewrap only in plain-text and Markdown files: in HTML they are invisible.)

   Offsets: for .txt/.md the claims' offsets index the decoded file, so the edit goes
   there. For HTML (``"text_source": "extracted"``) they index the extracted text; the
   figure is found in the raw file by searching for its sentence context in the page's
   visible text (tags skipped, entities decoded, whitespace runs compared as one space).
3. Runs ``checker check`` once on the unmutated copy (the baseline), then once per
   mutation on a copy with just that document changed (``--jobs`` copies in parallel; the
   folder is always called ``corpus`` and the run's working directory is its parent, so
   document ids and paths are the same in every run).
4. Scores. A finding is *new* when it is a warning or error and its ``id`` is not among the
   baseline's warning/error ids, or it is but its claim set (doc, text, value, interval,
   unit, period of each claim; offsets left out, since an edit shifts them) differs.
   An injected error is FOUND when a new finding has a claim in the mutated document that
   overlaps the mutated span (for a misdated figure: the changed month/year or any figure
   bound to that period); for a misspelled name, when a new finding's message or claims
   (sentences left out) mention the misspelled form. A formatting edit FAILS when the run
   has a warning/error finding id that the baseline has not.

Run from the repository root, with the project's virtualenv::

    python benchmarks/mutations.py                    # 5 of each type, seed 1
    python benchmarks/mutations.py --count 20 --seed 7 --out /tmp/mutations.json
    python benchmarks/mutations.py --dry-run          # list mutations, no `checker check`
"""
from __future__ import annotations

import argparse
import difflib
import html
import json
import os
import queue
import random
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO / "fixtures" / "sources"
SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}

ERROR_TYPES = ["transposed-digit", "misdated-figure", "changed-list-entry", "misspelled-name"]
FORMAT_TYPES = ["separator", "percent", "number-word", "blank-line", "rewrap"]
ALL_TYPES = ERROR_TYPES + FORMAT_TYPES
ALERT = {"warning", "error"}

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTH = re.compile(r"\b(" + "|".join(MONTHS) + r")\b")
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen", "twenty"]
WORD_VALUE = {w: i for i, w in enumerate(WORDS)}
PLURAL = {"person": "people", "man": "men", "woman": "women", "child": "children"}
# Capitalised words that gender-guesser knows as given names but that start place names,
# titles or sentences in news copy.
NOT_GIVEN = {"The", "General", "Sierra", "Sri", "Saudi", "San", "Santa", "Costa", "Puerto",
             "Hong", "New", "Los", "Las", "El", "Le", "La", "Mount", "Lake", "Cape", "Major",
             "President", "Colonel", "Captain", "Prince", "King", "Queen", "Justice", "May",
             "June", "April", "August", "Will", "Mark", "Bill", "Grant", "Chase", "Rule"}
# A capitalised word (letters, optional hyphenated part), for given names and surnames.
_CAPWORD = r"[A-Z][a-z]+(?:-[A-Za-z][a-z]+)?"
# Transliteration-like edits of a surname: (from, to), applied to one occurrence.
TRANSLIT = [("ya", "ja"), ("yu", "ju"), ("ye", "je"), ("y", "i"), ("i", "y"), ("ch", "tch"),
            ("kh", "h"), ("zh", "j"), ("ts", "tz"), ("ks", "x"), ("iy", "y"), ("v", "w"),
            ("j", "y"), ("sh", "sch"), ("ov", "off"), ("sky", "ski"), ("ii", "i")]
VOWELS = "aeiou"
# Spans kept on one line when re-wrapping: figures with an inner space and their units.
_PROTECT = re.compile(r"(?:[$€£]\s)?\d[\d.,]*(?:[ \u00a0\u2009]\d{3}(?!\d))*"
                      r"(?:\s(?:thousand|million|billion|per cent|percent))?")


class CheckerMissing(Exception):
    """``checker check`` (or extract) is not a command of the installed checker."""


class CheckerCrash(Exception):
    """The checker exited with an unexpected code or printed something that is not JSON."""

    def __init__(self, what: str, argv: list[str], returncode: int | None, stderr: str):
        super().__init__(what)
        self.what, self.argv, self.returncode, self.stderr = what, argv, returncode, stderr


# --------------------------------------------------------------------------- documents


def normalize(text: str) -> tuple[str, list[int]]:
    """Whitespace runs (any Unicode space, so U+00A0 too) as one space; with, for every
    character kept, its index in ``text``."""
    out: list[str] = []
    idx: list[int] = []
    prev_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not prev_space:
                out.append(" ")
                idx.append(i)
            prev_space = True
        else:
            out.append(ch)
            idx.append(i)
            prev_space = False
    return "".join(out), idx


_INLINE = {"a", "b", "strong", "em", "i", "span", "abbr", "small", "sup", "sub", "u", "mark",
           "time", "code", "q", "cite", "s", "font"}


def html_visible(raw: str) -> tuple[str, list[int], list[int]]:
    """The visible text of an HTML page's body (tags skipped, scripts and styles dropped,
    entities decoded) with, per character, its start and end offset in ``raw``. Block tags
    read as a space; inline tags as nothing."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    low = raw.lower()
    i = low.find("<body")
    i = 0 if i < 0 else i
    n = len(raw)
    while i < n:
        ch = raw[i]
        if ch == "<":
            if raw.startswith("<!--", i):
                j = raw.find("-->", i)
                i = n if j < 0 else j + 3
                continue
            j = raw.find(">", i)
            if j < 0:
                break
            m = re.match(r"</?\s*([a-zA-Z0-9]+)", raw[i:j + 1])
            tag = m.group(1).lower() if m else ""
            if tag in ("script", "style", "template") and not raw[i + 1:i + 2] == "/":
                k = low.find("</" + tag, j)
                i = n if k < 0 else k
                continue
            if tag not in _INLINE:
                chars.append(" ")
                starts.append(i)
                ends.append(i)
            i = j + 1
            continue
        if ch == "&":
            m = re.match(r"&(#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);", raw[i:i + 12])
            if m:
                decoded = html.unescape(m.group(0))
                for c in decoded:
                    chars.append(c)
                    starts.append(i)
                    ends.append(i + len(m.group(0)))
                i += len(m.group(0))
                continue
        chars.append(ch)
        starts.append(i)
        ends.append(i + 1)
        i += 1
    return "".join(chars), starts, ends


def front_matter_end(text: str) -> int:
    """Offset just past a leading YAML front matter block, else 0."""
    m = re.match(r"---[ \t]*\r?\n.*?\r?\n---[ \t]*(?:\r?\n|$)", text, re.S)
    return m.end() if m else 0


@dataclass
class Doc:
    id: str
    path: Path                 # absolute path in the master copy
    rel: str                   # path relative to the corpus folder
    raw: str                   # decoded file text (BOM dropped)
    bom: bool
    extracted: bool            # claims index extracted text, not the file
    claims: list[dict]
    published: str | None = None
    vis: str = ""              # HTML: visible text, with offsets into raw
    vis_start: list[int] = field(default_factory=list)
    vis_end: list[int] = field(default_factory=list)
    nvis: str = ""             # normalized visible text (or normalized raw for files)
    nvis_idx: list[int] = field(default_factory=list)

    @property
    def is_html(self) -> bool:
        return self.path.suffix.lower() in (".html", ".htm")

    def encode(self, text: str) -> bytes:
        return (b"\xef\xbb\xbf" if self.bom else b"") + text.encode("utf-8")

    def to_raw_span(self, s: int, e: int) -> tuple[int, int]:
        """Raw span of a span of ``vis`` (HTML) or of ``raw`` itself (files)."""
        if not self.is_html:
            return s, e
        return self.vis_start[s], self.vis_end[e - 1]

    def escape(self, text: str) -> str:
        return html.escape(text, quote=False) if self.is_html else text


def load_docs(extract_json: dict, workdir: Path) -> dict[str, Doc]:
    docs: dict[str, Doc] = {}
    claims_by_doc: dict[str, list[dict]] = {}
    for claim in extract_json.get("claims", []):
        claims_by_doc.setdefault(claim["doc"], []).append(claim)
    for d in extract_json.get("documents", []):
        path = (workdir / d["path"]).resolve()
        data = path.read_bytes()
        bom = data.startswith(b"\xef\xbb\xbf")
        try:
            raw = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            print(f"note: {d['path']} is not UTF-8; no mutations in it", file=sys.stderr)
            continue
        claims = sorted(claims_by_doc.get(d["id"], []), key=lambda c: (c["start"], c["end"]))
        extracted = d.get("text_source") == "extracted" or path.suffix.lower() in (".html", ".htm")
        doc = Doc(id=d["id"], path=path, rel=path.relative_to(workdir / "corpus").as_posix(),
                  raw=raw, bom=bom, extracted=extracted, claims=claims,
                  published=d.get("published"))
        if doc.is_html:
            doc.vis, doc.vis_start, doc.vis_end = html_visible(raw)
            doc.nvis, doc.nvis_idx = normalize(doc.vis)
        else:
            doc.nvis, doc.nvis_idx = normalize(raw)
        docs[doc.id] = doc
    return docs


# --------------------------------------------------------------------------- locating


def sentence_offset(doc: Doc, claim: dict) -> int | None:
    """Where the claim's sentence starts, in the claims' coordinates (file text, or the
    extracted text for HTML), so that ``sentence[claim.start - that:]`` starts with the
    claim's text."""
    sent, text = claim.get("sentence") or "", claim["text"]
    if not doc.extracted and doc.raw[claim["start"]:claim["end"]] == text:
        lo = max(0, claim["end"] - len(sent))
        i = doc.raw.find(sent, lo, claim["start"] + len(sent))
        while i != -1:
            if i <= claim["start"] and claim["end"] <= i + len(sent):
                return i
            i = doc.raw.find(sent, i + 1, claim["start"] + len(sent))
    # Extracted text: place the sentence so every claim sharing it lands on its own text.
    peers = [c for c in doc.claims if c.get("sentence") == sent
             and abs(c["start"] - claim["start"]) <= len(sent)]
    k = sent.find(text)
    while k != -1:
        base = claim["start"] - k
        if all(0 <= c["start"] - base and sent[c["start"] - base:c["end"] - base] == c["text"]
               for c in peers):
            return base
        k = sent.find(text, k + 1)
    return None


def locate(doc: Doc, claim: dict, rel_s: int, rel_e: int) -> tuple[int, int] | None:
    """Raw file span of ``claim['sentence'][rel_s:rel_e]``; None when it cannot be found."""
    sent = claim.get("sentence") or ""
    target = sent[rel_s:rel_e]
    if not target or target != target.strip():
        return None
    base = sentence_offset(doc, claim)
    if not doc.extracted and base is not None:
        s, e = base + rel_s, base + rel_e
        return (s, e) if doc.raw[s:e] == target else None
    # Search the sentence context in the visible text (HTML) or the file, widening the
    # context until it is unique, shrinking it when it is not found at all.
    for width in (80, 50, 30, 16, 8, 0):
        cs, ce = max(0, rel_s - width), min(len(sent), rel_e + width)
        ctx = sent[cs:ce]
        nctx, cidx = normalize(ctx)
        lead = len(nctx) - len(nctx.lstrip(" "))
        nctx_stripped = nctx.strip(" ")
        cidx = cidx[lead:lead + len(nctx_stripped)]
        hits = [m.start() for m in re.finditer(re.escape(nctx_stripped), doc.nvis)]
        if len(hits) == 1 or (hits and width == 0):
            h = hits[0]
            js = next(j for j, c in enumerate(cidx) if c >= rel_s - cs)
            je = next((j for j, c in enumerate(cidx) if c >= rel_e - cs), len(cidx))
            vs, ve = doc.nvis_idx[h + js], doc.nvis_idx[h + je - 1] + 1
            rs, re_ = doc.to_raw_span(vs, ve)
            if normalize(html.unescape(doc.raw[rs:re_]) if doc.is_html else doc.raw[rs:re_])[0] \
                    != normalize(target)[0]:
                return None
            return rs, re_
    return None


def snippet(text: str, s: int, e: int, limit: int = 160) -> str:
    """The sentence-ish stretch of ``text`` around [s, e), on one line."""
    a = max(text.rfind(". ", 0, s) + 2, text.rfind("\n", 0, s) + 1, s - limit // 2)
    z_candidates = [i for i in (text.find(". ", e), text.find("\n", e)) if i != -1]
    z = min(z_candidates + [e + limit // 2, len(text)])
    if z < len(text) and text[z] == ".":
        z += 1
    return " ".join(text[a:z].split())


# --------------------------------------------------------------------------- mutations


@dataclass
class Mutation:
    type: str
    group: str                       # "error" | "format"
    doc: str
    raw_start: int
    raw_end: int
    old: str                         # raw text replaced
    new: str                         # raw text written
    before: str                      # for people: what changed
    after: str
    sentence: str
    targets: list[list[int]] = field(default_factory=list)   # post-edit spans, claims' coords
    name_form: str | None = None
    claim_id: str | None = None
    # filled in by a run
    status: str = ""                 # found | missed | ok | fail | dry
    via: str = ""
    detail: list[str] = field(default_factory=list)
    extract_note: str = ""

    def label(self) -> str:
        return f"{self.doc}: {self.before!r} → {self.after!r}"

    def apply(self, raw: str) -> str:
        assert raw[self.raw_start:self.raw_end] == self.old, (self.type, self.doc)
        return raw[:self.raw_start] + self.new + raw[self.raw_end:]


def value_key(claim: dict):
    """Values compared across documents: percentages, money (per currency), counts >= 10."""
    v = claim.get("value")
    if not isinstance(v, (int, float)):
        return None
    unit = claim.get("unit") or ""
    if unit == "%" or claim.get("kind") == "percent":
        return ("%", v)
    if claim.get("kind") == "money" or re.fullmatch(r"[A-Z]{3}", unit):
        return (unit, v)
    return ("count", v) if v >= 10 else None


_LIST_ITEM = re.compile(r"\s*(?:[-*•]\s+)?([^\d.!?;:–—-]{2,60}?)\s*[–—:-]\s*$")


def list_blocks(doc: Doc) -> list[list[dict]]:
    """Runs of >= 3 consecutive claims that each are a whole short line "Label – N thing"."""
    blocks: list[list[dict]] = []
    run: list[dict] = []
    for c in doc.claims:
        sent = (c.get("sentence") or "").strip()
        base = sentence_offset(doc, c)
        ok = False
        if base is not None and len(sent) <= 80 and "\n" not in sent:
            k = c["start"] - base
            head, tail = sent[:k], sent[k + len(c["text"]):]
            ok = bool(_LIST_ITEM.fullmatch(head)) and len(tail) <= 30 and not re.search(r"\d", tail)
        if ok and run and c["start"] - run[-1]["end"] > 120:   # too far: a new list
            if len(run) >= 3:
                blocks.append(run)
            run = []
        if ok:
            run.append(c)
        else:
            if len(run) >= 3:
                blocks.append(run)
            run = []
    if len(run) >= 3:
        blocks.append(run)
    return blocks


def list_totals(doc: Doc, block: list[dict]) -> list[dict]:
    """Claims just before a list whose value is the list's sum or its number of items."""
    total = sum(c["value"] for c in block if isinstance(c.get("value"), (int, float)))
    first = block[0]["start"]
    return [c for c in doc.claims if first - 600 <= c["start"] < first and c not in block
            and c.get("value") in (total, len(block))]


class Corpus:
    def __init__(self, docs: dict[str, Doc]):
        self.docs = docs
        self.by_key: dict[tuple, set[str]] = {}
        for doc in docs.values():
            for c in doc.claims:
                k = value_key(c)
                if k is not None:
                    self.by_key.setdefault(k, set()).add(doc.id)
        self.list_items: set[str] = set()
        self.list_total_ids: set[str] = set()
        self.blocks: list[tuple[Doc, list[dict]]] = []
        for doc in docs.values():
            for block in list_blocks(doc):
                self.blocks.append((doc, block))
                self.list_items.update(c["id"] for c in block)
                self.list_total_ids.update(c["id"] for c in list_totals(doc, block))

    def detectable(self, doc: Doc, claim: dict, cross_only: bool = False) -> bool:
        """Could a wrong figure here be caught at all: its value is also given by another
        document, or (unless ``cross_only``) it is a list item or a list's total."""
        k = value_key(claim)
        cross = k is not None and len(self.by_key.get(k, set()) - {doc.id}) > 0
        if cross or cross_only:
            return cross
        return claim["id"] in self.list_items or claim["id"] in self.list_total_ids

    def claims(self):
        for doc in self.docs.values():
            for c in doc.claims:
                yield doc, c


def claim_mutation(corpus: Corpus, doc: Doc, c: dict, mtype: str, group: str,
                   rel_s: int, rel_e: int, new_text: str, *, before: str | None = None,
                   after: str | None = None) -> Mutation | None:
    """A mutation replacing ``sentence[rel_s:rel_e]`` of claim ``c`` by ``new_text``."""
    span = locate(doc, c, rel_s, rel_e)
    if span is None:
        return None
    sent = c["sentence"]
    old = doc.raw[span[0]:span[1]]
    base = sentence_offset(doc, c)
    targets = []
    if base is not None:
        targets = [[base + rel_s, base + rel_s + len(new_text)]]
    return Mutation(type=mtype, group=group, doc=doc.id, raw_start=span[0], raw_end=span[1],
                    old=old, new=doc.escape(new_text),
                    before=before if before is not None else sent[rel_s:rel_e],
                    after=after if after is not None else new_text,
                    sentence=" ".join(sent.split()), targets=targets, claim_id=c["id"])


def claim_rel(doc: Doc, c: dict) -> int | None:
    base = sentence_offset(doc, c)
    return None if base is None else c["start"] - base


def gen_transposed(corpus: Corpus, rng: random.Random, count: int) -> list[Mutation]:
    sites = []
    for doc, c in corpus.claims():
        digits = [i for i, ch in enumerate(c["text"]) if ch.isdigit()]
        swaps = [(p, q) for n, (p, q) in enumerate(zip(digits, digits[1:]))
                 if c["text"][p] != c["text"][q] and not (n == 0 and c["text"][q] == "0")]
        if swaps and corpus.detectable(doc, c):
            sites.append((doc, c, swaps))
    out = []
    for doc, c, swaps in shuffled(rng, sites):
        # a typo swaps neighbouring keys: prefer digits with no separator between them
        within = [(p, q) for p, q in swaps if q == p + 1]
        p, q = rng.choice(within or swaps)
        t = list(c["text"])
        t[p], t[q] = t[q], t[p]
        rel = claim_rel(doc, c)
        if rel is None:
            continue
        m = claim_mutation(corpus, doc, c, "transposed-digit", "error", rel, rel + len(t),
                           "".join(t))
        if m:
            out.append(m)
        if len(out) >= count:
            break
    return out


def _period_in_sentence(c: dict, rel: int) -> tuple[int, int] | None:
    """Span of the claim's period expression in its sentence: ``period_text`` nearest to
    the figure, else None."""
    sent, pt = c.get("sentence") or "", c.get("period_text")
    if not pt:
        return None
    hits = [m.start() for m in re.finditer(re.escape(pt), sent)]
    if not hits:
        return None
    h = min(hits, key=lambda i: abs(i - rel))
    return h, h + len(pt)


def gen_misdated(corpus: Corpus, rng: random.Random, count: int) -> list[Mutation]:
    month_sites, year_sites, seen = [], [], set()
    for doc, c in corpus.claims():
        # A date can only be shown wrong by another document giving the same figure.
        if not corpus.detectable(doc, c, cross_only=True):
            continue
        rel = claim_rel(doc, c)
        if rel is None:
            continue
        sent = c.get("sentence") or ""
        span = _period_in_sentence(c, rel)
        if span is None and "period_text" in c:
            continue          # the extractor says which period; it is not in the sentence
        if span is None:      # no period_text in the contract: nearest month in the sentence
            months = [(m.start(), m.end()) for m in _MONTH.finditer(sent)]
            if not months:
                continue
            span = min(months, key=lambda s: abs(s[0] - rel))
        key = (doc.id, c["start"] - rel + span[0])
        if key in seen:
            continue
        seen.add(key)
        expr = sent[span[0]:span[1]]
        months = [(span[0] + m.start(), span[0] + m.end(), m.group(1))
                  for m in _MONTH.finditer(expr)]
        years = [(span[0] + m.start(), span[0] + m.end(), m.group(1))
                 for m in _YEAR.finditer(expr)]
        if months:
            month_sites.append((doc, c, span, months, "month"))
        elif years:
            year_sites.append((doc, c, span, years, "year"))
    sites = shuffled(rng, month_sites) + shuffled(rng, year_sites)
    out = []
    for doc, c, span, parts, what in sites:
        s, e, word = rng.choice(parts)
        if what == "month":
            i = MONTHS.index(word)
            choices = [MONTHS[j] for j in range(12) if 1 <= abs(j - i) <= 3]
            new = rng.choice(choices)
        else:
            new = str(int(word) + rng.choice([-1, 1]))
        m = claim_mutation(corpus, doc, c, "misdated-figure", "error", s, e, new)
        if m is None:
            continue
        sent = c["sentence"]
        expr_old = sent[span[0]:span[1]]
        m.before = " ".join(expr_old.split())
        m.after = " ".join((sent[span[0]:s] + new + sent[e:span[1]]).split())
        # Targets: the changed word and every figure bound to this period expression (same
        # sentence, or following it with the same period_text, as list items do).
        base = sentence_offset(doc, c)
        delta = len(new) - (e - s)
        edit_at = base + e if base is not None else c["start"]
        bound = [x for x in doc.claims if x.get("period_text") == c.get("period_text")
                 and x["start"] >= c["start"] - len(sent)]
        bound = [x for x in bound if x.get("sentence") == sent or x["start"] > c["start"]]
        # stop at the first claim after c with another period
        later = [x for x in doc.claims if x["start"] > c["start"]
                 and x.get("period_text") != c.get("period_text")]
        stop = later[0]["start"] if later else float("inf")
        bound = [x for x in bound if x.get("sentence") == sent or x["start"] < stop]
        for x in bound:
            shift = delta if x["start"] >= edit_at else 0
            m.targets.append([x["start"] + shift, x["end"] + shift])
        out.append(m)
        if len(out) >= count:
            break
    return out


def _number_like(text: str, value: int) -> str:
    """``value`` written the way ``text`` writes its number (word, capitalised, digits)."""
    if text.lower() in WORD_VALUE and value < len(WORDS):
        w = WORDS[value]
        return w.capitalize() if text[0].isupper() else w
    return str(value)


def gen_list_entry(corpus: Corpus, rng: random.Random, count: int) -> list[Mutation]:
    sites = [(doc, c) for doc, block in corpus.blocks for c in block
             if isinstance(c.get("value"), int)
             and (c["text"].lower() in WORD_VALUE or c["text"].isdigit())]
    out = []
    for doc, c in shuffled(rng, sites):
        v = c["value"]
        # never to 1 (or 0): "two people" -> "one people" would read as a typo, not a figure
        choices = [v + d for d in (-3, -2, -1, 1, 2, 3) if v + d >= 2]
        choices = [x for x in choices if c["text"].isdigit() or x < len(WORDS)]
        if not choices:
            continue
        new_v = rng.choice(choices)
        new = _number_like(c["text"], new_v)
        rel = claim_rel(doc, c)
        if rel is None:
            continue
        sent = c["sentence"]
        end = rel + len(c["text"])
        m_noun = re.match(r"(\s+)([A-Za-z]+)", sent[end:])
        if v == 1 and m_noun:          # "one person" -> "three people"
            noun = m_noun.group(2)
            plural = PLURAL.get(noun.lower(), noun if noun.endswith("s") else noun + "s")
            new_span, rel_end = new + m_noun.group(1) + plural, end + len(m_noun.group(0))
        else:
            new_span, rel_end = new, end
        m = claim_mutation(corpus, doc, c, "changed-list-entry", "error", rel, rel_end, new_span)
        if m is None:
            continue
        m.before = " ".join(sent.split())
        m.after = " ".join((sent[:rel] + new_span + sent[rel_end:]).split())
        m.targets = [[c["start"], c["start"] + len(new)]]
        out.append(m)
        if len(out) >= count:
            break
    return out


def _given_names():
    try:
        import gender_guesser.detector as gd  # optional: a dependency of the project
    except Exception:  # noqa: BLE001
        return None
    det = gd.Detector(case_sensitive=True)
    return lambda w: det.get_gender(w) != "unknown"


def person_surnames(corpus: Corpus) -> dict[str, str]:
    """Surname -> a full name it was seen with: people the extractor tagged as persons, and
    "Given Surname" pairs where Given is a known given name."""
    people: dict[str, str] = {}
    lower_words: set[str] = set()     # words seen in lower case are not names ("In", "Held")
    for doc in corpus.docs.values():
        text = doc.vis if doc.is_html else doc.raw
        lower_words.update(re.findall(r"(?<![\w-])[a-z]+(?![\w-])", text))

    def plausible(given: str, surname: str) -> bool:
        return (given not in NOT_GIVEN and surname not in NOT_GIVEN and len(surname) >= 3
                and given.lower() not in lower_words and surname.lower() not in lower_words
                and surname not in MONTHS and given not in MONTHS
                and surname not in WEEKDAYS and given not in WEEKDAYS)

    for _, c in corpus.claims():
        for ent in c.get("entities") or []:
            if isinstance(ent, dict) and ent.get("type") == "person" and ent.get("name"):
                parts = ent["name"].split()
                if (len(parts) >= 2 and re.fullmatch(_CAPWORD, parts[-1])
                        and plausible(parts[-2], parts[-1])):
                    people.setdefault(parts[-1], ent["name"])
    is_given = _given_names()
    titled = re.compile(r"(?:President|General|Minister|Secretary|leader|citizen|journalist|"
                        r"head|spokesman|spokeswoman|commander|Colonel|Captain)\s+$")
    for doc in corpus.docs.values():
        text = doc.vis if doc.is_html else doc.raw[front_matter_end(doc.raw):]
        for given, surname in _iter_pairs(text):
            if not plausible(given, surname):
                continue
            if is_given is not None and is_given(given):
                people.setdefault(surname, f"{given} {surname}")
            elif is_given is None:
                pos = text.find(f"{given} {surname}")
                if pos > 0 and titled.search(text[max(0, pos - 20):pos]):
                    people.setdefault(surname, f"{given} {surname}")
    return people


def _iter_pairs(text: str):
    """Overlapping capitalised-word pairs ("Ukraine Anna Yaryna" gives both pairs)."""
    words = [(m.start(), m.end(), m.group(0))
             for m in re.finditer(rf"(?<![\w’'-]){_CAPWORD}(?![\w-])", text)]
    for (s1, e1, w1), (s2, e2, w2) in zip(words, words[1:]):
        if text[e1:s2] in (" ", "\u00a0"):
            yield w1, w2


def surname_variants(surname: str, existing: set[str]) -> tuple[list[str], list[str]]:
    """Transliteration-like variants and one-letter variants, none already in the corpus."""
    low = surname.lower()
    translit, letter = set(), set()
    for a, b in TRANSLIT:
        start = 0
        while (i := low.find(a, start)) != -1:
            if a == "ov" and i + 2 != len(low) or a == "sky" and i + 3 != len(low):
                start = i + 1
                continue
            cand = low[:i] + b + low[i + len(a):]
            translit.add(cand)
            start = i + 1
    for i in range(1, len(low)):
        ch = low[i]
        if ch in VOWELS:
            for v in VOWELS:
                if v != ch:
                    letter.add(low[:i] + v + low[i + 1:])
        elif ch.isalpha() and i < len(low) - 1 and low[i + 1] != ch and low[i - 1] != ch:
            letter.add(low[:i] + ch + low[i:])           # doubled consonant
        if i < len(low) - 1 and low[i] == low[i + 1]:
            letter.add(low[:i] + low[i + 1:])            # undoubled
    def fix(c):
        return c[:1].upper() + c[1:]
    translit = {fix(c) for c in translit} - existing - {surname}
    letter = {fix(c) for c in letter} - existing - {surname}
    return sorted(translit), sorted(letter)


_BLOCK_OPEN = re.compile(r"<(p|li|h[1-6]|blockquote|td|dd)\b", re.I)
_BLOCK_CLOSE = re.compile(r"</(p|li|h[1-6]|blockquote|td|dd)\s*>", re.I)
_BOILER = ("figcaption", "nav", "footer", "header", "aside", "title", "button", "label")


def in_article_text(raw: str, pos: int) -> bool:
    """Is raw[pos] inside a paragraph-like element and outside captions, navigation and
    page furniture, i.e. text an article extractor keeps? (A heuristic for HTML.)"""
    head = raw[:pos]
    opens = [m.start() for m in _BLOCK_OPEN.finditer(head)]
    closes = [m.start() for m in _BLOCK_CLOSE.finditer(head)]
    if not opens or (closes and closes[-1] > opens[-1]):
        return False
    low = head.lower()
    return all(low.rfind(f"<{t}") <= low.rfind(f"</{t}") for t in _BOILER)


def gen_misspelled(corpus: Corpus, rng: random.Random, count: int) -> list[Mutation]:
    people = person_surnames(corpus)
    existing: set[str] = set()
    occurrences: dict[str, list[tuple[Doc, int, int]]] = {}
    for doc in corpus.docs.values():
        text = doc.vis if doc.is_html else doc.raw
        body = 0 if doc.is_html else front_matter_end(doc.raw)
        existing.update(re.findall(r"[A-Za-z]+", text))
        for surname in people:
            for m in re.finditer(rf"(?<![\w-]){re.escape(surname)}(?![\w])", text):
                if m.start() >= body:
                    occurrences.setdefault(surname, []).append((doc, m.start(), m.end()))
    sites = [(surname, occ) for surname in sorted(occurrences)
             for occ in occurrences[surname] if len(occurrences[surname]) >= 2]
    out, used = [], set()
    for surname, (doc, s, e) in shuffled(rng, sites):
        if surname in used and len(used) < len({x for x, _ in sites}):
            continue
        translit, letter = surname_variants(surname, existing)
        pool = translit if translit and (rng.random() < 0.6 or not letter) else letter
        if not pool:
            continue
        new = rng.choice(pool)
        rs, re_ = doc.to_raw_span(s, e)
        if doc.raw[rs:re_] != surname or (doc.is_html and not in_article_text(doc.raw, rs)):
            continue
        text = doc.vis if doc.is_html else doc.raw
        out.append(Mutation(type="misspelled-name", group="error", doc=doc.id, raw_start=rs,
                            raw_end=re_, old=surname, new=new, before=surname, after=new,
                            sentence=snippet(text, s, e), name_form=new))
        used.add(surname)
        if len(out) >= count:
            break
    return out


def gen_separator(corpus: Corpus, rng: random.Random, count: int) -> list[Mutation]:
    sep_re = re.compile(r"\d{1,3}(?:([, \u00a0])\d{3})+(?!\d)")
    sites = []
    for doc, c in corpus.claims():
        m = sep_re.search(c["text"])
        if m and not re.search(r"\d[.]\d", c["text"]):
            sites.append((doc, c, m))
    names = {",": "comma", " ": "space", "\u00a0": "no-break space"}
    out = []
    for doc, c, m in shuffled(rng, sites):
        old_sep = m.group(1)
        new_sep = rng.choice([s for s in names if s != old_sep])
        number = m.group(0).replace(old_sep, new_sep)
        rel = claim_rel(doc, c)
        if rel is None:
            continue
        mm = claim_mutation(corpus, doc, c, "separator", "format", rel + m.start(),
                            rel + m.end(), number)
        if mm:
            mm.before = m.group(0).replace("\u00a0", "⍽") + f" ({names[old_sep]})"
            mm.after = number.replace("\u00a0", "⍽") + f" ({names[new_sep]})"
            out.append(mm)
        if len(out) >= count:
            break
    return out


def gen_percent(corpus: Corpus, rng: random.Random, count: int) -> list[Mutation]:
    sites = []
    for doc, c in corpus.claims():
        m = re.fullmatch(r"(\d+(?:[.,]\d+)?)(\s*%|\s+per\s+cent|\s+percent)", c["text"])
        if m:
            sites.append((doc, c, m))
    out = []
    for doc, c, m in shuffled(rng, sites):
        new = m.group(1) + (rng.choice([" per cent", " percent"]) if "%" in m.group(2) else "%")
        rel = claim_rel(doc, c)
        if rel is None:
            continue
        mm = claim_mutation(corpus, doc, c, "percent", "format", rel, rel + len(c["text"]), new)
        if mm:
            out.append(mm)
        if len(out) >= count:
            break
    return out


def gen_number_word(corpus: Corpus, rng: random.Random, count: int) -> list[Mutation]:
    sites = []
    for doc, c in corpus.claims():
        t = c["text"]
        small = t.isdigit() and int(t) < len(WORDS) and not t.startswith("0")
        if t.lower() in WORD_VALUE or small:
            sites.append((doc, c))
    out = []
    for doc, c in shuffled(rng, sites):
        t = c["text"]
        rel = claim_rel(doc, c)
        if rel is None:
            continue
        if t.isdigit():
            new = WORDS[int(t)]
            sent = c["sentence"]
            if rel == 0 or re.search(r"(^|[.!?]\s+|\n)$", sent[:rel]):
                new = new.capitalize()
        else:
            new = str(WORD_VALUE[t.lower()])
        mm = claim_mutation(corpus, doc, c, "number-word", "format", rel, rel + len(t), new)
        if mm:
            out.append(mm)
        if len(out) >= count:
            break
    return out


def _text_docs(corpus: Corpus) -> list[Doc]:
    return [d for d in corpus.docs.values() if not d.is_html and not d.extracted]


def gen_blank_line(corpus: Corpus, rng: random.Random, count: int) -> list[Mutation]:
    sites = []
    for doc in _text_docs(corpus):
        body = front_matter_end(doc.raw)
        for m in re.finditer(r"\r?\n", doc.raw):
            if m.start() < body:
                continue
            nl = m.group(0)
            # collapse: a (whitespace-only) blank line following this newline
            nxt = re.match(r"[ \t\u00a0]*\r?\n", doc.raw[m.end():])
            prev_line_blank = doc.raw[:m.start()].rsplit("\n", 1)[-1].strip() == ""
            if nxt and not prev_line_blank and m.end() + nxt.end() < len(doc.raw):
                sites.append((doc, "collapse", m.end(), m.end() + nxt.end(), ""))
            elif not nxt and not prev_line_blank and m.end() < len(doc.raw):
                sites.append((doc, "add", m.end(), m.end(), nl))
    out = []
    for doc, how, s, e, new in shuffled(rng, sites):
        line = doc.raw.count("\n", 0, s) + 1
        prev = doc.raw[:s].rstrip("\r\n").rsplit("\n", 1)[-1]
        after_text = doc.raw[e:].split("\n", 1)[0]
        desc_b = f"…{prev[-30:]}⏎{'⏎' if how == 'collapse' else ''}{after_text[:30]}…"
        desc_a = f"…{prev[-30:]}⏎{'⏎' if how == 'add' else ''}{after_text[:30]}…"
        out.append(Mutation(type="blank-line", group="format", doc=doc.id, raw_start=s, raw_end=e,
                            old=doc.raw[s:e], new=new, before=desc_b, after=desc_a,
                            sentence=f"blank line {'removed' if how == 'collapse' else 'added'} "
                                     f"at line {line}"))
        if len(out) >= count:
            break
    return out


def gen_rewrap(corpus: Corpus, rng: random.Random, count: int) -> list[Mutation]:
    sites = []
    for doc in _text_docs(corpus):
        body = front_matter_end(doc.raw)
        pos = 0
        for line in doc.raw.splitlines(keepends=True):
            content = line.rstrip("\r\n")
            listy = content.lstrip().startswith(("-", "*", "#", "|"))
            if pos >= body and len(content) > 100 and not listy:
                sites.append((doc, pos, pos + len(content)))
            pos += len(line)
    out = []
    for doc, s, e in shuffled(rng, sites):
        para = doc.raw[s:e]
        width = rng.choice([60, 66, 72, 80])
        protected = list(para)
        spans = [(c["start"] - s, c["end"] - s) for c in doc.claims
                 if s <= c["start"] and c["end"] <= e]
        spans += [(m.start(), m.end()) for m in _PROTECT.finditer(para)]
        for a, z in spans:
            for i in range(a, z):
                if protected[i] == " ":
                    protected[i] = "\x00"
        nl = "\r\n" if doc.raw[e:e + 2] == "\r\n" else "\n"
        wrapped = textwrap.TextWrapper(width=width, break_long_words=False, break_on_hyphens=False,
                                       drop_whitespace=True).wrap("".join(protected))
        lead = para[:len(para) - len(para.lstrip(" "))]
        new = lead + nl.join(wrapped).replace("\x00", " ").lstrip(" ")
        if new.replace(nl, " ").split() != para.split() or nl not in new:
            continue
        line = doc.raw.count("\n", 0, s) + 1
        out.append(Mutation(type="rewrap", group="format", doc=doc.id, raw_start=s, raw_end=e,
                            old=para, new=new, before=f"line {line}: 1 line of {len(para)} chars",
                            after=f"{len(wrapped)} lines at width {width}",
                            sentence=" ".join(para.split())[:160]))
        if len(out) >= count:
            break
    return out


GENERATORS = {"transposed-digit": gen_transposed, "misdated-figure": gen_misdated,
              "changed-list-entry": gen_list_entry, "misspelled-name": gen_misspelled,
              "separator": gen_separator, "percent": gen_percent, "number-word": gen_number_word,
              "blank-line": gen_blank_line, "rewrap": gen_rewrap}


def shuffled(rng: random.Random, items: list) -> list:
    items = list(items)
    rng.shuffle(items)
    return items


def generate(corpus: Corpus, seed: int, count: int, types: list[str]) -> list[Mutation]:
    out: list[Mutation] = []
    for t in types:
        rng = random.Random(f"{seed}:{t}")
        muts = GENERATORS[t](corpus, rng, count)
        for m in muts:     # sanity: the edit applies and changes the file
            doc = corpus.docs[m.doc]
            assert doc.raw[m.raw_start:m.raw_end] == m.old
            assert m.old != m.new, m
        out.extend(muts)
    return out


# --------------------------------------------------------------------------- running


class Runner:
    def __init__(self, argv: list[str], rules: list[str], timeout: float):
        self.argv, self.rules, self.timeout = argv, rules, timeout
        self.runs = 0
        self.seconds = 0.0

    def run(self, cwd: Path, args: list[str], what: str) -> dict:
        argv = self.argv + args
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True,
                                  encoding="utf-8", errors="replace", timeout=self.timeout)
        except subprocess.TimeoutExpired as exc:
            raise CheckerCrash(f"{what}: no answer after {self.timeout:.0f} s", argv, None,
                               (exc.stderr or "") if isinstance(exc.stderr, str) else "")
        self.runs += 1
        self.seconds += time.perf_counter() - t0
        if proc.returncode == 2 and "No such command" in proc.stderr:
            raise CheckerMissing(proc.stderr.strip())
        if proc.returncode != 0:
            raise CheckerCrash(f"{what}: exit code {proc.returncode}", argv, proc.returncode,
                               proc.stderr)
        try:
            data = json.loads(proc.stdout)
        except json.JSONDecodeError as exc:
            raise CheckerCrash(f"{what}: output is not JSON ({exc})", argv, proc.returncode,
                               proc.stderr + "\n--- stdout (start) ---\n" + proc.stdout[:2000])
        if not isinstance(data, dict):
            raise CheckerCrash(f"{what}: output is not a JSON object", argv, 0, proc.stderr)
        return data

    def extract(self, cwd: Path, target: str, what: str) -> dict:
        return self.run(cwd, ["extract", target, "--format", "json"], what)

    def check(self, cwd: Path, what: str) -> dict:
        rules = [a for r in self.rules for a in ("--rules", r)]
        data = self.run(cwd, ["check", "corpus", "--format", "json", "--fail-on", "never", *rules],
                        what)
        if not isinstance(data.get("findings"), list):
            raise CheckerCrash(f"{what}: the JSON has no 'findings' list", self.argv, 0, "")
        return data


def claim_sig(c: dict):
    period = c.get("period")
    if isinstance(period, dict):
        period = (period.get("start"), period.get("end"))
    return (c.get("doc"), c.get("text"), c.get("value"), c.get("low"), c.get("high"),
            c.get("unit"), period)


def finding_sig(f: dict, with_text: bool = True):
    """A finding's claims as a set; offsets left out (an edit before them shifts them).
    Without text, "3,388" and "3 388" are the same claim."""
    def one(c):
        sig = claim_sig(c)
        return sig if with_text else (sig[0],) + sig[2:]
    return frozenset(json.dumps(one(c), default=str) for c in f.get("claims") or [])


def alerts(report: dict) -> list[dict]:
    return [f for f in report.get("findings", []) if f.get("severity") in ALERT]


def describe_finding(f: dict) -> str:
    figs = ", ".join(f"{c.get('doc', '?')[:24]}:{c.get('text')!r}"
                     for c in (f.get("claims") or [])[:4])
    msg = " ".join(str(f.get("message", "")).split())
    return f"{f.get('severity')} {f.get('kind')}/{f.get('rule')}: {msg[:140]} [{figs}]"


def claims_diff(before: list[dict], after: list[dict], semantic: bool) -> str:
    """How the mutated document's claims differ from the baseline's, in order. With
    ``semantic`` (formatting edits) a change of text alone is reported as harmless."""
    def key(c, with_text=True):
        p = c.get("period")
        p = (p.get("start"), p.get("end")) if isinstance(p, dict) else p
        sem = (c.get("value"), c.get("low"), c.get("high"), c.get("unit"), p, c.get("qualifier"))
        return ((c.get("text"),) + sem) if with_text else sem
    a, b = [key(c) for c in before], [key(c) for c in after]
    if a == b:
        return "claims unchanged"
    parts = []
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            continue
        if op == "replace" and i2 - i1 == j2 - j1:
            for x, y in zip(before[i1:i2], after[j1:j2]):
                parts.append(_claim_change(x, y))
            continue
        old = "; ".join(_claim_str(c) for c in before[i1:i2]) or "—"
        new = "; ".join(_claim_str(c) for c in after[j1:j2]) or "—"
        parts.append(f"{old} ⇒ {new}")
    text = " | ".join(parts).replace("\u00a0", "⍽")
    if len(text) > 400:
        text = text[:400] + "…"
    if semantic and [key(c, False) for c in before] == [key(c, False) for c in after]:
        return f"claim values and periods unchanged (text: {text})"
    return "claims: " + text


def _claim_change(x: dict, y: dict) -> str:
    """One claim before and after: its text, and every contract field that changed."""
    head = repr(x.get("text"))
    if x.get("text") != y.get("text"):
        head = f"{x.get('text')!r}→{y.get('text')!r}"
    changes = []
    for k in ("value", "low", "high", "unit", "period", "qualifier"):
        a, b = x.get(k), y.get(k)
        if a != b:
            if k == "period":
                a = a.get("end") if isinstance(a, dict) else a
                b = b.get("end") if isinstance(b, dict) else b
                k = "period end"
            changes.append(f"{k} {a}→{b}")
    return head + (" (" + ", ".join(changes) + ")" if changes else "")


def _claim_str(c: dict) -> str:
    p = c.get("period")
    p = (p.get("end") if isinstance(p, dict) else p)
    return f"{c.get('text')!r}={c.get('value')}{'@' + str(p) if p else ''}"


def score(m: Mutation, doc: Doc, baseline: dict, report: dict) -> None:
    base_alerts: dict[str, set] = {}      # id -> claim sets (an id may repeat)
    for f in alerts(baseline):
        base_alerts.setdefault(f.get("id"), set()).add(finding_sig(f))
    new = []
    for f in alerts(report):
        fid = f.get("id")
        if fid not in base_alerts:
            new.append((f, "new finding"))
        elif finding_sig(f) not in base_alerts[fid]:
            new.append((f, "changed baseline finding"))
    base_claims = [c for c in baseline.get("claims", []) if c.get("doc") == doc.id]
    mut_claims = [c for c in report.get("claims", []) if c.get("doc") == doc.id]
    m.extract_note = claims_diff(base_claims, mut_claims, semantic=m.group == "format")
    if m.group == "format":
        added = [f for f in alerts(report) if f.get("id") not in base_alerts]
        m.status = "fail" if added else "ok"
        base_by_sig = {(f.get("rule"), f.get("kind"), finding_sig(f, with_text=False)): f.get("id")
                       for f in alerts(baseline)}
        for f in added:
            same = base_by_sig.get((f.get("rule"), f.get("kind"), finding_sig(f, with_text=False)))
            note = (f"  (same rule and figures as baseline finding {same}: fingerprint moved)"
                    if same else "")
            m.detail.append("+ " + describe_finding(f) + note)
        return
    hit = None
    for f, how in new:
        if m.name_form:
            stripped = dict(f)
            stripped["claims"] = [{k: v for k, v in c.items() if k != "sentence"}
                                  for c in f.get("claims") or []]
            if m.name_form in json.dumps(stripped, ensure_ascii=False, default=str):
                hit = (f, how)
                break
        else:
            for c in f.get("claims") or []:
                if c.get("doc") != doc.id or not isinstance(c.get("start"), int):
                    continue
                if any(c["start"] < e and s < c["end"] for s, e in m.targets):
                    hit = (f, how)
                    break
            if hit:
                break
    if hit:
        m.status, m.via = "found", hit[1]
        m.detail.append(describe_finding(hit[0]))
    else:
        m.status = "missed"
        if new:
            m.detail.append(f"{len(new)} new/changed warning(s) elsewhere, none on the mutated "
                            f"{'name' if m.name_form else 'span'}:")
            m.detail.extend("  " + describe_finding(f) for f, _ in new[:3])
        else:
            m.detail.append("no new or changed warning/error finding")


# --------------------------------------------------------------------------- main


def checker_argv(spec: str | None) -> list[str]:
    if spec:
        return shlex.split(spec)
    return [sys.executable, "-m", "checker"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS),
                    help="folder of articles (default: fixtures/sources)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=5, help="mutations per type (default 5)")
    ap.add_argument("--only", default="", help="comma-separated types to run: "
                    + ", ".join(ALL_TYPES))
    ap.add_argument("--out", help="write the results as one JSON object to this file")
    ap.add_argument("--dry-run", action="store_true",
                    help="list the mutations (and what `checker extract` reads in each mutated "
                         "file) without running `checker check`")
    ap.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1),
                    help="checker runs in parallel (default: min(4, CPUs))")
    ap.add_argument("--checker", help="command that runs the checker "
                    "(default: this Python with -m checker)")
    ap.add_argument("--rules", action="append", default=None,
                    help="rules folder passed to `checker check` (repeatable; default: ./rules "
                         "if it exists, as the checker itself would pick, else none)")
    ap.add_argument("--timeout", type=float, default=600, help="seconds per checker run")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="also list the mutations that were found, and the finding that "
                         "caught each")
    args = ap.parse_args(argv)

    types = [t.strip() for t in args.only.split(",") if t.strip()] or ALL_TYPES
    unknown = [t for t in types if t not in ALL_TYPES]
    if unknown:
        ap.error(f"unknown type(s): {', '.join(unknown)}")
    corpus_dir = Path(args.corpus)
    if not corpus_dir.is_dir():
        ap.error(f"{corpus_dir}: not a folder")
    if args.rules is None:   # as `checker check` run from here would: ./rules if it has rules
        here = Path("rules")
        has_rules = here.is_dir() and any(f.endswith((".yml", ".yaml"))
                                          for _, _, files in os.walk(here, followlinks=True)
                                          for f in files)
        rules = [str(here.resolve())] if has_rules else []
    else:
        rules = [str(Path(r).resolve()) for r in args.rules]
    runner = Runner(checker_argv(args.checker), rules, args.timeout)
    t_start = time.perf_counter()

    with tempfile.TemporaryDirectory(prefix="checker-mutations-") as tmp:
        tmp = Path(tmp)
        jobs = max(1, args.jobs)
        workers = []
        for k in range(jobs):
            w = tmp / f"w{k}"
            shutil.copytree(corpus_dir, w / "corpus",
                            ignore=shutil.ignore_patterns(".*", "__pycache__"))
            workers.append(w)
        try:
            extracted = runner.extract(workers[0], "corpus", "extract (unmutated corpus)")
        except CheckerMissing as exc:
            print(f"mutations: the installed checker has no `extract` command ({exc})",
                  file=sys.stderr)
            return 1
        except CheckerCrash as exc:
            return crashed(exc)
        docs = load_docs(extracted, workers[0])
        corpus = Corpus(docs)
        mutations = generate(corpus, args.seed, args.count, types)
        n_claims = sum(len(d.claims) for d in docs.values())
        print(f"corpus {corpus_dir} ({len(docs)} documents, {n_claims} claims), seed {args.seed}, "
              f"{args.count} per type; checker: {' '.join(runner.argv)}"
              f"{'; rules: ' + ', '.join(rules) if rules else ''}")

        def run_one(job):
            m, what = job
            w = pool_dirs.get()
            try:
                doc = docs[m.doc]
                target = w / "corpus" / doc.rel
                target.write_bytes(doc.encode(m.apply(doc.raw)))
                try:
                    if what == "extract":
                        rep = runner.extract(w, f"corpus/{doc.rel}",
                                             f"extract ({m.type}: {m.label()})")
                        base = [c for c in extracted["claims"] if c["doc"] == doc.id]
                        mine = rep.get("claims", [])
                        m.extract_note = claims_diff(base, mine, semantic=m.group == "format")
                        m.status = "dry"
                    else:
                        rep = runner.check(w, f"check ({m.type}: {m.label()})")
                        score(m, doc, baseline, rep)
                finally:
                    target.write_bytes(doc.encode(doc.raw))
            finally:
                pool_dirs.put(w)
            return m

        pool_dirs: queue.Queue = queue.Queue()
        for w in workers:
            pool_dirs.put(w)

        baseline = None
        unstable = False
        try:
            if not args.dry_run:
                baseline = runner.check(workers[0], "check (baseline, unmutated corpus)")
            with ThreadPoolExecutor(max_workers=jobs) as ex:
                what = "extract" if args.dry_run else "check"
                list(ex.map(run_one, [(m, what) for m in mutations]))
            if baseline is not None:
                # Same input, same answer? If not, the scores above compare against a
                # moving target (a non-deterministic checker, or code/rules edited meanwhile).
                again = runner.check(workers[-1], "check (baseline, again at the end)")
                first = sorted((f.get("id"), f.get("severity")) for f in alerts(baseline))
                second = sorted((f.get("id"), f.get("severity")) for f in alerts(again))
                unstable = first != second
        except CheckerMissing as exc:
            print("mutations: `checker check` is not available in this checker yet "
                  f"({exc.args[0].splitlines()[-1] if exc.args[0] else 'no such command'}).\n"
                  "The mutation benchmark needs the discrepancy engine; "
                  "`--dry-run` lists the mutations without it.", file=sys.stderr)
            return 1
        except CheckerCrash as exc:
            return crashed(exc)

    wall = time.perf_counter() - t_start
    if args.dry_run:
        print_dry(mutations, types)
    else:
        print_results(mutations, types, baseline, verbose=args.verbose)
        if unstable:
            print("\nWARNING: the unmutated corpus gave different warning/error findings at the "
                  "start and at the end of the run (a non-deterministic checker, or the code "
                  "or rules changed meanwhile): the figures above are not reliable.")
    print(f"\nwall time {wall:.1f} s: {runner.runs} checker runs, "
          f"{runner.seconds / max(runner.runs, 1):.2f} s each on average, {jobs} in parallel")
    if args.out:
        result = {"corpus": str(corpus_dir), "seed": args.seed, "count": args.count,
                  "dry_run": args.dry_run, "checker": runner.argv, "rules": rules,
                  "baseline_unstable": unstable,
                  "wall_seconds": round(wall, 2), "checker_runs": runner.runs,
                  "summary": summary(mutations, types),
                  "baseline_findings": (None if baseline is None
                                        else len(baseline.get("findings", []))),
                  "mutations": [asdict(m) for m in mutations]}
        Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n",
                                  encoding="utf-8")
        print(f"results written to {args.out}")
    return 0


def crashed(exc: CheckerCrash) -> int:
    print(f"mutations: the checker crashed — {exc.what}\n  command: {shlex.join(exc.argv)}",
          file=sys.stderr)
    if exc.stderr:
        print(exc.stderr.rstrip(), file=sys.stderr)
    return 1


def summary(mutations: list[Mutation], types: list[str]) -> dict:
    out = {}
    for t in types:
        ms = [m for m in mutations if m.type == t]
        if t in ERROR_TYPES:
            found = sum(m.status == "found" for m in ms)
            out[t] = {"tried": len(ms), "found": found,
                      "via_changed_baseline_finding": sum(m.via == "changed baseline finding"
                                                          for m in ms),
                      "recall": round(found / len(ms), 3) if ms else None}
        else:
            out[t] = {"tried": len(ms), "with_new_warnings": sum(m.status == "fail" for m in ms)}
    return out


def print_results(mutations: list[Mutation], types: list[str], baseline: dict,
                  verbose: bool = False) -> None:
    b = alerts(baseline)
    print(f"baseline: {len(baseline.get('findings', []))} findings, {len(b)} warning/error\n")
    s = summary(mutations, types)
    err = [t for t in types if t in ERROR_TYPES]
    fmt = [t for t in types if t in FORMAT_TYPES]
    if err:
        print(f"{'injected error':<22}{'tried':>6}{'found':>7}{'recall':>8}"
              "   (via changed baseline finding)")
        tt = tf = 0
        for t in err:
            r = s[t]
            tt, tf = tt + r["tried"], tf + r["found"]
            rec = f"{r['recall']:.0%}" if r["recall"] is not None else "—"
            via = r["via_changed_baseline_finding"]
            print(f"{t:<22}{r['tried']:>6}{r['found']:>7}{rec:>8}   ({via})")
        print(f"{'all':<22}{tt:>6}{tf:>7}{(f'{tf / tt:.0%}' if tt else '—'):>8}")
    if fmt:
        print(f"\n{'formatting-only edit':<22}{'tried':>6}{'with new warnings':>19}")
        for t in fmt:
            r = s[t]
            print(f"{t:<22}{r['tried']:>6}{r['with_new_warnings']:>19}")
    if verbose:
        found = [m for m in mutations if m.status == "found"]
        if found:
            print("\nfound:")
        for m in found:
            print(f"- [{m.type}] {m.label()}  ({m.via})")
            for d in m.detail:
                print(f"    {d}")
    for status, heading in (("missed", "missed"),
                            ("fail", "formatting edits that added warnings")):
        listed = [m for m in mutations if m.status == status]
        if listed:
            print(f"\n{heading}:")
        for m in listed:
            print(f"- [{m.type}] {m.label()}")
            print(f"    sentence: {m.sentence[:200]}")
            print(f"    extract:  {m.extract_note}")
            for d in m.detail:
                print(f"    {d}")
    short = [t for t in types if s[t]["tried"] < (max((s[x]["tried"] for x in types), default=0))]
    if short:
        print("\nfewer sites than --count: " + ", ".join(f"{t} ({s[t]['tried']})" for t in short))


def print_dry(mutations: list[Mutation], types: list[str]) -> None:
    for t in types:
        ms = [m for m in mutations if m.type == t]
        print(f"\n{t} ({len(ms)}):")
        if not ms:
            print("  (no site found)")
        for m in ms:
            print(f"  {m.label()}")
            if m.type not in ("blank-line",):
                print(f"      in: {m.sentence[:180]}")
            print(f"      {m.extract_note}")


if __name__ == "__main__":
    sys.exit(main())
