"""Align claims into measures: claims from anywhere that quantify the same thing.

Automatic alignment has to work on a story nobody wrote rules for, so it uses no story
vocabulary. Each claim becomes a bag of weighted terms (Salton's TF-IDF vector space model):
the counted thing (``foreign nationals``), the words around the figure stemmed with the
Snowball English stemmer and weighted by their distance from it (what happened: *fought*,
*captured*, *signed contracts*), and the places in its scope. Dates, figures, names and
function words are left out, so the same figure dated July in one source and June in
another still aligns. Claims join the measure whose centroid they are closest to (cosine),
when that is close enough and nothing forbids it:

- the kind of figure must match (a share with shares, euros with euros), and counted
  things must be of one class (people with people, countries with countries);
- one document gives one value per measure, unless it dates each value itself (so
  "4 658 citizens of Belarus…" never joins "16 894 foreign citizens" beside it, while
  "1% in 2022, 9% in 2023" is one measure over time);
- counts more than ``MAX_RATIO`` apart are not one measure.

Candidates come from an inverted index on each claim's rarest terms, never from comparing
all pairs, so alignment grows near-linearly with the number of claims. Every measure says
why its claims are together (``Measure.why``).

Editors refine alignment with named measures in rule files (``ruleset.MeasureSpec``): a
claim that matches one goes to it before automatic alignment, which both merges (list the
synonyms) and splits (name the narrower measure; the rest stays automatic).
"""
from __future__ import annotations

import bisect
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import repeat
from operator import mul
from typing import Callable, NamedTuple

import snowballstemmer

from .claims.model import Claim
from .timing import effective_period, stated

THRESHOLD = 0.25
SMALL_THRESHOLD = 0.5  # counts under SMALL ("two districts") need much closer wording
SMALL = 10
ANCHOR_SIMILARITY = 0.12
MAX_RATIO = 20.0
# Parallel figures (``_propagate``) pair by where they stand, whatever their words. Dated
# alike in another sentence than the shared figures, counts further apart than this are
# not taken for one measure so ("9 people were still missing on Tuesday" a sentence
# before a shared damage figure in one report, "47 were dead on Tuesday" in another). In
# the shared figures' sentences ("18,000 foreigners from 128 countries", "3,388 of the
# 18,000") they pair further apart: a transposed digit (81,000) is a conflict to catch.
# Words may still place them together.
PARALLEL_RATIO = 2.0
CANDIDATE_TERMS = 6  # a claim's heaviest terms, which look up candidate measures
# A term already in this many measures of a block picks out none of them, as a stop word
# would not; looking its measures up would make placing quadratic in a document or corpus
# that repeats the same words around every figure. No posting reaches a few hundred on a
# corpus of 10,000 realistic articles.
MAX_POSTINGS = 2000
WINDOW = 14  # words each side of the figure that describe it

# Nouns that count people: they are one class, and the words around them say which people.
# Generic English, not any story's vocabulary.
PERSON_NOUNS = frozenset("""people person persons individual individuals citizen citizens
national nationals foreigner foreigners resident residents inhabitant inhabitants man men
woman women child children adult adults soldier soldiers troop troops fighter fighters
serviceman servicemen servicemember servicemembers member members recruit recruits volunteer
volunteers mercenary mercenaries prisoner prisoners pow pows captive captives detainee detainees
civilian civilians victim victims casualty casualties patient patients worker workers employee
employees migrant migrants refugee refugees student students voter voters officer officers
defender defenders veteran veterans survivor survivors evacuee evacuees""".split())
PLACE_NOUNS = frozenset("countries country states nations territories".split())
# Of people, these groups are never one measure with another of them: 700,000 men and
# 500,000 women are both people, but no count of men is a count of women.
_SUBGROUPS = {word: group for group, words in {
    "men": "man men", "women": "woman women", "boys": "boy boys", "girls": "girl girls",
    "children": "child children", "adults": "adult adults"}.items() for word in words.split()}
STOP_WORDS = frozenset("""a an the and or but nor of in on at to for from by with without into
onto over under about around than then as is are was were be been being am has have had having
do does did doing will would shall should can could may might must it its it's this that these
those there here their them they he she him her his hers we us our you your i me my who whom
whose which what when where why how all any both each few more most other some such no not only
own same so too very just also still yet now ever even per among between after before since until
while during against within upon via another one ones another's said says say told according
reported report reports noted added stated recently already nearly almost least less many much
up down out off again further once de la""".split())
_MONTHS = frozenset("""january february march april may june july august september october
november december jan feb mar apr jun jul aug sep sept oct nov dec year years month months week
weeks day days today yesterday ago last whole entire first second third quarter half spring
summer autumn fall winter currently""".split())
# Irregular past forms, which no stemmer joins to their verb ("held" and "holds"), and
# the few derived forms news uses for the same event ("died", "dead", "death toll").
_IRREGULAR = dict(pair.split(":") for pair in """died:die dead:die death:die deaths:die
injury:injure injuries:injure injured:injure captivity:capture captive:capture
captives:capture held:hold fought:fight took:take taken:take
brought:bring caught:catch sent:send spent:spend lost:lose left:leave paid:pay sold:sell
bought:buy built:build made:make gave:give given:give fled:flee fell:fall fallen:fall
found:find kept:keep led:lead met:meet ran:run seen:see saw:see stood:stand struck:strike
won:win wrote:write written:write rose:rise risen:rise grew:grow grown:grow went:go gone:go
came:come became:become began:begin begun:begin chose:choose chosen:choose drew:draw
drawn:draw knew:know known:know shot:shoot hit:hit cut:cut put:put""".split())
# Words of movement say how a figure changed, not what it counts: "wages grew 4.1%" and
# "the economy grew 0.4%" share "grew" and nothing they measure. Their stems
# (``_MOVEMENT``, after _IRREGULAR: "rose" is "rise") weigh this much of a word's weight.
MOVEMENT_WEIGHT = 0.2
_MOVEMENT_WORDS = """rise fall grow increase decrease drop climb slip ease jump surge decline
expand contract gain slow accelerate soar plunge plummet tumble dip edge rebound double halve
shrink shrank widen narrow dearer cheaper higher lower stand""".split()
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_PARTITIVE = re.compile(r"\W*(?:[a-z]+\W+){0,3}?(?:out\W+)?of\W+(?:the|these|those|its|their)?\W*"
                        r"(?:(?:more|fewer|less)\W+than|over|about|around|nearly|almost|some)?\W*")


@dataclass
class Measure:
    """Claims that quantify one thing, and why they were put together."""

    id: str
    label: str
    claims: list[Claim] = field(default_factory=list)
    why: str = ""
    named: bool = False

    def to_json(self) -> dict:
        return {"id": self.id, "label": self.label, "why": self.why, "named": self.named}


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _stemmer().stemWord(_IRREGULAR.get(word, word))


_MOVEMENT = frozenset(map(_stem, _MOVEMENT_WORDS))


def subgroup(claim: Claim) -> str | None:
    """Which of ``_SUBGROUPS`` of people a claim counts ("700,000 men": men), if any."""
    return _SUBGROUPS.get(claim.unit.split()[-1].lower()) if claim.unit else None


def _other_groups(a: str | None, b: str | None) -> bool:
    """Whether two claims' ``subgroup``s keep them apart: both given, and different."""
    return a is not None and b is not None and a != b


def unit_class(claim: Claim) -> str:
    """What kind of thing a claim counts: '%', a currency code, 'people', 'countries', or
    the stem of the counted noun."""
    return _unit_class(claim.kind, claim.unit)


@lru_cache(maxsize=4096)
def _unit_class(kind: str, unit: str | None) -> str:
    """``unit_class`` by kind and unit, of which a corpus has few: alignment and the rules
    ask it for every claim, several times."""
    if kind != "count":
        return unit or kind
    if not unit:
        return "count"
    head = unit.split()[-1].lower()
    if head in PERSON_NOUNS:
        return "people"
    if head in PLACE_NOUNS:
        return "countries"
    return _stem(head)


def _described(claim: Claim, others: list[tuple[int, int]]) -> list[tuple[str, str, float, bool]]:
    """The words that say what the figure counts, with their weight: those near it in its
    sentence, closer ones weighing more. Words nearer another figure of the same kind
    weigh less (in "4 658 citizens of Belarus, along with 1 013 from African states",
    *African* is about the second), except across a partitive ("3,388 of the 18,000
    fighters have been killed": *killed* is about the first). Capitalised words are names
    and organisations, which say who rather than what, unless the sentence is in title
    case; so are the words of whom the figure is credited to. Each as (lowercase word,
    stem, weight, whether another figure claims it). The sentence's describing words and
    their stems are sorted out once (``_words``), so a figure reads only those within
    ``WINDOW`` words of it."""
    start = claim.sentence_start
    sentence = claim.sentence
    offset, figure_end = claim.start - start, claim.end - start
    positions, kept = _words(sentence)
    source = _source_words(claim.attribution)
    rivals = [o - start for o, e in others
              if o != claim.start and not _PARTITIVE.fullmatch(
                  sentence, figure_end, max(figure_end, o - start))]
    spans = [(o - start, e - start) for o, e in others]
    at = bisect.bisect_left(positions, offset)
    found = []
    for i, pos, lower, stem in kept[bisect.bisect_left(kept, (at - WINDOW,)):]:
        if i >= at + WINDOW:
            break
        if any(a <= pos < b for a, b in spans) or lower in source:
            continue
        distance = at - i if i < at else i - at + 1
        contested = bool(rivals) and any(abs(r - pos) < abs(offset - pos) for r in rivals)
        weight = (0.3 if contested else 1.0) / (1.0 + distance / 4.0)
        found.append((lower, stem, weight * MOVEMENT_WEIGHT if stem in _MOVEMENT else weight,
                      contested))
    return found


@lru_cache(maxsize=4096)
def _source_words(attribution: str | None) -> frozenset[str]:
    """The words of whom a figure is credited to ("the regional emergency service"): they
    say who gave it, not what it counts, as a name does."""
    return frozenset(attribution.lower().split()) if attribution else frozenset()


@lru_cache(maxsize=4096)
def _words(sentence: str) -> tuple[list[int], list[tuple[int, int, str, str]]]:
    """A sentence's word offsets, and the words that may describe a figure, each as
    (its index among the words, offset, lowercase, stem): not function words, months,
    words under three letters, nor capitalised words after the first unless the sentence
    is in title case. The same for each of its figures, so read once."""
    words = [(m.start(), m.group()) for m in _WORD.finditer(sentence)]
    title_case = sum(w[0].isupper() for _, w in words) > 0.7 * len(words)
    kept = []
    for i, (pos, word) in enumerate(words):
        lower = word.lower()
        if lower in STOP_WORDS or lower in _MONTHS or len(lower) < 3:
            continue
        if word[0].isupper() and pos > 0 and not title_case:
            continue
        kept.append((i, pos, lower, _stem(lower)))
    return [pos for pos, _ in words], kept


def _terms(claim: Claim, others: list[tuple[int, int]]) -> Counter:
    terms: dict[str, float] = {}  # summed here: a Counter's missing key costs a call
    for _, stem, weight, _ in _described(claim, others):
        terms[stem] = terms.get(stem, 0) + weight
    return Counter(terms)


def claim_terms(claims: list[Claim]) -> list[Counter]:
    """Each claim's stemmed describing words with their weights (before IDF).

    Wire copy repeats sentences verbatim from document to document, and a figure's words
    depend only on its sentence, where it and its neighbours sit in it, and whom it is
    credited to; so figures placed and credited alike in one sentence share one bag,
    worked out once. Read bags, never change them."""
    return terms_of(Terms(claims, _sentence_figures(claims)))


@dataclass
class Terms:
    """Claims whose bags (``claim_terms``) to work out, with the figures of their kind in
    their sentences (``_sentence_figures``): what ``align`` hands ``map_blocks``, in
    halves."""

    claims: list[Claim]
    others: list[list[tuple[int, int]]]

    def __len__(self) -> int:
        """Its number of claims: the work, for ``engines.forked_map``."""
        return len(self.claims)

    def __getstate__(self) -> dict:
        """Pickled for a worker with each claim as what its bag reads (``Worded``)."""
        return dict(self.__dict__, claims=[Worded(c.sentence, c.sentence_start, c.start, c.end,
                                                  c.attribution) for c in self.claims])


class Worded(NamedTuple):
    """A claim's fields that its bag reads (``_described``)."""

    sentence: str
    sentence_start: int
    start: int
    end: int
    attribution: str | None


def terms_of(work: Terms) -> list[Counter]:
    """``claim_terms`` of ``work``'s claims, in order."""
    bags: dict[tuple, Counter] = {}
    out = []
    for claim, others in zip(work.claims, work.others):
        start = claim.sentence_start
        key = (claim.sentence, claim.start - start, claim.end - start,
               tuple([(o - start, e - start) for o, e in others]), claim.attribution)
        bag = bags.get(key)
        if bag is None:
            bag = bags[key] = _terms(claim, others)
        out.append(bag)
    return out


def _halved_terms(claims: list[Claim], others: list[list[tuple[int, int]]],
                  map_blocks: Callable) -> list[Counter]:
    """``claim_terms`` of all claims, worked out as two halves by ``map_blocks`` (a forked
    child takes one when more than one process may run): a third of alignment's time
    on one core. Each sentence's claims go to one half, so wire copies' repeated
    sentences still share their bags."""
    halves: tuple[list[int], list[int]] = ([], [])
    for i, claim in enumerate(claims):
        halves[hash(claim.sentence) & 1].append(i)
    work = [Terms([claims[i] for i in half], [others[i] for i in half])
            for half in halves if half]
    bags: list[Counter] = [Counter()] * len(claims)
    for half, found in zip([half for half in halves if half], map_blocks(terms_of, work)):
        for i, bag in zip(half, found):
            bags[i] = bag
    return bags


def describing_words(claims: list[Claim]) -> dict[int, str]:
    """For each claim (by ``id()``), the words that describe it and no other figure of its
    sentence, as one lowercase string: what editors' keywords are matched against."""
    return {id(c): " ".join(w for w, _, _, contested in _described(c, others)
                            if not contested)
            for c, others in zip(claims, _sentence_figures(claims))}


def _sentence_figures(claims: list[Claim], classes: list[str] | None = None,
                      ) -> list[list[tuple[int, int]]]:
    """For each claim, the figures of its kind (``unit_class``, or ``classes`` when
    known) in its sentence, as spans, its own included: one list for all the claims of
    a sentence and kind, complete once every claim is read."""
    in_sentence: dict[tuple, list[tuple[int, int]]] = defaultdict(list)
    out = []
    for c, kind in zip(claims, classes or map(unit_class, claims)):
        spans = in_sentence[c.doc, c.sentence_start, kind]
        spans.append((c.start, c.end))
        out.append(spans)
    return out


def _places(claim: Claim) -> frozenset[str]:
    return frozenset(e.get("code") or e["name"] for e in claim.entities
                     if e.get("type") in ("country", "region"))


def place_agreement(a: frozenset, b: frozenset) -> float:
    """How far two claims' places in scope agree: 1 when both have none or the same,
    less when one names places the other does not ("citizens of Belarus" is part of
    "foreign citizens", not the same thing)."""
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.8
    return 0.6 + 0.4 * len(a & b) / len(a | b)


class _Index:
    """Measures under construction: centroids, and which measures each term appears in."""

    def __init__(self, published: dict):
        self.published = published
        self.centroids: list[dict[str, float]] = []
        self.sumsq: list[float] = []
        # Per measure, what placing weighs of its first claim: its size and its places.
        self.sizes: list[float | None] = []
        self.places: list[frozenset[str]] = []
        self.postings: dict[str, list[int]] = defaultdict(list)
        self.values: list[DocumentValues] = []  # per measure
        self.groups: list[set[str]] = []  # per measure: the subgroups its claims count
        # By id() of a vector the block holds (so never reused meanwhile): its heaviest terms.
        self.heaviest: dict[int, list[str]] = {}

    def candidates(self, vector: dict[str, float]) -> set[int]:
        """Measures sharing one of the claim's heaviest terms, leaving out terms too
        common to tell measures apart; all of the claim's block, as an index places one
        block (``assign_block``). Claims of one sentence share their vector
        (``_vectors``), so its heaviest terms are sorted out once."""
        heaviest = self.heaviest.get(id(vector))
        if heaviest is None:
            heaviest = self.heaviest[id(vector)] = sorted(
                vector, key=vector.__getitem__, reverse=True)[:CANDIDATE_TERMS]
        found: set[int] = set()
        for term in heaviest:
            postings = self.postings.get(term, ())
            if len(postings) <= MAX_POSTINGS:
                found.update(postings)
        return found

    def add(self, index: int | None, claim: Claim, vector: dict[str, float]) -> int:
        if index is None:
            index = len(self.centroids)
            self.centroids.append({})
            self.sumsq.append(0.0)
            self.sizes.append(_size(claim))
            self.places.append(_places(claim))
            self.values.append(DocumentValues(self.published))
            self.groups.append(set())
        if (group := subgroup(claim)) is not None:
            self.groups[index].add(group)
        centroid, postings = self.centroids[index], self.postings
        sumsq = self.sumsq[index]
        for term, weight in vector.items():
            old = centroid.get(term)
            if old is None:
                postings[term].append(index)
                old = 0.0
            centroid[term] = old + weight
            sumsq += (old + weight) ** 2 - old ** 2
        self.sumsq[index] = sumsq
        self.values[index].add(claim)
        return index

    def forbids(self, index: int, claim: Claim) -> bool:
        group = subgroup(claim)
        return (group is not None and bool(self.groups[index] - {group})) \
            or self.values[index].forbids(claim)

    def similarity(self, index: int, vector: dict[str, float], norm: float) -> float:
        dot = _dot(vector, self.centroids[index])
        centroid_norm = math.sqrt(max(self.sumsq[index], 0.0))
        return dot / (norm * centroid_norm) if norm and centroid_norm else 0.0


def _vectors(bags: list[Counter], idf: dict[str, float]) -> list[dict[str, float]]:
    """Each bag weighted by IDF; claims sharing a bag (``claim_terms``) share a vector, so
    each is weighted once. Read vectors, never change them."""
    weighted: dict[int, dict[str, float]] = {}
    out = []
    for bag in bags:
        vector = weighted.get(id(bag))
        if vector is None:
            vector = weighted[id(bag)] = {t: w * idf[t] for t, w in bag.items()}
        out.append(vector)
    return out


def _idf(bags: list[Counter]) -> dict[str, float]:
    """Inverse document frequency over the claims' bags; claims sharing a bag
    (``claim_terms``) count it once each, in one go."""
    df: Counter = Counter()
    shared = Counter(map(id, bags))
    for bag in {id(bag): bag for bag in bags}.values():
        times = shared[id(bag)]
        for term in bag:
            df[term] += times
    n = len(bags) + 1
    return {term: math.log(n / (count + 1)) + 1.0 for term, count in df.items()}


class DocumentValues:
    """What each document gave one measure, for the rule that one document gives one value
    per measure: two values from one document are one measure only as a series it dates
    itself ("1% in 2022, 9% in 2023"), each with its own stated, different period. Kept
    per document and period, so checking a claim looks only at its own document."""

    def __init__(self, published: dict, claims: list[Claim] = ()):
        self.published = published
        self.given: dict[str, dict[tuple | None, list[tuple[float, bool]]]] = {}
        for claim in claims:
            self.add(claim)

    def add(self, claim: Claim) -> None:
        period = effective_period(claim, self.published.get(claim.doc))
        by_period = self.given.setdefault(claim.doc, {})
        by_period.setdefault(period, []).append((claim.value, bool(claim.period_text)))

    def forbids(self, claim: Claim) -> bool:
        period = effective_period(claim, self.published.get(claim.doc))
        for other_period, given in self.given.get(claim.doc, {}).items():
            for value, other_stated in given:
                if value != claim.value and (not (claim.period_text and other_stated)
                                             or other_period == period):
                    return True
        return False


def _magnitude(claim: Claim, first: Claim) -> float:
    """Counts of one thing are of a size: 81 and 200 may be one measure, 15 and 16,894
    hardly; shares and money move freely between periods, so only counts are weighed."""
    return _size_agreement(_size(claim), _size(first))


def _size(claim: Claim) -> float | None:
    """What ``_magnitude`` weighs of a claim, apart so placing works it out once per claim
    and measure: a count's size ("-5" is a count of something too), None when there is
    nothing to weigh (not a count, or no or a zero value)."""
    if claim.kind != "count" or not claim.value:
        return None
    return abs(claim.value)


def _size_agreement(a: float | None, b: float | None) -> float:
    if a is None or b is None or a == b:
        return 1.0
    ratio = a / b if a > b else b / a
    if ratio > MAX_RATIO:
        return 0.0
    return 1.0 - 0.15 * math.log10(ratio)


class Wording(NamedTuple):
    """What alignment reads of each claim's words, worked out before anything is placed
    (``wording``): its kind of figure (``unit_class``), the figures of that kind in its
    sentence (``_sentence_figures``), and its bag of describing words (``claim_terms``)."""

    classes: list[str]
    others: list[list[tuple[int, int]]]
    bags: list[Counter]


def wording(claims: list[Claim], map_blocks: Callable = map) -> Wording:
    """``Wording`` of the claims: the first and costliest step of ``align``, on its own so
    that a check can keep other work off the cores while ``map_blocks`` works out the
    bags in two halves, and start it once they are done (``engine.check``)."""
    classes = list(map(unit_class, claims))  # asked of every claim by several steps
    others = _sentence_figures(claims, classes)
    return Wording(classes, others, _halved_terms(claims, others, map_blocks))


def align(claims: list[Claim], published: dict, named: list[Measure] | None = None,
          threshold: float = THRESHOLD, map_blocks: Callable = map,
          words: Wording | None = None) -> list[Measure]:
    """Group claims into measures and set each claim's ``measure``.

    ``published`` maps document id to publication date (for each claim's effective
    period); ``named`` are editors' measures, already holding the claims they matched;
    ``words`` the claims' ``wording``, worked out here when not given.

    The vectors, anchors and editors' measures are worked out over all claims; then each
    block (one kind of figure, ``unit_class``) is placed on its own, since a claim only
    ever joins a measure of its block. ``map_blocks`` maps ``assign_block`` over the
    blocks, and ``terms_of`` over two halves of the claims before: the builtin ``map``
    here, forked children, a process pool or a Dask cluster elsewhere
    (``checker.engines``). Measures are numbered by their first claim in one order
    whatever ran them, so every engine gives the same measures.
    """
    measures: list[Measure] = list(named or [])
    named_of = {id(c): m for m in measures for c in m.claims}
    classes, others, bags = words or wording(claims, map_blocks)
    idf = _idf(bags)
    vectors = _vectors(bags, idf)
    # Anchors see every claim, so a figure an editor's measure holds still lines up its
    # partners; only claims outside named measures are placed here.
    anchors = _anchors(claims, vectors, classes)
    series = _propagate(claims, anchors, classes)
    group_named: dict[int, Measure] = {}
    for i, leader in anchors.items():
        if id(claims[i]) in named_of:
            group_named.setdefault(leader, named_of[id(claims[i])])
    named_values = {id(m): DocumentValues(published, m.claims) for m in measures}
    rest = [i for i in range(len(claims)) if id(claims[i]) not in named_of]
    placed: list[int] = []
    for i in [i for i in rest if i in anchors] + [i for i in rest if i not in anchors]:
        measure = group_named.get(anchors.get(i, -1))
        if measure is not None and not named_values[id(measure)].forbids(claims[i]):
            measure.claims.append(claims[i])
            named_values[id(measure)].add(claims[i])
        else:
            placed.append(i)
    blocks: dict[str, list[int]] = defaultdict(list)
    for i in placed:
        blocks[classes[i]].append(i)
    work = [Block([claims[i] for i in members], [vectors[i] for i in members],
                  [anchors.get(i, -1) for i in members],
                  [anchors.get(series[i], -1) if i in series else -1 for i in members],
                  published, threshold)
            for members in blocks.values()]
    position = {i: n for n, i in enumerate(placed)}
    groups = [([members[k] for k in group], centroid) for members, found in
              zip(blocks.values(), map_blocks(assign_block, work)) for group, centroid in found]
    groups.sort(key=lambda found: position[found[0][0]])
    for n, (group, centroid) in enumerate(groups):
        sample = group[:DESCRIBE_SAMPLE]
        measures.append(_describe(n, [claims[i] for i in group], centroid,
                                  [bags[i] for i in sample], [others[i] for i in sample]))
    for measure in measures:
        for claim in measure.claims:
            claim.measure = measure.id
    return measures


@dataclass
class Block:
    """One kind of figure's claims to place, in placing order: their vectors, the anchor
    group each belongs to (-1: none) and the group of the anchor its dated series follows
    (-1: none), and the publication dates of documents (all the check's: a block pickled
    for a worker takes only its own documents')."""

    claims: list[Claim]
    vectors: list[dict[str, float]]
    leaders: list[int]
    follows: list[int]
    published: dict
    threshold: float

    def __len__(self) -> int:
        """Its number of claims: the work of placing it, for ``engines.forked_map``."""
        return len(self.claims)

    def __getstate__(self) -> dict:
        """Pickled for a worker (``engines``) with each claim as what placing reads of it
        (``Placing``), and the dates of its own documents only: the parent pickles every
        claim of the corpus, and sentences, ids and offsets would be most of the bytes
        and time."""
        return dict(self.__dict__, claims=[Placing(c.doc, c.value, c.kind, c.period,
                                                   c.period_text, c.entities, c.unit)
                                           for c in self.claims],
                    published={d: self.published.get(d) for d in {c.doc for c in self.claims}})


class Placing(NamedTuple):
    """A claim's fields that placing reads (``_size``, ``_places``, ``DocumentValues``,
    ``subgroup``)."""

    doc: str
    value: int | float | None
    kind: str
    period: dict | None
    period_text: str | None
    entities: list[dict]
    unit: str | None = None


def assign_block(block: Block) -> list[tuple[list[int], dict[str, float]]]:
    """Place a block's claims greedily: an anchored claim joins its group's measure, a
    dated series its anchor's, anything else the closest allowed centroid or a new
    measure. Returns each measure's claims as positions in the block, with its centroid
    (the sum of their vectors, added in that order)."""
    index = _Index(block.published)
    group_measure: dict[int, int] = {}  # anchor group leader -> measure index
    members: list[list[int]] = []
    for k, (claim, vector) in enumerate(zip(block.claims, block.vectors)):
        leader, follows = block.leaders[k], block.follows[k]
        best = group_measure.get(leader) if leader != -1 else None
        if best is None and follows != -1:
            best = group_measure.get(follows)
            if best is not None and index.forbids(best, claim):
                best = None
        if best is None:
            best = _closest(index, claim, vector, block.threshold)
        chosen = index.add(best, claim, vector)
        if chosen == len(members):
            members.append([])
        members[chosen].append(k)
        if leader != -1:
            group_measure.setdefault(leader, chosen)
    return list(zip(members, index.centroids))


def _anchors(claims: list[Claim], vectors: list[dict], classes: list[str]) -> dict[int, int]:
    """The same figure, counting the same kind of thing, in two documents is one measure
    whatever the wording (16,894 here and 16 894 there) when it is distinctive, or when
    round (18,000) its words agree too, a place is in both scopes, or both date it to the
    same period.
    Maps each such claim to the first of its group. Small numbers anchor only with the
    same stated period ("1% in 2022"); list items never do. ``classes`` are the claims'
    ``unit_class``."""
    groups: dict[tuple, list[int]] = defaultdict(list)
    for i, claim in enumerate(claims):
        if claim.value is not None and not claim.list_item and (
                claim.value >= 10 or claim.period_text):
            groups[classes[i], claim.value, subgroup(claim)].append(i)
    anchors: dict[int, int] = {}
    squares: dict[int, float] = {}  # for _cosine
    for members in groups.values():
        leader = members[0]
        distinctive = _distinctive(claims[leader].value)  # one value for the whole group
        for i in members[1:]:
            if claims[i].doc == claims[leader].doc:
                continue
            if claims[i].value < 10 and not _same_stated_period(claims[i], claims[leader]):
                continue
            if (distinctive or _same_stated_period(claims[i], claims[leader])
                    or _cosine(vectors[i], vectors[leader], squares) >= ANCHOR_SIMILARITY
                    or _places(claims[i]) & _places(claims[leader])):
                anchors[i] = anchors[leader] = leader
    return anchors


def _propagate(claims: list[Claim], anchors: dict[int, int], kinds: list[str]) -> dict[int, int]:
    """Parallel figures: when two documents share an anchored figure, the other figures
    of its paragraph line up too ("16 894 foreigners from 121 countries" and "18,000
    foreigners from 128 countries" once 121 or 16 894 is shared; "6 162 as of June 2025,
    6,011 for 2024" against "6,162 by June 2025, 6,011 in 2024"). Within a kind of
    figure, partners pair first by the same stated period (counts within
    ``PARALLEL_RATIO`` outside the shared figures' sentences), then, in those sentences,
    when one of that kind is left on this side: with the only one, or the nearest on the
    same side, on the other. Where they stand says nothing across sentences: "9 people
    were still missing" before a shared damage figure, "47 people are confirmed dead"
    before it in another report. Adds to ``anchors``; a claim already anchored keeps its
    group, which its partner joins. Returns the dated series: a figure of the anchor's
    own kind and paragraph, dated differently and lined up on both sides too ("1% in
    2022" beside "49% in July" in each), mapped to the anchor, so the series can share
    the anchor's measure.
    ``kinds`` are the claims' ``unit_class``."""
    series: dict[int, int] = {}
    paragraphs: dict[tuple, list[int]] = defaultdict(list)
    paragraph = []  # each claim's paragraph
    for i, claim in enumerate(claims):
        members = paragraphs[claim.doc, claim.line]
        members.append(i)
        paragraph.append(members)
    pairs = [(leader, i) for i, leader in list(anchors.items()) if i != leader]
    pairs += [(b, a) for a, b in pairs]
    # Paragraphs (by id) anchored through, as most are in a corpus of wire copy: anchors
    # only grow, so they stay so and are never read again.
    anchored: set[int] = set()
    for a, b in pairs:
        if id(paragraph[a]) in anchored:
            continue
        left = [i for i in paragraph[a] if i not in anchors]
        if not left:
            anchored.add(id(paragraph[a]))
            continue
        right = [i for i in paragraph[b] if i != b]
        for kind in sorted({kinds[i] for i in left}):  # not by string hash: same in every process
            mine = [i for i in left if kinds[i] == kind]
            theirs = [i for i in right if kinds[i] == kind]
            for i in list(mine):
                same = [j for j in theirs if claims[i].period_text and claims[j].period_text
                        and claims[i].period == claims[j].period]
                if len(same) == 1:
                    partner = same[0]
                    if _given(claims, anchors, paragraph[i], i, partner):
                        # Its own paragraph dates another figure so: the partner with its
                        # value, if one, is the figure, misdated here or there ("9% in
                        # 2024" in a series that elsewhere has 9% for 2023).
                        partner = _equal(claims, i, theirs)
                    if partner is not None:
                        _join(claims, anchors, i, partner, _apart(claims, i, a, partner, b))
                    mine.remove(i)
                    theirs.remove(partner if partner is not None else same[0])
            if len(mine) == 1 and theirs:
                i = mine[0]
                nearest = _mirror(claims, i, a, theirs, b)
                if nearest is not None and _dated_apart(claims[i], claims[nearest]):
                    nearest = _equal(claims, i, theirs)  # as above: "42% in 2025" / "in 2024"
                if nearest is not None and not _apart(claims, i, a, nearest, b) \
                        and not _given(claims, anchors, paragraph[i], i, nearest):
                    _join(claims, anchors, i, nearest, close=False)
    groups_in: dict[int, set] = {}  # a paragraph (by id) -> its anchor groups, now fixed
    for a, b in pairs:
        if not claims[a].period_text:
            continue
        kind, period = kinds[a], claims[a].period
        dated = [i for i in paragraph[a] if i != a and i in anchors and kinds[i] == kind
                 and claims[i].period_text and claims[i].period != period]
        if not dated:
            continue
        other_side = groups_in.get(id(paragraph[b]))
        if other_side is None:
            other_side = groups_in[id(paragraph[b])] = set(map(anchors.get, paragraph[b]))
        for i in dated:
            if anchors[i] in other_side:
                series.setdefault(i, a)
    return series


def _given(claims: list[Claim], anchors: dict[int, int], paragraph: list[int], i: int,
           j: int) -> bool:
    """Whether ``i``'s paragraph already gives ``j``'s group another value for ``i``'s
    period: then ``i`` is not its partner, as one document gives one value per measure
    and time ("3.1% in September" beside core inflation's "2.9% in September", when
    another report's 3.1% for September is the partner found)."""
    group = anchors.get(j, j)
    return any(k != i and anchors.get(k) == group and claims[k].value != claims[i].value
               and claims[k].period == claims[i].period for k in paragraph)


def _apart(claims: list[Claim], i: int, a: int, j: int, b: int) -> bool:
    """Whether parallel figures ``i`` and ``j`` stand outside the sentences of the shared
    figures ``a`` and ``b`` they were paired beside."""
    return (claims[i].sentence_start != claims[a].sentence_start
            or claims[j].sentence_start != claims[b].sentence_start)


def _mirror(claims: list[Claim], i: int, a: int, theirs: list[int], b: int) -> int | None:
    """The one partner of ``b`` placed as ``i`` is placed to ``a``: the only candidate, or
    the nearest on the same side ("18,000 … from 128 countries … and 3,388 of them")."""
    if len(theirs) == 1:
        return theirs[0]
    side = claims[i].start < claims[a].start
    same_side = [j for j in theirs if (claims[j].start < claims[b].start) == side]
    if not same_side:
        return None
    distances = sorted((abs(claims[j].start - claims[b].start), j) for j in same_side)
    if len(distances) > 1 and distances[0][0] == distances[1][0]:
        return None
    return distances[0][1]


def _join(claims: list[Claim], anchors: dict[int, int], i: int, j: int,
          close: bool) -> None:
    """Anchor claim ``i`` with claim ``j`` (and ``j``'s group, if it has one), unless
    they are counts too far apart: ``MAX_RATIO``, or ``PARALLEL_RATIO`` when ``close``."""
    a, b = _size(claims[i]), _size(claims[j])
    ratio = PARALLEL_RATIO if close else MAX_RATIO
    if i in anchors or (a and b and max(a, b) > ratio * min(a, b)) \
            or _other_groups(subgroup(claims[i]), subgroup(claims[j])):
        return
    leader = anchors.get(j, j)
    anchors[i] = anchors[j] = leader
    anchors.setdefault(leader, leader)


def _equal(claims: list[Claim], i: int, theirs: list[int]) -> int | None:
    """The one figure of ``theirs`` with ``i``'s value, if exactly one."""
    equal = [j for j in theirs if claims[j].value == claims[i].value]
    return equal[0] if len(equal) == 1 else None


def _dated_apart(a: Claim, b: Claim) -> bool:
    """Different figures, both dated in their text, to different periods: where they
    stand makes them no partners ("2.9% in September" is not the other report's "3.6% in
    August"; "42% in 2025" may be its "42% in 2024", misdated)."""
    return a.value != b.value and stated(a) and stated(b) and a.period != b.period


def _same_stated_period(a: Claim, b: Claim) -> bool:
    """Both figures dated in their text, to the same period (1% "in 2022" in each)."""
    return stated(a) and stated(b) and a.period == b.period


def _distinctive(value: float) -> bool:
    """A figure with three or more significant digits (6,011; 121; 16 894) recurs by
    chance too rarely to need matching words; round ones (18,000; 49) do not."""
    if value != int(value):
        return True
    return len(str(abs(int(value))).rstrip("0")) >= 3


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    """Sum of ``a``'s weights times ``b``'s, in ``a``'s order: the products and the sum
    are a generator's over ``a.items()``, mapped in C, as placing asks it of every
    candidate measure of every claim."""
    return sum(map(mul, a.values(), map(b.get, a, repeat(0.0))))


def _cosine(a: dict[str, float], b: dict[str, float], squares: dict[int, float]) -> float:
    """``squares`` keeps each vector's sum of squared weights by ``id()``: claims share
    vectors (``_vectors``), and a group's leader is compared with each member in turn."""
    dot = _dot(a, b)
    norm = math.sqrt(_squares(a, squares) * _squares(b, squares))
    return dot / norm if norm else 0.0


def _squares(vector: dict[str, float], known: dict[int, float]) -> float:
    found = known.get(id(vector))
    if found is None:
        found = known[id(vector)] = sum(w * w for w in vector.values())
    return found


# Term weights are positive, so a cosine is at most 1. Rounding (a centroid's norm is a
# running sum, updated once per term added) takes it over 1 by far less than this margin
# even for a measure of millions of claims.
COSINE_CEILING = 1.0 + 1e-6


def _closest(index: _Index, claim: Claim, vector: dict, threshold: float) -> int | None:
    """The measure this claim is most like, if any is like it enough and allowed. A
    candidate whose places and size already keep its score under the best so far is
    passed over before its words are compared: the cosine could only lower it."""
    norm = math.sqrt(sum(w * w for w in vector.values()))
    places, size = _places(claim), _size(claim)
    small = claim.kind == "count" and claim.value is not None and abs(claim.value) < SMALL
    best, best_score = None, max(threshold, SMALL_THRESHOLD) if small else threshold
    for candidate in index.candidates(vector):
        magnitude = _size_agreement(size, index.sizes[candidate])
        if not magnitude and best_score > 0.0:
            continue  # its score is 0, whatever the words: skip working them out
        agreement = place_agreement(places, index.places[candidate])
        if agreement * magnitude * COSINE_CEILING < best_score:
            continue  # even identical words could not make it the best
        score = index.similarity(candidate, vector, norm) * agreement * magnitude
        if score >= best_score and not index.forbids(candidate, claim):
            best, best_score = candidate, score
    return best


DESCRIBE_SAMPLE = 50  # claims read to label a measure; a label needs no more


def _in_at_least(count: int, term: str, bags: list[Counter]) -> bool:
    """Whether ``term`` is in at least ``count`` of the bags (counting stops there)."""
    for bag in bags:
        if term in bag:
            count -= 1
            if count <= 0:
                return True
    return count <= 0


def _describe(index: int, claims: list[Claim], centroid: dict[str, float],
              bags: list[Counter], others: list[list[tuple[int, int]]]) -> Measure:
    """A readable label and the words that held the measure together; ``bags`` and
    ``others`` are the first ``DESCRIBE_SAMPLE`` claims' (``claim_terms``,
    ``_sentence_figures``)."""
    unit = Counter(c.unit or c.kind for c in claims).most_common(1)[0][0]
    sample = claims[:DESCRIBE_SAMPLE]
    unit_stems = {_stem(w) for w in unit.lower().split()}
    heaviest = sorted(centroid, key=lambda t: -centroid[t])[:40]
    need = min(2, len(claims))
    shared = []
    for term in heaviest:
        if term not in unit_stems and _in_at_least(need, term, bags):
            shared.append(term)
            if len(shared) == 4:
                break
    surface: dict[str, str] = {}  # stem -> the first word of these claims with it
    for c, spans in zip(sample, others):
        if all(t in surface for t in shared):
            break  # later claims' words could only come second
        for word, stem, _, _ in _described(c, spans):
            surface.setdefault(stem, word)
    words = [surface.get(t, t) for t in shared]
    label = unit + (f" ({', '.join(words[:3])})" if words else "")
    if len(claims) == 1:
        why = "a single claim"
    else:
        places = set.intersection(*(set(_places(c)) for c in sample))
        why = (f"same kind of figure ({unit_class(claims[0])}); words around the figures: "
               + ", ".join(words) + (f"; places: {', '.join(sorted(places))}" if places else ""))
    slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:40]
    return Measure(id=f"m{index + 1}-{slug}", label=label, claims=claims, why=why)
