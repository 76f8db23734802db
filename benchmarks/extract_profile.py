"""Where extraction spends its time: seconds per stage over a corpus, one core.

``extract_throughput.py`` says how fast extraction is; this script says where the time
goes, so the next hot spot can be found without guessing. It reads the same kind of
corpus (the ``.txt``, ``.md`` and ``.html`` files of ``--corpus``; by default a corpus of
``--mb`` MB built by ``extract_throughput.py`` in a temporary folder) and times
``load_document`` + ``extract`` + ``shingles`` with each stage's function wrapped in a
timer:

- ``decode + spans``: reading, decoding and ``document_from_text`` (content spans,
  furniture, front matter, publication date);
- ``places``, ``people``: the entity scans; ``sentences``: splitting lines into
  sentences; ``periods``, ``figures``, ``attribution``: the per-sentence extractors
  (``attribution`` with its quick hints); ``claims``: building
  each claim (qualifier, counted thing, period, scope); ``shingles``: the sampled
  shingles that ``engines.extract_raw`` computes with every extraction (wire copies);
- ``rest of extract``: the loop around them.

A stage's time is its own: what it spends in another timed stage counts there. The
timers themselves cost a little, so the run is a bit slower than without them. ``--cprofile N`` prints the N costliest functions under
``cProfile`` instead (slower, but function by function).

Run from the repository root::

    python benchmarks/extract_profile.py                       # 5 MB temporary corpus
    python benchmarks/extract_profile.py --corpus /tmp/corpus  # an existing corpus
    python benchmarks/extract_profile.py --cprofile 25
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import checker.claims.extract as extract_module
import checker.documents as documents
import checker.independence as independence
from checker.claims import attribution, entities, numbers, periods

from extract_throughput import MB, build_corpus, pin_one_core

# (module, function, stage): the functions timed, and the stage they count towards.
STAGES = [
    (entities, "places", "places"),
    (entities, "people", "people"),
    (extract_module, "split_line", "sentences"),
    (periods, "find", "periods"),
    (numbers, "scan", "figures"),
    (attribution, "credited", "attribution"),
    (extract_module, "_claim", "claims"),
    (independence, "shingles", "shingles"),
]


def timed(function, stage: str, seconds: Counter, nested: list[str]):
    """``function`` adding its own time to ``seconds[stage]``; time spent in another
    timed stage it calls is left to that stage."""
    def wrapper(*args, **kwargs):
        nested.append(stage)
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent = time.perf_counter() - start
            nested.pop()
            seconds[stage] += spent
            if nested:
                seconds[nested[-1]] -= spent
    return wrapper


def corpus_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in (".txt", ".md", ".html"))


def run(files: list[Path]) -> None:
    for path in files:
        doc = documents.load_document(path, path.stem)
        extract_module.extract(doc)
        independence.shingles(doc)  # as engines.extract_raw does


def stage_times(files: list[Path]) -> tuple[Counter, float]:
    seconds: Counter = Counter()
    nested: list[str] = []
    originals = [(module, name, getattr(module, name)) for module, name, _ in STAGES]
    for module, name, stage in STAGES:
        setattr(module, name, timed(getattr(module, name), stage, seconds, nested))
    load = documents.load_document
    documents.load_document = timed(load, "decode + spans", seconds, nested)
    extract = extract_module.extract
    extract_module.extract = timed(extract, "rest of extract", seconds, nested)
    try:
        start = time.perf_counter()
        run(files)
        total = time.perf_counter() - start
    finally:
        for module, name, function in originals:
            setattr(module, name, function)
        documents.load_document, extract_module.extract = load, extract
    return seconds, total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, help="folder of articles (default: build one)")
    parser.add_argument("--mb", type=float, default=5.0,
                        help="size of the corpus built when no --corpus is given, default 5")
    parser.add_argument("--cprofile", type=int, metavar="N",
                        help="print the N functions with the most own time under cProfile")
    args = parser.parse_args(argv)

    tmp = None
    folder = args.corpus
    if folder is None:
        tmp = tempfile.mkdtemp(prefix="extract-profile-")
        folder = Path(tmp)
        build_corpus(folder, args.mb, seed=1)
    try:
        files = corpus_files(folder)
        if not files:
            sys.exit(f"no articles in {folder}")
        size = sum(p.stat().st_size for p in files) / MB
        print(f"{len(files)} files, {size:.2f} MB, {pin_one_core()}")
        run(files[:5])  # lazily built tables are not part of the throughput
        if args.cprofile:
            profile = cProfile.Profile()
            profile.runcall(run, files)
            pstats.Stats(profile).sort_stats("tottime").print_stats(args.cprofile)
            return 0
        seconds, total = stage_times(files)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"{total:.2f} s, {size / total:.3f} MB/s with the timers on")
    for stage, spent in seconds.most_common():
        print(f"  {stage:<16} {spent:7.3f} s  {100 * spent / total:5.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
