"""The one door for editors' regular expressions: compiled once, run with a time limit.

Editors write patterns in rule files; a pattern like ``(a+)+$`` can take exponential time
on a long line. The ``regex`` module supports a per-call timeout, so no pattern can hang a
run: a search that runs out of time raises ``PatternTimeout`` naming the rule.
"""
from __future__ import annotations

import regex

TIMEOUT = 0.05  # seconds per search


class PatternTimeout(Exception):
    """An editor's pattern took too long on some text."""


def compile_pattern(source: str) -> regex.Pattern:
    """Compile case-insensitively; raises ``regex.error`` with a position when invalid."""
    return regex.compile(source, regex.IGNORECASE | regex.VERSION1)


def search(pattern: regex.Pattern, text: str, timeout: float = TIMEOUT) -> bool:
    try:
        return pattern.search(text, timeout=timeout) is not None
    except TimeoutError:
        raise PatternTimeout(pattern.pattern) from None
