"""Run the examples rules carry: texts that must fire and texts that must not.

One runner serves ``checker rules test`` and pytest (tests/test_rule_examples.py), with
ids ``rule-id::example-name`` so ``pytest -k rule-id`` works (sqlfluff and semgrep keep
rule tests beside the rule the same way). An example passes when the quotes cited by the
rule's findings are exactly its ``flags`` (as a multiset), or there are no findings and
``flags: none``. Examples marked ``todo`` are known gaps: reported, never failing. An
example with a ``role: draft`` source is a pre-publication check: only findings citing
the draft count, as in ``checker draft``.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .claims.extract import extract_documents
from .documents import as_draft, document_from_text
from .engine import check, citing
from .ruleset import Example, Rule, RuleSet


@dataclass
class Outcome:
    rule: Rule
    example: Example
    passed: bool
    cited: list[str]
    messages: list[str]

    @property
    def id(self) -> str:
        return f"{self.rule.id}::{self.example.name}"

    def explain(self) -> str:
        wanted = "no finding" if self.example.flags is None else f"flags {self.example.flags}"
        got = f"cited {self.cited}" if self.cited else "no finding"
        return f"{self.example.where}: {self.id}: wanted {wanted}, {got}"


def run_example(ruleset: RuleSet, rule: Rule, example: Example) -> Outcome:
    documents = [document_from_text(s["text"], s["id"], f"<{rule.id}::{example.name}:{s['id']}>",
                                    s.get("format", "text"),
                                    {k: s.get(k) for k in ("published", "title", "outlet", "url")})
                 for s in example.sources]
    for doc, source in zip(documents, example.sources):
        if source["role"] == "draft":
            as_draft(doc)
    documents, claims, _ = extract_documents(documents)
    findings = check(documents, claims, ruleset, rules=[rule]).findings
    drafts = {d.id for d in documents if d.role == "draft"}
    if drafts:
        findings = citing(findings, drafts)
    cited = [c["text"] for f in findings for c in f["claims"]]
    wanted = example.flags or []
    passed = Counter(cited) == Counter(wanted)
    return Outcome(rule, example, passed, cited, [f["message"] for f in findings])


def run(ruleset: RuleSet, only: str | None = None) -> list[Outcome]:
    return [run_example(ruleset, rule, example)
            for rule in ruleset.rules if only is None or rule.id == only
            for example in rule.examples]


def lint(ruleset: RuleSet) -> list[str]:
    """What ``rules lint`` asks beyond validity: every rule shows one example that fires
    and one that stays quiet, and says what it is for."""
    problems = []
    for rule in ruleset.rules:
        if not any(e.flags for e in rule.examples):
            problems.append(f"{rule.where}: rule '{rule.id}' has no example that must fire")
        if not any(e.flags is None for e in rule.examples):
            problems.append(f"{rule.where}: rule '{rule.id}' has no example that must stay quiet "
                            "(flags: none)")
        if not rule.description:
            problems.append(f"{rule.where}: rule '{rule.id}' has no description")
    return problems
