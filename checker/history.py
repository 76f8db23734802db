"""Nightly history in SQLite: runs, the documents each run read, and its findings, kept
in the same file as the claim store (``store.Store``), so "only new and changed documents
are re-extracted" and "what changed since last night" come from one database.

A run is recorded in two steps. ``begin`` commits a row with status ``running``; the run's
documents and findings are written with ``complete`` in one transaction at its very end.
A run killed at any point before that leaves only its ``running`` row, which the next run
(holding the lock, so no run can really be running) marks ``interrupted``; the previous
run is always the last ``complete`` one, so nothing half done is ever compared against.

A run's documents are recorded by id and content hash, not by the store's row key: the
store forgets its rows whenever the extraction code changes, and the history must not.
Finding records (the finding as JSON, evidence included) are stored once per distinct
content and shared by every run that saw them, so a year of nightly runs over a stable
corpus costs little more than one.

Statuses against the previous complete run: ``new`` (its fingerprint was not among the
previous run's findings), ``open`` (it was), ``resolved`` (the previous run had it and this
one does not; the report shows it with its evidence from then).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass
from json.encoder import encode_basestring
from pathlib import Path

from anyascii import anyascii

from .claims.model import cited
from .errors import CheckerError
from .store import Store, canonical_json, compress, unpack

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, started TEXT NOT NULL,
    finished TEXT, status TEXT NOT NULL, previous TEXT, counts TEXT, error TEXT);
CREATE TABLE IF NOT EXISTS run_documents (
    run TEXT NOT NULL, doc_id TEXT NOT NULL, sha256 TEXT NOT NULL, path TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS run_documents_run ON run_documents (run);
CREATE TABLE IF NOT EXISTS finding_records (sha256 TEXT PRIMARY KEY, record BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS findings (
    run TEXT NOT NULL, fingerprint TEXT NOT NULL, status TEXT NOT NULL,
    severity TEXT NOT NULL, rule TEXT NOT NULL, digest TEXT NOT NULL, record TEXT NOT NULL,
    triage TEXT, PRIMARY KEY (run, fingerprint));
CREATE INDEX IF NOT EXISTS findings_fingerprint ON findings (fingerprint);
"""
STATUSES = ("new", "open", "resolved")
# What a run says about a finding, as opposed to the finding itself: not part of its record.
RUN_KEYS = ("status", "triage", "replaces", "replaced_by")
RUN_ID = re.compile(r"^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ(-\d\d)?$")


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def iso(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def run_id(started: dt.datetime, taken: set[str]) -> str:
    """``2026-11-23T05-41-07Z``: sorts by time, safe as a folder name on any system; a
    second run in the same second gets ``-02``, then ``-03``."""
    base = started.strftime("%Y-%m-%dT%H-%M-%SZ")
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n:02d}"
    return candidate


def evidence_digest(finding: dict) -> str:
    """SHA-256 over what an editor read when deciding: each evidence claim's document,
    figure text and sentence. The fingerprint ignores wording; this does not, so a triage
    decision lapses when the sentences it was made on change."""
    quotes = sorted({_quote(c["doc"], c["text"], c.get("sentence", "")) for c in finding["claims"]})
    return hashlib.sha256("\n".join(quotes).encode()).hexdigest()


def _quote(*parts) -> str:
    """``json.dumps(list(parts), ensure_ascii=False)``, written out for strings: a night's
    findings cite claims by the hundred thousand, and ``json.dumps`` builds an encoder
    for every call (digests stay those of earlier versions, so triage decisions hold)."""
    if all(isinstance(p, str) for p in parts):
        return "[" + ", ".join(map(encode_basestring, parts)) + "]"
    return json.dumps(list(parts), ensure_ascii=False)


def facts(finding: dict) -> set[tuple]:
    """The evidence as facts, as the engine's fingerprint sees it: each claim's document,
    value (a name's folded spelling) and period."""
    return {(c["doc"], c["value"] if c.get("value") is not None else anyascii(c["text"]).lower(),
             *((c.get("period") or {}).get(k) for k in ("start", "end")))
            for c in finding["claims"]}


def compare(current: list[dict], before: set[str], gone: list[dict]) -> list[dict]:
    """This run's findings with their status, then the previous run's that are gone
    (``resolved``, with their evidence as it was). ``before`` holds the ids of the
    previous run's findings, ``gone`` those of them not found now (``History.findings``).

    A finding's id covers all its evidence, so a discrepancy that a new article joins (a
    third spelling of a name, a fifth source for a running figure) gets a new id: by the
    contract it is ``new`` and the old one ``resolved``. So that a reader sees it as the
    same discrepancy moving on, each resolved finding is linked to the new finding of the
    same rule that shares the most of its evidence facts: ``replaced_by`` on the old one,
    ``replaces`` (a list: several may merge) on the new one."""
    marked = [dict(f, status="open" if f["id"] in before else "new") for f in current]
    resolved = [dict(f, status="resolved") for f in gone]
    fresh = {f["id"]: f for f in marked if f["status"] == "new"}
    by_fact: dict[tuple, list[str]] = {}
    for finding in fresh.values():
        for fact in facts(finding):
            by_fact.setdefault((finding["rule"], fact), []).append(finding["id"])
    for old in resolved:
        shared = Counter(i for fact in facts(old) for i in by_fact.get((old["rule"], fact), []))
        if shared:
            successor = fresh[max(shared, key=lambda i: (shared[i], i))]
            old["replaced_by"] = successor["id"]
            successor.setdefault("replaces", []).append(old["id"])
    return marked + resolved


@dataclass
class RunInfo:
    """One row of the runs table, as the index and the reports show it."""

    id: str
    started: str
    finished: str | None
    status: str
    previous: str | None
    counts: dict
    error: str | None


class History(Store):
    """The claim store plus the nightly tables, in one SQLite file."""

    def __init__(self, path: str | Path):
        super().__init__(path, postings=False)
        self.db.executescript(SCHEMA)

    def recover(self) -> None:
        """Mark runs left ``running`` as ``interrupted``. Only call with the lock held:
        then no run is really running, and any such row is a run that was killed."""
        with self.db:
            self.db.execute("UPDATE runs SET status = 'interrupted', error = 'killed' "
                            "WHERE status = 'running'")

    def begin(self, started: dt.datetime, taken: set[str]) -> str:
        """Record a run as started; return its id, unique among the runs and ``taken``."""
        known = {r[0] for r in self.db.execute("SELECT id FROM runs")}
        new_id = run_id(started, known | taken)
        with self.db:
            self.db.execute("INSERT INTO runs (id, started, status) VALUES (?, ?, 'running')",
                            (new_id, iso(started)))
        return new_id

    def fail(self, run: str, status: str, error: str) -> None:
        """Record a run that stopped on an error (``failed``) or was stopped
        (``interrupted``)."""
        with self.db:
            self.db.execute("UPDATE runs SET status = ?, finished = ?, error = ? WHERE id = ?",
                            (status, iso(utc_now()), error, run))

    def runs(self, status: str | None = None) -> list[RunInfo]:
        """Every run (or every run with ``status``), newest first."""
        sql = "SELECT id, started, finished, status, previous, counts, error FROM runs"
        where, args = (" WHERE status = ?", (status,)) if status else ("", ())
        rows = self.db.execute(sql + where + " ORDER BY seq DESC", args)
        return [RunInfo(*row[:5], json.loads(row[5]) if row[5] else {}, row[6]) for row in rows]

    def previous(self) -> RunInfo | None:
        """The last complete run: the one a new run is compared with."""
        complete = self.runs("complete")
        return complete[0] if complete else None

    def findings(self, run: str, now: set[str]) -> tuple[set[str], list[dict]]:
        """The ids of the findings a run reported as present (new or open), and those of
        them not among the ids ``now``, as they were then. Only these are read whole: on
        a night when little changed, nearly every finding is still there."""
        rows = self.db.execute("SELECT fingerprint, record FROM findings "
                               "WHERE run = ? AND status != 'resolved' ORDER BY rowid", (run,))
        ids, wanted = set(), []
        for fingerprint, record in rows:
            ids.add(fingerprint)
            if fingerprint not in now:
                wanted.append(record)
        blobs = {}
        for chunk in range(0, len(wanted), 500):
            part = wanted[chunk:chunk + 500]
            blobs.update(self.db.execute(
                "SELECT sha256, record FROM finding_records WHERE sha256 IN "
                f"({','.join('?' * len(part))})", part))
        return ids, [unpack(blobs[sha]) for sha in wanted]

    def complete(self, run: str, previous: str | None, counts: dict, keys: list[int],
                 findings: list[dict]) -> None:
        """Record a run's documents and findings (each with ``status`` and, if triaged,
        ``triage``) and mark it complete: one transaction, all or nothing."""
        findings = cited(findings, {})
        with self.db:
            self.db.execute(
                "INSERT INTO run_documents (run, doc_id, sha256, path) "
                "SELECT ?, d.doc_id, d.sha256, COALESCE(f.path, '') FROM documents d "
                "LEFT JOIN files f ON f.doc_key = d.key WHERE d.key IN "
                "(SELECT value FROM json_each(?)) GROUP BY d.key", (run, json.dumps(keys)))
            for finding in findings:
                sha = self._record(
                    {k: v for k, v in finding.items() if k not in RUN_KEYS})
                self.db.execute(
                    "INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (run, finding["id"], finding["status"], finding["severity"],
                     finding["rule"], evidence_digest(finding), sha,
                     (finding.get("triage") or {}).get("status")))
            self.db.execute("UPDATE runs SET status = 'complete', finished = ?, previous = ?, "
                            "counts = ? WHERE id = ?",
                            (iso(utc_now()), previous, json.dumps(counts), run))

    def _record(self, record: dict) -> str:
        """Store a finding record once (inside the caller's transaction); return its key,
        the SHA-256 of its JSON. Most of a night's findings were there the night before:
        those are not compressed again."""
        text = canonical_json(record)
        sha = hashlib.sha256(text).hexdigest()
        if self.db.execute("SELECT 1 FROM finding_records WHERE sha256 = ?", (sha,)).fetchone() is None:
            self.db.execute("INSERT INTO finding_records VALUES (?, ?)", (sha, compress(text)))
        return sha


@dataclass
class Known:
    """A finding as the history last saw it, for ``checker triage``."""

    fingerprint: str
    rule: str
    message: str
    digest: str
    run: str


def lookup(db: Path, prefix: str) -> Known:
    """The finding whose fingerprint starts with ``prefix``, as its latest complete run
    recorded it. Opens the history read-only: triage never writes to it."""
    prefix = prefix.strip().lower()
    if not re.fullmatch(r"[0-9a-f]{1,16}", prefix):
        raise CheckerError(f"'{prefix}' is not a finding id (up to 16 hex digits)")
    if not db.is_file():
        raise CheckerError("no nightly history here", path=str(db),
                           hint="run `checker nightly` first, or give --out DIR or --db FILE")
    try:
        conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        try:
            rows = conn.execute(
                "SELECT f.fingerprint, f.rule, f.digest, f.run, r.record FROM findings f "
                "JOIN runs ON runs.id = f.run JOIN finding_records r ON r.sha256 = f.record "
                "WHERE f.fingerprint >= ? AND f.fingerprint < ? AND runs.status = 'complete' "
                "ORDER BY runs.seq DESC", (prefix, prefix + "g")).fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise CheckerError(f"not a nightly history: {exc}", path=str(db)) from None
    found = {}
    for fingerprint, rule, digest, run, record in rows:
        found.setdefault(fingerprint, (rule, digest, run, record))
    if not found:
        raise CheckerError(f"no finding '{prefix}' in the history", path=str(db))
    if len(found) > 1:
        some = ", ".join(sorted(found)[:3]) + (", ..." if len(found) > 3 else "")
        raise CheckerError(f"'{prefix}' is ambiguous: {len(found)} findings start with it "
                           f"({some})", path=str(db))
    fingerprint, (rule, digest, run, record) = next(iter(found.items()))
    return Known(fingerprint, rule, unpack(record)["message"], digest, run)
