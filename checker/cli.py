"""The ``checker`` command line: thin commands over library functions.

This is the only place that prints errors and chooses exit codes (DESIGN.md: 0 clean,
1 findings at or above --fail-on, 2 bad usage or input). Tracebacks only with --debug.
"""
from __future__ import annotations

import sys

import click

from . import __version__
from .claims.extract import extract_documents
from .documents import load_documents
from .errors import CheckerError, ExitCode
from .report import csv as csv_report
from .report import json as json_report
from .report import model
from .report import text as text_report
from .report.files import write_atomic

RENDERERS = {"json": json_report.render, "csv": csv_report.render, "text": text_report.render}


def _fail(message: str) -> None:
    click.echo(f"checker: {message}", err=True)
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


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(sorted(RENDERERS)), default="text",
              show_default=True, help="Output format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="Write to this file (atomically) instead of standard output.")
def extract(paths: tuple[str, ...], fmt: str, output: str | None) -> None:
    """List every figure in PATHS (files or folders of .txt, .md, .html) as claims:
    value, interval, unit, period, attribution and entities, with exact offsets."""
    documents, errors = load_documents(paths)
    for error in errors:
        click.echo(f"checker: {error} (skipped)", err=True)
    documents, claims, problems = extract_documents(documents)
    for problem in problems:
        click.echo(f"checker: {problem} (skipped)", err=True)
    if not documents:
        _fail("no readable documents in " + ", ".join(paths))
    skipped = [str(e) for e in errors] + problems
    _emit(RENDERERS[fmt](model.build(documents, claims, skipped=skipped)), output)


if __name__ == "__main__":  # pragma: no cover
    main()
