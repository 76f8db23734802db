"""checker.independence's shingles: the sampled hashes that wire-copy detection compares
are kept in the claim store, so a quicker way of computing them must give the same ones."""
from __future__ import annotations

import zlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.documents import document_from_text
from checker.independence import SAMPLE_MOD, SHINGLE, _WORD, _shingles, _words

SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
# Few words, so that runs repeat and fall on both sides of the sample; case and letters
# whose lowercase differs in context (a final sigma) or in length (İ).
PIECES = ["the", "The", "army", "said", "12", "ΟΔΟΣ", "σ", "İstanbul", "x_y", "-", "’s", ".",
          " ", "  ", "\n", "\u00a0", "—", "Zürich", "É", "ǅ", "\u200b", "\x85", "\x1c", "٣", "²",
          "\u2028", "日本"]


def shingles_by_index(doc) -> set[int]:
    """The shingles as first written: a loop over the index of each run's first word."""
    words = [w.lower() for a, b in doc.spans for w in _WORD.findall(doc.text, a, b)]
    hashes = (zlib.crc32(" ".join(words[i:i + SHINGLE]).encode())
              for i in range(max(len(words) - SHINGLE + 1, 0)))
    return {h for h in hashes if h % SAMPLE_MOD == 0}


@SETTINGS
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=60).map("".join))
def test_words_and_shingles_are_those_of_the_pattern_and_a_loop_over_word_indices(text):
    if not text.strip():
        return
    doc = document_from_text(text, "doc", "doc.txt")
    assert _words(doc) == [w.lower().encode() for a, b in doc.spans
                           for w in _WORD.findall(doc.text, a, b)]
    assert _shingles(doc) == shingles_by_index(doc)
