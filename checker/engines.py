"""Where the heavy stages run: in this process, in a pool of processes (``--jobs``), or on
a Dask cluster (``--engine dask --scheduler ADDRESS``).

Two stages spread: extraction, one task per file (the file's bytes go to the worker, so
a cluster needs no shared file system), and the placing of claims into measures, one task
per kind of figure (``measures.assign_block``). Everything else runs here. Every engine
returns the same results in the same order, so findings never depend on where they were
computed (tests/test_engines.py runs the fixtures on a Dask LocalCluster to check).

Small inputs stay in this process: starting workers costs more than a draft's or a
handful of articles' extraction.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from .claims.extract import extract_documents
from .claims.model import Claim
from .documents import SUFFIXES, Document, decode, document_from_text, read_bytes
from .errors import CheckerError, DocumentError
from .independence import shingles

ENGINES = ("local", "dask")
MIN_FILES = 8  # fewer files than this are extracted in this process
# Fewer claims than this are placed in this process. Placing in a pool of processes lost
# at every size measured (benchmarks/check_scaling.py, 2 cores: 100k claims 10.4 s
# against 7.4 s, 1M 82 s against 75 s): the largest kind of figure is one task that one
# worker places while this process waits, after pickling every block to the workers.
MIN_CLAIMS = 10_000_000
PARENT_POLL = 0.5  # seconds between a pool worker's checks that its parent still lives


@dataclass
class Extracted:
    """One file's document and claims, or the one-line problem that kept it out."""

    path: str
    sha256: str
    document: Document | None = None
    claims: list[Claim] = field(default_factory=list)
    problem: str | None = None


def extract_raw(item: tuple[bytes, str, str]) -> Extracted:
    """Decode, read and extract one file's bytes (``(raw, path, doc id)``), and sample
    its shingles for ``independence``."""
    import hashlib

    raw, path, doc_id = item
    sha = hashlib.sha256(raw).hexdigest()
    try:
        doc = document_from_text(decode(raw, path), doc_id, path,
                                 SUFFIXES.get(os.path.splitext(path)[1].lower(), "text"))
    except DocumentError as exc:
        return Extracted(path, sha, problem=str(exc))
    _, claims, problems = extract_documents([doc])
    if problems:
        return Extracted(path, sha, problem=problems[0])
    shingles(doc)  # wire-copy detection's per-document work, done here in parallel too
    return Extracted(path, sha, doc, claims)


def available_cores() -> int:
    """The cores this process may run on (cgroup and affinity limits included)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Engine:
    """Maps a function over items, returning results in order. Use as a context manager."""

    def map(self, fn: Callable, items: list, small: bool = False) -> list:
        """``fn`` over ``items``; ``small`` work runs in this process whatever the engine."""
        return list(self.start(fn, items, small))

    def start(self, fn: Callable, items: list, small: bool = False) -> Iterator:
        """Like ``map``, but returns at once: the results in order, as they come. Workers
        start on ``items`` now, so the caller can prepare the next work meanwhile (the
        store reads the next batch of files while this one is extracted). Here, in this
        process, the work is done as the results are read."""
        return map(fn, items)

    def extract(self, items: list[tuple[bytes, str, str]]) -> list[Extracted]:
        return self.map(extract_raw, items, small=len(items) < MIN_FILES)

    def place(self, claims_count: int) -> Callable:
        """The ``map_blocks`` for ``measures.align`` over this many claims."""
        return lambda fn, blocks: self.map(fn, list(blocks), small=claims_count < MIN_CLAIMS)

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        pass


class Local(Engine):
    """This process, or a pool of ``jobs`` worker processes started on first use.

    Workers are spawned, not forked: a forked worker would inherit the nightly lock and
    the database handle, and keep the lock after a ``kill -9`` of its parent, so the next
    run could never start. And as a worker would wait for work forever once its parent
    is gone, each one watches its parent and exits when it dies (``_watch_parent``)."""

    def __init__(self, jobs: int | None = None):
        self.jobs = jobs or available_cores()
        self.pool: ProcessPoolExecutor | None = None

    def map(self, fn: Callable, items: list, small: bool = False) -> list:
        with bulk_objects():
            return list(self.start(fn, items, small))

    def start(self, fn: Callable, items: list, small: bool = False) -> Iterator:
        if self.jobs == 1 or small or len(items) < 2:
            return map(fn, items)
        if self.pool is None:
            self.pool = ProcessPoolExecutor(self.jobs,
                                            mp_context=multiprocessing.get_context("spawn"),
                                            initializer=_watch_parent, initargs=(os.getpid(),))
        chunk = max(1, min(64, len(items) // (self.jobs * 4)))
        return self.pool.map(fn, items, chunksize=chunk)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None


@contextmanager
def bulk_objects():
    """Pause the cyclic garbage collector while a block makes a great many objects that
    live on (claims and documents unpickled from workers or read from a store). Such
    objects hold no reference cycles, yet every collection walks all of them again: with
    it running, unpickling 10k articles' results took four times as long, in the process
    that the workers' results all pass through."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _watch_parent(parent: int) -> None:
    """In a pool worker: a thread that ends the worker once its parent has died (it is
    then adopted by another process), so a killed run leaves no workers behind."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="watch-parent").start()


class Dask(Engine):
    """A dask.distributed cluster: ``scheduler`` is its address (``tcp://host:8786``)."""

    def __init__(self, scheduler: str):
        try:
            from dask.distributed import Client
        except ImportError:
            raise CheckerError("--engine dask needs Dask: pip install \"checker[dask]\"") from None
        try:
            self.client = Client(scheduler, timeout="20s", set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise CheckerError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None

    def map(self, fn: Callable, items: list, small: bool = False) -> list:
        """Everything goes to the cluster, however small: the user asked for it."""
        if not items:
            return []
        return self.client.gather(self.client.map(fn, items, pure=False))

    def start(self, fn: Callable, items: list, small: bool = False) -> Iterator:
        futures = self.client.map(fn, items, pure=False) if items else []
        return (future.result() for future in futures)

    def close(self) -> None:
        self.client.close()


def make(engine: str = "local", jobs: int | None = None, scheduler: str | None = None) -> Engine:
    if engine == "dask":
        if not scheduler:
            raise CheckerError("--engine dask needs --scheduler ADDRESS (e.g. tcp://127.0.0.1:8786)")
        return Dask(scheduler)
    if jobs is not None and jobs < 1:
        raise CheckerError(f"--jobs must be at least 1, not {jobs}")
    return Local(jobs)


def read_all(files: Iterable[tuple[str, str]]) -> tuple[list[tuple[bytes, str, str]], list[str]]:
    """Each file's bytes for ``extract_raw``, and a one-line problem for each unreadable one."""
    items, problems = [], []
    for path, doc_id in files:
        try:
            items.append((read_bytes(path), path, doc_id))
        except DocumentError as exc:
            problems.append(str(exc))
    return items, problems
