"""Message templates: Jinja2 in its sandbox, with every variable required.

Editors write messages in rule files, so templates are untrusted: the immutable sandbox
keeps them from reaching Python internals or the file system, and StrictUndefined turns a
misspelt variable into an error when the rule loads (each template is test-rendered with
its kind's sample data), never a blank in a report.
"""
from __future__ import annotations

import re

from jinja2 import StrictUndefined, TemplateError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

_ENV = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False,
                                     trim_blocks=True, lstrip_blocks=True)


def format_number(value) -> str:
    """1234567 -> "1,234,567"; what messages use to print computed values."""
    if isinstance(value, (int, float)):
        return f"{value:,.0f}" if value == int(value) else f"{value:,}"
    return str(value)


_ENV.filters["number"] = format_number


_BEFORE_PUNCTUATION = re.compile(r"\s+([;,.:)])")


class MessageError(Exception):
    """A template that does not compile or render."""


def _explain(exc: Exception) -> str:
    """Jinja's complaint in an editor's words where it is cryptic."""
    if isinstance(exc, SecurityError):
        return "templates may only use the message variables, not Python internals"
    return str(exc).rstrip(".")


def compile_message(source: str):
    try:
        return _ENV.from_string(source)
    except TemplateError as exc:
        raise MessageError(_explain(exc)) from None


def render(template, data: dict) -> str:
    """One line: YAML block scalars and template loops leave newlines and stray spaces,
    so runs of white space become one space and none stays before punctuation."""
    try:
        return _BEFORE_PUNCTUATION.sub(r"\1", " ".join(template.render(**data).split()))
    except (TemplateError, ArithmeticError, TypeError, ValueError, AttributeError, KeyError,
            IndexError, MemoryError, RecursionError) as exc:
        raise MessageError(_explain(exc)) from None
