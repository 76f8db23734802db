"""The report model: the DESIGN.md JSON object (version, documents, claims, findings)."""
from __future__ import annotations

from ..claims.model import Claim, cited
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
              # one JSON object per claim, shared by the claims and the findings: the
              # check's findings cite claims by the million at 100k articles
              "findings": cited(findings or [], dict(zip(map(id, claims), as_json)))}
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

