"""End to end: `checker check fixtures/sources` against fixtures/expected/findings.json.

The expected findings were checked by hand against the five articles: every one is a
discrepancy a fact-checker would want to see (see the closing notes of the engine issue
for what is still missed). After a deliberate change, regenerate with
``CHECKER_UPDATE_GOLDEN=1 python -m pytest tests/test_expected_findings.py`` and review
the diff before committing it.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner

from checker.cli import main

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "fixtures" / "sources"
EXPECTED = ROOT / "fixtures" / "expected" / "findings.json"


def _findings(*args: str) -> list[dict]:
    result = CliRunner().invoke(main, ["check", str(SOURCES), "--rules", str(ROOT / "rules"),
                                       "--format", "json", "--fail-on", "never", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["findings"]


def _summary(findings: list[dict]) -> list[dict]:
    return [{"id": f["id"], "rule": f["rule"], "kind": f["kind"], "severity": f["severity"],
             "message": f["message"],
             "quotes": [f"{c['doc']}:{c['line']}: {c['text']}" for c in f["claims"]]}
            for f in findings]


def test_fixture_findings_match_the_hand_checked_list():
    actual = _summary(_findings())
    if os.environ.get("CHECKER_UPDATE_GOLDEN"):
        EXPECTED.write_text(json.dumps(actual, ensure_ascii=False, indent=1) + "\n",
                            encoding="utf-8")
    assert actual == json.loads(EXPECTED.read_text(encoding="utf-8"))


def test_the_same_corpus_gives_the_same_finding_ids_every_run():
    assert [f["id"] for f in _findings()] == [f["id"] for f in _findings()]


def test_every_finding_quotes_its_documents_exactly():
    for finding in _findings():
        for claim in finding["claims"]:
            path = next(SOURCES.glob(claim["doc"] + ".*"))
            if path.suffix == ".html":
                continue  # offsets index the extracted text (documents.py)
            text = path.read_bytes().decode("utf-8-sig")
            assert text[claim["start"]:claim["end"]] == claim["text"]
