"""JSON rendering of the report model (DESIGN.md contract, version 1)."""
from __future__ import annotations

import json


def render(report: dict) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
