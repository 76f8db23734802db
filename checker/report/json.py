"""JSON rendering of the report model (DESIGN.md contract, version 1)."""
from __future__ import annotations

import json


def render(report: dict, indent: int | None = 2) -> str:
    """Indented for people by default; ``indent=None`` writes one line, several times
    faster on a large report (the nightly's, which programs read)."""
    return json.dumps(report, ensure_ascii=False, indent=indent) + "\n"
