"""The HTML report: one self-contained file from Jinja2 templates with autoescaping.

Everything the page needs is inline (CSS, JS, SVG), so it works from file:// and as an
email attachment. The page's Content-Security-Policy allows no network at all and only
the report's own script, by its SHA-256 hash: even if some text from an article were to
slip through escaping, a script in it could not run.

A large report carries the findings and claims beyond the first page as JSON in a
``<script type="application/json">``: data, which the browser never executes (the CSP
does not apply to it), read by the report's script. ``script_json`` makes that JSON safe
to place there unescaped.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import json
from importlib import resources
from typing import Iterator

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from . import view

_TEMPLATES = resources.files("checker.report") / "templates"


@functools.cache
def _environment() -> Environment:
    """One per process, so the template is compiled once: compiling takes longer than
    rendering a report of a few articles (a draft check, a fuzz test's hundreds)."""
    return Environment(loader=FileSystemLoader(str(_TEMPLATES)), undefined=StrictUndefined,
                       autoescape=select_autoescape(["html", "j2"], default=True),
                       trim_blocks=True, lstrip_blocks=True)


def _script_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


BATCH = 1000  # rows of the report's data per json.dumps

# Inside <script> only "</script" or "<!--" could end or disturb the element; escaping
# every <, > and & (legal only inside JSON strings) rules out any markup whatever, and
# U+2028/2029 are escaped for older JavaScript parsers. (str.replace: str.translate with
# a table takes seconds on a report's megabytes.)
_SCRIPT_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                   ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def script_json(value) -> Iterator[str]:
    """``value`` as JSON that can stand inside a <script> element as it is, in pieces: a
    dict's items, and of each item's list or dict ``BATCH`` entries at a time. The text
    is what one ``json.dumps`` of the whole would give, but a whole archive's data is
    never held as one string (nor copied by each escape): at 100k articles that string
    alone was gigabytes."""
    if not isinstance(value, dict) or not value:
        yield _escaped(_dumps(value))
        return
    for n, (key, item) in enumerate(value.items()):
        yield ("," if n else "{") + _escaped(_dumps(key)) + ":"
        if isinstance(item, (dict, list)) and item:
            entries = list(item.items()) if isinstance(item, dict) else item
            for at in range(0, len(entries), BATCH):
                batch = entries[at:at + BATCH]
                text = _dumps(dict(batch) if isinstance(item, dict) else batch)
                yield ("," if at else text[0]) + _escaped(text[1:-1])
            yield text[-1]
        else:
            yield _escaped(_dumps(item))
    yield "}"


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _escaped(text: str) -> str:
    for char, escape in _SCRIPT_ESCAPES:
        if char in text:
            text = text.replace(char, escape)
    return text


def render(report: dict, texts: dict[str, str], title: str = "Discrepancy report") -> str:
    """The report page. ``texts`` maps document id to the text its offsets index."""
    return "".join(chunks(report, texts, title))


def chunks(report: dict, texts: dict[str, str], title: str = "Discrepancy report",
           ) -> Iterator[str]:
    """``render``'s page in pieces as the template makes them, for ``files.write_atomic``:
    a whole archive's page is too large to hold twice (as text, then encoded)."""
    env = _environment()
    script = (_TEMPLATES / "report.js").read_text(encoding="utf-8")
    style = (_TEMPLATES / "report.css").read_text(encoding="utf-8")
    page = view.build(report, texts, title)
    data = None if page["data"] is None else script_json(page["data"])
    yield from env.get_template("report.html.j2").generate(
        report=page, report_data=data, script=script, style=style,
        script_hash=_script_hash(script))
