"""Every example every rule carries, as one pytest case each (``rule-id::example-name``),
so ``pytest -k figure-conflict`` runs one rule's examples. The same runner serves
``checker rules test``."""
from __future__ import annotations

from pathlib import Path

import pytest

from checker import ruleset, ruletest

RULES = Path(__file__).resolve().parent.parent / "rules"
PACK = ruleset.load([RULES])
CASES = [(rule, example) for rule in PACK.rules for example in rule.examples]


@pytest.mark.parametrize("rule, example", CASES,
                         ids=[f"{r.id}::{e.name}" for r, e in CASES])
def test_rule_example(rule, example):
    outcome = ruletest.run_example(PACK, rule, example)
    if example.todo and not outcome.passed:
        pytest.xfail(f"known gap: {outcome.explain()}")
    assert outcome.passed, outcome.explain()


def test_every_rule_shows_an_example_that_fires_and_one_that_does_not():
    assert ruletest.lint(PACK) == []


def test_the_default_pack_ships_inside_the_package():
    packaged = ruleset.load([Path(ruleset.__file__).parent / "default_rules"])
    assert {r.kind for r in packaged.rules} == {"conflict", "period", "update", "total",
                                                "name-variant", "attribution", "outdated",
                                                "unsupported"}
