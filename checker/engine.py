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
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Callable

from anyascii import anyascii

from .claims.model import Claim
from .documents import Document
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
          rules: list[Rule] | None = None, map_blocks: Callable = map) -> Result:
    """Align the claims and run the rules (all of the rule set's, unless ``rules``).
    ``map_blocks`` spreads alignment (``measures.align``; ``engines.Engine.place``)."""
    published = {d.id: d.published for d in documents}
    measures = align(claims, published, named_measures(ruleset, claims, published),
                     map_blocks=map_blocks)
    ctx = Context(measures, {d.id: d for d in documents}, copies(documents),
                  infer_dates(measures, documents))
    findings: dict[str, dict] = {}
    for rule in rules if rules is not None else ruleset.rules:
        for hit in KINDS[rule.kind].evaluate(rule.params, _selected(ctx, rule)):
            finding = _finding(rule, hit, ctx)
            # Two rules of one kind on the same evidence (the default pack's and a story
            # pack's narrower one): one finding, the more severe, the narrower on a tie.
            key = fingerprint(rule.kind, hit.claims)
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


def citing(findings: list[dict], doc_ids: set[str]) -> list[dict]:
    """The findings with evidence from these documents (a draft's findings)."""
    return [f for f in findings if any(c["doc"] in doc_ids for c in f["claims"])]


def _without_residue(findings) -> list[dict]:
    """Findings of residual kinds (``RESIDUAL``: unsupported) only for claims no other
    finding cites: a draft figure that conflicts is not also reported as unsupported."""
    findings = list(findings)
    residual = {f["kind"] for f in findings if getattr(KINDS[f["kind"]], "RESIDUAL", False)}
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
    votes: dict[str, Counter] = defaultdict(Counter)
    for measure in measures:
        implicit = [c for c in measure.claims if c.period is None and c.value is not None
                    and abs(c.value) >= 10]
        by_value: dict[float, list[Claim]] = defaultdict(list)
        for claim in implicit:
            by_value[claim.value].append(claim)
        for same in by_value.values():
            dated = {c.doc for c in same if published.get(c.doc)}
            for claim in same:
                if claim.doc in undated:
                    votes[claim.doc].update(dated)
    inferred = {}
    for doc_id, counter in votes.items():
        # sorted: a tie goes to the same document in every process, not by set order
        best = max(sorted(counter), key=lambda d: (counter[d], published[d]), default=None)
        if best is not None and counter[best] >= MIN_AGREEMENTS:
            inferred[doc_id] = (published[best], best)
    return inferred


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
    facts = sorted({f"{c.doc}|{c.value if c.value is not None else anyascii(c.text).lower()}|"
                    f"{(c.period or {}).get('start')}|{(c.period or {}).get('end')}" for c in claims})
    digest = hashlib.sha1("\n".join([rule_id, *facts]).encode()).hexdigest()
    return digest[:16]


def _finding(rule: Rule, hit: Hit, ctx: Context) -> dict:
    try:
        message = render(rule.template, hit.data)
    except MessageError as exc:
        raise RuleError(f"message of rule '{rule.id}' failed: {exc}", path=rule.where) from None
    docs = sorted({c.doc for c in hit.claims})
    return {"id": fingerprint(rule.id, hit.claims), "rule": rule.id, "kind": rule.kind,
            "severity": rule.severity, "message": message,
            "claims": [c.to_json() for c in hit.claims],
            "measure": hit.measure.to_json() if hit.measure else None,
            "documents": docs, "independent_sources": ctx.independent(docs)}
