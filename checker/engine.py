"""Rules x measures -> findings, each with a stable fingerprint.

The engine aligns claims into measures (editors' named measures first), finds wire copies,
and runs each rule's kind over the claims the rule selects. It, not the kind, stamps the
rule id, severity and rendered message on each finding (yamllint's split), and gives each
finding an id that depends only on the rule and the evidence as facts (document, value,
period), so the same discrepancy has the same id every run and a formatting-only edit
("6,162" to "6 162") changes nothing.
"""
from __future__ import annotations

import hashlib
import multiprocessing
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import chain
from operator import attrgetter, itemgetter
from typing import Callable, Iterator, NamedTuple

from anyascii import anyascii

from .claims.model import Claim
from .documents import Document
from .engines import Engine, Forked, bulk_objects, meanwhile
from .independence import copies
from .kinds import KINDS
from .kinds.base import Context, Hit
from .measures import DocumentValues, Measure, align, describing_words
from .messages import MessageError, render
from .ruleset import Rule, RuleError, RuleSet

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass
class Result:
    measures: list[Measure]
    findings: list[dict]
    copies: dict[str, str] = field(default_factory=dict)
    inferred: dict[str, tuple] = field(default_factory=dict)


def named_measures(ruleset: RuleSet, claims: list[Claim], published: dict) -> list[Measure]:
    """Editors' measures with the claims they match: a claim goes to the first that
    matches the words describing it, unless its document already gave that measure
    another value for the same time."""
    measures = [Measure(id=spec.id, label=spec.label, named=True,
                        why=f"named measure '{spec.id}' ({spec.where})")
                for spec in ruleset.measures]
    described = describing_words(claims) if ruleset.measures else {}
    values = [DocumentValues(published) for _ in measures]
    for claim in claims:
        for spec, measure, given in zip(ruleset.measures, measures, values):
            if spec.select.matches(claim, described[id(claim)]) and not given.forbids(claim):
                measure.claims.append(claim)
                given.add(claim)
                break
    return [m for m in measures if m.claims]


def check(documents: list[Document], claims: list[Claim], ruleset: RuleSet,
          rules: list[Rule] | None = None, engine: Engine | None = None) -> Result:
    """Align the claims and run the rules (all of the rule set's, unless ``rules``).
    ``engine`` says where alignment runs (``Engine.place``) and how many processes of
    this machine the rest may use (``Engine.processes``); by default, this one alone."""
    engine = engine or Engine()
    # A check makes millions of objects that live to its end: see bulk_objects.
    with bulk_objects():
        return _check(documents, claims, ruleset, rules, engine.place(len(claims)),
                      engine.processes(len(claims)))


def _check(documents: list[Document], claims: list[Claim], ruleset: RuleSet,
           rules: list[Rule] | None, map_blocks: Callable, processes: int) -> Result:
    published = {d.id: d.published for d in documents}
    rules = list(ruleset.rules if rules is None else rules)
    by_id = {d.id: d for d in documents}
    early = [n for n, rule in enumerate(rules) if getattr(KINDS[rule.kind], "DOCUMENTS_ONLY", False)]

    def from_documents() -> tuple[dict, dict[int, list[tuple]]]:
        """Wire copies, and the hits of the rules whose kinds read only documents and
        copies (``DOCUMENTS_ONLY``): no claim needs to be aligned for them."""
        found = copies(documents)
        bare = Context([], by_id, found)
        return found, {n: [_compact(hit, {}) for hit in _run(rules[n], bare)] for n in early}

    # In a child, while claims align here.
    with meanwhile(from_documents, processes) as documents_done:
        measures = align(claims, published, named_measures(ruleset, claims, published),
                         map_blocks=map_blocks)
        found, early_hits = documents_done()
        ctx = Context(measures, by_id, found, infer_dates(measures, documents))
    evidence = _Evidence()
    made: list[list[tuple[str, dict]]] = [[] for _ in rules]  # per rule: (key, finding)
    rest = [n for n in range(len(rules)) if n not in early_hits]
    for n, hits in chain(((n, [_expand(hit, claims) for hit in hits])
                          for n, hits in early_hits.items()),
                         _hits(rules, rest, ctx, claims, processes)):
        for hit in hits:
            cited = evidence.cite(hit.claims)
            made[n].append((_digest(rules[n].kind, cited.facts),
                            _finding(rules[n], hit, ctx, cited)))
    findings: dict[str, dict] = {}
    for rule, found in zip(rules, made):
        for key, finding in found:
            # Two rules of one kind on the same evidence (the default pack's and a story
            # pack's narrower one): one finding, the more severe, the narrower on a tie.
            kept = findings.get(key)
            if kept is None or (SEVERITY_ORDER[finding["severity"]], not rule.select.empty()) < (
                    SEVERITY_ORDER[kept["severity"]], not kept["_narrow"]):
                findings[key] = dict(finding, _narrow=not rule.select.empty())
    for finding in findings.values():
        del finding["_narrow"]
    ordered = sorted(_without_residue(findings.values()), key=lambda f: (
        SEVERITY_ORDER[f["severity"]], (f["measure"] or {}).get("label", ""),
        f["claims"][0]["doc"], f["claims"][0]["start"]))
    return Result(measures, ordered, ctx.copies, ctx.inferred)


def _run(rule: Rule, ctx: Context) -> list[Hit]:
    return list(KINDS[rule.kind].evaluate(rule.params, _selected(ctx, rule)))


def _hits(rules: list[Rule], todo: list[int], ctx: Context, claims: list[Claim],
          processes: int) -> Iterator[tuple[int, list[Hit]]]:
    """The hits of the rules at positions ``todo`` of ``rules``, each with its position,
    in the order they are found. With more than one process, forked children
    (``engines.Forked``) take rules as they become free; this process cites what they
    send as it comes (the caller does) and takes a rule itself only when nothing is
    waiting. The kinds are most of a large check after alignment, and each reads only the
    context, which a child has without any copying. A child sends a rule's hits back with
    each claim as its position in ``claims`` (``_compact``), not as the claim; rules a
    failed child took are run here."""
    if processes < 2 or len(todo) < 2:
        for n in todo:
            yield n, _run(rules[n], ctx)
        return
    taken = multiprocessing.get_context("fork").Value("i", 0)

    def take() -> int | None:
        """The next rule's position, or None when every rule is taken."""
        with taken.get_lock():
            taken.value += 1
            k = taken.value - 1
        return todo[k] if k < len(todo) else None

    def child() -> Iterator[tuple[int, list[tuple]]]:
        position = {id(c): i for i, c in enumerate(claims)}
        while (n := take()) is not None:
            yield n, [_compact(hit, position) for hit in _run(rules[n], ctx)]

    children = [Forked(child) for _ in range(min(processes, len(todo)) - 1)]
    done: set[int] = set()

    def sent(wait: bool) -> Iterator[tuple[int, list[Hit]]]:
        for forked in list(children):
            while wait or forked.ready():
                try:
                    n, hits = forked.receive()
                except EOFError:
                    children.remove(forked)
                    break
                done.add(n)
                yield n, [_expand(hit, claims) for hit in hits]

    try:
        while True:
            yield from sent(wait=False)
            if (n := take()) is None:
                break
            done.add(n)
            yield n, _run(rules[n], ctx)
        yield from sent(wait=True)
        for n in todo:
            if n not in done:
                yield n, _run(rules[n], ctx)
    finally:
        for forked in children:
            forked.close()


def _compact(hit: Hit, position: dict[int, int]) -> tuple:
    """A hit as a forked child sends it: each claim of the check as its position, any
    other (a name's mention) as itself; the measure as what its finding shows."""
    measure = hit.measure
    return ([position.get(id(c), c) for c in hit.claims], hit.data,
            measure and (measure.id, measure.label, measure.why, measure.named))


def _expand(compact: tuple, claims: list[Claim]) -> Hit:
    """``_compact`` undone."""
    refs, data, measure = compact
    return Hit([claims[r] if type(r) is int else r for r in refs], data,
               measure and Measure(measure[0], measure[1], why=measure[2], named=measure[3]))


def citing(findings: list[dict], doc_ids: set[str]) -> list[dict]:
    """The findings with evidence from these documents (a draft's findings)."""
    return [f for f in findings if any(c["doc"] in doc_ids for c in f["claims"])]


def _without_residue(findings) -> list[dict]:
    """Findings of residual kinds (``RESIDUAL``: unsupported) only for claims no other
    finding cites: a draft figure that conflicts is not also reported as unsupported."""
    findings = list(findings)
    residual = {f["kind"] for f in findings if getattr(KINDS[f["kind"]], "RESIDUAL", False)}
    if not residual:
        return findings  # nothing to leave out: no need to gather every cited claim
    cited = {c["id"] for f in findings if f["kind"] not in residual for c in f["claims"]}
    return [f for f in findings
            if f["kind"] not in residual or not any(c["id"] in cited for c in f["claims"])]


MIN_AGREEMENTS = 2


def infer_dates(measures: list[Measure], documents: list[Document]) -> dict[str, tuple]:
    """Date undated articles by the company they keep: an undated article that repeats
    at least ``MIN_AGREEMENTS`` distinctive running figures (10 or more, stated without a
    date) exactly as one dated article gives them is taken to be of that article's time.
    Maps document id to (date, the dated document). Without this an undated reprint of
    November's figures could never be compared with August's."""
    undated = {d.id for d in documents if d.published is None}
    if not undated:
        return {}
    published = {d.id: d.published for d in documents}
    shared = _shared_figures(measures, undated, published)
    inferred = {}
    decided: dict[tuple, str | None] = {}  # an undated reprint's figures -> its best match
    for doc_id, (figures, dated) in shared.items():
        if figures not in decided:
            decided[figures] = _best_match(figures, dated, published)
        best = decided[figures]
        if best is not None:
            inferred[doc_id] = (published[best], best)
    return inferred


def _shared_figures(measures: list[Measure], undated: set[str], published: dict,
                    ) -> dict[str, tuple[tuple, list]]:
    """For each undated document, the running figures it shares with dated ones: a key
    naming those figures (and how often the document states each) and the dated documents
    giving each figure. Wire reprints of one undated story share their key, so
    ``infer_dates`` weighs their votes once for all of them."""
    figures: dict[str, list] = {}
    dated_of: dict[str, list] = {}
    n = 0
    for measure in measures:
        by_value: dict[float, list[str]] = defaultdict(list)
        for c in measure.claims:
            if c.period is None and c.value is not None and abs(c.value) >= 10:
                by_value[c.value].append(c.doc)
        for docs in by_value.values():
            repeats = Counter(d for d in docs if d in undated)
            if not repeats:
                continue
            dated = {d for d in docs if published.get(d)}
            for doc_id, times in repeats.items():
                mine = figures.setdefault(doc_id, [])
                dated_of.setdefault(doc_id, [])
                if dated:
                    mine.append((n, times))
                    dated_of[doc_id].append(dated)
            n += 1
    return {d: (tuple(figures[d]), dated_of[d]) for d in figures}


def _best_match(figures: tuple, dated: list[set], published: dict) -> str | None:
    """The dated document giving the most of these figures (a figure stated twice counts
    twice), the latest on a tie, then the first by id; none below ``MIN_AGREEMENTS``."""
    if sum(times for _, times in figures) < MIN_AGREEMENTS:
        return None  # no dated document can reach the threshold
    votes: Counter = Counter()
    for (_, times), docs in zip(figures, dated):
        for _ in range(times):
            votes.update(docs)
    top = max(votes.values(), default=0)
    if top < MIN_AGREEMENTS:
        return None
    # sorted: a tie goes to the same document in every process, not by set order
    return max(sorted(d for d, count in votes.items() if count == top), key=published.__getitem__)


def _selected(ctx: Context, rule: Rule) -> Context:
    if rule.select.empty():
        return ctx
    measures = []
    for m in ctx.measures:
        chosen = [c for c in m.claims if rule.select.matches(c)]
        if chosen:
            measures.append(Measure(m.id, m.label, chosen, m.why, m.named))
    return Context(measures, ctx.documents, ctx.copies, ctx.inferred, ctx._periods)


def fingerprint(rule_id: str, claims: list[Claim]) -> str:
    """Rule id and the evidence as facts: document, value (a name's folded spelling for
    name variants) and period; never offsets or formatting."""
    return _digest(rule_id, sorted({_fact(c) for c in claims}))


def _fact(claim: Claim) -> str:
    value = claim.value if claim.value is not None else anyascii(claim.text).lower()
    period = claim.period or {}
    return f"{claim.doc}|{value}|{period.get('start')}|{period.get('end')}"


def _digest(rule_id: str, facts: list[str]) -> str:
    return hashlib.sha1("\n".join([rule_id, *facts]).encode()).hexdigest()[:16]


class _Cited(NamedTuple):
    """A hit's claims as its finding cites them."""

    facts: list[str]  # sorted, without repeats, as ``fingerprint`` hashes them
    claims: list[dict]  # each claim's JSON, in the hit's order
    docs: list[str]  # sorted, without repeats


class _Evidence:
    """Claims as findings cite them, each worked out once per run: one claim is cited by
    several findings (a conflict, an update and a period finding on one measure), and
    its JSON and its fact for the fingerprint never change during a run. Kept by
    ``id()`` with the claim itself, so an id is never reused by another claim meanwhile."""

    def __init__(self):
        self._known: dict[int, tuple[Claim, str, dict]] = {}

    def cite(self, claims: list[Claim]) -> _Cited:
        """The claims' facts, JSON and documents. Some hits cite thousands of claims, most
        already cited by another hit: the known ones are looked up and taken apart by
        ``map``, with no Python loop over them."""
        known = self._known
        cited = list(map(known.get, map(id, claims)))
        if None in cited:
            for k, claim in enumerate(claims):
                if cited[k] is None:
                    cited[k] = known.get(id(claim)) or self._new(claim)
        return _Cited(sorted(set(map(_FACT, cited))), list(map(_JSON, cited)),
                      sorted(set(map(_DOC, claims))))

    def _new(self, claim: Claim) -> tuple[Claim, str, dict]:
        cited = self._known[id(claim)] = (claim, _fact(claim), claim.to_json())
        return cited


_FACT, _JSON, _DOC = itemgetter(1), itemgetter(2), attrgetter("doc")


def _finding(rule: Rule, hit: Hit, ctx: Context, cited: _Cited) -> dict:
    try:
        message = render(rule.template, hit.data)
    except MessageError as exc:
        raise RuleError(f"message of rule '{rule.id}' failed: {exc}", path=rule.where) from None
    return {"id": _digest(rule.id, cited.facts), "rule": rule.id, "kind": rule.kind,
            "severity": rule.severity, "message": message, "claims": cited.claims,
            "measure": hit.measure.to_json() if hit.measure else None,
            "documents": cited.docs, "independent_sources": ctx.independent(cited.docs)}
