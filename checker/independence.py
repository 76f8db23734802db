"""Which documents are copies of one story, so agreement among them is not corroboration.

A wire story reprinted by several outlets carries the same sentences under different
headlines and page furniture. Documents are compared by sampled word 5-gram shingles
(Broder's resemblance, with containment so a reprint with an extra paragraph still counts):
two documents are copies when at least ``CONTAINMENT`` of the smaller one's sampled shingles
are in the other. Candidate pairs come from an inverted index of shingles, never from all
pairs, and shingles shared by very many documents (boilerplate) are ignored.
"""
from __future__ import annotations

import re
import zlib
from collections import Counter, defaultdict
from itertools import chain

from .documents import Document

SHINGLE = 5
SAMPLE_MOD = 4  # keep shingles whose hash is 0 modulo this: a consistent 1-in-4 sample
CONTAINMENT = 0.6
MIN_SHINGLES = 8
COMMON = 50  # a shingle in more documents than this is boilerplate
_WORD = re.compile(r"\w+")


def shingles(doc: Document) -> list[int]:
    """The document's sampled shingles, computed once per document."""
    if doc.shingles is None:
        doc.shingles = sorted(_shingles(doc))
    return doc.shingles


def _shingles(doc: Document) -> set[int]:
    """CRC-32 of each run of SHINGLE words, joined by spaces, kept when sampled. The runs
    are made by ``zip`` and hashed by ``map``, not by a loop over word indices: there is
    one per word, and the loop's own cost was most of the time."""
    words = _words(doc)
    runs = map(b" ".join, zip(*(words[k:] for k in range(SHINGLE))))
    return {h for h in map(zlib.crc32, runs) if h % SAMPLE_MOD == 0}


# Each byte as itself, but a blank for an ASCII character that is no word character.
_NOT_WORD_BYTES = bytes(b if _WORD.match(chr(b)) or b >= 0x80 else 0x20 for b in range(256))


def _words(doc: Document) -> list[bytes]:
    """The lowercased UTF-8 words of the content spans, as ``_WORD`` finds them and
    ``str.lower`` lowers them one by one.

    They are cut without a pattern: the spans' text is lowered at once, the few
    characters of it past ASCII that are no word character become blanks, and the UTF-8
    bytes are split at the rest (every byte of a character past ASCII is 0x80 or more, so
    none is taken for a blank). ``_WORD`` tried every character and its words were then
    joined, lowered and encoded one by one. Lowering the text at once lowers each word
    as on its own, but for a capital sigma (lowered by what is around it) and "İ" (two
    characters lowered, the second no word character): where either is, the pattern
    cuts the words."""
    text = doc.text
    spans = " ".join([text[a:b] for a, b in doc.spans])
    if "\u03a3" in spans or "\u0130" in spans:
        return [w.lower().encode() for a, b in doc.spans for w in _WORD.findall(text, a, b)]
    spans = spans.lower()
    if not spans.isascii():
        for char in set(spans):
            if char > "\x7f" and not _WORD.match(char):
                spans = spans.replace(char, " ")
    return spans.encode().translate(_NOT_WORD_BYTES).split()


def copies(documents: list[Document]) -> dict[str, str]:
    """Map each document id to the id of the first document of its copy group."""
    sampled = {doc.id: shingles(doc) for doc in documents}
    rare = _rare(sampled)
    postings: dict[int, list[str]] = defaultdict(list)
    for doc_id, hashes in rare.items():
        for h in hashes:
            postings[h].append(doc_id)
    parent = {doc.id: doc.id for doc in documents}

    def root(d: str) -> str:
        while parent[d] != d:
            parent[d] = parent[parent[d]]
            d = parent[d]
        return d

    for doc_id, hashes in rare.items():
        shared: Counter = Counter()
        for h in hashes:
            shared.update(d for d in postings[h] if d > doc_id)
        for other, count in shared.items():
            smaller = min(len(sampled[doc_id]), len(sampled[other]))
            if count >= CONTAINMENT * smaller:
                a, b = sorted((root(doc_id), root(other)))
                parent[b] = a
    return {doc.id: root(doc.id) for doc in documents}


def _rare(sampled: dict[str, list[int]]) -> dict[str, set[int]]:
    """Each document that may be a copy, with its shingles that are not boilerplate.

    Only these shingles are counted, so a document with fewer of them than
    ``CONTAINMENT`` of the least a copy must have (``MIN_SHINGLES``) cannot reach the
    threshold with any other: it is left out, as are documents too short to compare,
    before any pair is looked at. Document frequencies still count every document."""
    frequency = Counter(chain.from_iterable(sampled.values()))
    common = {h for h, n in frequency.items() if n > COMMON}
    rare = {}
    for doc_id, hashes in sampled.items():
        kept = set(hashes).difference(common)
        if len(hashes) >= MIN_SHINGLES and len(kept) >= CONTAINMENT * MIN_SHINGLES:
            rare[doc_id] = kept
    return rare
