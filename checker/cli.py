"""The ``checker`` command line: thin commands over library functions.

This is the only place that prints errors and chooses exit codes (DESIGN.md: 0 clean,
1 findings at or above --fail-on, 2 bad usage or input). Tracebacks only with --debug.
"""
from __future__ import annotations

import difflib
import sys

import click

from pathlib import Path

from . import __version__, ruleset as rulesets, ruletest
from .claims.extract import extract_documents
from .documents import load_documents
from .engine import SEVERITY_ORDER, check as run_check
from .errors import CheckerError, ExitCode
from .report import csv as csv_report
from .report import html as html_report
from .report import json as json_report
from .report import model
from .report import text as text_report
from .report.files import write_atomic

RENDERERS = {"json": json_report.render, "csv": csv_report.render, "text": text_report.render}
CHECK_RENDERERS = {"json": json_report.render, "csv": csv_report.render_findings,
                   "text": text_report.render_findings}
CHECK_FORMATS = sorted([*CHECK_RENDERERS, "html"])
FAIL_ON = ("error", "warning", "info", "never")


def _fail(message: str) -> None:
    for line in message.splitlines() or [""]:
        click.echo(f"checker: {line}", err=True)
    sys.exit(ExitCode.BAD_INPUT)


def _emit(text: str, output: str | None) -> None:
    if output:
        write_atomic(output, text)
    else:
        click.echo(text, nl=False)


class CheckerGroup(click.Group):
    """Turns typed errors into one-line messages and exit code 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CheckerError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            _fail(str(exc))
        except OSError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            _fail(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:  # a bug, not bad input: still one line unless --debug
            if ctx.obj and ctx.obj.get("debug"):
                raise
            _fail(f"internal error: {type(exc).__name__}: {exc} (rerun with --debug for details)")


@click.group(cls=CheckerGroup)
@click.version_option(__version__, prog_name="checker")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Find where news sources disagree: figures, dates, names and attributions."""
    ctx.obj = {"debug": debug}


def _load(paths: tuple[str, ...]):
    """Documents and their claims; unreadable files are reported and skipped."""
    documents, errors = load_documents(paths)
    for error in errors:
        click.echo(f"checker: {error} (skipped)", err=True)
    documents, claims, problems = extract_documents(documents)
    for problem in problems:
        click.echo(f"checker: {problem} (skipped)", err=True)
    if not documents:
        _fail("no readable documents in " + ", ".join(paths))
    return documents, claims, [str(e) for e in errors] + problems


def _rules(dirs: tuple[str, ...]) -> rulesets.RuleSet:
    return rulesets.load([Path(d) for d in dirs] if dirs else None)


rules_option = click.option(
    "--rules", "rules_dirs", multiple=True, type=click.Path(),
    help="Rule folder or file (repeatable). Default: ./rules if present, else the default pack.")
output_option = click.option("--output", "-o", type=click.Path(dir_okay=False),
                             help="Write to this file (atomically) instead of standard output.")


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(sorted(RENDERERS)), default="text",
              show_default=True, help="Output format.")
@output_option
def extract(paths: tuple[str, ...], fmt: str, output: str | None) -> None:
    """List every figure in PATHS (files or folders of .txt, .md, .html) as claims:
    value, interval, unit, period, attribution and entities, with exact offsets."""
    documents, claims, skipped = _load(paths)
    _emit(RENDERERS[fmt](model.build(documents, claims, skipped=skipped)), output)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@rules_option
@click.option("--format", "fmt", type=click.Choice(CHECK_FORMATS), default="text",
              show_default=True, help="Output format (html: one self-contained page).")
@output_option
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="error", show_default=True,
              help="Exit 1 when a finding is at least this severe.")
def check(paths: tuple[str, ...], rules_dirs: tuple[str, ...], fmt: str, output: str | None,
          fail_on: str) -> None:
    """Find where the articles in PATHS disagree: conflicting figures, figures dated
    differently, outdated running figures, parts that do not add up, name spellings and
    attributions."""
    ruleset = _rules(rules_dirs)
    documents, claims, skipped = _load(paths)
    result = run_check(documents, claims, ruleset)
    report = model.build(documents, claims, result.findings, skipped=skipped,
                         measures=result.measures, copies=result.copies,
                         inferred=result.inferred)
    if fmt == "html":
        _emit(html_report.render(report, {d.id: d.text for d in documents}), output)
    else:
        _emit(CHECK_RENDERERS[fmt](report), output)
    if fail_on != "never" and any(SEVERITY_ORDER[f["severity"]] <= SEVERITY_ORDER[fail_on]
                                  for f in result.findings):
        sys.exit(ExitCode.FINDINGS)


@main.group()
def rules() -> None:
    """List, lint and test the YAML rules."""


@rules.command("list")
@rules_option
def rules_list(rules_dirs: tuple[str, ...]) -> None:
    """Show each rule: id, kind, severity, where it is defined, and what it checks."""
    ruleset = _rules(rules_dirs)
    for rule in ruleset.rules:
        click.echo(f"{rule.id:<24} {rule.kind:<13} {rule.severity:<8} {rule.where}")
        if rule.description:
            click.echo(f"    {' '.join(rule.description.split())}")
    for measure in ruleset.measures:
        click.echo(f"{measure.id:<24} {'measure':<13} {'':<8} {measure.where}")
    click.echo(f"{len(ruleset.rules)} rules, {len(ruleset.measures)} named measures in "
               f"{len(ruleset.files)} files")


@rules.command("lint")
@rules_option
def rules_lint(rules_dirs: tuple[str, ...]) -> None:
    """Validate the rule files and check each rule has examples that fire and that do not."""
    ruleset = _rules(rules_dirs)
    problems = ruletest.lint(ruleset)
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        sys.exit(ExitCode.BAD_INPUT)
    click.echo(f"{len(ruleset.rules)} rules in {len(ruleset.files)} files: all valid")


@rules.command("test")
@rules_option
@click.option("--rule", "only", help="Only this rule id.")
def rules_test(rules_dirs: tuple[str, ...], only: str | None) -> None:
    """Run the examples every rule carries: texts that must fire and texts that must not."""
    ruleset = _rules(rules_dirs)
    ids = [r.id for r in ruleset.rules]
    if only is not None and only not in ids:
        close = difflib.get_close_matches(only, ids, n=1)
        _fail(f"no rule '{only}'" + (f"; did you mean '{close[0]}'?" if close else ""))
    outcomes = ruletest.run(ruleset, only)
    failed = 0
    for outcome in outcomes:
        if outcome.passed:
            status = "ok"
        elif outcome.example.todo:
            status = "todo"
        else:
            status, failed = "FAIL", failed + 1
        click.echo(f"{status:<5} {outcome.id}")
        if not outcome.passed:
            click.echo(f"      {outcome.explain()}")
            for message in outcome.messages:
                click.echo(f"      message: {message}")
    todo = sum(1 for o in outcomes if not o.passed and o.example.todo)
    click.echo(f"{len(outcomes) - failed - todo} of {len(outcomes)} examples passed"
               + (f", {todo} known gap{'s' * (todo != 1)} (todo)" if todo else ""))
    if failed:
        sys.exit(ExitCode.FINDINGS)


if __name__ == "__main__":  # pragma: no cover
    main()
