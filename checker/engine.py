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
from .measures import DocumentValues, Measure, align, describing_words, wording
from .messages import MessageError, render
from .ruleset import Rule, RuleError, RuleSet

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass
class Result:
    measures: list[Measure]
    findings: list[dict]  # as the JSON contract's, but citing the claims themselves
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
    early = [n for n, rule in enumerate(rules) if _unaligned(rule) and not rule.select.measures]

    def unaligned() -> tuple[dict, dict[int, list[_Verdict]]]:
        """Wire copies, and the verdicts of the rules whose kinds do not read alignment
        (``UNALIGNED``): they need not wait for it, and see every claim as one measure."""
        found = copies(documents)
        bare, facts = Context([Measure("", "", claims)], by_id, found), _Facts()
        position = {id(c): i for i, c in enumerate(claims)} if early else {}
        return found, {n: [_compact(_verdict(rules[n], hit, bare, facts), position)
                           for hit in _run(rules[n], bare)] for n in early}

    # The claims' words first, in two halves on two processes; then, in a child, the
    # work that needs no alignment while claims are placed here. Placing leaves a core
    # idle (most of it is one sequential kind of figure, people); the words do not.
    words = wording(claims, map_blocks)
    with meanwhile(unaligned, processes, behind=True) as unaligned_done:
        measures = align(claims, published, named_measures(ruleset, claims, published),
                         map_blocks=map_blocks, words=words)
        del words  # alignment's alone, and large: not kept through the rules
        found, early_hits = unaligned_done()
        ctx = Context(measures, by_id, found, infer_dates(measures, documents))
    jobs = _jobs(rules, [n for n in range(len(rules)) if n not in early_hits], measures,
                 processes)
    done: dict[tuple[int, int, int], list[_Verdict]] = {}  # by (rule, part's start, end)
    for key, verdicts in chain((((n, 0, 0), [_expand(v, claims) for v in verdicts])
                                for n, verdicts in early_hits.items()),
                               _verdicts(rules, jobs, ctx, claims, processes)):
        for verdict in verdicts:
            verdict.finding["claims"] = verdict.claims  # read as JSON: Claim.__getitem__
        done[key] = verdicts
    made: list[list[tuple[str, dict]]] = [[] for _ in rules]  # per rule: (key, finding)
    for key in sorted(done):  # a rule's parts in order: as if it ran over all measures
        made[key[0]].extend((verdict.key, verdict.finding) for verdict in done[key])
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


def _unaligned(rule: Rule) -> bool:
    """Whether the rule's kind reads no alignment (``kinds``: ``UNALIGNED``)."""
    return getattr(KINDS[rule.kind], "UNALIGNED", False)


def _run(rule: Rule, ctx: Context) -> list[Hit]:
    return list(KINDS[rule.kind].evaluate(rule.params, _selected(ctx, rule)))


# Per process, the parts the measures are cut into when more than one process runs the
# rules. Taken whole, a few rules of very unequal cost left one process alone with the
# last (at 100k articles, for the last 9 of the rules' 33 seconds); a part is taken with
# every rule, so that a process works out the periods and facts of the claims of the
# parts it takes only, not of all claims as each whole rule would.
PARTS_PER_PROCESS = 8

Job = tuple[tuple[int, int], list[int]]  # a part of the measures, and rules' positions


def _jobs(rules: list[Rule], todo: list[int], measures: list[Measure], processes: int
          ) -> list[Job]:
    """The rules at positions ``todo`` as jobs for ``_verdicts``: first each whose kind
    runs over all measures at once (``kinds``: ``UNALIGNED``, ``WHOLE``), then each part
    of the measures (``_parts``) with all the others."""
    whole = [n for n in todo
             if _unaligned(rules[n]) or getattr(KINDS[rules[n].kind], "WHOLE", False)]
    rest = [n for n in todo if n not in whole]
    parts = _parts(measures, processes * PARTS_PER_PROCESS if processes > 1 else 1)
    return [((0, len(measures)), [n]) for n in whole] + [(part, rest) for part in parts if rest]


def _parts(measures: list[Measure], count: int) -> list[tuple[int, int]]:
    """The measures cut into at most ``count`` runs of about as many claims each, as
    (start, end) positions. Every kind that reads measures judges each on its own
    (``kinds``), so a rule over each part in turn finds what it finds over all."""
    total = sum(len(m.claims) for m in measures)
    cuts, seen = [0], 0
    for i, measure in enumerate(measures[:-1]):
        seen += len(measure.claims)
        if seen * count >= total * len(cuts):
            cuts.append(i + 1)
    cuts.append(len(measures))
    return list(zip(cuts, cuts[1:]))


def _verdicts(rules: list[Rule], jobs: list[Job], ctx: Context, claims: list[Claim],
              processes: int) -> Iterator[tuple[tuple[int, int, int], list[_Verdict]]]:
    """The verdicts of each job's rules over its part of the measures, each with the rule's
    position and the part, in the order they are found. With more than one process,
    forked children (``engines.Forked``) take jobs as they become free, and make their
    hits verdicts there; this process gives what they send its own claims as it comes
    (the caller does) and takes a job itself only when nothing is waiting. The kinds and
    their verdicts are most of a large check after alignment, and each reads only the
    context, which a child has without any copying. A child sends verdicts back with
    each claim as its position in ``claims`` (``_compact``), not as the claim; jobs a
    failed child did not finish are run here."""
    facts = _Facts()

    def run(k: int) -> Iterator[tuple[tuple[int, int, int], list[_Verdict]]]:
        (start, end), todo = jobs[k]
        part = ctx if (start, end) == (0, len(ctx.measures)) else ctx.over(ctx.measures[start:end])
        for n in todo:
            yield (n, start, end), [_verdict(rules[n], hit, ctx, facts)
                                    for hit in _run(rules[n], part)]

    if processes < 2 or len(jobs) < 2:
        for k in range(len(jobs)):
            yield from run(k)
        return
    taken = multiprocessing.get_context("fork").Value("i", 0)

    def take() -> int | None:
        """The next job's position, or None when every job is taken."""
        with taken.get_lock():
            taken.value += 1
            k = taken.value - 1
        return k if k < len(jobs) else None

    def child() -> Iterator[tuple[tuple[int, int, int], list[tuple]]]:
        position = {id(c): i for i, c in enumerate(claims)}
        while (k := take()) is not None:
            for key, verdicts in run(k):
                yield key, [_compact(verdict, position) for verdict in verdicts]

    children = [Forked(child) for _ in range(min(processes, len(jobs)) - 1)]
    got: set[tuple[int, int, int]] = set()

    def sent(wait: bool) -> Iterator[tuple[tuple[int, int, int], list[_Verdict]]]:
        for forked in list(children):
            while wait or forked.ready():
                try:
                    key, verdicts = forked.receive()
                except EOFError:
                    children.remove(forked)
                    break
                got.add(key)
                yield key, [_expand(verdict, claims) for verdict in verdicts]

    try:
        while True:
            yield from sent(wait=False)
            if (k := take()) is None:
                break
            for key, verdicts in run(k):
                got.add(key)
                yield key, verdicts
        yield from sent(wait=True)
        for k, ((start, end), todo) in enumerate(jobs):
            if any((n, start, end) not in got for n in todo):
                yield from run(k)
    finally:
        for forked in children:
            forked.close()


def _compact(verdict: _Verdict, position: dict[int, int]) -> tuple:
    """A verdict as a forked child sends it: each claim of the check as its position, any
    other (a name's mention) as itself."""
    return [position.get(id(c), c) for c in verdict.claims], verdict.key, verdict.finding


def _expand(compact: tuple, claims: list[Claim]) -> _Verdict:
    """``_compact`` undone."""
    refs, key, finding = compact
    return _Verdict([claims[r] if type(r) is int else r for r in refs], key, finding)


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
    return ctx.over(measures)


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


class _Verdict(NamedTuple):
    """A hit made into its finding, but for the claims it cites: in the process that ran
    its rule (``_verdicts``), so a forked child renders the message and works out the id
    of its rules' findings, and the process that gathers them puts its own claims in."""

    claims: list  # the claims cited, in the hit's order
    key: str  # findings of one kind on the same evidence are one finding (``_check``)
    finding: dict  # "claims" is None until this process's claims are put in


def _verdict(rule: Rule, hit: Hit, ctx: Context, known: _Facts) -> _Verdict:
    try:
        message = render(rule.template, hit.data)
    except MessageError as exc:
        raise RuleError(f"message of rule '{rule.id}' failed: {exc}", path=rule.where) from None
    facts = known(hit.claims)
    docs = sorted(set(map(_DOC, hit.claims)))
    return _Verdict(hit.claims, _digest(rule.kind, facts), {
        "id": _digest(rule.id, facts), "rule": rule.id, "kind": rule.kind,
        "severity": rule.severity, "message": message, "claims": None,
        "measure": hit.measure.to_json() if hit.measure else None,
        "documents": docs, "independent_sources": ctx.independent(docs)})


class _Facts:
    """Each claim's fact (for a finding's id) worked out once per process. One claim is
    cited by several findings (a conflict, an update and a period finding on one
    measure), and its fact does not change during a run. Kept by ``id()`` with the claim
    itself, so an id is never reused by another claim meanwhile."""

    def __init__(self):
        self._known: dict[int, tuple[Claim, str]] = {}

    def __call__(self, claims: list[Claim]) -> list[str]:
        """The claims' facts, sorted, without repeats, as ``fingerprint`` hashes them.
        Some hits cite thousands of claims, most already cited by another hit: the known
        ones are looked up and taken apart by ``map``, with no Python loop over them."""
        found = list(map(self._known.get, map(id, claims)))
        if None in found:
            for k, claim in enumerate(claims):
                if found[k] is None:
                    entry = self._known.get(id(claim))
                    if entry is None:
                        entry = self._known[id(claim)] = (claim, _fact(claim))
                    found[k] = entry
        return sorted(set(map(_MADE, found)))


_MADE, _DOC = itemgetter(1), attrgetter("doc")
