"""End to end: the claims of fixtures/sources against fixtures/expected/claims.json.

The expected file was checked by hand figure by figure (value, interval, unit, period).
After a deliberate change in extraction, regenerate it with
``CHECKER_UPDATE_GOLDEN=1 python -m pytest tests/test_expected_claims.py`` and review the
diff before committing it.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner

from checker.cli import main

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "fixtures" / "sources"
EXPECTED = ROOT / "fixtures" / "expected" / "claims.json"
KEYS = ("doc", "text", "start", "end", "value", "low", "high", "unit", "qualifier", "period")


def _actual() -> dict:
    result = CliRunner().invoke(main, ["extract", str(SOURCES), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    return {
        "documents": sorted(({k: d[k] for k in ("id", "title", "outlet", "published",
                                                 "published_from")}
                             for d in report["documents"]), key=lambda d: d["id"]),
        "claims": sorted(({k: c[k] for k in KEYS} for c in report["claims"]),
                         key=lambda c: (c["doc"], c["start"])),
    }


def test_fixture_claims_match_the_hand_checked_list():
    actual = _actual()
    if os.environ.get("CHECKER_UPDATE_GOLDEN"):
        EXPECTED.parent.mkdir(parents=True, exist_ok=True)
        EXPECTED.write_text(json.dumps(actual, ensure_ascii=False, indent=1) + "\n",
                            encoding="utf-8")
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    assert actual["documents"] == expected["documents"]
    assert actual["claims"] == expected["claims"]


def test_fixture_claims_quote_the_file_exactly():
    for claim in _actual()["claims"]:
        path = next(SOURCES.glob(claim["doc"] + ".*"))
        if path.suffix == ".html":
            continue  # offsets index the extracted text (documents.py)
        text = path.read_bytes().decode("utf-8-sig")
        assert text[claim["start"]:claim["end"]] == claim["text"]
