"""The report model: the DESIGN.md JSON object (version, documents, claims, findings)."""
from __future__ import annotations

from ..claims.model import Claim
from ..documents import Document

VERSION = 1


def build(documents: list[Document], claims: list[Claim], findings: list[dict] | None = None,
          skipped: list[str] | None = None, measures: list | None = None,
          copies: dict[str, str] | None = None, inferred: dict | None = None) -> dict:
    """The report object; ``measures``, wire ``copies`` and the dates ``inferred`` for
    undated documents (``published_inferred``: date and the document it came from) are
    extra keys when checking."""
    docs = [d.to_json() for d in documents]
    for doc in docs:
        if inferred and doc["id"] in inferred:
            date, source = inferred[doc["id"]]
            doc["published_inferred"] = {"date": date.isoformat(), "from": source}
    as_json = [c.to_json() for c in claims]
    report = {"version": VERSION,
              "documents": docs,
              "claims": as_json,
              "findings": _cited(findings or [], dict(zip(map(id, claims), as_json)))}
    if measures is not None:
        report["measures"] = [dict(m.to_json(), claims=[c.id for c in m.claims])
                              for m in measures]
    if copies:
        groups: dict[str, list[str]] = {}
        for doc, group in copies.items():
            groups.setdefault(group, []).append(doc)
        report["copies"] = [sorted(g) for g in groups.values() if len(g) > 1]
    if skipped:
        report["skipped"] = skipped
    return report


def _cited(findings: list[dict], as_json: dict[int, dict]) -> list[dict]:
    """The findings with each claim they cite as its JSON object. A check's findings cite
    the claims themselves (``engine``); the report shares one object per claim between
    its claims and its findings, where the check's JSON for each citation had been one
    more, a million at 100k articles. A finding read back from the history cites JSON
    already."""
    return [f if all(type(c) is dict for c in f["claims"]) else
            dict(f, claims=[c if type(c) is dict else as_json.get(id(c)) or c.to_json()
                            for c in f["claims"]])
            for f in findings]

