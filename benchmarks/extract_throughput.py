"""Extraction throughput and memory, measured by a script rather than by a test.

Why this is a script: throughput and memory are measured by a benchmark script, never by
timed assertions in tests. A test that asserts "extract() finishes under N seconds" fails
on a slow or busy CI runner and passes on a fast laptop, so it is flaky where it runs
and says nothing useful where it passes; it also makes the suite slow. Here the figures
are printed so they can be compared run to run and machine to machine instead.

To make runs comparable across machines, the same texts are also scanned with a bare
``re.finditer(r"\\d+", text)`` and the ratio ours/bare is printed: the absolute MB/s
depends on the machine, the ratio much less.

What it does:

1. Builds a corpus of at least ``--mb`` MB (default 20; 1 MB = 1,000,000 bytes of UTF-8)
   of ``.txt`` files, in a temporary folder or in ``--corpus DIR`` (kept and reused by
   later runs with the same seed, size and fixtures; a folder of articles not made by
   this script is measured as it is). Copies of the fixtures would not
   do: repeated lines are dropped as page furniture, so a copied corpus is mostly
   skipped. Each article therefore takes 1-3 different fixtures from
   ``fixtures/sources`` (.txt and .md as raw text, .html as the text ``load_document``
   extracts), shuffles their paragraphs, multiplies every figure by a random factor and
   re-formats it with a comma, space, no-break space (U+00A0) or thin space (U+2009)
   thousands separator, shifts years by one, and swaps country names among a fixed list.
   All of it is drawn from ``random.Random`` seeded by ``--seed`` (default 1), so a given
   seed always gives the same corpus, and a smaller corpus is a prefix of a larger one.
2. Times, in this process, on one core (pinned where the OS allows it), reading +
   ``load_document`` + ``extract`` over every file. Claims are counted and dropped, as a
   streaming run would: the memory figures are the working set of the extractor, not
   the size of its results.
3. Times the bare regex scan (read + decode + ``re.finditer``) over the same files,
   best of three (it takes well under a second).
4. Measures the Python peak with ``tracemalloc`` in a separate pass, because tracing
   roughly halves the speed and must not distort the timing. That pass covers the
   largest files up to ``--mem-mb`` MB (default 2; 0 = the whole corpus); since nothing
   is kept between documents the peak is set by the largest ones. The process peak RSS
   (``ru_maxrss``) is read right after the timed pass; the peak before it (imports,
   corpus generation) is printed too, since ``ru_maxrss`` can only grow.

Run from the repository root::

    python benchmarks/extract_throughput.py            # 20 MB
    python benchmarks/extract_throughput.py --mb 2     # quick run
    python benchmarks/extract_throughput.py --json     # one JSON object
"""
from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import platform
import random
import re
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from checker.claims.extract import extract
from checker.documents import Document, load_document  # noqa: F401  (the public API used)
from checker.errors import DocumentError

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures" / "sources"
MB = 1_000_000
CORPUS_VERSION = 1  # bump when the generator changes, so kept corpora are rebuilt
MARKER = ".extract_throughput.json"
BARE_REPEATS = 3

COUNTRIES = ["Nepal", "Kenya", "Cuba", "Ghana", "India", "Egypt", "Peru", "Chile", "Togo", "Yemen"]
_COUNTRY = re.compile(r"\b(?:" + "|".join(COUNTRIES) + r")\b")
SEPARATORS = [",", " ", "\u00a0", "\u2009"]
# A figure: digit groups with a thousands separator ("16,894", "6 162") or a plain run of
# digits, with an optional decimal part. Not inside a word, right after another figure,
# or in a dotted date ("16.05.2025" is left alone).
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:[,\u00a0\u2009 ]\d{3}(?!\d))+|\d+)"
                     r"(?:\.(\d+))?(?!\w)(?!\.\d)")
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_MONTH_BEFORE = re.compile(_MONTH + r"\.?[ \u00a0]$")
_MONTH_AFTER = re.compile(r"[ \u00a0]" + _MONTH + r"\b")
_PARAGRAPHS = re.compile(r"\n[ \t]*\n")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n---[ \t]*\n", re.S)
_BARE = re.compile(r"\d+")
_EXTRACT_ERRORS = (ValueError, OverflowError, RecursionError)


# ---------------------------------------------------------------------------- corpus

def fixture_texts() -> list[tuple[str, str]]:
    """(name, text) of every fixture: .txt/.md raw, .html through load_document."""
    out = []
    for path in sorted(FIXTURES.iterdir()):
        suffix = path.suffix.lower()
        if suffix in (".txt", ".md"):
            out.append((path.name, path.read_text(encoding="utf-8-sig")))
        elif suffix == ".html":
            out.append((path.name, load_document(path, path.stem).text))
    if not out:
        sys.exit(f"no fixtures found in {FIXTURES}")
    return out


def _format(value: float, decimals: int, sep: str) -> str:
    if decimals:
        whole, frac = f"{value:.{decimals}f}".split(".")
    else:
        whole, frac = str(int(round(value))), ""
    if len(whole) > 3:
        groups = []
        while whole:
            groups.append(whole[-3:])
            whole = whole[:-3]
        whole = sep.join(reversed(groups))
    return whole + ("." + frac if frac else "")


def _is_date_part(text: str, start: int, end: int) -> bool:
    """Parts of dates and times ("08" in 2025-08-15, "14" in April 14, 10:30) stay as
    they are, so the mutated text keeps valid dates."""
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    after2 = text[end + 1] if end + 1 < len(text) else ""
    if before in "-/:" and before and start >= 2 and text[start - 2].isdigit():
        return True
    if after in "-/:" and after and after2.isdigit():
        return True
    if end - start <= 2 and int(text[start:end]) <= 31:
        if _MONTH_BEFORE.search(text, max(0, start - 12), start):
            return True
        if _MONTH_AFTER.match(text, end):
            return True
    return False


def mutate_figures(text: str, rng: random.Random, year_shift: int) -> str:
    out, pos = [], 0
    for m in _NUMBER.finditer(text):
        digits, decimals = m.group(1), m.group(2)
        plain = digits.isdigit()
        if plain and decimals is None and len(digits) == 4 and 1900 <= int(digits) <= 2099:
            new = str(int(digits) + year_shift)
        elif plain and decimals is None and _is_date_part(text, m.start(), m.end()):
            continue
        else:
            value = float(re.sub(r"\D", "", digits) + ("." + decimals if decimals else ""))
            factor = rng.uniform(0.3, 3.0)
            new = _format(value * factor, len(decimals or ""), rng.choice(SEPARATORS))
        out.append(text[pos:m.start()])
        out.append(new)
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def shuffle_paragraphs(text: str, rng: random.Random) -> str:
    """Paragraphs after the first (the headline) in a random order; text with no blank
    lines (trafilatura output, some Markdown) is shuffled line by line. YAML front
    matter stays where it is, intact."""
    front = _FRONT_MATTER.match(text)
    prefix = front.group() if front else ""
    sep = "\n\n"
    parts = _PARAGRAPHS.split(text[len(prefix):].strip("\n"))
    if len(parts) == 1:
        sep, parts = "\n", parts[0].split("\n")
    head, rest = parts[:1], parts[1:]
    rng.shuffle(rest)
    return prefix + sep.join(head + rest) + "\n"


def make_article(fixtures: list[tuple[str, str]], seed: int, index: int) -> str:
    rng = random.Random(f"{seed}:{index}")  # str seeds are hashed deterministically
    picked = rng.sample(fixtures, rng.randint(1, min(3, len(fixtures))))
    swapped = COUNTRIES[:]
    rng.shuffle(swapped)
    countries = dict(zip(COUNTRIES, swapped))
    year_shift = rng.choice((-1, 1))
    pieces = []
    for _, text in picked:
        text = shuffle_paragraphs(text, rng)
        text = mutate_figures(text, rng, year_shift)
        text = _COUNTRY.sub(lambda m: countries[m.group()], text)
        pieces.append(text)
    return "\n".join(pieces)


def build_corpus(folder: Path, mb: float, seed: int) -> tuple[list[Path], bool]:
    """Write the corpus into ``folder`` (reusing it when it was built with the same
    parameters); return its files, and whether they were reused."""
    fixtures = fixture_texts()
    digest = hashlib.sha256("\0".join(n + "\0" + t for n, t in fixtures).encode()).hexdigest()
    params = {"version": CORPUS_VERSION, "seed": seed, "mb": mb, "fixtures": digest}
    marker = folder / MARKER
    folder.mkdir(parents=True, exist_ok=True)
    if marker.exists():
        if json.loads(marker.read_text()) == params:
            return sorted(folder.glob("article-*.txt")), True
        for old in folder.glob("article-*.txt"):
            old.unlink()
        marker.unlink()
    elif any(folder.iterdir()):
        # A corpus made elsewhere (say, by the nightly benchmark) is measured as it is.
        existing = sorted(p for p in folder.iterdir()
                          if p.suffix.lower() in (".txt", ".md", ".html"))
        if not existing:
            sys.exit(f"--corpus {folder}: folder is not empty and holds no articles")
        return existing, True
    files, total, index = [], 0, 0
    while total < mb * MB:
        data = make_article(fixtures, seed, index).encode("utf-8")
        path = folder / f"article-{index:05d}.txt"
        path.write_bytes(data)
        files.append(path)
        total += len(data)
        index += 1
    marker.write_text(json.dumps(params))
    return files, False


# ---------------------------------------------------------------------------- measuring

def pin_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        try:
            cpu = min(os.sched_getaffinity(0))
            os.sched_setaffinity(0, {cpu})
            return f"pinned to cpu {cpu}"
        except OSError:
            pass
    return "not pinned (single thread)"


def max_rss_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / MB if sys.platform == "darwin" else rss * 1024 / MB  # bytes vs KiB


def run_extraction(files: list[Path]) -> tuple[int, int, list[str]]:
    claims, docs, failures = 0, 0, []
    for path in files:
        try:
            doc = load_document(path, path.stem)
            found = extract(doc)
        except DocumentError as exc:
            failures.append(str(exc))
            continue
        except _EXTRACT_ERRORS as exc:
            failures.append(f"{path.name}: {type(exc).__name__}: {exc}")
            continue
        docs += 1
        claims += len(found)
    return docs, claims, failures


def run_bare(files: list[Path]) -> int:
    matches = 0
    for path in files:
        text = path.read_bytes().decode("utf-8")
        for _ in _BARE.finditer(text):
            matches += 1
    return matches


def measure(files: list[Path], mem_mb: float) -> dict:
    total_bytes = sum(p.stat().st_size for p in files)
    pinned = pin_one_core()

    # Warm up outside the clock: lazily built tables and compiled patterns, paid once
    # per process, are not throughput.
    t0 = time.perf_counter()
    warm = sorted(FIXTURES.glob("*.txt"))[:1] + sorted(FIXTURES.glob("*.md"))[:1]
    for path in warm:
        extract(load_document(path, path.stem))
    warmup_s = time.perf_counter() - t0

    rss_before = max_rss_mb()
    gc.collect()
    c0, t0 = time.process_time(), time.perf_counter()
    docs, claims, failures = run_extraction(files)
    seconds, cpu_seconds = time.perf_counter() - t0, time.process_time() - c0
    rss_peak = max_rss_mb()

    bare_seconds = float("inf")
    for _ in range(BARE_REPEATS):  # fast enough to repeat; the best run is the least noisy
        t0 = time.perf_counter()
        run_bare(files)
        bare_seconds = min(bare_seconds, time.perf_counter() - t0)

    if mem_mb > 0:
        sample, size = [], 0
        for path in sorted(files, key=lambda p: (-p.stat().st_size, p.name)):
            if size >= mem_mb * MB:
                break
            sample.append(path)
            size += path.stat().st_size
    else:
        sample, size = files, total_bytes
    gc.collect()
    tracemalloc.start()
    run_extraction(sample)
    _, py_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    mb = total_bytes / MB
    ours = mb / seconds
    bare = mb / bare_seconds
    return {
        "python": platform.python_version(),
        "cpu": pinned,
        "total_mb": round(mb, 3),
        "documents": docs,
        "documents_failed": len(failures),
        "claims": claims,
        "warmup_s": round(warmup_s, 3),
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu_seconds, 3),
        "mb_per_s": round(ours, 4),
        "documents_per_s": round(docs / seconds, 2),
        "claims_per_s": round(claims / seconds, 1),
        "python_peak_mb": round(py_peak / MB, 2),
        "python_peak_sample_mb": round(size / MB, 3),
        "python_peak_sample_documents": len(sample),
        "rss_peak_before_extraction_mb": round(rss_before, 1),
        "process_peak_rss_mb": round(rss_peak, 1),
        "bare_regex_seconds": round(bare_seconds, 3),
        "bare_regex_mb_per_s": round(bare, 2),
        "ratio_ours_to_bare": round(ours / bare, 6),
        "first_failures": failures[:3],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=20.0,
                        help="corpus size in MB (10^6 bytes), default 20")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed, default 1")
    parser.add_argument("--corpus", type=Path,
                        help="build (or reuse) the corpus in this folder and keep it")
    parser.add_argument("--mem-mb", type=float, default=2.0,
                        help="MB of the largest files traced by tracemalloc (0 = all), default 2")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if args.mb <= 0:
        parser.error("--mb must be positive")

    tmp = None
    folder = args.corpus
    if folder is None:
        tmp = tempfile.mkdtemp(prefix="extract-throughput-")
        folder = Path(tmp)
    try:
        t0 = time.perf_counter()
        files, reused = build_corpus(folder, args.mb, args.seed)
        corpus_s = time.perf_counter() - t0
        result = {"seed": args.seed,
                  "corpus": str(folder) if tmp is None else "(temporary)",
                  "corpus_reused": reused,
                  "corpus_build_s": round(corpus_s, 3)}
        result.update(measure(files, args.mem_mb))
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)

    if args.json:
        print(json.dumps(result))
    else:
        width = max(map(len, result))
        for name, value in result.items():
            if name == "first_failures":
                for i, failure in enumerate(value):
                    print(f"{'failure ' + str(i + 1) + ':':<{width + 1}} {failure}")
                continue
            print(f"{name + ':':<{width + 1}} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
