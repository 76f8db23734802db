"""The claim store: documents and the claims extracted from them, in SQLite, keyed by
content, so each version of a file is extracted once.

``draft`` keeps one as its claim index and ``nightly`` keeps one inside its history. On
every run the store is refreshed from the files: a file whose size and modification time
are unchanged costs one ``stat``; a changed one is hashed, and only a version never seen
before is read and extracted. Cached claims are dropped whenever the extraction code
changes (``extractor_version``), so an upgrade never serves claims an older extractor made.

For the draft's quick lookups each stored claim is also posted under its heaviest
describing words and its value (``postings``), and each document under its people's
surname blocks (``names``).

Writes are SQLite transactions committed in batches: a run killed at any point keeps
every batch committed before it, and the store is never left half written.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import zlib
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import __version__
from .claims.entities import Mention
from .claims.model import Claim
from .documents import Document, document_paths, read_bytes
from .engines import MIN_FILES, Engine, bulk_objects, extract_raw
from .errors import CheckerError, DocumentError
from .kinds.name_variant import surname_keys
from .independence import shingles
from .measures import claim_terms, unit_class

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    key INTEGER PRIMARY KEY, doc_id TEXT NOT NULL, sha256 TEXT NOT NULL,
    published TEXT, claims INTEGER NOT NULL, record BLOB NOT NULL, claim_records BLOB NOT NULL,
    UNIQUE (doc_id, sha256));
CREATE INDEX IF NOT EXISTS documents_claims ON documents (claims);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, doc_id TEXT NOT NULL, size INTEGER, mtime_ns INTEGER,
    doc_key INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS files_doc_key ON files (doc_key);
CREATE TABLE IF NOT EXISTS postings (
    term TEXT NOT NULL, unit TEXT NOT NULL, published TEXT, doc_key INTEGER NOT NULL,
    claim INTEGER NOT NULL, weight REAL NOT NULL, doc_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS postings_term ON postings (term, unit, published DESC, doc_id, claim, doc_key);
CREATE TABLE IF NOT EXISTS names (block TEXT NOT NULL, spelling TEXT NOT NULL,
    published TEXT, doc_key INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS names_block ON names (block, spelling, published);
"""
POSTED_TERMS = 6  # a claim's heaviest describing words, as the aligner looks up candidates
BATCH = 200  # documents per committed transaction while extracting
SCHEMA_VERSION = "7"  # bump when the tables or the record format change
EXTRACTION_SOURCES = ("documents.py", "furniture.py", "textdates.py", "timing.py",
                      "measures.py", "claims")


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """A digest of the code that turns a file into claims (read once per process): cached
    claims are valid only for the code and the store schema that made them."""
    digest = hashlib.sha256(f"{__version__}/{SCHEMA_VERSION}".encode())
    root = resources.files("checker")
    for name in EXTRACTION_SOURCES:
        node = root / name
        files = sorted((f for f in node.iterdir() if f.name.endswith((".py", ".tsv"))),
                       key=lambda f: f.name) if node.is_dir() else [node]
        for file in files:
            digest.update(file.name.encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class Scan:
    """What a refresh found: the stored documents for the files given, in order, and the
    files that could not be read."""

    keys: list[int] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)  # the file of each key
    skipped: list[str] = field(default_factory=list)
    extracted: int = 0
    reused: int = 0


def pack(data) -> bytes:
    """JSON, compressed, with keys sorted so equal data is equal bytes: how the store and
    the nightly history keep records."""
    return compress(canonical_json(data))


def canonical_json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True).encode()


def compress(text: bytes) -> bytes:
    return zlib.compress(text, 6)


def unpack(blob: bytes):
    return json.loads(zlib.decompress(blob))


def _document_record(doc: Document) -> bytes:
    shingles(doc)
    data = {"document": {k: v for k, v in asdict(doc).items() if k != "people"},
            "people": [[m.start, m.end, m.type, m.name, m.code] for m in doc.people]}
    if doc.published:
        data["document"]["published"] = doc.published.isoformat()
    return pack(data)


def _document(blob: bytes) -> Document:
    data = unpack(blob)
    doc = Document(**data["document"])
    if doc.published:
        doc.published = dt.date.fromisoformat(doc.published)
    doc.spans = [tuple(s) for s in doc.spans]
    doc.people = [Mention(*m) for m in data["people"]]
    return doc


def _claims(blob: bytes) -> list[Claim]:
    return [Claim(**dict(c, measure=None)) for c in unpack(blob)]


class Store:
    """One SQLite file of documents and claims. Use as a context manager."""

    def __init__(self, path: str | Path, postings: bool = True):
        self.path = Path(path)
        self.postings = postings
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(self.path, timeout=30)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            self._invalidate_if_stale()
        except sqlite3.DatabaseError as exc:
            raise CheckerError(f"not a usable SQLite database: {exc}", path=str(self.path),
                               hint="delete it to start a new one") from None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.db.close()

    def _invalidate_if_stale(self) -> None:
        version = extractor_version()
        row = self.db.execute("SELECT value FROM meta WHERE key = 'extractor'").fetchone()
        if row and row[0] == version:
            return
        with self.db:
            self.forget_documents()
            for statement in SCHEMA.split(";"):
                self.db.execute(statement)
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('extractor', ?)", (version,))

    def forget_documents(self) -> None:
        """Drop every cached document, claim and file state (inside the caller's
        transaction), to be made anew by the current schema; subclasses drop what
        refers to them."""
        for table in ("documents", "files", "postings", "names"):
            self.db.execute(f"DROP TABLE IF EXISTS {table}")

    def refresh(self, paths: Iterable[str], progress: Callable[[int, int], None] | None = None,
                scan: Scan | None = None, engine: Engine | None = None) -> Scan:
        """Bring the store up to date with the files under ``paths``; return their
        documents' keys. Unreadable files are reported in ``Scan.skipped``. A ``scan``
        given is filled as the files go by, so ``progress`` can report its counts. New
        content is extracted ``BATCH`` files at a time by ``engine`` (default: here), and
        each batch is committed as it is stored."""
        scan = Scan() if scan is None else scan
        engine = engine or Engine()
        files = list(document_paths(paths))
        known = {row[0]: row[1:] for row in self.db.execute(
            "SELECT path, doc_id, size, mtime_ns, doc_key FROM files")}
        pending: list[tuple] = []  # batches being extracted, oldest first
        for start in range(0, len(files), BATCH):
            batch = files[start:start + BATCH]
            found = [self._known(path, doc_id, known.get(os.path.abspath(path)), scan)
                     for path, doc_id in batch]
            todo = [(*item, self.postings) for item, _ in (f for f in found if isinstance(f, tuple))]
            # The workers start on this batch while the one before is stored: a pool
            # never waits for the database.
            pending.append((start, batch, found,
                            engine.start(prepare, todo, small=len(todo) < MIN_FILES)))
            if len(pending) > 1:
                self._commit(*pending.pop(0), scan, progress, len(files))
        for batch in pending:
            self._commit(*batch, scan, progress, len(files))
        return scan

    def _commit(self, done: int, batch: list, found: list, extracted: Iterator, scan: Scan,
                progress: Callable | None, total: int) -> None:
        """Store one batch's extracted files in one transaction, in the files' order.
        ``done`` counts the files before this batch."""
        with self.db:
            for (path, _), result in zip(batch, found):
                if isinstance(result, tuple):
                    result = self._store(next(extracted), result[1], scan)
                if result is not None:
                    scan.keys.append(result)
                    scan.paths.append(path)
                done += 1
                if progress:
                    progress(done, total)

    def _known(self, path: str, doc_id: str, known: tuple | None, scan: Scan):
        """The key of a file's stored document when its content is known; else its bytes
        to extract, as ``((raw, path, doc id), stat)``; None when it cannot be read."""
        try:
            stat = os.stat(path)
            if known and known[0] == doc_id and known[1:3] == (stat.st_size, stat.st_mtime_ns):
                scan.reused += 1
                return known[3]
            raw = read_bytes(path)
        except OSError as exc:
            scan.skipped.append(str(DocumentError(f"cannot read: {exc.strerror or exc}", path=path)))
            return None
        except DocumentError as exc:
            scan.skipped.append(str(exc))
            return None
        row = self.db.execute("SELECT key FROM documents WHERE doc_id = ? AND sha256 = ?",
                              (doc_id, hashlib.sha256(raw).hexdigest())).fetchone()
        if row is None:
            return (raw, path, doc_id), stat
        scan.reused += 1
        self._file(path, doc_id, stat, row[0])
        return row[0]

    def _store(self, prepared: tuple[str, str | None, Rows | None], stat: os.stat_result,
               scan: Scan) -> int | None:
        """Store one extracted file (inside the caller's transaction)."""
        path, problem, rows = prepared
        if problem:
            scan.skipped.append(problem)
            return None
        key = self.add(rows)
        scan.extracted += 1
        self._file(path, rows.doc_id, stat, key)
        return key

    def _file(self, path: str, doc_id: str, stat: os.stat_result, key: int) -> None:
        """Remember a file's state under its absolute path: a corpus named relatively one
        day and absolutely the next is one corpus, not read and hashed again."""
        self.db.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)",
                        (os.path.abspath(path), doc_id, stat.st_size, stat.st_mtime_ns, key))

    def prune(self, paths: Iterable[str], scan: Scan) -> None:
        """Forget the files under ``paths`` that the refresh ``scan`` no longer found, and
        the documents no file refers to any more: an index of the corpus as it is now,
        not of every version it ever had."""
        roots = [os.path.abspath(p) for p in paths]
        seen = {os.path.abspath(p) for p in scan.paths}
        gone = [(path,) for (path,) in self.db.execute("SELECT path FROM files")
                if path not in seen and any(path == r or path.startswith(r.rstrip("/") + "/")
                                            for r in roots)]
        if not gone and not scan.extracted:
            return
        with self.db:
            self.db.executemany("DELETE FROM files WHERE path = ?", gone)
            orphans = [key for (key,) in self.db.execute(
                "SELECT key FROM documents WHERE key NOT IN (SELECT doc_key FROM files)")]
            for chunk in range(0, len(orphans), 500):
                part = orphans[chunk:chunk + 500]
                marks = ",".join("?" * len(part))
                for table, column in (("documents", "key"), ("postings", "doc_key"),
                                      ("names", "doc_key")):
                    self.db.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", part)

    def add(self, rows: Rows) -> int:
        """Store one prepared document (inside the caller's transaction)."""
        cursor = self.db.execute(
            "INSERT INTO documents (doc_id, sha256, published, claims, record, claim_records) "
            "VALUES (?, ?, ?, ?, ?, ?)", (rows.doc_id, rows.sha256, rows.published, rows.claims,
                                          rows.record, rows.claim_records))
        key = cursor.lastrowid
        if self.postings:
            self.db.executemany("INSERT INTO postings VALUES (?, ?, ?, ?, ?, ?, ?)",
                                [(t, u, rows.published, key, i, w, rows.doc_id)
                                 for t, u, i, w in rows.postings])
            self.db.executemany("INSERT INTO names VALUES (?, ?, ?, ?)",
                                [(b, n, rows.published, key) for b, n in rows.names])
        return key

    def records(self, keys: Iterable[int], claims: bool = True,
                ) -> Iterator[tuple[int, Document, list[Claim]]]:
        """Each stored document under ``keys`` with its claims (none when ``claims`` is
        false, which spares parsing them), in that order."""
        keys = list(keys)
        column = "claim_records" if claims else "NULL"
        for chunk in range(0, len(keys), 500):
            part = keys[chunk:chunk + 500]
            marks = ",".join("?" * len(part))
            rows = {key: (record, found) for key, record, found in self.db.execute(
                f"SELECT key, record, {column} FROM documents WHERE key IN ({marks})", part)}
            for key in part:
                record, found = rows[key]
                yield key, _document(record), _claims(found) if found else []

    def load(self, keys: Iterable[int]) -> tuple[list[Document], list[Claim]]:
        """The documents and claims stored under ``keys``, in that order."""
        documents, claims = [], []
        with bulk_objects():
            for _, doc, found in self.records(keys):
                documents.append(doc)
                claims.extend(found)
        return documents, claims

    def claim_count(self, keys: Iterable[int]) -> int:
        """Claims in the documents ``keys``, read from the index ``documents_claims``: a
        scan of the table itself reads every record's pages (0.6 s cold at 10k articles,
        most of a draft check's second)."""
        counts = dict(self.db.execute("SELECT key, claims FROM documents"))
        return sum(counts.get(k, 0) for k in keys)


@dataclass
class Rows:
    """A document made ready to store where it was extracted (a worker process, when
    there are several): its compressed records, and its postings (term, unit, claim,
    weight) and names (block, spelling) rows, which get the document's key when stored."""

    doc_id: str
    sha256: str
    published: str | None
    claims: int
    record: bytes
    claim_records: bytes
    postings: list[tuple] = field(default_factory=list)
    names: list[tuple] = field(default_factory=list)


def prepare(item: tuple[bytes, str, str, bool]) -> tuple[str, str | None, Rows | None]:
    """Extract one file's bytes (``(raw, path, doc id, with postings)``) into ``Rows``:
    (path, the problem that kept it out or None, rows)."""
    raw, path, doc_id, with_postings = item
    result = extract_raw((raw, path, doc_id))
    if result.problem:
        return path, result.problem, None
    doc, claims = result.document, result.claims
    rows = Rows(doc.id, result.sha256, doc.published.isoformat() if doc.published else None,
                len(claims), _document_record(doc), pack([c.to_json() for c in claims]))
    if with_postings:
        rows.postings = list(_postings(claims))
        rows.names = sorted({(block, m.name) for m in doc.people
                             for block in surname_keys(m.name)})
    return path, None, rows


def _postings(claims: list[Claim]) -> Iterable[tuple]:
    """Each claim under its heaviest describing words and under its value ("=16894")."""
    for i, (claim, bag) in enumerate(zip(claims, claim_terms(claims))):
        unit = unit_class(claim)
        for term, weight in bag.most_common(POSTED_TERMS):
            yield term, unit, i, weight
        if claim.value is not None:
            yield value_term(claim), unit, i, 1.0


def value_term(claim: Claim) -> str:
    """How a claim's value is posted: "=16894"."""
    return f"={claim.value:g}"
