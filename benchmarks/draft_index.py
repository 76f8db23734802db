"""How fast ``checker draft`` is against a large indexed corpus: a script that prints figures.

Issue 5's target: a 1,500-word draft checked in under a second against 10,000 articles
once the corpus is indexed. Like the other benchmarks this measures and prints; it never
fails on a slow figure (exit 1 only when a run crashes).

What it does:

1. Writes ``--articles`` (default 10,000) synthetic articles into ``--corpus`` (reused when
   it already holds them), each made by ``extract_throughput.make_article``: one to three
   fixture articles with paragraphs shuffled, figures changed, countries swapped and years
   moved, so the corpus has the fixtures' density of figures, names and dates.
2. Builds a 1,500-word draft from the drafts in ``fixtures/drafts`` (repeated paragraphs
   until 1,500 words).
3. Times, in this process: indexing the corpus from nothing (the first ``draft`` run),
   the draft check with the index up to date (best of ``--repeat``), and the check after
   ``--changed`` (default 1%) of the articles were edited (their re-extraction included).
   Then the whole command as a user runs it (``checker draft`` in a subprocess, Python
   start-up included).

    python benchmarks/draft_index.py                 # 10,000 articles
    python benchmarks/draft_index.py --articles 1000 # quicker
"""
from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extract_throughput import fixture_texts, make_article  # noqa: E402

from checker import engines, ruleset as rulesets  # noqa: E402
from checker.draft import check_draft  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DRAFTS = ROOT / "fixtures" / "drafts"
WORDS = 1500


def build_corpus(folder: Path, articles: int, seed: int) -> float:
    """Write the articles not yet there; return the corpus size in MB."""
    folder.mkdir(parents=True, exist_ok=True)
    fixtures = fixture_texts()
    size = 0
    for index in range(articles):
        path = folder / f"article-{index:05d}.txt"
        if not path.exists():
            path.write_text(make_article(fixtures, seed, index), encoding="utf-8")
        size += path.stat().st_size
    return size / 1e6


def build_draft(path: Path) -> int:
    """A draft of about ``WORDS`` words from the fixture drafts' paragraphs."""
    paragraphs = []
    for draft in sorted(DRAFTS.glob("*.md")):
        body = draft.read_text(encoding="utf-8").split("---", 2)[-1]
        paragraphs += [p for p in body.split("\n\n") if p.strip()]
    chosen, words = [], 0
    while words < WORDS:
        paragraph = paragraphs[len(chosen) % len(paragraphs)]
        chosen.append(paragraph)
        words += len(paragraph.split())
    path.write_text("---\ntitle: Benchmark draft\n---\n" + "\n\n".join(chosen) + "\n",
                    encoding="utf-8")
    return words


def timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--corpus", type=Path, default=Path("/tmp/checker-bench/draft-corpus"))
    parser.add_argument("--changed", type=float, default=0.01, help="share of articles edited")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=None, help="processes indexing (all cores)")
    args = parser.parse_args(argv)

    corpus = args.corpus / f"{args.articles}"
    index = args.corpus / f"index-{args.articles}.sqlite"
    draft = args.corpus / "draft.md"
    mb = build_corpus(corpus, args.articles, args.seed)
    words = build_draft(draft)
    ruleset = rulesets.load([ROOT / "checker" / "default_rules"])
    print(f"corpus: {args.articles} articles, {mb:.1f} MB; draft: {words} words")

    for stale in index.parent.glob(index.name + "*"):
        stale.unlink()
    with engines.Local(args.jobs) as engine:
        cold, outcome = timed(check_draft, str(draft), (str(corpus),), ruleset, index, engine)
    print(f"first run (indexes the corpus, {engine.jobs} processes): {cold:.1f} s, "
          f"{mb / cold:.2f} MB/s; index {index.stat().st_size / 1e6:.0f} MB")

    warm = []
    for _ in range(args.repeat):
        seconds, outcome = timed(check_draft, str(draft), (str(corpus),), ruleset, index)
        warm.append(seconds)
    print(f"draft check, index up to date: best {min(warm):.3f} s, worst {max(warm):.3f} s "
          f"(compared with {outcome.compared} of {outcome.corpus} documents; "
          f"{len(outcome.findings)} findings)  target < 1 s")

    rng = random.Random(args.seed)
    files = sorted(corpus.glob("article-*.txt"))
    edited = rng.sample(files, max(1, int(len(files) * args.changed)))
    for path in edited:
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"\nUpdated at {time.time():.0f}: officials said 12 more volunteers arrived.\n")
    seconds, outcome = timed(check_draft, str(draft), (str(corpus),), ruleset, index)
    print(f"draft check after {len(edited)} articles changed (re-extracted): {seconds:.2f} s")

    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "checker", "draft", str(draft), "--against",
                          str(corpus), "--index", str(index), "--fail-on", "never"],
                         capture_output=True, text=True)
    wall = time.perf_counter() - start
    if run.returncode != 0:
        print(run.stderr, file=sys.stderr)
        return 1
    print(f"`checker draft` end to end (process start included): {wall:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
