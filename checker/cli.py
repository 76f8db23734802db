"""The ``checker`` command line: thin commands over library functions.

This is the only place that prints errors and chooses exit codes (DESIGN.md: 0 clean,
1 findings at or above --fail-on, 2 bad usage or input). Tracebacks only with --debug.
"""
from __future__ import annotations

import difflib
import itertools
import os
import sys

import click

from pathlib import Path
from typing import Iterable

from . import __version__, engines, ruleset as rulesets, ruletest
from . import history, nightly as nightlies, triage as triages
from .documents import document_paths
from .draft import DEFAULT_INDEX, check_draft
from .engine import SEVERITY_ORDER, check as run_check
from .errors import CheckerError, ExitCode
from .report import csv as csv_report
from .report import html as html_report
from .report import json as json_report
from .report import model
from .report import text as text_report
from .report.files import write_atomic
from .report.view import CHANGE_LABELS, change_counts

RENDERERS = {"json": json_report.render, "csv": csv_report.render, "text": text_report.render}
CHECK_RENDERERS = {"json": json_report.render, "csv": csv_report.render_findings,
                   "text": text_report.render_findings}
CHECK_FORMATS = sorted([*CHECK_RENDERERS, "html"])
FAIL_ON = ("error", "warning", "info", "never")
STDOUT_BATCH = 1000  # pieces of a report joined per write to stdout


def _fail(message: str) -> None:
    for line in message.splitlines() or [""]:
        click.echo(f"checker: {line}", err=True)
    sys.exit(ExitCode.BAD_INPUT)


def _emit(text: str | Iterable[str], output: str | None) -> None:
    """To the ``output`` file, else to stdout; ``text`` may come in pieces
    (``json_report.chunks``), which are written as they come."""
    if output:
        write_atomic(output, text)
        return
    pieces = iter([text] if isinstance(text, str) else text)
    while batch := "".join(itertools.islice(pieces, STDOUT_BATCH)):
        click.echo(batch, nl=False)


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


def _load(paths: tuple[str, ...], engine: engines.Engine):
    """Documents and their claims, extracted by ``engine``; unreadable files are reported
    and skipped."""
    items, skipped = engines.read_all(document_paths(paths))
    documents, claims = [], []
    for result in engine.extract(items):
        if result.problem:
            skipped.append(result.problem)
        else:
            documents.append(result.document)
            claims.extend(result.claims)
    for problem in skipped:
        click.echo(f"checker: {problem} (skipped)", err=True)
    if not documents:
        _fail("no readable documents in " + ", ".join(paths))
    return documents, claims, skipped


def engine_options(command):
    """--jobs, --engine and --scheduler: where extraction and alignment run."""
    options = [
        click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
                     help="Processes for extraction, and for the check of 100k claims or more.  "
                          "[default: all cores]"),
        click.option("--engine", "engine_name", type=click.Choice(engines.ENGINES),
                     default="local", show_default=True,
                     help="Where extraction and alignment run: here, or on a Dask cluster."),
        click.option("--scheduler", metavar="ADDRESS",
                     help="The Dask scheduler for --engine dask (tcp://host:8786)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _rules(dirs: tuple[str, ...]) -> rulesets.RuleSet:
    return rulesets.load([Path(d) for d in dirs] if dirs else None)


rules_option = click.option(
    "--rules", "rules_dirs", multiple=True, type=click.Path(),
    help="Rule folder or file (repeatable). Default: ./rules if present, else the default pack.")
fail_on_option = click.option("--fail-on", type=click.Choice(FAIL_ON), default="error",
                              show_default=True,
                              help="Exit 1 when a finding is at least this severe.")
output_option = click.option("--output", "-o", type=click.Path(dir_okay=False),
                             help="Write to this file (atomically) instead of standard output.")


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(sorted(RENDERERS)), default="text",
              show_default=True, help="Output format.")
@output_option
@engine_options
def extract(paths: tuple[str, ...], fmt: str, output: str | None, jobs: int | None,
            engine_name: str, scheduler: str | None) -> None:
    """List every figure in PATHS (files or folders of .txt, .md, .html) as claims:
    value, interval, unit, period, attribution and entities, with exact offsets."""
    with engines.make(engine_name, jobs, scheduler) as engine:
        documents, claims, skipped = _load(paths, engine)
    with engines.bulk_objects():  # a dict per claim, no cycles (see check)
        report = model.build(documents, claims, skipped=skipped)
        _emit(json_report.chunks(report) if fmt == "json" else RENDERERS[fmt](report), output)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@rules_option
@click.option("--format", "fmt", type=click.Choice(CHECK_FORMATS), default="text",
              show_default=True, help="Output format (html: one self-contained page).")
@output_option
@fail_on_option
@engine_options
def check(paths: tuple[str, ...], rules_dirs: tuple[str, ...], fmt: str, output: str | None,
          fail_on: str, jobs: int | None, engine_name: str, scheduler: str | None) -> None:
    """Find where the articles in PATHS disagree: conflicting figures, figures dated
    differently, outdated running figures, parts that do not add up, name spellings and
    attributions."""
    ruleset = _rules(rules_dirs)
    with engines.make(engine_name, jobs, scheduler) as engine:
        documents, claims, skipped = _load(paths, engine)
        result = run_check(documents, claims, ruleset, engine=engine)
    # The report's dicts, as many as the claims, hold no reference cycles: collecting
    # would only walk them again and again (a tenth of a 10k check's time).
    with engines.bulk_objects():
        report = model.build(documents, claims, result.findings, skipped=skipped,
                             measures=result.measures, copies=result.copies,
                             inferred=result.inferred)
        if fmt == "html":
            _emit(html_report.chunks(report, {d.id: d.text for d in documents}), output)
        elif fmt == "json":
            _emit(json_report.chunks(report), output)  # a whole archive's is gigabytes
        else:
            _emit(CHECK_RENDERERS[fmt](report), output)
    _exit_on(result.findings, fail_on)


def _exit_on(findings: list[dict], fail_on: str) -> None:
    """Exit 1 when a finding is at least as severe as ``--fail-on``."""
    if fail_on != "never" and any(SEVERITY_ORDER[f["severity"]] <= SEVERITY_ORDER[fail_on]
                                  for f in findings):
        sys.exit(ExitCode.FINDINGS)


@main.command()
@click.argument("drafts", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--against", multiple=True, required=True,
              help="Source file or folder to check against (repeatable).")
@rules_option
@click.option("--format", "fmt", type=click.Choice(CHECK_FORMATS), default="text",
              show_default=True, help="Output format (json and html take one draft).")
@output_option
@fail_on_option
@click.option("--index", default=DEFAULT_INDEX, show_default=True, type=click.Path(dir_okay=False),
              help="The claim index of the sources (SQLite), refreshed when files change.")
@engine_options
def draft(drafts: tuple[str, ...], against: tuple[str, ...], rules_dirs: tuple[str, ...],
          fmt: str, output: str | None, fail_on: str, index: str, jobs: int | None,
          engine_name: str, scheduler: str | None) -> None:
    """Check DRAFTS before publication against the sources: conflicting figures, figures
    dated differently, figures a newer source has moved on from, names spelled unlike the
    sources, and figures no source gives. Each finding points at the draft's line and
    quotes the source that contradicts it."""
    if fmt in ("json", "html") and len(drafts) > 1:
        raise click.UsageError(f"--format {fmt} takes one draft; got {len(drafts)}")
    ruleset = _rules(rules_dirs)
    texts, findings = [], []
    with engines.make(engine_name, jobs, scheduler) as engine:
        outcomes = [check_draft(path, against, ruleset, index, engine) for path in drafts]
    for outcome in outcomes:
        for problem in outcome.report.get("skipped", []):
            click.echo(f"checker: {problem} (skipped)", err=True)
        findings.extend(outcome.findings)
        report = outcome.report
        if fmt == "html":
            texts.append(html_report.render(report, outcome.texts))
        elif fmt == "text":
            texts.append(text_report.render_findings(report, focus=report["documents"][0]["id"]))
        else:
            texts.append(CHECK_RENDERERS[fmt](report))
    _emit("".join(texts), output)
    _exit_on(findings, fail_on)


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


class _RunProgress:
    """How a nightly run shows progress: a bar on an interactive terminal, else (cron,
    CI, a pipe) a few plain lines, which read well in a log or a cron mail."""

    LINES = 4  # progress lines while reading documents, when not interactive

    def __init__(self) -> None:
        self.interactive = sys.stderr.isatty() and not os.environ.get("CI")
        self.bar = None
        self.lines = 0

    def progress(self, done: int, total: int, scan) -> None:
        if self.interactive:
            if self.bar is None:
                self.bar = click.progressbar(length=total, label="checker: reading documents",
                                             file=sys.stderr, show_pos=True)
            self.bar.update(done - self.bar.pos)
            if done == total:
                self.bar.render_finish()
        elif done * self.LINES // total > self.lines:
            self.lines = done * self.LINES // total
            self.log(f"{done}/{total} documents ({scan.extracted} extracted, "
                     f"{scan.reused} unchanged)")

    def log(self, message: str) -> None:
        click.echo(f"checker: {message}", err=True)


triage_option = click.option(
    "--triage", "triage_path", type=click.Path(dir_okay=False), default=triages.DEFAULT_FILE,
    show_default=True, help="The editors' triage file (YAML, kept under version control).")


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--out", "out", required=True, type=click.Path(file_okay=False),
              help="Folder for the dated reports and index.html (created if missing).")
@click.option("--db", type=click.Path(dir_okay=False),
              help="History database.  [default: OUT/history.sqlite]")
@rules_option
@triage_option
@engine_options
def nightly(paths: tuple[str, ...], out: str, db: str | None, rules_dirs: tuple[str, ...],
            triage_path: str, jobs: int | None, engine_name: str, scheduler: str | None) -> None:
    """Check the whole corpus in PATHS, compare with the last run and write a dated report
    (OUT/<run id>/report.html and report.json) and OUT/index.html. Only new and changed
    files are read again. Exits 0 whatever the findings; safe to run from cron."""
    ruleset = _rules(rules_dirs)
    with engines.make(engine_name, jobs, scheduler) as engine:
        outcome = nightlies.run(list(paths), Path(out), ruleset, _RunProgress(),
                                db=Path(db) if db else None, triage_file=Path(triage_path),
                                engine=engine)
    changes = ", ".join(f"{n} {CHANGE_LABELS[name]}" for name, n in change_counts(outcome.counts))
    click.echo(f"run {outcome.run}: {changes}; {outcome.report}")


@main.command()
@click.argument("fingerprint")
@click.option("--status", required=True, type=click.Choice(triages.STATUSES),
              help="confirmed: a real discrepancy; dismissed: not one; fixed: corrected.")
@click.option("--note", required=True, help="Why: shown in the reports beside the finding.")
@click.option("--by", "by", help="Who decided.  [default: git config user.name, else $USER]")
@triage_option
@click.option("--out", "out", type=click.Path(file_okay=False),
              help="The nightly folder whose history knows the finding.")
@click.option("--db", type=click.Path(dir_okay=False),
              help="The history database, when nightly was given --db.")
def triage(fingerprint: str, status: str, note: str, by: str | None, triage_path: str,
           out: str | None, db: str | None) -> None:
    """Record an editor's decision on a nightly finding (its id, or a unique prefix):
    who, when and why, in the triage file. A dismissed or fixed finding stays out of later
    reports until its evidence changes."""
    if not (out or db):
        _fail("give --out DIR (the nightly folder) or --db FILE: the history that knows "
              f"finding '{fingerprint}'")
    known = history.lookup(Path(db) if db else nightlies.default_db(Path(out)), fingerprint)
    decision = triages.Decision(
        fingerprint=known.fingerprint, status=status, evidence=known.digest, rule=known.rule,
        message=known.message, note=note, by=by or triages.editor_name(),
        at=history.iso(history.utc_now()))
    triages.record(Path(triage_path), decision)
    click.echo(f"{triage_path}: {known.fingerprint} {status} ({known.rule}: {known.message})")


if __name__ == "__main__":  # pragma: no cover
    main()
