"""Typed errors that carry where the problem is, so the CLI can print one actionable line.

Deep code raises these; only ``cli.py`` turns them into a message and an exit code
(the yamllint/sqlfluff convention: location first, then what is wrong, then a hint).
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """The three outcomes DESIGN.md promises to CMS hooks and CI."""

    CLEAN = 0
    FINDINGS = 1
    BAD_INPUT = 2


@dataclass
class CheckerError(Exception):
    """A problem the user can fix, located in a file (and line, column, key where known)."""

    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.path, self.line, self.column) if p is not None)
        text = f"{where}: {self.message}" if where else self.message
        return f"{text}; {self.hint}" if self.hint else text


class DocumentError(CheckerError):
    """A document that cannot be read: reported by name and skipped, never fatal to a run."""
