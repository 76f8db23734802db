"""Runs killed with ``kill -9`` at random moments lose nothing (README: "a run killed at any
point, even with kill -9, leaves earlier reports and the history intact").

Every command that keeps files is started as a real process in a session of its own and
killed with SIGKILL at a moment drawn from a seeded generator: most at a uniform share of
the time a whole run took last, some right after a sign that it reached a narrow stage
(the nightly report folder appearing, a temporary output file, a pool worker starting).
The seed is printed with the summary (``pytest -s``) and named in any failure;
``CHECKER_KILL_SEED=N`` draws the same moments again (what a process has done by then
still depends on the machine).

After every kill: no process of the killed run's session is left (pool workers die with
their parent), the nightly lock is free, what the command keeps is whole (SQLite's
integrity check, references between tables, reports that parse, an output file that is
the old one or the new one, never a part), and the next run completes, leaves no debris
and, for ``draft``, gives the findings an index built from nothing gives.
"""
from __future__ import annotations

import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import pytest

from checker import triage as triages
from checker.history import RUN_ID
from checker.lock import Lock
from checker.nightly import LOCK_NAME
from checker.report.files import write_atomic

from conftest import FIXTURES, REPO
from test_nightly import ADDED, FIRST, RULES, copy_sources, report

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(),
                                reason="finds a killed run's processes through /proc")

CHECKER = [sys.executable, "-m", "checker"]
NIGHTLY_KILLS, POOL_KILLS, DRAFT_KILLS, CHECK_KILLS, TRIAGE_KILLS = 15, 3, 5, 4, 5
GRACE = 20.0  # seconds a killed run's workers get to notice (they look every 0.5 s)
DRAFT = REPO / "fixtures" / "drafts" / "planted-fighters.md"


# starting, killing and tallying -------------------------------------------------------------

def session(sid: int) -> list[str]:
    """The command lines of the live processes in session ``sid``: a killed run led its
    own, so these are it and every process it started, however deep."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            state, _, _, sid_ = stat[stat.rindex(")") + 2:].split()[:4]
            if int(sid_) == sid and state not in ("Z", "X"):
                found.append(Path(f"/proc/{pid}/cmdline").read_bytes()
                             .replace(b"\0", b" ").decode(errors="replace").strip())
        except (OSError, ValueError):
            continue  # gone meanwhile
    return found


def outliving(sid: int) -> list[str]:
    """What is still alive of a killed run's session once its workers have had time to
    notice their parent is gone."""
    deadline = time.monotonic() + GRACE
    while (left := session(sid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def checker(*args, cwd: Path) -> subprocess.CompletedProcess:
    """A run that must complete (exit 0): the one after a kill."""
    done = subprocess.run([*CHECKER, *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done


def timed(*args, cwd: Path) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    done = checker(*args, cwd=cwd)
    return done, time.monotonic() - started


@dataclass
class Trigger:
    """A sign that a run has reached a narrow stage, ``ready(pid)``; the kill comes up to
    ``delay`` seconds after it."""

    what: str
    ready: Callable[[int], bool]
    delay: float


class Killer:
    """Starts runs, kills them at drawn moments, and counts kills and recoveries."""

    def __init__(self, seed: int):
        self.seed = seed
        self.rng = random.Random(seed)
        self.killed: Counter = Counter()
        self.recovered: Counter = Counter()
        self.lost: Counter = Counter()
        self.phases: Counter = Counter()  # where nightly runs were when killed

    def kill(self, label: str, args: list, cwd: Path, within: float,
             trigger: Trigger | None = None, share: float = 0.3) -> str | None:
        """Start ``checker args`` and SIGKILL it at a random moment: up to ``within``
        seconds after it starts or, in ``share`` of the runs, up to ``trigger.delay``
        after ``trigger`` fires. Wait for every process of its session to end. Return
        the moment as words, or None when the run ended before it."""
        triggered = trigger is not None and self.rng.random() < share
        delay = self.rng.uniform(0, trigger.delay if triggered else within)
        victim = subprocess.Popen([*CHECKER, *map(str, args)], cwd=cwd, text=True,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  start_new_session=True)
        try:
            while triggered and victim.poll() is None and not trigger.ready(victim.pid):
                time.sleep(0.001)
            time.sleep(delay)
        finally:
            victim.send_signal(signal.SIGKILL)  # a no-op when it has already ended
            _, stderr = victim.communicate()
        left = outliving(victim.pid)
        assert not left, (f"processes outlived the killed {label} run "
                          f"(CHECKER_KILL_SEED={self.seed}): {left}")
        if victim.returncode != -signal.SIGKILL:
            assert victim.returncode == 0, stderr  # ended first, and well
            return None
        self.killed[label] += 1
        return f"{delay:.3f} s after {trigger.what if triggered else 'it started'}"

    def rounds(self, label: str, kills: int) -> Iterator[int]:
        """Round numbers until ``kills`` runs were killed (some end before their moment)."""
        round_ = 0
        while self.killed[label] < kills:
            assert round_ < 2 * kills, (f"only {self.killed[label]} of {round_} {label} runs "
                                        "could be killed before they ended")
            yield round_
            round_ += 1

    @contextmanager
    def recovery(self, label: str, moment: str | None) -> Iterator[None]:
        """The checks after one kill: a failure names the moment and the seed."""
        try:
            yield
        except AssertionError as exc:
            if moment:
                self.lost[label] += 1
            raise AssertionError(f"{label} killed {moment or '(it ended first)'}, "
                                 f"CHECKER_KILL_SEED={self.seed}: {exc}") from exc
        if moment:
            self.recovered[label] += 1

    def summary(self) -> str:
        total = sum(self.killed.values())
        each = ", ".join(f"{label} {n}" for label, n in self.killed.items())
        phases = ", ".join(f"{n} {phase}" for phase, n in self.phases.most_common())
        return (f"{total} runs killed with kill -9 at random moments (seed {self.seed}): "
                f"{each} (nightly: {phases or 'none'}); "
                f"{sum(self.recovered.values())} recovered, {sum(self.lost.values())} data lost")


@pytest.fixture(scope="module")
def killer():
    seed = int(os.environ.get("CHECKER_KILL_SEED") or random.SystemRandom().randrange(10**6))
    tally = Killer(seed)
    yield tally
    print("\n" + tally.summary())


# corpora ------------------------------------------------------------------------------------

def big_corpus(dest: Path, copies: int) -> None:
    """``copies`` of each fixture article under its own id, each a little different."""
    dest.mkdir(parents=True)
    for n in range(copies):
        for path in FIXTURES.iterdir():
            text = path.read_text(encoding="utf-8")
            (dest / f"{path.stem}-{n:03d}{path.suffix}").write_text(
                text + f"\n\nCorrection {n}: an earlier version misspelt a name.\n",
                encoding="utf-8")


def touch_some(src: Path, round_: int, count: int = 8) -> None:
    """``count`` articles get a line more, as a night's corrections would (not HTML ones:
    a line after ``</html>`` is no part of the article)."""
    files = sorted(p for p in src.iterdir() if p.suffix != ".html")
    for i in range(round_ * count, round_ * count + count):
        path = files[i % len(files)]
        path.write_text(path.read_text(encoding="utf-8") + "\nUpdated.\n", encoding="utf-8")


def leftovers(folder: Path) -> list[str]:
    """What a killed write may leave behind: temporary files and partial folders."""
    return sorted(p.name for p in folder.iterdir()
                  if p.name.endswith((".tmp", ".partial")))


# the SQLite files ---------------------------------------------------------------------------

STORE_ORPHANS = (
    "SELECT path FROM files WHERE doc_key NOT IN (SELECT key FROM documents)",
    "SELECT doc_key FROM postings WHERE doc_key NOT IN (SELECT key FROM documents)",
    "SELECT doc_key FROM names WHERE doc_key NOT IN (SELECT key FROM documents)",
)
HISTORY_ORPHANS = STORE_ORPHANS + (
    "SELECT run FROM findings WHERE run NOT IN (SELECT id FROM runs WHERE status = 'complete')",
    "SELECT record FROM findings WHERE record NOT IN (SELECT sha256 FROM finding_records)",
    "SELECT run FROM run_documents "
    "WHERE run NOT IN (SELECT id FROM runs WHERE status = 'complete')",
    "SELECT id FROM runs WHERE previous NOT IN (SELECT id FROM runs WHERE status = 'complete')",
)


def assert_sound(db: Path, orphans: tuple[str, ...]) -> None:
    """SQLite's integrity check passes and no row refers to one that is not there (the
    tables declare no foreign keys: these are the references they hold)."""
    conn = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        for query in orphans:
            assert conn.execute(query).fetchall() == [], query
    finally:
        conn.close()


def run_rows(db: Path) -> list[tuple[str, str, str | None]]:
    """(id, status, previous) of every run, oldest first."""
    conn = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT id, status, previous FROM runs ORDER BY seq").fetchall()
    finally:
        conn.close()


# nightly ------------------------------------------------------------------------------------

def nightly_args(src: Path, out: Path, jobs: int) -> list:
    return ["nightly", src, "--out", out, "--rules", RULES, "--jobs", jobs,
            "--triage", out.parent / "triage.yaml"]


def assert_reports_whole(out: Path, runs: list[str]) -> None:
    """The reports of ``runs`` read, and so does the index."""
    for run in runs:
        assert report(out, run)["run"]["id"] == run
        assert (out / run / "report.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert (out / "index.html").read_text(encoding="utf-8").rstrip().endswith("</html>")


def files_of(out: Path, runs: list[str]) -> dict[str, tuple]:
    """Each report file of ``runs`` as the file system knows it: any write would show."""
    return {f"{run}/{name}": (s.st_ino, s.st_size, s.st_mtime_ns)
            for run in runs for name in ("report.html", "report.json")
            for s in [os.stat(out / run / name)]}


def complete(rows: list[tuple]) -> list[str]:
    return [run for run, status, _ in rows if status == "complete"]


def phase(out: Path, before: list[tuple], after: list[tuple]) -> str:
    """Where a killed nightly run was, from what it left."""
    if len(after) == len(before):
        return "starting up"
    run_id, status, _ = after[-1]
    if status == "complete":
        return "after committing"
    if (out / run_id).exists() or (out / f".{run_id}.partial").exists():
        return "publishing"
    return "mid-run"


def nightly_round(killer: Killer, label: str, src: Path, out: Path, jobs: int,
                  within: float, trigger: Trigger, share: float) -> float:
    """Kill one nightly run, check what it left, run again; return how long that took.
    Earlier reports must be untouched (the last one is read whole), the history sound,
    the lock free; the next run must complete, compare with the last complete run and
    remove what the killed one left."""
    db = out / "history.sqlite"
    before = run_rows(db)
    earlier = files_of(out, complete(before))
    moment = killer.kill(label, nightly_args(src, out, jobs), out.parent, within, trigger,
                         share)
    with killer.recovery(label, moment):
        after = run_rows(db)
        if moment:
            killer.phases[phase(out, before, after)] += 1
        with Lock(out / LOCK_NAME):
            pass  # free: the next run can start
        assert_sound(db, HISTORY_ORPHANS)
        assert after[:len(before)] == before
        assert files_of(out, complete(before)) == earlier
        assert_reports_whole(out, complete(after)[-1:])
        _, took = timed(*nightly_args(src, out, 1), cwd=out.parent)
        rows = run_rows(db)
        runs = complete(rows)
        assert rows[-1] == (runs[-1], "complete", runs[-2])
        assert "running" not in {status for _, status, _ in rows}
        assert_sound(db, HISTORY_ORPHANS)
        assert files_of(out, complete(before)) == earlier
        assert_reports_whole(out, runs[-1:])
        assert report(out, runs[-1])["run"]["previous"]["id"] == runs[-2]
        stray = [p.name for p in out.iterdir() if RUN_ID.match(p.name) and p.name not in runs]
        assert stray == [] and leftovers(out) == []
    return took


def report_folder_started(out: Path) -> Callable[[int], bool]:
    """A run's ``.<id>.partial`` folder exists: it is publishing."""
    return lambda pid: any(name.endswith(".partial") for name in os.listdir(out))


def pool_started(pid: int) -> bool:
    """The run has started a pool worker (its session holds more than itself)."""
    return len(session(pid)) > 1


def lasts_after(args: list, cwd: Path, ready: Callable[[int], bool]) -> float:
    """How long a run goes on after ``ready`` fires: the window a kill drawn after that
    sign must fall in. A fixed window (it was 0.8 s after the first pool worker started)
    outlasted the whole run on a fast machine, so most kills came too late and the test
    failed for want of killed runs."""
    run = subprocess.Popen([*CHECKER, *map(str, args)], cwd=cwd, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True, start_new_session=True)
    while run.poll() is None and not ready(run.pid):
        time.sleep(0.001)
    fired = time.monotonic()
    _, stderr = run.communicate()
    assert run.returncode == 0, stderr
    return time.monotonic() - fired


def test_nightly_runs_killed_at_random_moments_lose_nothing(tmp_path, killer):
    """The main case: a newsroom's nightly run, killed anywhere from start-up through
    extraction, the check, publishing and the commit, with one process or a pool."""
    src, out = tmp_path / "src", tmp_path / "out"
    big_corpus(src, 5)  # 25 articles
    checker(*nightly_args(src, out, 1), cwd=tmp_path)
    touch_some(src, 0)
    _, took = timed(*nightly_args(src, out, 1), cwd=tmp_path)
    publishing = Trigger("its report folder appeared", report_folder_started(out), 0.05)
    for round_ in killer.rounds("nightly", NIGHTLY_KILLS):
        touch_some(src, 1 + round_)
        took = nightly_round(killer, "nightly", src, out, 1, took, publishing, 0.3)
    touch_some(src, 99)
    workers = Trigger("its first pool worker started", pool_started,
                      lasts_after(nightly_args(src, out, 2), tmp_path, pool_started))
    for round_ in killer.rounds("nightly --jobs 2", POOL_KILLS):
        touch_some(src, 100 + round_)  # eight changed files: the pool extracts them
        nightly_round(killer, "nightly --jobs 2", src, out, 2, took, workers, 1.0)
    assert_reports_whole(out, complete(run_rows(out / "history.sqlite")))


# draft --------------------------------------------------------------------------------------

def draft_ids(src: Path, index: Path, cwd: Path) -> tuple[list[str], float]:
    """The draft's finding ids against ``src`` through ``index``, and how long it took."""
    done, took = timed(*draft_args(src, index), cwd=cwd)
    return sorted(f["id"] for f in json.loads(done.stdout)["findings"]), took


def draft_args(src: Path, index: Path) -> list:
    return ["draft", DRAFT, "--against", src, "--rules", RULES, "--format", "json",
            "--fail-on", "never", "--index", index, "--jobs", 1]


def edit_corpus(src: Path, originals: dict[str, str], edited: bool) -> None:
    """The corpus as built, or ``edited``: twelve articles corrected, the copies of the
    newest article withdrawn (which changes the draft's findings) and two articles added.
    Either way the files touched change, so the index has work to do."""
    names = sorted(originals)
    withdrawn = [name for name in names if name.startswith("004-")]
    corrected = [name for name in names if name not in withdrawn][:12]
    for name in corrected:
        (src / name).write_text(originals[name] + "\nUpdated.\n" * edited, encoding="utf-8")
    for name in withdrawn:
        if edited:
            (src / name).unlink()
        else:
            (src / name).write_text(originals[name], encoding="utf-8")
    for n, name in enumerate(corrected[:2]):
        added = src / f"added-{n}.md"
        if edited:
            added.write_text(originals[name] + f"\nAdded {n}.\n", encoding="utf-8")
        else:
            added.unlink(missing_ok=True)


def test_draft_killed_while_refreshing_its_index_then_gives_a_clean_index_s_findings(
        tmp_path, killer):
    """The claim index is refreshed on every ``checker draft``; a run killed while it
    reads, extracts and commits leaves an index that the next run brings up to date, with
    exactly the findings an index built from nothing gives."""
    src, index = tmp_path / "src", tmp_path / ".checker" / "index.sqlite"
    big_corpus(src, 8)  # 40 articles: compared whole
    originals = {p.name: p.read_text(encoding="utf-8") for p in src.iterdir()}
    clean = [draft_ids(src, index, tmp_path)[0]]  # the index, built from nothing
    edit_corpus(src, originals, True)
    clean.append(draft_ids(src, tmp_path / "clean.sqlite", tmp_path)[0])
    assert clean[0] and clean[1] != clean[0]
    ids, took = draft_ids(src, index, tmp_path)
    assert ids == clean[1]
    for round_ in killer.rounds("draft", DRAFT_KILLS):
        edited = round_ % 2 == 1
        edit_corpus(src, originals, edited)
        moment = killer.kill("draft", draft_args(src, index), tmp_path, took)
        with killer.recovery("draft", moment):
            assert_sound(index, STORE_ORPHANS)
            ids, took = draft_ids(src, index, tmp_path)
            assert ids == clean[edited]
            assert_sound(index, STORE_ORPHANS)


def test_a_refreshed_index_of_a_large_corpus_gives_a_clean_index_s_findings(tmp_path):
    """Past ``draft.WHOLE_CORPUS`` claims a draft is compared with the sources most like
    it; which ones those are must not depend on the order the index stored them in. No
    kill is needed to tell them apart: a refresh after edits stores rows in a new order."""
    src, index = tmp_path / "src", tmp_path / "index.sqlite"
    big_corpus(src, 30)  # 150 articles, over 3,000 claims: narrowed
    originals = {p.name: p.read_text(encoding="utf-8") for p in src.iterdir()}
    clean, _ = draft_ids(src, index, tmp_path)
    files = sorted(src.iterdir())
    touch_some(src, 0, 12)
    files[20].unlink()
    files[40].unlink()
    draft_ids(src, index, tmp_path)
    for name, text in originals.items():  # the corpus as it was
        (src / name).write_text(text, encoding="utf-8")
    assert draft_ids(src, index, tmp_path)[0] == clean


# check --output ------------------------------------------------------------------------------

GENERATED = re.compile(r"generated \d{4}-\d\d-\d\d \d\d:\d\d UTC", re.I)


def page(path: Path) -> str:
    """An HTML report without the minute it was made in."""
    return GENERATED.sub("Generated", path.read_text(encoding="utf-8"))


def temp_file_in(folder: Path) -> Callable[[int], bool]:
    """An atomic write into ``folder`` has begun: its temporary file exists."""
    return lambda pid: any(name.endswith(".tmp") for name in os.listdir(folder))


def test_check_output_killed_at_random_moments_is_the_old_report_or_the_new(tmp_path, killer):
    """``--output`` replaces the file in one rename: a killed run leaves the old report or
    the new, whole, and the next write removes the temporary file a killed one left."""
    src, output = tmp_path / "src", tmp_path / "report.html"
    copy_sources(src, FIRST + ADDED)
    args = ["check", src, "--rules", RULES, "--format", "html", "--output", output,
            "--fail-on", "never", "--jobs", 1]
    _, took = timed(*args, cwd=tmp_path)
    writing = Trigger("its temporary file appeared", temp_file_in(tmp_path), 0.01)
    for round_ in killer.rounds("check --output", CHECK_KILLS):
        old = page(output)
        touch_some(src, round_, 1)  # one article corrected: the new report differs
        moment = killer.kill("check --output", args, tmp_path, took, writing)
        with killer.recovery("check --output", moment):
            left = page(output)
            _, took = timed(*args, cwd=tmp_path)
            new = page(output)
            assert new != old
            assert left in (old, new), f"a report of {len(left)} characters is neither " \
                                       f"the old ({len(old)}) nor the new ({len(new)})"
            assert leftovers(tmp_path) == []


def test_atomic_writes_sweep_dead_writers_temporaries_and_never_a_live_one_s(tmp_path):
    """``write_atomic`` removes the temporary files that killed writers left, and only
    those: writers racing on one path (threads; each has its own lock) all succeed, the
    file is always one of their texts, and no temporary file remains."""
    target = tmp_path / "report.html"
    dead = tmp_path / ".report.html.abcd1234.tmp"
    dead.write_text("<html", encoding="utf-8")
    texts = [f"<html>{n}</html>" * 500 for n in range(8)]
    errors = []

    def write(text: str) -> None:
        try:
            for _ in range(20):
                write_atomic(target, text)
                assert target.read_text(encoding="utf-8") in texts
        except Exception as exc:  # a thread's failure, reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(t,)) for t in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


# triage ---------------------------------------------------------------------------------------

def decisions(path: Path) -> dict[str, tuple]:
    """The triage file's decisions (it must parse), without the moment each was made."""
    return {fingerprint: (d.status, d.note, d.by, d.evidence, d.rule, d.message)
            for fingerprint, d in triages.load(path).items()}


def test_triage_killed_at_random_moments_keeps_its_file_whole(tmp_path, killer):
    """The triage file lives in the newsroom's repository: a killed ``checker triage``
    leaves it parsing, with the old decisions or the new, and no temporary file beside it
    (an untracked file in the repository) once the decision is recorded."""
    src, out, file = tmp_path / "src", tmp_path / "out", tmp_path / "triage.yaml"
    copy_sources(src, FIRST + ADDED)
    checker("nightly", src, "--out", out, "--rules", RULES, "--jobs", 1, "--triage", file,
            cwd=tmp_path)
    run = next(p.name for p in out.iterdir() if RUN_ID.match(p.name))
    ids = sorted(f["id"] for f in report(out, run)["findings"])

    def args(i: int) -> list:
        return ["triage", ids[i % len(ids)], "--status", triages.STATUSES[i % 3],
                "--note", f"Decision {i}.", "--by", "Desk", "--triage", file, "--out", out]

    _, took = timed(*args(0), cwd=tmp_path)
    writing = Trigger("its temporary file appeared", temp_file_in(tmp_path), 0.005)
    for round_ in killer.rounds("triage", TRIAGE_KILLS):
        decided, fingerprint = round_ + 1, ids[(round_ + 1) % len(ids)]
        old = decisions(file)
        moment = killer.kill("triage", args(decided), tmp_path, took, writing)
        with killer.recovery("triage", moment):
            left = decisions(file)
            _, took = timed(*args(decided), cwd=tmp_path)
            new = decisions(file)
            assert new[fingerprint][:3] == (triages.STATUSES[decided % 3],
                                            f"Decision {decided}.", "Desk")
            assert {k: v for k, v in new.items() if k != fingerprint} == \
                   {k: v for k, v in old.items() if k != fingerprint}
            assert left in (old, new)
            assert leftovers(tmp_path) == []
