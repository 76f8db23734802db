"""JSON rendering of the report model (DESIGN.md contract, version 1)."""
from __future__ import annotations

import json
from typing import Iterator


def render(report: dict, indent: int | None = 2) -> str:
    """Indented for people by default; ``indent=None`` writes one line, several times
    faster on a large report (the nightly's, which programs read)."""
    return "".join(chunks(report, indent))


def chunks(report: dict, indent: int | None = 2) -> Iterator[str]:
    """``render``'s text in pieces, one item of each top-level list at a time, for
    ``files.write_atomic``: a 100k-article report is gigabytes as one string (and again
    as its encoded bytes), while each piece is one claim or finding. The bytes are
    ``json.dumps``'s (tests/test_report_pieces.py compares them)."""
    step = "" if indent is None else "\n" + " " * indent  # a line one level in
    inner = "" if indent is None else step + " " * indent  # a line two levels in
    comma = ", " if indent is None else ","

    def dump(value, newline: str) -> str:
        text = json.dumps(value, ensure_ascii=False, indent=indent)
        return text.replace("\n", newline) if indent is not None else text

    yield "{"
    for n, (key, value) in enumerate(report.items()):
        yield f"{comma if n else ''}{step}{dump(key, step)}: "
        if isinstance(value, list) and value:
            yield "["
            for m, item in enumerate(value):
                yield f"{comma if m else ''}{inner}{dump(item, inner)}"
            yield f"{step}]"
        else:
            yield dump(value, step)
    yield (step[:1] if report else "") + "}\n"
