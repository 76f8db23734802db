"""What the HTML report shows, computed before any HTML is written.

coverage.py's way: the template only places values, it never parses or computes. This
module turns the report object (``model.build``) into plain dicts: the summary, each
finding with its quotes cut into text before, the figure, and text after (so the
template can highlight the figure while escaping every piece), one timeline per measure
with the points already placed, the claims table with sort keys, and each document's
text cut into plain and figure segments. Nothing here produces markup, and URLs that are
not http(s) are dropped, so text from an article or a rule can only ever reach the page
as escaped text.

A large report stays quick to open: only the first page of findings (in the order the
page lists them) and of claims is written as HTML; the rest travel as data (``data``:
rows of plain values in the order ``fields`` names) for the page's script to render on
demand into the same markup. Each evidence card is in that data once, keyed by claim id,
however many findings cite it, and each document's details once, keyed by document id.
``skeleton`` is one finding, card and claim row with every optional part present and no
text, from which the template writes the <template> elements that the script clones.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from typing import Iterator

from .. import __version__
from ..engine import SEVERITY_ORDER

TIMELINE_WIDTH, TIMELINE_HEIGHT, TIMELINE_PAD = 640, 180, 36
TOP_FINDINGS = 3
# Within a severity, what a fact-checker must settle first: figures that cannot both be
# true, then wrong dates and sums, then spellings, then figures that have moved on.
KIND_URGENCY = {"conflict": 0, "period": 1, "total": 2, "name-variant": 3, "attribution": 4,
                "update": 5}
FINDINGS_PAGE = 50   # findings written as HTML; the page's script pages by the same size
CLAIMS_PAGE = 200    # likewise for rows of the claims table
# A nightly report leads with what changed: new findings, then those still open, then
# those gone since the previous run.
STATUS_ORDER = {"new": 0, "open": 1, "resolved": 2}
CHANGES_LISTED = 20  # findings named in each list of "what changed"; the rest by filter
_SAFE_URL = re.compile(r"^https?://[^\s\"'<>]+$", re.I)
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def anchor(prefix: str, key: str) -> str:
    """An HTML id from any document or claim id: letters, digits, - and _ only."""
    return f"{prefix}-{_ID_UNSAFE.sub('_', key)}"


def safe_url(url: str | None) -> str | None:
    """Only web links become links: "javascript:" and the like are dropped."""
    return url if url and _SAFE_URL.match(url.strip()) else None


def utc_time(stamp: str) -> str:
    """``2026-11-23T05:41:07Z`` as a reader reads it: ``2026-11-23 05:41:07 UTC``."""
    return stamp.replace("T", " ").replace("Z", " UTC")


def _published(doc: dict) -> str:
    how = {"metadata": "from its metadata", "text": "from a date line in the text",
           "inferred": "from the text, year inferred"}.get(doc.get("published_from") or "")
    if doc.get("published"):
        return f"{doc['published']} ({how})"
    inferred = doc.get("published_inferred")
    if inferred:
        return f"undated; its figures match {inferred['from']} of {inferred['date']}"
    return "undated"


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


def _document(doc_id: str, documents: dict) -> dict:
    """What an evidence card shows of the document its claim is in."""
    doc = documents.get(doc_id, {})
    return {"anchor": anchor("d", doc_id), "outlet": doc.get("outlet") or "",
            "title": doc.get("title") or "", "url": safe_url(doc.get("url")),
            "published": _published(doc)}


def _card(claim: dict) -> dict:
    """What an evidence card shows of the claim itself."""
    return {"claim_id": anchor("c", claim["id"]), "doc": claim["doc"], "quote": _quote(claim),
            "period": _period(claim), "attribution": claim.get("attribution") or "",
            "line": claim.get("line")}


def _evidence(claim: dict, documents: dict) -> dict:
    document = _document(claim["doc"], documents)
    return {**_card(claim), "doc_anchor": document["anchor"], "outlet": document["outlet"],
            "title": document["title"], "url": document["url"],
            "published": document["published"]}


def _triage(finding: dict) -> tuple[str, str]:
    """An editor's decision on a finding: the badge, and the line saying who, when, why."""
    triage = finding.get("triage")
    if not triage:
        return "", ""
    badge = triage["status"] + (" · evidence changed" if triage.get("stale") else "")
    line = f"{triage['status'].capitalize()} by {triage.get('by') or 'an editor'}"
    line += f" at {triage['at']}" if triage.get("at") else ""
    line += f": {triage['note']}" if triage.get("note") else ""
    if triage.get("made_on"):
        line += f" (on {triage['made_on']}, which this finding continues: look again)"
    elif triage.get("stale"):
        line += " (the evidence has changed since: look again)"
    return badge, line


def _lineage(finding: dict) -> str:
    """How a nightly finding relates to one whose id it took over: the same discrepancy
    with changed evidence (``history.compare``)."""
    if finding.get("replaces"):
        return (f"Continues {', '.join(finding['replaces'])} of the previous run, "
                "with changed evidence")
    if finding.get("replaced_by"):
        return f"Continued by {finding['replaced_by']}, with changed evidence"
    return ""


def _finding_head(finding: dict) -> dict:
    """A finding without its evidence."""
    measure = finding.get("measure") or {}
    triage, triage_note = _triage(finding)
    return {"status": finding.get("status", ""), "triage": triage, "triage_note": triage_note,
            "lineage": _lineage(finding),
            "id": finding["id"], "anchor": f"f-{finding['id']}", "rule": finding["rule"],
            "kind": finding["kind"], "severity": finding["severity"],
            "message": finding["message"], "measure": measure.get("label", ""),
            "why": measure.get("why", ""), "docs": " ".join(finding.get("documents", [])),
            "independent": finding.get("independent_sources")}


def _finding(finding: dict, documents: dict) -> dict:
    return {**_finding_head(finding),
            "evidence": [_evidence(c, documents) for c in finding["claims"]]}


def _sort_key(value) -> str:
    """A value as its data-sort attribute holds it: as Jinja prints it, '' for none."""
    return "" if value is None else str(value)


def _shown(value) -> str:
    return "" if value is None else _fmt(value)


def _claim_row(claim: dict, finding_of: dict) -> dict:
    """One row of the claims table. ``line``, ``value``, ``low``, ``high`` and
    ``period_end`` are sort keys; ``*_text`` and ``period`` are what the cells show."""
    return {"id": anchor("c", claim["id"]), "doc": claim["doc"],
            "doc_anchor": anchor("d", claim["doc"]), "line": _sort_key(claim.get("line")),
            "text": claim["text"], "mark": anchor("t", claim["id"]),
            "value": _sort_key(claim.get("value")), "value_text": _shown(claim.get("value")),
            "low": _sort_key(claim.get("low")), "low_text": _shown(claim.get("low")),
            "high": _sort_key(claim.get("high")), "high_text": _shown(claim.get("high")),
            "unit": claim.get("unit") or "", "period": _period(claim),
            "period_end": (claim.get("period") or {}).get("end") or "",
            "attribution": claim.get("attribution") or "", "measure": claim.get("measure") or "",
            "finding": finding_of.get(claim["id"]) or ""}


# The fields of the data's rows, in order; report.js looks them up by these names. A claim
# row's sortable fields are named as its column's data-sort-key.
FINDING_FIELDS = ("id", "anchor", "severity", "kind", "rule", "message", "measure", "why",
                  "docs", "independent", "status", "triage", "triage_note", "lineage", "evidence")
CARD_FIELDS = ("claim_id", "doc", "before", "figure", "after", "period", "attribution", "line")
DOCUMENT_FIELDS = ("anchor", "outlet", "title", "url", "published")
CLAIM_FIELDS = ("id", "doc", "line", "text", "mark", "value", "value_text", "low", "low_text",
                "high", "high_text", "unit", "period_end", "period", "attribution", "measure",
                "finding")


def _data(findings: list[dict], claims: list[dict], documents: dict,
          finding_of: dict) -> dict | None:
    """The findings and claims not written as HTML, as rows of values: a finding's
    evidence is a list of claim ids, keys of ``cards``; cards and claim rows name their
    document, a key of ``documents``."""
    if not findings and not claims:
        return None
    cards: dict[str, list] = {}
    rows = []
    for f in findings:
        for c in f["claims"]:
            if c["id"] not in cards:
                card = _card(c)
                cards[c["id"]] = [card["claim_id"], card["doc"], card["quote"]["before"],
                                  card["quote"]["figure"], card["quote"]["after"],
                                  card["period"], card["attribution"], card["line"]]
        head = _finding_head(f)
        rows.append([head[k] for k in FINDING_FIELDS[:-1]] + [[c["id"] for c in f["claims"]]])
    claim_rows = []
    for c in claims:
        row = _claim_row(c, finding_of)
        claim_rows.append([row[k] for k in CLAIM_FIELDS])
    doc_ids = {card[1] for card in cards.values()} | {c["doc"] for c in claims}
    docs = {}
    for doc_id in sorted(doc_ids):
        document = _document(doc_id, documents)
        docs[doc_id] = [document[k] for k in DOCUMENT_FIELDS]
    return {"fields": {"finding": FINDING_FIELDS, "card": CARD_FIELDS,
                       "document": DOCUMENT_FIELDS, "claim": CLAIM_FIELDS},
            "findings": rows, "cards": cards, "documents": docs, "claims": claim_rows}


def _skeleton() -> dict:
    """One finding, card and claim row with every optional part present and no text."""
    card = {"claim_id": "", "doc": "", "doc_anchor": "", "period": "", "attribution": "",
            "quote": {"before": "", "figure": "", "after": ""}, "line": 0, "outlet": "",
            "title": "", "url": "#", "published": ""}
    finding = {"id": "", "anchor": "", "rule": "", "kind": "", "severity": "", "message": "",
               "measure": "-", "why": "", "docs": "", "independent": 0, "status": "-",
               "triage": "-", "triage_note": "-", "lineage": "-", "evidence": []}
    claim = dict.fromkeys(CLAIM_FIELDS + ("doc_anchor",), "")
    claim["finding"] = "-"
    return {"finding": finding, "card": card, "claim": claim}


def _timelines(report: dict, finding_of: dict) -> list[dict]:
    """One chart per measure whose figures stand at two or more dates: x is the date a
    figure speaks for, y its value, a bar its qualifier's interval (to the chart's edge
    when unbounded)."""
    claims = {c["id"]: c for c in report["claims"]}
    dates = _doc_dates(report)
    charts = []
    for measure in report.get("measures", []):
        points = []
        for claim_id in measure.get("claims", []):
            c = claims.get(claim_id)
            if not c or c.get("value") is None or c["kind"] == "name":
                continue
            when = (c.get("period") or {}).get("end") or dates.get(c["doc"])
            if when:
                points.append((dt.date.fromisoformat(when), c))
        if len({p[0] for p in points}) < 2 or len({p[1]["value"] for p in points}) < 2:
            continue
        charts.append(_chart(measure, points, finding_of))
    return charts


def _doc_dates(report: dict) -> dict[str, str]:
    """Each document's date: published, or inferred from the figures it shares."""
    return {d["id"]: d.get("published") or (d.get("published_inferred") or {}).get("date")
            for d in report["documents"]
            if d.get("published") or d.get("published_inferred")}


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


class _Segments:
    """A document's text as plain and figure pieces, in order: (text, claim anchor, mark
    anchor, finding anchor), the anchors None for plain text and the finding's for a
    figure no finding cites. Tuples, not dicts: the template unpacks them, which is a
    third of the time a whole archive's page takes otherwise. Cut as the template reads
    them, never kept: every document's text, cut, is the size of the corpus again."""

    def __init__(self, text: str, claims: list[dict], finding_of: dict):
        self.text, self.claims, self.finding_of = text, claims, finding_of

    def __iter__(self) -> Iterator[tuple]:
        text, at = self.text, 0
        for c in sorted(self.claims, key=lambda c: c["start"]):
            if c["start"] < at or text[c["start"]:c["end"]] != c["text"]:
                continue
            if c["start"] > at:
                yield text[at:c["start"]], None, None, None
            yield (c["text"], anchor("c", c["id"]), anchor("t", c["id"]),
                   self.finding_of.get(c["id"]))
            at = c["end"]
        if at < len(text):
            yield text[at:], None, None, None


def _most_important(findings: list[dict]) -> list[dict]:
    """The findings the page leads with: by severity, then how urgent the kind is, then
    how many independent sources are involved."""
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f["severity"]],
                                           KIND_URGENCY.get(f["kind"], 9),
                                           -(f.get("independent_sources") or 0)))[:TOP_FINDINGS]


def build(report: dict, texts: dict[str, str], title: str = "Discrepancy report") -> dict:
    """Everything the template places. ``texts`` maps document id to its text."""
    documents = {d["id"]: d for d in report["documents"]}
    findings = sorted(report["findings"], key=lambda f: (
        STATUS_ORDER.get(f.get("status"), 0), SEVERITY_ORDER[f["severity"]],
        (f.get("measure") or {}).get("label", "")))
    finding_of: dict[str, str] = {}
    for f in findings:
        for c in f["claims"]:
            finding_of.setdefault(c["id"], f"f-{f['id']}")
    claims = report["claims"]
    claims_by_doc = defaultdict(list)
    for c in claims:
        claims_by_doc[c["doc"]].append(c)
    severities = Counter(f["severity"] for f in findings)
    kinds = Counter(f["kind"] for f in findings)
    statuses = Counter(f["status"] for f in findings if f.get("status"))
    return {
        "title": title,
        "generated": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z").strip(),
        "version": __version__,
        "documents": [{"id": d["id"], "anchor": anchor("d", d["id"]), "path": d["path"],
                       "title": d.get("title") or "", "outlet": d.get("outlet") or "",
                       "url": safe_url(d.get("url")), "published": _published(d),
                       "role": d.get("role", "source"),
                       "claims": len(claims_by_doc[d["id"]]),
                       "segments": _Segments(texts.get(d["id"], ""), claims_by_doc[d["id"]],
                                             finding_of)}
                      for d in report["documents"]],
        "skipped": report.get("skipped", []),
        "counts": {"severity": [(s, severities.get(s, 0)) for s in ("error", "warning", "info")],
                   "kind": sorted(kinds.items()), "total": len(findings),
                   "status": [(s, statuses[s]) for s in STATUS_ORDER] if statuses else [],
                   "claims": len(report["claims"]), "documents": len(report["documents"])},
        "top": [_finding_head(f) for f in _most_important(findings)],
        "findings": [_finding(f, documents) for f in findings[:FINDINGS_PAGE]],
        "timelines": _timelines(report, finding_of),
        "claims": [_claim_row(c, finding_of) for c in claims[:CLAIMS_PAGE]],
        "pages": {"findings": FINDINGS_PAGE, "claims": CLAIMS_PAGE},
        "unwritten": {"findings": max(len(findings) - FINDINGS_PAGE, 0),
                      "claims": max(len(claims) - CLAIMS_PAGE, 0)},
        "data": _data(findings[FINDINGS_PAGE:], claims[CLAIMS_PAGE:], documents, finding_of),
        "skeleton": _skeleton(),
        "copies": report.get("copies", []),
        "run": _changes(report["run"], findings) if "run" in report else None,
    }


CHANGE_LABELS = {"new": "new", "continued": "changed evidence", "resolved": "resolved",
                 "open": "open", "hidden": "hidden by triage"}


def change_counts(counts: dict) -> list[tuple[str, int]]:
    """A run's changes as a reader counts them: findings new and resolved for real, and
    findings that only changed evidence (a new id continuing an old one), as the
    report's head and the index of runs both show them."""
    return [("new", counts["new"] - counts["continued"]), ("continued", counts["continued"]),
            ("resolved", counts["resolved"] - counts["replaced"]), ("open", counts["open"]),
            ("hidden", counts["hidden"])]


def _changes(run: dict, findings: list[dict]) -> dict:
    """A nightly run's "what changed": against which run, the counts, and the findings
    that are new, that continue an earlier one with changed evidence, and that are
    resolved, by name (the most severe first, up to ``CHANGES_LISTED`` each)."""
    previous = run.get("previous")
    groups = {"new": [f for f in findings if f["status"] == "new" and not f.get("replaces")],
              "continued": [f for f in findings if f.get("replaces")],
              "resolved": [f for f in findings
                           if f["status"] == "resolved" and not f.get("replaced_by")]}
    listed: dict = {"tiles": change_counts(run["counts"])}
    for name, group in groups.items():
        listed[name] = [_finding_head(f) for f in group[:CHANGES_LISTED]]
        listed[f"more_{name}"] = max(len(group) - CHANGES_LISTED, 0)
    return {"id": run["id"], "started": utc_time(run["started"]),
            "previous": previous["id"] if previous else None,
            "previous_started": utc_time(previous["started"]) if previous else None,
            "counts": run["counts"], "labels": CHANGE_LABELS, **listed}
