"""Score the checker against hand-written answer keys: recall, false alarms, traps.

Each story under fixtures/stories/ has sources/ and expected.yaml (what a careful
fact-checker would list, and traps that must not fire). The checker runs on each story with
only the default rule pack, as on a story nobody wrote rules for, and this prints:

- found: discrepancies where a finding of the expected kind cites every quoted figure
  (or an equivalent set); "any kind" counts a finding of another kind citing them;
- false alarms: warning and error findings that match no listed discrepancy;
- traps fired: findings at any severity that cite both figures of a trap.

    python benchmarks/answer_keys.py [fixtures/stories] [--rules DIR] [--verbose]

It measures; it does not fail (exit 0) unless the checker crashes.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from checker.claims.extract import extract_documents
from checker.documents import load_documents
from checker.engine import check
from checker.ruleset import default_dirs, load


def _spans(text: str, quote: str) -> list[tuple[int, int]]:
    found, at = [], text.find(quote)
    while at >= 0:
        found.append((at, at + len(quote)))
        at = text.find(quote, at + 1)
    return found


def _cites(finding: dict, quotes: list[str], docs: list[str], texts: dict[str, str]) -> bool:
    """Whether the finding cites, for each (quote, doc), a figure inside that quote."""
    for quote, doc in zip(quotes, docs):
        spans = _spans(texts.get(doc, ""), quote)
        if not any(c["doc"] == doc and any(a < c["end"] and c["start"] < b for a, b in spans)
                   for c in finding["claims"]):
            return False
    return True


def _variants(item: dict) -> list[tuple[list[str], list[str]]]:
    return [(item["quotes"], item["docs"])] + [(e["quotes"], e["docs"])
                                               for e in item.get("equivalent", [])]


def score_story(folder: Path, rules_dirs: list[Path]) -> dict:
    key = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
    documents, _ = load_documents([str(folder / "sources")])
    documents, claims, _ = extract_documents(documents)
    findings = check(documents, claims, load(rules_dirs)).findings
    texts = {d.id: d.text for d in documents}
    found, any_kind, missed, matched = 0, 0, [], set()
    for item in key.get("discrepancies", []):
        hits = [f for f in findings for q, d in _variants(item) if _cites(f, q, d, texts)]
        exact = [f for f in hits if f["kind"] == item["kind"]]
        matched.update(f["id"] for f in hits)
        found += bool(exact)
        any_kind += bool(hits)
        if not exact:
            missed.append(f"{item['kind']}: {item['quotes']} ({item.get('note', '')})"
                          + (f" — found as {hits[0]['kind']}" if hits else ""))
    traps = [t for t in key.get("traps", [])
             if any(_cites(f, t["quotes"], t["docs"], texts) for f in findings)]
    serious = [f for f in findings if f["severity"] in ("error", "warning")]
    false_alarms = [f for f in serious if f["id"] not in matched]
    return {"story": key.get("story", folder.name), "expected": len(key.get("discrepancies", [])),
            "found": found, "any_kind": any_kind, "missed": missed,
            "serious": len(serious), "false_alarms": false_alarms, "traps": traps,
            "findings": findings}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("stories", nargs="?", default="fixtures/stories")
    parser.add_argument("--rules", action="append", type=Path,
                        help="rule folder (default: the packaged default pack only)")
    parser.add_argument("--verbose", action="store_true", help="print every finding")
    args = parser.parse_args()
    rules_dirs = args.rules or [d for d in default_dirs() if d.name != "rules"] or [
        Path("rules/default")]
    totals = {"expected": 0, "found": 0, "any_kind": 0, "serious": 0, "false_alarms": 0,
              "traps": 0}
    for folder in sorted(p for p in Path(args.stories).iterdir() if (p / "expected.yaml").exists()):
        result = score_story(folder, rules_dirs)
        print(f"{result['story']}: found {result['found']}/{result['expected']} "
              f"(any kind {result['any_kind']}), warnings+errors {result['serious']}, "
              f"false alarms {len(result['false_alarms'])}, traps fired {len(result['traps'])}")
        for line in result["missed"]:
            print(f"    missed {line}")
        for f in result["false_alarms"]:
            print(f"    false alarm {f['severity']} {f['rule']}: {f['message']}")
        for t in result["traps"]:
            print(f"    trap fired: {t['quotes']} ({t.get('note', '')})")
        if args.verbose:
            for f in result["findings"]:
                print(f"    finding {f['severity']} {f['rule']}: {f['message']}")
        for k in totals:
            totals[k] += len(result[k]) if isinstance(result[k], list) else result[k]
    real = totals["serious"] - totals["false_alarms"]
    print(f"total: recall {totals['found']}/{totals['expected']} "
          f"({totals['found'] / max(totals['expected'], 1):.0%}; any kind {totals['any_kind']}), "
          f"warning+error precision {real}/{totals['serious']} "
          f"({real / max(totals['serious'], 1):.0%}), traps fired {totals['traps']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
