"""What the HTML report shows, computed before any HTML is written.

coverage.py's way: the template only places values, it never parses or computes. This
module turns the report object (``model.build``) into plain dicts: the summary, each
finding with its quotes cut into text before, the figure, and text after (so the
template can highlight the figure while escaping every piece), one timeline per measure
with the points already placed, the claims table with sort keys, and each document's
text cut into plain and figure segments. Nothing here produces markup, and URLs that are
not http(s) are dropped, so text from an article or a rule can only ever reach the page
as escaped text.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict

from .. import __version__
from ..engine import SEVERITY_ORDER

TIMELINE_WIDTH, TIMELINE_HEIGHT, TIMELINE_PAD = 640, 180, 36
TOP_FINDINGS = 3
_SAFE_URL = re.compile(r"^https?://[^\s\"'<>]+$", re.I)
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def anchor(prefix: str, key: str) -> str:
    """An HTML id from any document or claim id: letters, digits, - and _ only."""
    return f"{prefix}-{_ID_UNSAFE.sub('_', key)}"


def safe_url(url: str | None) -> str | None:
    """Only web links become links: "javascript:" and the like are dropped."""
    return url if url and _SAFE_URL.match(url.strip()) else None


def _published(doc: dict) -> str:
    how = {"metadata": "from its metadata", "text": "from a date line in the text",
           "inferred": "from the text, year inferred"}.get(doc.get("published_from") or "")
    return f"{doc['published']} ({how})" if doc.get("published") else "undated"


def _period(claim: dict) -> str:
    period = claim.get("period")
    if not period:
        return claim.get("period_text") or "no period stated"
    start, end = period.get("start"), period.get("end")
    if start and end:
        return f"{start} to {end}" if start != end else start
    return f"as of {end}" if end else f"since {start}"


def _quote(claim: dict) -> dict:
    """The claim's sentence cut around its figure."""
    sentence, text = claim["sentence"], claim["text"]
    offset = claim["start"] - claim.get("sentence_start", claim["start"])
    at = offset if sentence[offset:offset + len(text)] == text else sentence.find(text)
    if at < 0:
        return {"before": sentence, "figure": "", "after": ""}
    return {"before": sentence[:at], "figure": text, "after": sentence[at + len(text):]}


def _evidence(claim: dict, documents: dict) -> dict:
    doc = documents.get(claim["doc"], {})
    return {"claim_id": anchor("c", claim["id"]), "doc": claim["doc"],
            "doc_anchor": anchor("d", claim["doc"]), "quote": _quote(claim),
            "outlet": doc.get("outlet") or "", "title": doc.get("title") or "",
            "url": safe_url(doc.get("url")), "published": _published(doc),
            "period": _period(claim), "attribution": claim.get("attribution") or "",
            "line": claim.get("line"), "value": claim.get("value")}


def _finding(finding: dict, documents: dict) -> dict:
    measure = finding.get("measure") or {}
    return {"id": finding["id"], "anchor": f"f-{finding['id']}", "rule": finding["rule"],
            "kind": finding["kind"], "severity": finding["severity"],
            "message": finding["message"], "measure": measure.get("label", ""),
            "why": measure.get("why", ""), "docs": " ".join(finding.get("documents", [])),
            "independent": finding.get("independent_sources"),
            "evidence": [_evidence(c, documents) for c in finding["claims"]]}


def _timelines(report: dict, finding_of: dict) -> list[dict]:
    """One chart per measure whose figures stand at two or more dates: x is the date a
    figure speaks for, y its value, a bar its qualifier's interval (to the chart's edge
    when unbounded)."""
    claims = {c["id"]: c for c in report["claims"]}
    charts = []
    for measure in report.get("measures", []):
        points = []
        for claim_id in measure.get("claims", []):
            c = claims.get(claim_id)
            if not c or c.get("value") is None or c["kind"] == "name":
                continue
            when = (c.get("period") or {}).get("end") or _doc_date(report, c["doc"])
            if when:
                points.append((dt.date.fromisoformat(when), c))
        if len({p[0] for p in points}) < 2 or len({p[1]["value"] for p in points}) < 2:
            continue
        charts.append(_chart(measure, points, finding_of))
    return charts


def _doc_date(report: dict, doc_id: str) -> str | None:
    doc = next((d for d in report["documents"] if d["id"] == doc_id), None)
    return doc.get("published") if doc else None


def _chart(measure: dict, points: list, finding_of: dict) -> dict:
    dates = [d for d, _ in points]
    values = [c["value"] for _, c in points]
    bounds = [b for _, c in points for b in (c.get("low"), c.get("high")) if b is not None]
    lo_v, hi_v = min(values + bounds), max(values + bounds)
    if lo_v == hi_v:
        lo_v, hi_v = lo_v - 1, hi_v + 1
    lo_v = min(lo_v, 0) if lo_v >= 0 and lo_v < hi_v * 0.5 else lo_v
    first, last = min(dates), max(dates)
    span = max((last - first).days, 1)
    inner_w, inner_h = TIMELINE_WIDTH - 2 * TIMELINE_PAD, TIMELINE_HEIGHT - 2 * TIMELINE_PAD

    def x(date: dt.date) -> float:
        return round(TIMELINE_PAD + inner_w * (date - first).days / span, 1)

    def y(value: float) -> float:
        return round(TIMELINE_PAD + inner_h * (1 - (value - lo_v) / (hi_v - lo_v)), 1)

    top, bottom = TIMELINE_PAD - 8, TIMELINE_HEIGHT - TIMELINE_PAD + 8
    drawn = []
    for date, c in sorted(points, key=lambda p: (p[0], p[1]["value"])):
        low, high = c.get("low"), c.get("high")
        drawn.append({
            "x": x(date), "y": y(c["value"]),
            "y_low": bottom if low is None else y(low), "y_high": top if high is None else y(high),
            "ranged": low != high, "label": c["text"], "date": date.isoformat(),
            "doc": c["doc"], "claim": anchor("c", c["id"]),
            "finding": finding_of.get(c["id"]), "value": c["value"]})
    return {"measure": measure.get("label", ""), "why": measure.get("why", ""),
            "width": TIMELINE_WIDTH, "height": TIMELINE_HEIGHT, "points": drawn,
            "axis": {"x1": TIMELINE_PAD, "x2": TIMELINE_WIDTH - TIMELINE_PAD,
                     "y": TIMELINE_HEIGHT - TIMELINE_PAD + 14,
                     "y_top": TIMELINE_PAD, "y_bottom": TIMELINE_HEIGHT - TIMELINE_PAD,
                     "first": first.isoformat(), "last": last.isoformat(),
                     "top": _fmt(hi_v), "bottom": _fmt(lo_v)}}


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


def _segments(text: str, claims: list[dict], finding_of: dict) -> list[dict]:
    """A document's text as plain and figure pieces, in order."""
    pieces, at = [], 0
    for c in sorted(claims, key=lambda c: c["start"]):
        if c["start"] < at or text[c["start"]:c["end"]] != c["text"]:
            continue
        if c["start"] > at:
            pieces.append({"text": text[at:c["start"]]})
        pieces.append({"text": c["text"], "claim": anchor("c", c["id"]),
                       "mark": anchor("t", c["id"]), "finding": finding_of.get(c["id"])})
        at = c["end"]
    if at < len(text):
        pieces.append({"text": text[at:]})
    return pieces


def build(report: dict, texts: dict[str, str], title: str = "Discrepancy report") -> dict:
    """Everything the template places. ``texts`` maps document id to its text."""
    documents = {d["id"]: d for d in report["documents"]}
    findings = sorted(report["findings"], key=lambda f: (
        SEVERITY_ORDER[f["severity"]], (f.get("measure") or {}).get("label", "")))
    finding_of: dict[str, str] = {}
    for f in findings:
        for c in f["claims"]:
            finding_of.setdefault(c["id"], f"f-{f['id']}")
    claims_by_doc = defaultdict(list)
    for c in report["claims"]:
        claims_by_doc[c["doc"]].append(c)
    severities = Counter(f["severity"] for f in findings)
    kinds = Counter(f["kind"] for f in findings)
    return {
        "title": title,
        "generated": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z").strip(),
        "version": __version__,
        "documents": [{"id": d["id"], "anchor": anchor("d", d["id"]), "path": d["path"],
                       "title": d.get("title") or "", "outlet": d.get("outlet") or "",
                       "url": safe_url(d.get("url")), "published": _published(d),
                       "role": d.get("role", "source"),
                       "claims": len(claims_by_doc[d["id"]]),
                       "segments": _segments(texts.get(d["id"], ""), claims_by_doc[d["id"]],
                                             finding_of)}
                      for d in report["documents"]],
        "skipped": report.get("skipped", []),
        "counts": {"severity": [(s, severities.get(s, 0)) for s in ("error", "warning", "info")],
                   "kind": sorted(kinds.items()), "total": len(findings),
                   "claims": len(report["claims"]), "documents": len(report["documents"])},
        "top": [_finding(f, documents) for f in findings[:TOP_FINDINGS]],
        "findings": [_finding(f, documents) for f in findings],
        "timelines": _timelines(report, finding_of),
        "claims": [{"id": anchor("c", c["id"]), "doc": c["doc"], "doc_anchor": anchor("d", c["doc"]),
                    "line": c.get("line"), "text": c["text"], "value": c.get("value"),
                    "low": c.get("low"), "high": c.get("high"), "unit": c.get("unit") or "",
                    "period": _period(c), "period_end": (c.get("period") or {}).get("end") or "",
                    "attribution": c.get("attribution") or "",
                    "measure": c.get("measure") or "", "finding": finding_of.get(c["id"]),
                    "mark": anchor("t", c["id"])}
                   for c in report["claims"]],
        "copies": report.get("copies", []),
    }
