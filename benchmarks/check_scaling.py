"""How ``checker check`` scales with the number of claims: time and memory, by a script.

Like ``extract_throughput.py`` this is a measurement, never a timed assertion in a test:
it prints figures to compare run to run and machine to machine, and exits 0 whatever
they are (1 only when a run crashes).

What it does:

1. Loads and extracts the fixtures once (``fixtures/sources`` and
   ``fixtures/stories/*/sources``: 19 articles, about 240 real claims).
2. For each size (``--sizes``, default 1k, 10k, 100k, 1M claims) builds a synthetic corpus
   by cloning those articles into many documents, in a fresh forked process so that every
   size has its own memory high-water mark. Each clone is a copy of the original
   ``Document`` (``dataclasses.replace``) with a new id and a publication date moved by up
   to half a year either way (undated articles stay undated), and copies of its claims
   (``dataclasses.replace``) with the new document id. Most sentences are shared verbatim
   across clones, as wire copy and repeated figures are in real corpora; a fraction is
   varied, always by same-length edits of the text so that every offset stays true and the
   claim, its sentence and its document text agree:

   - ``--swap-rate`` (default 0.10) of the sentences carrying figures get one lowercase
     word (4+ letters, not the figure or its unit) replaced by another word of the same
     length taken from the fixtures' own vocabulary;
   - ``--digit-rate`` (default 0.05) of the figures written with digits get one digit
     changed (value, interval and text follow);
   - ``--period-rate`` (default 0.03) of the figures with a stated period get it moved by a
     month (or a year when the period names no month);
   - ``--name-rate`` (default 0.01) of the documents get one person's surname misspelled
     (two inner letters swapped).

   Clones cycle through the 19 articles (shuffled each round, ``--seed``), and the last
   document is cut so the corpus has exactly the requested number of claims. Each clone's
   shingles (``independence.shingles``) are sampled as it is built, as extraction samples
   every document's (``engines.extract_raw``, in its workers): the check gets documents as
   ``checker check`` and ``checker nightly`` give it, so "copies" times the pairing only.
3. Times ``checker.engine.check`` with the rule set (default: the pack shipped in the
   package, ``checker/default_rules``; ``--rules DIR`` to use others) on ``--jobs N``
   processes as ``checker check --jobs N`` does (``engines.Local(N).place``; default, as
   there: all cores; ``--jobs 1``: all in this process), and inside it, by
   wrapping the functions the engine calls: alignment (``named_measures`` + ``align``),
   wire-copy detection (``copies``) and each rule kind's ``evaluate`` (the time spent in
   its generator; with more than one process, only what this process ran is timed:
   forked children find the copies and run the other kinds). "rules s" is the total minus
   alignment: copies, kinds and building the findings. "check CPU" is this process's alone.
4. Reads the child's peak RSS (``ru_maxrss``, corpus included) and the RSS just before
   the check, so "check MB" is what the check itself added at its peak. ``--tracemalloc``
   runs the check a second time under ``tracemalloc`` (slow) for the Python peak.

Once a size takes longer than ``--max-seconds`` the larger sizes are skipped; a size still
running after ``--timeout`` seconds is stopped. The growth columns compare each size with
the one before, normalised to a 10x step: near-linear is about 10x time per 10x claims.

Run from the repository root::

    python benchmarks/check_scaling.py                          # 1k, 10k, 100k, 1M
    python benchmarks/check_scaling.py --sizes 1000,10000 --max-seconds 60
    python benchmarks/check_scaling.py --json                   # one JSON object
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import json
import math
import multiprocessing
import os
import platform
import random
import re
import resource
import sys
import time
import tracemalloc
from bisect import bisect_left
from collections import Counter, defaultdict
from pathlib import Path

from checker import engine, engines, measures as measures_module, ruleset as rulesets
from checker.claims.entities import Mention
from checker.claims.extract import extract_documents
from checker.documents import Document, load_documents
from checker.independence import shingles
from checker.kinds import KINDS

REPO = Path(__file__).resolve().parent.parent
SOURCES = [REPO / "fixtures" / "sources",
           *sorted(p for p in (REPO / "fixtures" / "stories").glob("*/sources") if p.is_dir())]
DEFAULT_SIZES = "1000,10000,100000,1000000"
MB = 1_000_000
MONTHS = ("January February March April May June July August September October November "
          "December").split()
_MONTH = re.compile(r"\b(" + "|".join(MONTHS) + r")\b")
_YEAR = re.compile(r"\b(19|20)\d\d\b")
_LOWER_WORD = re.compile(r"(?<![\w’'-])[a-z]{4,}(?![\w’'-])")
_NUMBER = re.compile(r"\d[\d,.\u00a0\u2009 ]*\d|\d")


# -- the base claims ----------------------------------------------------------------------

@dataclasses.dataclass
class Base:
    documents: list[Document]
    claims: dict[str, list]  # document id -> its claims, in order
    vocabulary: dict[int, list[str]]  # word length -> lowercase words of the fixtures


def load_base() -> Base:
    documents, errors = load_documents([str(p) for p in SOURCES])
    documents, claims, problems = extract_documents(documents)
    for problem in [*map(str, errors), *problems]:
        print(f"warning: {problem}", file=sys.stderr)
    by_doc: dict[str, list] = defaultdict(list)
    for claim in claims:
        by_doc[claim.doc].append(claim)
    words: set[str] = set()
    for doc in documents:
        words.update(m.group() for m in _LOWER_WORD.finditer(doc.text))
    vocabulary: dict[int, list[str]] = defaultdict(list)
    for word in sorted(words - measures_module.STOP_WORDS):
        vocabulary[len(word)].append(word)
    return Base([d for d in documents if by_doc[d.id]], dict(by_doc), dict(vocabulary))


# -- the synthetic corpus ----------------------------------------------------------------

@dataclasses.dataclass
class Rates:
    swap: float
    digit: float
    period: float
    name: float


def _shift_month(date: dt.date, months: int, month_end: bool) -> dt.date:
    index = date.year * 12 + date.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, last if month_end else min(date.day, last))


def _is_month_end(date: dt.date) -> bool:
    return (date + dt.timedelta(days=1)).day == 1


def _moved_period(period: dict, period_text: str, rng: random.Random) -> tuple[dict, str] | None:
    """The period a month (or, with no month named, a year) earlier or later."""
    month = _MONTH.search(period_text)
    if month:
        step = rng.choice((-1, 1))
        name = MONTHS[(MONTHS.index(month.group()) + step) % 12]
        text = period_text[:month.start()] + name + period_text[month.end():]
    else:
        year = _YEAR.search(period_text)
        if not year:
            return None
        step = rng.choice((-12, 12))
        text = (period_text[:year.start()] + str(int(year.group()) + step // 12)
                + period_text[year.end():])
    moved = {}
    for key in ("start", "end"):
        value = period.get(key)
        if value:
            date = dt.date.fromisoformat(value)
            moved[key] = _shift_month(date, step, key == "end" and _is_month_end(date)).isoformat()
        else:
            moved[key] = value
    return {**period, **moved}, text


def _changed_digit(claim, rng: random.Random):
    """(offset in the claim text, new digit, new value, new low, new high), or None."""
    number = _NUMBER.search(claim.text)
    if not number or not claim.value:
        return None
    old = number.group()
    positions = [i for i, ch in enumerate(old) if ch.isdigit()]
    at = rng.choice(positions)
    choices = [d for d in "0123456789" if d != old[at] and not (d == "0" and at == positions[0])]
    digit = rng.choice(choices)
    new = old[:at] + digit + old[at + 1:]

    def parse(s: str) -> float:
        s = re.sub(r"[,\u00a0\u2009 ]", "", s)
        return float(s) if s.count(".") <= 1 else float(s.replace(".", ""))

    try:
        before, after = parse(old), parse(new)
    except ValueError:
        return None
    if not before:
        return None
    factor = after / before

    def scaled(x):
        if x is None or math.isinf(x):
            return x
        y = round(x * factor, 6)
        return int(y) if isinstance(x, int) and y == int(y) else y

    return number.start() + at, digit, scaled(claim.value), scaled(claim.low), scaled(claim.high)


def clone(base_doc: Document, base_claims: list, number: int, base: Base, rates: Rates,
          rng: random.Random, limit: int | None = None) -> tuple[Document, list]:
    """One synthetic document from an original: new id and date, a few same-length edits."""
    doc_id = f"c{number:07d}-{base_doc.id}"
    published = (base_doc.published + dt.timedelta(days=rng.randint(-182, 182))
                 if base_doc.published else None)
    claims = base_claims if limit is None else base_claims[:limit]
    edits: dict[int, str] = {}  # offset -> replacement text (same length)

    # Vary a fraction of sentences: one word swapped for another of the same length.
    spans = [(c.start, c.end) for c in claims]
    units = {w for c in claims for w in (c.unit or "").lower().split()}
    for start, sentence in {c.sentence_start: c.sentence for c in claims}.items():
        if rng.random() >= rates.swap:
            continue
        if base_doc.text[start:start + len(sentence)] != sentence:
            continue
        words = [m for m in _LOWER_WORD.finditer(sentence)
                 if m.group() not in units and len(base.vocabulary.get(len(m.group()), ())) > 1
                 and not any(a < start + m.end() and start + m.start() < b for a, b in spans)]
        if words:
            word = rng.choice(words)
            other = rng.choice([w for w in base.vocabulary[len(word.group())] if w != word.group()])
            edits[start + word.start()] = other

    # Misspell one person's surname in a fraction of documents.
    people = base_doc.people
    full = [m for m in people if " " in m.name and len(m.name.split()[-1]) >= 5]
    if full and rng.random() < rates.name:
        target = rng.choice(full).name
        surname = target.split()[-1]
        i = rng.randrange(1, len(surname) - 2)
        wrong = surname[:i] + surname[i + 1] + surname[i] + surname[i + 2:]
        if wrong != surname:
            people = []
            for m in base_doc.people:
                if m.name == target and base_doc.text[m.start:m.end] == m.name:
                    edits[m.end - len(surname)] = wrong
                    m = Mention(m.start, m.end, m.type, m.name[:-len(surname)] + wrong, m.code)
                people.append(m)

    # Change a digit in a fraction of figures; move a fraction of stated periods.
    changes: dict[int, dict] = {}
    for k, c in enumerate(claims):
        change: dict = {}
        if rng.random() < rates.digit and base_doc.text[c.start:c.end] == c.text:
            digit = _changed_digit(c, rng)
            if digit:
                at, new, change["value"], change["low"], change["high"] = digit
                edits[c.start + at] = new
        if c.period and c.period_text and rng.random() < rates.period:
            moved = _moved_period(c.period, c.period_text, rng)
            if moved:
                change["period"], change["period_text"] = moved
                at = c.sentence.find(c.period_text)
                if (len(moved[1]) == len(c.period_text) and at >= 0
                        and c.sentence.count(c.period_text) == 1
                        and base_doc.text[c.sentence_start:c.sentence_start + len(c.sentence)]
                        == c.sentence):
                    edits[c.sentence_start + at] = moved[1]
        if change:
            changes[k] = change

    text = base_doc.text
    if edits:
        parts, last = [], 0
        for at in sorted(list(edits)):
            if at < last:  # overlapping edit: keep the first
                del edits[at]
                continue
            parts += [text[last:at], edits[at]]
            last = at + len(edits[at])
        parts.append(text[last:])
        text = "".join(parts)
        assert len(text) == len(base_doc.text)
    doc = dataclasses.replace(base_doc, id=doc_id, path=f"synthetic/{doc_id}.txt",
                              published=published, text=text, people=people,
                              published_from="metadata" if published else None)
    edited = sorted(edits)
    sentences: dict[int, str] = {}

    def touched(a: int, b: int) -> bool:
        """Whether an edit overlaps text[a:b]."""
        i = bisect_left(edited, a)
        if i < len(edited) and edited[i] < b:
            return True
        return i > 0 and edited[i - 1] + len(edits[edited[i - 1]]) > a

    out = []
    for k, c in enumerate(claims):
        fields = dict(changes.get(k, {}), id=f"{doc_id}:{c.start}", doc=doc_id, measure=None)
        end = c.sentence_start + len(c.sentence)
        if edits and touched(c.sentence_start, end):
            if c.sentence_start not in sentences:
                sentences[c.sentence_start] = text[c.sentence_start:end]
            fields["sentence"] = sentences[c.sentence_start]
            if touched(c.start, c.end):
                fields["text"] = text[c.start:c.end]
        out.append(dataclasses.replace(c, **fields))
    return doc, out


def corpus(base: Base, size: int, rates: Rates, seed: int) -> tuple[list[Document], list]:
    rng = random.Random(seed)
    documents, claims = [], []
    order: list[Document] = []
    number = 0
    while len(claims) < size:
        if not order:
            order = list(base.documents)
            rng.shuffle(order)
        original = order.pop()
        wanted = size - len(claims)
        found = base.claims[original.id]
        doc, cloned = clone(original, found, number, base, rates, rng,
                            limit=wanted if wanted < len(found) else None)
        shingles(doc)  # as extraction does: the check reuses them
        documents.append(doc)
        claims.extend(cloned)
        number += 1
    return documents, claims


# -- one measured run (in a forked child) ------------------------------------------------

def _rss_now() -> float:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024 / MB
    except OSError:
        pass
    return _rss_peak()


def _rss_peak(who: int = resource.RUSAGE_SELF) -> float:
    """The peak RSS of this process (or the largest of its ended children's)."""
    peak = resource.getrusage(who).ru_maxrss
    return peak / MB if sys.platform == "darwin" else peak * 1024 / MB


def _instrument(timings: dict[str, float]):
    """Wrap what ``engine.check`` calls so each part's time is added to ``timings``."""

    def timed(name, fn):
        def wrapper(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                timings[name] += time.perf_counter() - t0
        return wrapper

    def timed_kind(name, evaluate):
        def wrapper(params, ctx):
            iterator = evaluate(params, ctx)
            while True:
                t0 = time.perf_counter()
                try:
                    hit = next(iterator)
                except StopIteration:
                    return
                finally:
                    timings[name] += time.perf_counter() - t0
                yield hit
        return wrapper

    engine.named_measures = timed("named", engine.named_measures)
    engine.wording = timed("align", engine.wording)  # alignment's first step
    engine.align = timed("align", engine.align)
    engine.copies = timed("copies", engine.copies)
    for kind, module in KINDS.items():
        module.evaluate = timed_kind("kind:" + kind, module.evaluate)


def run_size(base: Base, size: int, args, conn) -> None:
    try:
        rules = rulesets.load([Path(d) for d in args.rules] if args.rules else
                              [REPO / "checker" / "default_rules"])
        rates = Rates(args.swap_rate, args.digit_rate, args.period_rate, args.name_rate)
        t0 = time.perf_counter()
        documents, claims = corpus(base, size, rates, args.seed)
        build_s = time.perf_counter() - t0
        timings: dict[str, float] = defaultdict(float)
        _instrument(timings)
        rss_before = _rss_now()
        with engines.Local(args.jobs) as runner:
            t0, cpu0, children0 = time.perf_counter(), time.process_time(), _children_cpu()
            result = engine.check(documents, claims, rules, engine=runner)
            total_s, cpu_s = time.perf_counter() - t0, time.process_time() - cpu0
            children_cpu_s = _children_cpu() - children0
        peak = _rss_peak()
        workers_peak = _rss_peak(resource.RUSAGE_CHILDREN) if args.jobs > 1 else None
        timings = dict(timings)  # the traced run below must not add to them
        traced = None
        if args.tracemalloc:
            tracemalloc.start()
            engine.check(documents, claims, rules)
            traced = tracemalloc.get_traced_memory()[1] / MB
            tracemalloc.stop()
        align_s = timings.get("named", 0.0) + timings.get("align", 0.0)
        sizes = sorted((len(m.claims) for m in result.measures), reverse=True)
        conn.send({
            "claims": len(claims), "documents": len(documents),
            "measures": len(result.measures), "findings": len(result.findings),
            "align_s": align_s, "rules_s": total_s - align_s, "total_s": total_s,
            "cpu_s": cpu_s, "children_cpu_s": children_cpu_s,
            "digest": findings_digest(result.findings) if args.digest else None,
            "copies_s": timings.get("copies", 0.0), "build_s": build_s,
            "kinds_s": {k[5:]: v for k, v in sorted(timings.items()) if k.startswith("kind:")},
            "peak_rss_mb": peak, "check_rss_mb": peak - rss_before, "traced_mb": traced,
            "workers_peak_mb": workers_peak,
            "largest_measures": sizes[:3],
            "findings_by_rule": dict(Counter(f["rule"] for f in result.findings).most_common()),
            "claims_per_s": len(claims) / total_s if total_s else None,
        })
    except BaseException as exc:  # report it to the parent, whatever it is
        import traceback
        conn.send({"error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()})
    finally:
        conn.close()


def _children_cpu() -> float:
    """CPU seconds of this process's ended children (forked by the check, or pool workers
    once shut down)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def findings_digest(findings: list[dict]) -> str:
    """sha256 of the findings as canonical JSON, in the check's order: two runs with the
    same digest reported exactly the same findings."""
    canonical = json.dumps(findings, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def measure(base: Base, size: int, args) -> dict:
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=run_size, args=(base, size, args, child))
    process.start()
    child.close()
    if not parent.poll(args.timeout):
        process.kill()
        process.join()
        return {"claims": size, "timeout": True}
    try:
        result = parent.recv()
    except EOFError:
        result = {"error": f"child exited with code {process.exitcode}"}
    process.join()
    return result


# -- report -------------------------------------------------------------------------------

def growth(rows: list[dict], key: str) -> list[float | None]:
    """Each size against the one before, as the factor per 10x claims."""
    out: list[float | None] = []
    previous = None
    for row in rows:
        value = row.get(key)
        if previous and value and previous.get(key) and row["claims"] != previous["claims"]:
            steps = math.log10(row["claims"] / previous["claims"])
            out.append((value / previous[key]) ** (1 / steps))
        else:
            out.append(None)
        previous = row if value else None
    return out


def table(rows: list[dict], traced: bool) -> str:
    done = [r for r in rows if "total_s" in r]
    g_total, g_align, g_rules = (growth(done, k) for k in ("total_s", "align_s", "rules_s"))
    header = ["claims", "documents", "measures", "findings", "align s", "rules s", "total s",
              "peak MB", "check MB", *(["traced MB"] if traced else []), "claims/s",
              "x/10x total", "x/10x align", "x/10x rules"]
    lines = [header]

    def fmt(x, spec):
        return "–" if x is None else format(x, spec)

    i = 0
    for row in rows:
        if "total_s" not in row:
            status = ("skipped" if row.get("skipped") else "timeout" if row.get("timeout")
                      else "error")
            lines.append([f"{row['claims']:,}", status] + [""] * (len(header) - 2))
            continue
        lines.append([f"{row['claims']:,}", f"{row['documents']:,}", f"{row['measures']:,}",
                      f"{row['findings']:,}", f"{row['align_s']:.2f}", f"{row['rules_s']:.2f}",
                      f"{row['total_s']:.2f}", f"{row['peak_rss_mb']:.0f}",
                      f"{row['check_rss_mb']:.0f}",
                      *([fmt(row["traced_mb"], ".0f")] if traced else []),
                      f"{row['claims_per_s']:,.0f}", fmt(g_total[i], ".1f"),
                      fmt(g_align[i], ".1f"), fmt(g_rules[i], ".1f")])
        i += 1
    widths = [max(len(line[c]) for line in lines) for c in range(len(header))]
    rendered = [" | ".join(cell.rjust(w) for cell, w in zip(line, widths)).rstrip()
                for line in lines]
    rendered.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(rendered)


def details(row: dict) -> str:
    kinds = ", ".join(f"{k} {v:.2f}" for k, v in sorted(row["kinds_s"].items(),
                                                         key=lambda kv: -kv[1]))
    rules = ", ".join(f"{k} {v}" for k, v in row["findings_by_rule"].items())
    workers = (f"; largest worker's peak RSS {row['workers_peak_mb']:.0f} MB"
               if row.get("workers_peak_mb") else "")
    digest = f"; findings sha256 {row['digest']}" if row.get("digest") else ""
    return (f"{row['claims']:>9,} claims: corpus built in {row['build_s']:.1f} s; "
            f"check CPU {row['cpu_s']:.2f} s (this process)"
            f"{f' + {c:.2f} s (children)' if (c := row.get('children_cpu_s')) else ''}; "
            f"copies {row['copies_s']:.2f} s; kinds: {kinds}{workers}{digest}\n"
            f"{'':>18}largest measures: {', '.join(map(str, row['largest_measures']))} claims; "
            f"findings: {rules}")


def _revision() -> str:
    """The commit measured, with "+dirty" when the work tree has changes."""
    import subprocess
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, text=True,
                              capture_output=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "checker"], cwd=REPO,
                               text=True, capture_output=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=DEFAULT_SIZES,
                        help=f"claim counts, comma-separated (default {DEFAULT_SIZES})")
    parser.add_argument("--max-seconds", type=float, default=120.0,
                        help="skip larger sizes once one size's check takes longer (default 120)")
    parser.add_argument("--timeout", type=float, default=None,
                        help="stop a size still running after this many seconds (default: none)")
    parser.add_argument("--rules", action="append", default=[],
                        help="rule folder or file (repeatable; default: the packaged default pack)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=engines.available_cores(),
                        help="processes the check may use, as checker check --jobs (default: "
                             "all cores, as there; 1: all in this process)")
    parser.add_argument("--swap-rate", type=float, default=0.10)
    parser.add_argument("--digit-rate", type=float, default=0.05)
    parser.add_argument("--period-rate", type=float, default=0.03)
    parser.add_argument("--name-rate", type=float, default=0.01)
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also run each check under tracemalloc for the Python peak (slow)")
    parser.add_argument("--digest", action="store_true",
                        help="print a sha256 of each size's findings, to compare runs")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]

    base = load_base()
    info = (f"base: {len(base.documents)} documents, "
            f"{sum(map(len, base.claims.values()))} claims from "
            + ", ".join(str(p.relative_to(REPO)) for p in SOURCES)
            + f"; Python {platform.python_version()} on {platform.machine()}, "
            + f"{os.cpu_count()} CPUs; checker at {_revision()}; seed {args.seed}; "
            + f"jobs {args.jobs}")
    if not args.json:
        print(info, flush=True)
    rows: list[dict] = []
    over_budget = False
    for size in sizes:
        if over_budget:
            rows.append({"claims": size, "skipped": True})
            continue
        row = measure(base, size, args)
        rows.append(row)
        if "error" in row:
            print(f"{size:,} claims: {row['error']}\n{row.get('traceback', '')}", file=sys.stderr)
        if not args.json:
            print(f"  {size:,} claims: " + (f"{row['total_s']:.2f} s" if "total_s" in row else
                                            "timeout" if row.get("timeout") else "error"),
                  flush=True)
        if "total_s" not in row or row["total_s"] > args.max_seconds:
            over_budget = True
    if args.json:
        print(json.dumps({"info": info, "rows": rows}, indent=2))
    else:
        print()
        print(table(rows, args.tracemalloc))
        print()
        for row in rows:
            if "total_s" in row:
                print(details(row))
        print("\nx/10x: time factor per 10x claims against the previous size (10 = linear). "
              "peak MB: process peak RSS (corpus included); check MB: what the check added.")
    return 1 if any("error" in r for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
