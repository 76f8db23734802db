"""The check's shortcuts give exactly what the plain computation gives: placing passes over
candidates that cannot beat the best so far (``measures.COSINE_CEILING``), a side's
latest claim is found per distinct period (``kinds.base.latest_claim``), a figure's
describing words are read from its sentence's, sorted out once (``measures._words``),
and worked out in halves (``measures._halved_terms``), the attribution
kind searches each distinct line once (``_Sentences``), and evidence is cited by ``map``
(``engine._Facts``)."""
from __future__ import annotations

import datetime as dt
import math
import pickle
from collections import Counter
from types import SimpleNamespace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker import measures
from checker.claims.extract import extract_documents
from checker.documents import document_from_text
from checker.engine import _Facts, _fact, _parts
from checker.kinds import attribution
from checker.kinds.base import Context, latest_claim
from checker.measures import Block, Placing, assign_block
from checker.timing import when

SETTINGS = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
TERMS = [f"t{n}" for n in range(5)]  # few: many vectors alike, so candidates near-tie
DATES = [None, "2025-06-30", "2025-07-01", "2025-07-02", "2025-08-14"]

vectors = st.dictionaries(st.sampled_from(TERMS), st.sampled_from([0.3, 1.0, 2.5]) | st.floats(0.05, 5.0),
                          min_size=1, max_size=4)
placings = st.builds(
    Placing, doc=st.sampled_from(["a", "b", "c", "d"]),
    value=st.sampled_from([None, 0, 3, 12, 81, 200, 6162, 16894]),
    kind=st.sampled_from(["count", "percent"]),
    period=st.one_of(st.none(), st.builds(lambda end: {"start": None, "end": end},
                                          st.sampled_from(DATES[1:]))),
    period_text=st.sampled_from([None, "as of June 2025"]),
    entities=st.sampled_from([[], [{"type": "country", "name": "Nepal"}],
                              [{"type": "region", "name": "Kent", "code": "GB-KEN"}]]),
    unit=st.sampled_from([None, "people", "men", "women"]))


@SETTINGS
@given(st.lists(st.tuples(placings, vectors), min_size=1, max_size=40))
def test_placing_passes_over_only_candidates_that_cannot_win(items):
    block = Block([p for p, _ in items], [v for _, v in items], [-1] * len(items),
                  [-1] * len(items), {"a": dt.date(2025, 8, 14), "b": None, "c": None,
                                      "d": dt.date(2025, 7, 1)}, measures.THRESHOLD)
    fast = assign_block(block)
    ceiling, measures.COSINE_CEILING = measures.COSINE_CEILING, math.inf  # never passes over
    try:
        plain = assign_block(block)
    finally:
        measures.COSINE_CEILING = ceiling
    assert fast == plain


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(["a", "b"]), st.sampled_from(DATES),
                          st.sampled_from(DATES)), min_size=1, max_size=30))
def test_latest_claim_is_the_first_of_the_latest(rows):
    claims = [SimpleNamespace(doc=doc, period={"start": start, "end": end} if end else None)
              for doc, start, end in rows]
    ctx = Context([], {"a": SimpleNamespace(published=dt.date(2025, 8, 1), role="source"),
                       "b": SimpleNamespace(published=None, role="source")})
    plain = max(claims, key=lambda c: (ctx.period(c) is not None,
                                       when(ctx.period(c)) or dt.date.min))
    latest, period = latest_claim(claims, ctx)
    assert latest is plain and period == ctx.period(plain)


# Words, stops and newlines, with capitals and a letter whose lower case is longer.
pieces = st.sampled_from(["lis", "Lis", "police", "lis's", "xlis", "İlis", " ", " ", ". ",
                          "!", "?", "\n", "\n\n", "_lis", "the county"])
texts = st.lists(pieces, max_size=30).map("".join)


@SETTINGS
@given(st.lists(texts, min_size=1, max_size=6), st.sampled_from(["lis", "police", "county"]))
def test_sentences_are_found_in_distinct_lines_as_in_each_document(texts, word):
    documents = {str(k): SimpleNamespace(text=text) for k, text in enumerate(texts)}
    found = attribution._Sentences(SimpleNamespace(documents=documents)).containing(word)
    plain = set()
    for text in (t.lower() for t in texts):
        for at in attribution._occurrences(text, word):
            start = max(text.rfind(stop, 0, at) for stop in ".!?\n") + 1
            end = attribution._STOP.search(text, at + len(word))
            plain.add(frozenset(attribution._WORDS.findall(text[start:end.start() if end
                                                                 else len(text)])))
    assert set(found) == plain and len(found) == len(plain)


@SETTINGS
@given(st.lists(st.lists(st.integers(0, 5), max_size=8), max_size=6))
def test_evidence_facts_are_worked_out_one_claim_at_a_time(hits):
    claims = [SimpleNamespace(doc=f"d{k % 3}", value=k or None, text=f"Name {k}",
                              period={"start": None, "end": "2025-06-30"} if k % 2 else None)
              for k in range(6)]
    known = _Facts()
    for hit in hits:
        assert known([claims[k] for k in hit]) == sorted({_fact(claims[k]) for k in hit})


def _plain_nearby(claim, others):
    """The describing words by their definition: every word within ``WINDOW`` of the
    figure read in turn, as ``measures`` did before it read a sentence once."""
    sentence, start = claim.sentence, claim.sentence_start
    offset, figure_end = claim.start - start, claim.end - start
    words = [(m.start(), m.group()) for m in measures._WORD.finditer(sentence)]
    title_case = sum(w[0].isupper() for _, w in words) > 0.7 * len(words)
    rivals = [o - start for o, e in others if o != claim.start and not measures._PARTITIVE.fullmatch(
        sentence, figure_end, max(figure_end, o - start))]
    source = set((claim.attribution or "").lower().split())
    at = next((i for i, (pos, _) in enumerate(words) if pos >= offset), len(words))
    for i in range(max(at - measures.WINDOW, 0), min(at + measures.WINDOW, len(words))):
        pos, word = words[i]
        lower = word.lower()
        if (any(a - start <= pos < b - start for a, b in others)
                or lower in source or lower in measures.STOP_WORDS or lower in measures._MONTHS
                or len(lower) < 3
                or (word[0].isupper() and pos > 0 and not title_case)):
            continue
        contested = any(abs(r - pos) < abs(offset - pos) for r in rivals)
        yield lower, (0.3 if contested else 1.0) / (1.0 + (at - i if i < at else i - at + 1) / 4.0), contested


WORDS = ("the of fighters Foreign foreign citizens 1,200 18 000 3,388 49% June in 2024 "
         "killed out were have been from countries Belarus said more than about officials "
         "according to the public health institute").split()


@SETTINGS
@given(st.lists(st.lists(st.sampled_from(WORDS), min_size=12, max_size=40), min_size=1, max_size=3))
def test_describing_words_and_their_halves_are_those_of_reading_every_word(sentences):
    text = "\n\n".join(" ".join(words) + "." for words in sentences)
    _, claims, _ = extract_documents([document_from_text(text, "a", "a.txt")])
    classes = list(map(measures.unit_class, claims))
    where = [(c.doc, c.sentence_start, kind) for c, kind in zip(claims, classes)]
    others = [[(o.start, o.end) for o, there in zip(claims, where) if there == here]
              for here in where]
    assert measures._sentence_figures(claims, classes) == others
    expected = []
    for claim, spans in zip(claims, others):
        bag = Counter()
        for word, weight, _ in _plain_nearby(claim, spans):
            bag[measures._stem(word)] += weight
        expected.append(bag)
    assert measures.claim_terms(claims) == expected

    def pickled(fn, items):  # as a pool or a cluster gets them
        return [fn(pickle.loads(pickle.dumps(item))) for item in items]

    for map_blocks in (map, pickled):
        assert measures._halved_terms(claims, others, map_blocks) == expected


@SETTINGS
@given(st.lists(st.integers(1, 50), max_size=30), st.integers(1, 12))
def test_measures_are_cut_into_parts_that_cover_them_once_in_order(sizes, count):
    measures = [SimpleNamespace(claims=[None] * size) for size in sizes]
    parts = _parts(measures, count)
    assert [m for start, end in parts for m in measures[start:end]] == measures
    assert all(start < end for start, end in parts) or not measures
    assert len(parts) <= count
