"""One nightly run: check the whole corpus, compare with the last run, publish a dated
report and update the index of runs.

Safe under cron, where runs overlap and get killed:

- a lock (``lock.Lock`` on ``DIR/.nightly.lock``, and beside the database when ``--db``
  puts it elsewhere) so two runs never interleave;
- the report files are written into ``DIR/.<run id>.partial/`` and the folder is renamed
  to ``DIR/<run id>/`` only when complete; the run is then committed to the history in one
  transaction; the index is rewritten atomically last. A run killed before its commit
  leaves a ``running`` row and perhaps a folder, which the next run marks ``interrupted``
  and removes: the previous reports and the history are never touched, and the next
  run compares with the last run that completed;
- documents are refreshed through the claim store, so only new and changed files are
  read and extracted again (the check itself always covers the whole corpus: a new
  article can disagree with any old one).

Findings get their status from ``history.compare`` and editors' decisions from
``triage``; dismissed and fixed ones whose evidence is unchanged are left out of the
report and listed by id in ``run.hidden``.
"""
from __future__ import annotations

import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Protocol

from . import triage
from .engine import SEVERITY_ORDER, check
from .engines import Engine, bulk_objects
from .errors import CheckerError
from .history import RUN_ID, History, RunInfo, compare, iso, utc_now
from .lock import Lock
from .report import html as html_report
from .report import index as index_page
from .report import json as json_report
from .report import model
from .report.files import write_atomic
from .ruleset import RuleSet
from .store import Scan

DB_NAME = "history.sqlite"
LOCK_NAME = ".nightly.lock"
INDEX_NAME = "index.html"
PARTIAL = re.compile(r"^\.(?P<run>.+)\.partial$")
INDEX_TEMP = re.compile(r"^\.index\.html\..+\.tmp$")  # write_atomic's, left by a kill -9


class Reporter(Protocol):
    """Where a run says how it is going (the CLI: a progress bar or log lines)."""

    def progress(self, done: int, total: int, scan: Scan) -> None: ...

    def log(self, message: str) -> None: ...


@dataclass
class Outcome:
    """A completed run: its id, its HTML report and its counts."""

    run: str
    report: Path
    counts: dict


def default_db(out: Path) -> Path:
    return out / DB_NAME


def run(paths: list[str], out: Path, ruleset: RuleSet, reporter: Reporter,
        db: Path | None = None, triage_file: Path | None = None,
        engine: Engine | None = None) -> Outcome:
    """Lock, clean up after killed runs, run once, rewrite the index."""
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise CheckerError("no such file or folder", path=missing[0])
    decisions = triage.load(triage_file) if triage_file else {}
    db = db or default_db(out)
    out.mkdir(parents=True, exist_ok=True)
    locks = [out / LOCK_NAME]
    if db.resolve().parent != out.resolve():
        locks.append(db.with_name(db.name + ".lock"))
    with Lock(*locks), History(db) as history:
        for name in cleanup(out, history):
            reporter.log(f"removed {out / name}, left by a run that did not finish")
        started = utc_now()
        run_id = history.begin(started, taken={p.name for p in out.iterdir()})
        try:
            outcome = _run(run_id, iso(started), paths, out, ruleset, reporter, history,
                           decisions, engine or Engine())
        except Exception as exc:
            history.fail(run_id, "failed", str(exc))
            raise
        except BaseException:
            history.fail(run_id, "interrupted", "stopped")
            raise
        finally:
            write_atomic(out / INDEX_NAME, index_page.render(history.runs()))
    return outcome


def _run(run_id: str, started: str, paths: list[str], out: Path, ruleset: RuleSet,
         reporter: Reporter, history: History, decisions: dict, engine: Engine) -> Outcome:
    scan, took = Scan(), _Stopwatch()
    history.refresh(paths, progress=lambda done, total: reporter.progress(done, total, scan),
                    scan=scan, engine=engine)
    took.lap("read")
    for problem in scan.skipped:
        reporter.log(f"{problem} (skipped)")
    if not scan.keys:
        raise CheckerError("no readable documents in " + ", ".join(paths))
    documents, claims = history.load(scan.keys)
    took.lap("load")
    reporter.log(f"checking {len(documents)} documents, {len(claims)} claims")
    result = check(documents, claims, ruleset, engine=engine)
    took.lap("check")
    # The findings, the report's dicts (as many as the claims) and the history's records
    # hold no reference cycles: collecting would only walk them again and again.
    with bulk_objects():
        previous = history.previous()
        before, gone = (history.findings(previous.id, {f["id"] for f in result.findings})
                        if previous else (set(), []))
        findings = triage.apply(compare(result.findings, before, gone), decisions)
        took.lap("compare")
        shown = [f for f in findings if not triage.hidden(f)]
        counts = _counts(documents, claims, findings, shown, scan)
        report = model.build(documents, claims, shown, skipped=scan.skipped,
                             measures=result.measures, copies=result.copies,
                             inferred=result.inferred)
        report["run"] = {"id": run_id, "started": started,
                         "previous": _brief(previous), "counts": counts,
                         "hidden": sorted(f["id"] for f in findings if triage.hidden(f))}
        folder = _publish(out, run_id, {
            "report.json": json_report.chunks(report, indent=None),
            "report.html": html_report.chunks(report, {d.id: d.text for d in documents},
                                              title=f"Nightly report {run_id}")})
        took.lap("report")
        history.complete(run_id, previous.id if previous else None, counts, scan.keys, findings)
        took.lap("history")
    reporter.log(took.summary())
    return Outcome(run_id, folder / "report.html", counts)


class _Stopwatch:
    """Seconds per stage of a run, logged at its end: where a slow night went."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self.mark = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.laps[stage] = now - self.mark
        self.mark = now

    def summary(self) -> str:
        return (f"took {sum(self.laps.values()):.1f} s: "
                + ", ".join(f"{stage} {seconds:.1f}" for stage, seconds in self.laps.items()))


def _brief(previous: RunInfo | None) -> dict | None:
    return {"id": previous.id, "started": previous.started} if previous else None


def _counts(documents: list, claims: list, findings: list[dict], shown: list[dict],
            scan: Scan) -> dict:
    """What the index and the report's head show. Severities count the findings present
    now and shown; ``hidden`` those triage keeps out; ``continued`` the new findings that
    continue earlier ones (``history.compare``), ``replaced`` the resolved ones they
    continue."""
    present = [f for f in shown if f["status"] != "resolved"]
    counts = {"documents": len(documents), "claims": len(claims), "findings": len(present)}
    for severity in SEVERITY_ORDER:
        counts[severity] = sum(1 for f in present if f["severity"] == severity)
    for status in ("new", "open", "resolved"):
        counts[status] = sum(1 for f in shown if f["status"] == status)
    counts["continued"] = sum(1 for f in shown if f.get("replaces"))
    counts["replaced"] = sum(1 for f in shown if f.get("replaced_by"))
    counts["hidden"] = len(findings) - len(shown)
    counts.update(extracted=scan.extracted, unchanged=scan.reused, skipped=len(scan.skipped))
    return counts


def _publish(out: Path, run_id: str, files: dict[str, str | Iterable[str]]) -> Path:
    """Write the files into a hidden folder, then rename it into place: ``DIR/<run id>``
    appears complete or not at all."""
    partial = out / f".{run_id}.partial"
    partial.mkdir()
    for name, text in files.items():
        write_atomic(partial / name, text)
    folder = out / run_id
    os.rename(partial, folder)
    fd = os.open(out, os.O_RDONLY)
    try:
        os.fsync(fd)  # the rename itself survives a crash
    finally:
        os.close(fd)
    return folder


def cleanup(out: Path, history: History) -> list[str]:
    """Remove what killed runs left in ``out``: half-written ``.<id>.partial`` folders,
    report folders of runs that never committed, temporary index files. Only with the
    lock held. Folders of runs this history does not know are left alone: they may belong
    to another history (``--db``); so are symbolic links, whatever their names (no run
    makes one, and removing through one would reach outside ``out``)."""
    history.recover()
    unfinished = {r.id for r in history.runs() if r.status != "complete"}
    removed = []
    for entry in sorted(out.iterdir()):
        name = entry.name
        partial = PARTIAL.match(name)
        if entry.is_symlink():
            continue
        if entry.is_dir() and ((partial and RUN_ID.match(partial["run"]))
                               or (RUN_ID.match(name) and name in unfinished)):
            shutil.rmtree(entry)
            removed.append(name)
        elif entry.is_file() and INDEX_TEMP.match(name):
            entry.unlink()
    return removed

