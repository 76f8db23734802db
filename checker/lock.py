"""One nightly run at a time: an exclusive ``flock`` on a lock file, held for the run.

Under cron a slow run can still be going when the next one starts; two runs writing the
same reports and history would each compare against a half-made other. ``flock`` is
released by the kernel when its holder dies, even by ``kill -9``, so a lock file left
behind never blocks the next run. The holder's pid is written into the file only to name
it in the message a second run gets.

The lock is a separate file, never the SQLite database itself: SQLite's own POSIX locks
on a database are dropped when any descriptor of it in the process is closed.
"""
from __future__ import annotations

import fcntl
import os
from contextlib import ExitStack
from pathlib import Path

from .errors import CheckerError


class Busy(CheckerError):
    """Another run holds the lock."""


class Lock:
    """Exclusive locks on ``paths`` (taken in order, all or none). A context manager."""

    def __init__(self, *paths: Path):
        self.paths = list(dict.fromkeys(Path(p) for p in paths))
        self._stack = ExitStack()

    def __enter__(self) -> "Lock":
        try:
            for path in self.paths:
                self._take(path)
        except BaseException:
            self._stack.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self._stack.close()

    def _take(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        self._stack.callback(os.close, fd)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            raise Busy("another nightly run holds this lock"
                       + (f" (pid {holder})" if holder.isdigit() else ""), path=str(path),
                       hint="try again when it has finished") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
