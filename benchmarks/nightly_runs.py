"""How long ``checker nightly`` takes on a growing corpus, and whether kill -9 loses anything.

A measurement, not a test (tests/test_nightly.py and tests/test_durability.py hold the
assertions). It builds a corpus of ``--documents`` articles by copying ``fixtures/sources``
under new ids (each copy with a line of its own, so no two files are the same), then
times, each as a real subprocess:

1. the first run (every file read and extracted),
2. a second run with nothing changed (one ``stat`` per file; the check itself and the
   reports are the cost),
3. a run after ``--changed`` files were edited.

Then ``--kills`` runs are each killed with SIGKILL after a random share of a typical run's
time; after each, the history gets ``PRAGMA integrity_check``, every earlier report is
parsed, and a normal run must complete. The phase each kill landed in is read from the
last line the victim printed.

    python benchmarks/nightly_runs.py                       # 1,000 documents, 10 kills
    python benchmarks/nightly_runs.py --documents 200 --kills 20
"""
from __future__ import annotations

import argparse
import json
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "sources"


def build(dest: Path, documents: int) -> list[Path]:
    sources = sorted(FIXTURES.iterdir())
    files = []
    for n in range(documents):
        source = sources[n % len(sources)]
        path = dest / f"{source.stem}-{n:05d}{source.suffix}"
        path.write_text(source.read_text(encoding="utf-8") + f"\n\nCopy {n}.\n", encoding="utf-8")
        files.append(path)
    return files


def command(src: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "checker", "nightly", str(src), "--out", str(out),
            "--rules", str(ROOT / "rules"), "--triage", str(out.parent / "triage.yaml")]


def timed(src: Path, out: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(command(src, out), capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"nightly failed: {done.stderr}")
    return time.perf_counter() - started


def phase(stderr: str) -> str:
    """Where a killed run was, from the last line it printed."""
    lines = [line for line in stderr.splitlines() if line.startswith("checker:")]
    if not lines:
        return "starting"
    last = lines[-1]
    if "documents (" in last:
        return "reading documents"
    if last.startswith("checker: checking"):
        return "checking, writing reports, committing"
    return "starting"  # the last line said what was cleaned up after an earlier kill


def intact(out: Path) -> bool:
    db = sqlite3.connect(out / "history.sqlite")
    try:
        ok = db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        complete = [r[0] for r in db.execute("SELECT id FROM runs WHERE status = 'complete'")]
    finally:
        db.close()
    for run in complete:
        json.loads((out / run / "report.json").read_text(encoding="utf-8"))
        ok = ok and (out / run / "report.html").read_text(encoding="utf-8").rstrip().endswith(
            "</html>")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--changed", type=int, default=10)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "src", Path(tmp) / "out"
        src.mkdir()
        files = build(src, args.documents)
        print(f"first run, {args.documents} documents: {timed(src, out):.1f} s")
        print(f"second run, nothing changed: {timed(src, out):.1f} s")
        for path in rng.sample(files, args.changed):
            path.write_text(path.read_text(encoding="utf-8") + "Updated.\n", encoding="utf-8")
        typical = timed(src, out)
        print(f"run after {args.changed} files changed: {typical:.1f} s")
        phases: Counter = Counter()
        recovered = 0
        for _ in range(args.kills):
            for path in rng.sample(files, args.changed):
                path.write_text(path.read_text(encoding="utf-8") + "Again.\n", encoding="utf-8")
            victim = subprocess.Popen(command(src, out), stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True)
            time.sleep(rng.uniform(0.05, 0.9) * typical)
            victim.send_signal(signal.SIGKILL)
            _, stderr = victim.communicate()
            phases["completed before the kill" if victim.returncode == 0
                   else f"killed while {phase(stderr)}"] += 1
            if intact(out):
                timed(src, out)
                recovered += intact(out)
        print(f"kill -9: {args.kills} runs killed, {recovered} recovered (history intact, earlier "
              f"reports readable, next run complete)")
        for name, n in phases.most_common():
            print(f"  {n:3d} {name}")


if __name__ == "__main__":
    main()
