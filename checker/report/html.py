"""The HTML report: one self-contained file from Jinja2 templates with autoescaping.

Everything the page needs is inline (CSS, JS, SVG), so it works from file:// and as an
email attachment. The page's Content-Security-Policy allows no network at all and only
the report's own script, by its SHA-256 hash: even if some text from an article were to
slip through escaping, a script in it could not run.
"""
from __future__ import annotations

import base64
import hashlib
from importlib import resources

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from . import view

_TEMPLATES = resources.files("checker.report") / "templates"


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(_TEMPLATES)), undefined=StrictUndefined,
                      autoescape=select_autoescape(["html", "j2"], default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["number"] = view._fmt
    return env


def _script_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def render(report: dict, texts: dict[str, str], title: str = "Discrepancy report") -> str:
    """The report page. ``texts`` maps document id to the text its offsets index."""
    env = _environment()
    script = (_TEMPLATES / "report.js").read_text(encoding="utf-8")
    style = (_TEMPLATES / "report.css").read_text(encoding="utf-8")
    return env.get_template("report.html.j2").render(
        report=view.build(report, texts, title), script=script, style=style,
        script_hash=_script_hash(script))
