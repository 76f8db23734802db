"""An archive is hundreds of thousands of files: reading them must cost no resource per
file that lives on. Reading each file with a 10 MB buffer once left one memory mapping
per file (the buffer, shrunk to the file's size, stays a mapping of its own); past
Linux's 65,530 mappings a 100k-article check died loading a module ("failed to map
segment from shared object")."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from checker.documents import document_paths
from checker.engines import read_all

FILES = 2_000


def _mappings() -> int:
    with open("/proc/self/maps", encoding="ascii", errors="replace") as fh:
        return sum(1 for _ in fh)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/maps")
def test_reading_many_files_leaves_no_mapping_per_file(tmp_path: Path):
    for n in range(FILES):
        (tmp_path / f"a{n:05d}.txt").write_text(f"Officials counted {n} people on Monday.\n" * 40,
                                                encoding="utf-8")
    before = _mappings()
    items, problems = read_all(document_paths([str(tmp_path)]))
    assert len(items) == FILES and not problems
    assert _mappings() - before < FILES // 10
