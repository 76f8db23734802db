"""CSV rendering for spreadsheets: one row per claim."""
from __future__ import annotations

import csv
import io

CLAIM_COLUMNS = ("doc", "id", "line", "column", "text", "value", "low", "high", "unit", "kind",
                 "qualifier", "period_start", "period_end", "period_text", "attribution",
                 "entities", "start", "end", "sentence")


def render(report: dict) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CLAIM_COLUMNS, extrasaction="ignore",
                            lineterminator="\n")
    writer.writeheader()
    for claim in report["claims"]:
        period = claim["period"] or {}
        row = dict(claim, period_start=period.get("start"), period_end=period.get("end"),
                   entities="; ".join(e["name"] for e in claim["entities"]))
        writer.writerow(row)
    return out.getvalue()
