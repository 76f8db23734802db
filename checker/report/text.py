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


def render_findings(report: dict, focus: str | None = None) -> str:
    """Compiler-style findings, ``path:line:col: severity: message [rule-id]``, the evidence
    quoted under each. With ``focus`` (a draft's id) each finding is placed at the focus
    document's first figure and quotes the other documents' evidence: what contradicts it."""
    docs = {d["id"]: d for d in report["documents"]}
    lines = []
    for finding in report["findings"]:
        own = [c for c in finding["claims"] if c["doc"] == focus]
        first = own[0] if own else finding["claims"][0]
        path = docs[first["doc"]]["path"] if first["doc"] in docs else first["doc"]
        lines.append(f"{path}:{first['line']}:{first['column']}: {finding['severity']}: "
                     f"{finding['message']} [{finding['rule']}]")
        for claim in finding["claims"]:
            if focus is not None and claim is first:
                continue  # the line above already points at it
            sentence = " ".join(claim["sentence"].split())
            lines.append(f"    {claim['doc']}{_dated(docs.get(claim['doc']))}:{claim['line']}: "
                         f"\"{claim['text']}\" in: {sentence}")
    counts = {s: sum(f["severity"] == s for f in report["findings"]) for s in ("error", "warning", "info")}
    n = len(report["documents"])
    lines.append(f"{len(report['findings'])} findings ({counts['error']} errors, {counts['warning']} "
                 f"warnings, {counts['info']} info) in {n} document{'s' * (n != 1)}")
    return "\n".join(lines) + "\n"


def _dated(doc: dict | None) -> str:
    """" (Outlet, 2025-11-19)" after a quoted document's id, where known."""
    if not doc or doc.get("role") == "draft":
        return ""
    known = [v for v in (doc.get("outlet"), doc.get("published")) if v]
    return f" ({', '.join(known)})" if known else ""
