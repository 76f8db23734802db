"""Terminal rendering: one line per claim, ``path:line:col: …``, like a compiler."""
from __future__ import annotations


def _bounds(claim: dict) -> str:
    low, high = claim["low"], claim["high"]
    if low == high == claim["value"]:
        return ""
    return f" [{'…' if low is None else low}, {'…' if high is None else high}]"


def _period(claim: dict) -> str:
    period = claim["period"]
    if not period:
        return f" (period unresolved: {claim['period_text']})" if claim["period_text"] else ""
    return f" ({period['start'] or '…'} to {period['end'] or '…'})"


def render(report: dict) -> str:
    paths = {d["id"]: d["path"] for d in report["documents"]}
    lines = []
    for claim in report["claims"]:
        unit = f" {claim['unit']}" if claim["unit"] else ""
        source = f" — {claim['attribution']}" if claim["attribution"] else ""
        lines.append(f"{paths[claim['doc']]}:{claim['line']}:{claim['column']}: "
                     f"{claim['value']}{unit}{_bounds(claim)}{_period(claim)}{source} "
                     f"\"{claim['text']}\"")
    docs = len(report["documents"])
    lines.append(f"{len(report['claims'])} claims in {docs} document{'s' * (docs != 1)}")
    return "\n".join(lines) + "\n"


def render_findings(report: dict) -> str:
    """Compiler-style findings, the evidence quoted under each:
    ``path:line:col: severity rule-id: message``."""
    paths = {d["id"]: d["path"] for d in report["documents"]}
    lines = []
    for finding in report["findings"]:
        first = finding["claims"][0]
        lines.append(f"{paths.get(first['doc'], first['doc'])}:{first['line']}:{first['column']}: "
                     f"{finding['severity']} {finding['rule']}: {finding['message']}")
        for claim in finding["claims"]:
            sentence = " ".join(claim["sentence"].split())
            lines.append(f"    {claim['doc']}:{claim['line']}: \"{claim['text']}\" in: {sentence}")
    counts = {s: sum(f["severity"] == s for f in report["findings"]) for s in ("error", "warning", "info")}
    docs = len(report["documents"])
    lines.append(f"{len(report['findings'])} findings ({counts['error']} errors, {counts['warning']} "
                 f"warnings, {counts['info']} info) in {docs} document{'s' * (docs != 1)}")
    return "\n".join(lines) + "\n"
