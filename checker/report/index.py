"""The index of nightly runs, ``DIR/index.html``: every run newest first, with its counts
and a link to its report.

A page of its own, smaller than the report and without script: a table an editor opens
each morning to see when the corpus last ran, how many findings each run had, and what
changed from one run to the next. Runs that were interrupted or failed are listed too,
with why, so a night without a report is visible rather than silent. Same safety as the
report: Jinja2 autoescaping, and a Content-Security-Policy that allows no script at all.
"""
from __future__ import annotations

from importlib import resources

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .. import __version__
from ..history import RunInfo
from .view import change_counts, utc_time

_TEMPLATES = resources.files("checker.report") / "templates"
COLUMNS = ("documents", "error", "warning", "info", "new", "continued", "resolved", "hidden")


def _row(run: RunInfo) -> dict:
    complete = run.status == "complete"
    counts = dict(run.counts, **dict(change_counts(run.counts))) if complete else {}
    return {"id": run.id, "started": utc_time(run.started),
            "status": run.status, "error": run.error or "",
            "report": f"{run.id}/report.html" if complete else None,
            "json": f"{run.id}/report.json" if complete else None,
            "counts": [(c, counts.get(c)) for c in COLUMNS]}


def render(runs: list[RunInfo]) -> str:
    """The page for ``runs``, given newest first."""
    env = Environment(loader=FileSystemLoader(str(_TEMPLATES)), undefined=StrictUndefined,
                      autoescape=select_autoescape(["html", "j2"], default=True),
                      trim_blocks=True, lstrip_blocks=True)
    style = (_TEMPLATES / "index.css").read_text(encoding="utf-8")
    return env.get_template("index.html.j2").render(
        runs=[_row(r) for r in runs], columns=COLUMNS, style=style, version=__version__)
