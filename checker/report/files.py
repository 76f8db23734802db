"""Write output files atomically: a temporary file in the same folder, then a rename, so an
interrupted run never leaves a half-written report behind (DESIGN.md, Storage).

A writer holds an exclusive ``flock`` on its temporary file until the rename, so a
temporary file that nobody holds was left by a writer that died (``kill -9``, a power
cut) before renaming it. The next write to the same path removes such files: a killed
``check --output`` or ``triage`` leaves no debris in the newsroom's folders, nor untracked
files in the repository that keeps ``triage.yaml``.
"""
from __future__ import annotations

import fcntl
import os
import re
import tempfile
from pathlib import Path
from typing import Iterable

# Characters of the target's name kept in its temporary file's name: at most 4 bytes
# each, so the temporary name stays within a file system's 255 bytes however long the
# target's.
PREFIX_CHARS = 50
TEMP_TAIL = r"[a-z0-9_]{8}\.tmp"  # what mkstemp adds to the prefix, with our suffix


def write_atomic(path: str | Path, text: str | Iterable[str]) -> None:
    """Write ``text`` (a string, or its pieces: a large report is written as it is made,
    never held whole) to ``path`` atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _sweep(path)
    fd, tmp = _locked_temp(path)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # mkstemp makes 0600; a report is for others to read too
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.writelines([text] if isinstance(text, str) else text)
            fh.flush()
            os.fsync(fh.fileno())
            os.replace(tmp, path)  # before closing: the lock is held until the rename
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _prefix(path: Path) -> str:
    return f".{path.name[:PREFIX_CHARS]}."


def _locked_temp(path: Path) -> tuple[int, str]:
    """A new temporary file beside ``path``, locked. A sweep by another writer may remove
    it between its creation and the lock; then it is made again."""
    while True:
        fd, tmp = tempfile.mkstemp(prefix=_prefix(path), suffix=".tmp", dir=path.parent)
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            if os.stat(tmp).st_ino == os.fstat(fd).st_ino:
                return fd, tmp
        except FileNotFoundError:
            pass
        os.close(fd)


def _sweep(path: Path) -> None:
    """Remove the temporary files that dead writers of ``path`` left (module docstring)."""
    temp = re.compile(re.escape(_prefix(path)) + TEMP_TAIL)
    try:
        names = [e.name for e in os.scandir(path.parent)
                 if temp.fullmatch(e.name) and e.is_file(follow_symlinks=False)]
    except OSError:
        return
    for name in names:
        file = os.path.join(path.parent, name)
        try:
            fd = os.open(file, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if os.stat(file).st_ino == os.fstat(fd).st_ino:
                os.unlink(file)
        except OSError:  # held by a live writer, or renamed or removed meanwhile
            pass
        finally:
            os.close(fd)
