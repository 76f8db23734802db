"""CSV rendering for spreadsheets: one row per claim, or per finding and claim."""
from __future__ import annotations

import csv
import io

CLAIM_COLUMNS = ("doc", "id", "line", "column", "text", "value", "low", "high", "unit", "kind",
                 "qualifier", "period_start", "period_end", "period_text", "attribution",
                 "entities", "start", "end", "sentence")


FINDING_COLUMNS = ("finding", "severity", "kind", "rule", "message")


def _row(claim: dict) -> dict:
    period = claim["period"] or {}
    return dict(claim, period_start=period.get("start"), period_end=period.get("end"),
                entities="; ".join(e["name"] for e in claim["entities"]))


def _write(columns: tuple[str, ...], rows) -> str:
    """Rows end in CRLF, as RFC 4180 has it: Python's writer quotes a field only for the
    characters of its line terminator, so with "\n" alone a lone "\r" (an old Mac file's
    line break in a sentence, a file name) would go out unquoted and split the row."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def render(report: dict) -> str:
    return _write(CLAIM_COLUMNS, (_row(c) for c in report["claims"]))


def render_findings(report: dict) -> str:
    """One row per finding and each claim it cites, so a spreadsheet filter on the
    finding id shows its evidence."""
    return _write(FINDING_COLUMNS + CLAIM_COLUMNS, (
        dict(_row(c), finding=f["id"], severity=f["severity"], kind=f["kind"], rule=f["rule"],
             message=f["message"])
        for f in report["findings"] for c in f["claims"]))
