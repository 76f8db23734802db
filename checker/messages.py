"""Message templates: Jinja2 in its sandbox, with every variable required.

Editors write messages in rule files, so templates are untrusted: the immutable sandbox
keeps them from reaching Python internals or the file system, and StrictUndefined turns a
misspelt variable into an error when the rule loads (each template is test-rendered with
its kind's sample data), never a blank in a report. The sandbox also bounds ``*`` and
``**``: ``'a' * 10**9`` or ``9**99**99`` would otherwise hold a run for minutes or exhaust
its memory, at load time even, as Jinja computes constant expressions when compiling.
"""
from __future__ import annotations

import re

from jinja2 import FunctionLoader, StrictUndefined, TemplateError
from jinja2.exceptions import SecurityError, TemplateNotFound
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_SIZE = 10_000  # characters, items or bits that one * or ** in a message may make


class MessageError(Exception):
    """A template that does not compile or render."""


def _bits(value) -> int:
    return value.bit_length() if isinstance(value, int) else 1


class _Sandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context, operator, left, right):
        if operator == "**":
            size = _bits(left) * abs(right) if isinstance(right, int) else 0
        elif isinstance(left, int) and isinstance(right, int):
            size = _bits(left) + _bits(right)
        elif isinstance(left, int) and isinstance(right, (str, list, tuple)):
            size = left * len(right)
        elif isinstance(right, int) and isinstance(left, (str, list, tuple)):
            size = right * len(left)
        else:
            size = 0
        if size > MAX_SIZE:
            raise MessageError(f"'{operator}' would make a value of {size:,} characters, "
                               f"items or bits; the limit is {MAX_SIZE:,}")
        return super().call_binop(context, operator, left, right)


# A loader that finds nothing: ``{% include %}``, ``{% import %}`` and ``{% extends %}``
# fail as "not found" instead of Jinja's cryptic "no loader for this environment".
_ENV = _Sandbox(loader=FunctionLoader(lambda name: None),
                undefined=StrictUndefined, autoescape=False, trim_blocks=True,
                lstrip_blocks=True)


def format_number(value) -> str:
    """1234567 -> "1,234,567"; what messages use to print computed values. Whole numbers
    are formatted as integers, never through a float, which would round those past 2**53
    and fail on those past 10**308."""
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,}"
    return str(value)


_ENV.filters["number"] = format_number


_BEFORE_PUNCTUATION = re.compile(r"\s+([;,.:)])")


def _explain(exc: Exception) -> str:
    """Jinja's complaint in an editor's words where it is cryptic."""
    if isinstance(exc, SecurityError):
        return "templates may only use the message variables, not Python internals"
    if isinstance(exc, TemplateNotFound):
        return "templates may not include, import or extend other files"
    if isinstance(exc, MemoryError):
        return "it makes a value too large for memory"
    if isinstance(exc, RecursionError):
        return "it nests too deeply"
    return str(exc).rstrip(".")


def compile_message(source: str):
    """The template; compiling computes its constant parts, which may not fit in memory
    (``'x'|center(10**12)``) or nest too deeply to compile."""
    try:
        return _ENV.from_string(source)
    except (TemplateError, MemoryError, RecursionError) as exc:
        raise MessageError(_explain(exc)) from None


def render(template, data: dict) -> str:
    """One line: YAML block scalars and template loops leave newlines and stray spaces,
    so runs of white space become one space and none stays before punctuation."""
    try:
        return _BEFORE_PUNCTUATION.sub(r"\1", " ".join(template.render(**data).split()))
    except (TemplateError, ArithmeticError, TypeError, ValueError, AttributeError, KeyError,
            IndexError, MemoryError, RecursionError) as exc:
        raise MessageError(_explain(exc)) from None
