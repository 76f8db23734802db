"""Where the heavy stages run: in this process, in a pool of processes (``--jobs``), or on
a Dask cluster (``--engine dask --scheduler ADDRESS``).

Two stages spread: extraction, one task per file (the file's bytes go to the worker, so
a cluster needs no shared file system), and the placing of claims into measures, one task
per kind of figure (``measures.assign_block``). Everything else runs here. Every engine
returns the same results in the same order, so findings never depend on where they were
computed (tests/test_engines.py runs the fixtures on a Dask LocalCluster to check).

Small inputs stay in this process: starting workers costs more than a draft's or a
handful of articles' extraction.

A large check (``MIN_FORK_CLAIMS``) run locally on more than one core also shares out
what is left of it in this process, with forked children (``Forked``), which need nothing
pickled to them: wire-copy detection while claims align, half the claims' describing
words and all kinds of figure but the largest while this process does the rest
(``forked_map``), and the rules (``engine.check``).
"""
from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import pickle
import queue
import select
import signal
import sys
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
# Fewer claims than this are checked in this process alone (no ``Forked`` children): a
# smaller check takes a few seconds, and a child's share of it would hardly pay for
# starting the child and sending its results back.
MIN_FORK_CLAIMS = 100_000
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
        processes = self.processes(claims_count)

        def map_blocks(fn: Callable, blocks) -> list:
            if claims_count < MIN_CLAIMS and processes > 1:
                return forked_map(fn, list(blocks))
            return self.map(fn, list(blocks), small=claims_count < MIN_CLAIMS)

        return map_blocks

    def processes(self, claims_count: int) -> int:
        """How many processes of this machine checking this many claims may use."""
        return 1

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

    def processes(self, claims_count: int) -> int:
        """As ``Engine.processes``; when the check will fork, the pool is stopped first.
        Its threads (the executor's manager, the call queue's feeder) must not be copied
        by a fork: one may hold a lock the child would then wait for forever, and Python
        3.12+ warns of it. Extraction, the pool's work, is done by then."""
        if claims_count < MIN_FORK_CLAIMS or not can_fork() or self.jobs == 1:
            return 1
        self.close()
        return self.jobs

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None


PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent dies
# The niceness a child working behind the parent takes (``Forked``): the scheduler then
# gives it about a tenth of the CPU time of a process at the parent's when they share a
# core, and all of an idle one.
BEHIND = 10


def can_fork() -> bool:
    """Whether ``Forked`` children can be made safe here: Linux only (``_detach``)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


class Forked:
    """``work()``, an iterable, run in a forked child process while this one goes on: each
    of its items is pickled back through a pipe as soon as it is made (``receive``).

    A fork needs no pickling of what ``work`` reads: the child has this process's objects
    as they are (a spawned pool worker would be sent every claim). What made forked
    workers unsafe (``Local``) is undone in the child first (``_detach``): it closes every
    descriptor it inherited, the nightly lock's and the database's among them, so it can
    hold neither; and it is killed by the kernel the moment its parent dies, so a
    ``kill -9`` of a run leaves nothing behind. The child never returns into the caller's
    code: it leaves by ``os._exit`` whatever happens, running no clean-up of the parent's.
    """

    def __init__(self, work: Callable[[], Iterable], behind: bool = False):
        """``behind``: the child's work is off the path that the parent's sets the pace
        of, so it runs at a lower priority (``BEHIND``) and takes no core from the parent
        when there are more processes than cores."""
        read, write = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                os.close(read)
                _detach(parent, keep=write)
                if behind:
                    os.nice(BEHIND)
                _send(work(), write)
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        self.pid: int | None = pid
        self.read = read

    def ready(self) -> bool:
        """Whether ``receive`` would return (or raise) at once."""
        return bool(select.select([self.read], [], [], 0)[0])

    def receive(self):
        """The next item, waiting for it. EOFError after the last, or early when the child
        failed (it printed nothing: the caller does the rest of the work itself, so any
        error shows there)."""
        size = _read_exactly(self.read, 8) if self.pid is not None else None
        data = size and _read_exactly(self.read, int.from_bytes(size, "little"))
        if data is None:
            self.close()
            raise EOFError
        return pickle.loads(data)

    def close(self) -> None:
        """End the child, unless it has ended, and wait for it."""
        if self.pid is not None:
            os.close(self.read)
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self.pid, 0)
            self.pid = None


def _send(items: Iterable, fd: int) -> None:
    """Each item pickled, after its size, into the pipe ``fd``. A thread writes, so that
    making the next item goes on while the parent is too busy to read (a pipe holds
    only 64 KiB)."""
    outbox: queue.SimpleQueue = queue.SimpleQueue()

    def write() -> None:
        while (data := outbox.get()) is not None:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]

    writer = threading.Thread(target=write, name="forked-send")
    writer.start()
    try:
        for item in items:
            data = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
            outbox.put(len(data).to_bytes(8, "little") + data)
    finally:
        outbox.put(None)
        writer.join()


def _read_exactly(fd: int, size: int) -> bytes | None:
    """``size`` bytes from a pipe, or None when it ends first."""
    parts = []
    while size:
        part = os.read(fd, min(size, 1 << 20))
        if not part:
            return None
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


def forked_map(fn: Callable, items: list) -> list:
    """``fn`` over ``items`` (each with a ``len``), the largest here and the others in a
    ``Forked`` child meanwhile: what placing claims into measures can share out, since
    its largest kind of figure (people) is about half of the claims, as can working out
    their describing words (``measures.terms_of``, in halves). Nothing is pickled
    to the child; only the results come back."""
    if len(items) < 2:
        return list(map(fn, items))
    largest = max(range(len(items)), key=lambda k: len(items[k]))
    others = items[:largest] + items[largest + 1:]
    with meanwhile(lambda: list(map(fn, others)), behind=True) as theirs:
        mine = fn(items[largest])
        results = theirs()
    results.insert(largest, mine)
    return results


@contextmanager
def meanwhile(work: Callable, processes: int = 2, behind: bool = False) -> Iterator[Callable]:
    """``work()`` in a ``Forked`` child (``behind`` this process, when so asked) while
    the ``with`` block goes on, when more than one process may be used (``processes``).
    Yields a function that returns its result, waiting for the child, or doing the work
    here when no child did it or the child failed."""
    child = Forked(lambda: [work()], behind) if processes > 1 and can_fork() else None

    def result():
        if child is not None:
            try:
                return child.receive()
            except EOFError:
                pass  # the child failed
        return work()

    try:
        yield result
    finally:
        if child is not None:
            child.close()


def _detach(parent: int, keep: int) -> None:
    """In a ``Forked`` child: die with the parent, and close every inherited descriptor
    but ``keep`` and the standard three. A lock (``flock``) belongs to the open file, which
    a child's copy of the descriptor would keep locked after its parent died."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL) != 0 or os.getppid() != parent:
        os._exit(1)  # no guard, or the parent is already gone
    os.closerange(3, keep)
    os.closerange(keep + 1, os.sysconf("SC_OPEN_MAX"))


@contextmanager
def bulk_objects():
    """Pause the cyclic garbage collector while a block makes a great many objects that
    live on (claims and documents unpickled from workers or read from a store). Such
    objects hold no reference cycles, yet every collection walks all of them again: with
    it running, unpickling 10k articles' results took four times as long, in the process
    that the workers' results all pass through.

    Afterwards they are frozen (``gc.freeze``), never walked again: resumed collections
    would otherwise walk every object the block made once more (1.6 s after a check of
    100k articles). None of them is cyclic garbage (a check makes none, a test says so),
    so nothing they hold is lost to the collector."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
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
