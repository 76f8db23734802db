"""The report model: the DESIGN.md JSON object (version, documents, claims, findings)."""
from __future__ import annotations

from ..claims.model import Claim
from ..documents import Document

VERSION = 1


def build(documents: list[Document], claims: list[Claim], findings: list[dict] | None = None,
          skipped: list[str] | None = None) -> dict:
    report = {"version": VERSION,
              "documents": [d.to_json() for d in documents],
              "claims": [c.to_json() for c in claims],
              "findings": findings or []}
    if skipped:
        report["skipped"] = skipped
    return report
