"""A corpus's file and folder names cannot make checker write anywhere but where its
command line says.

Document ids are paths relative to the folder given (``documents.iter_paths``), so a name
is the one thing an article's author controls that could reach a file path: ``..``,
names that look like options, spaces, newlines, unicode, names as long as the file system
allows, ids that look absolute (a second file with a taken id is known by its whole
path), symbolic links out of the corpus. Every command that writes (``check`` and
``extract --output``, ``nightly --out``, ``draft --index --output``, ``triage``) runs over
such a corpus as a real process, with its working folder, ``HOME`` and ``TMPDIR`` inside
the test's folder; afterwards nothing may exist there that the command line did not name,
nothing that existed may have changed, and each run must have completed. (No code builds
a file path from a document id; these tests keep it so.)

The output paths themselves: a ``--output`` name as long as a file name may be still
gets its temporary file beside it, and a link in ``--out`` named like a killed run's
leftovers is not removed through.
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from checker.history import History, utc_now

from conftest import FIXTURES, REPO
from test_nightly import RULES

DRAFT = REPO / "fixtures" / "drafts" / "planted-fighters.md"
LONG_OUTPUT = "r" * 250 + ".html"  # as long as a file name may be, with its extension
# relative path in the corpus -> the document id it must get (None: its whole path)
HOSTILE = {
    "a..b.md": "a..b",
    "-rf.md": "-rf",
    "--output=x.md": "--output=x",
    "with space.txt": "with space",
    "new\nline.txt": "new\nline",
    "ünïcödé 数字.md": "ünïcödé 数字",
    "x" * 250 + ".md": "x" * 250,
    " ../ ../x.md": " ../ ../x",
    "\u2025/\u2215etc\u2215passwd.md": "\u2025/\u2215etc\u2215passwd",
    "x\\..\\..\\y.md": "x\\..\\..\\y",
    "<b>'\"&.txt": "<b>'\"&",
    "d" * 200 + "/" + "f" * 200 + ".md": "d" * 200 + "/" + "f" * 200,
    "dup.md": "dup",
    "dup.txt": None,  # the id "dup" is taken: it gets its whole path, an absolute one
}


def snapshot(root: Path) -> dict[str, tuple]:
    """Every entry under ``root`` (links not followed): its kind and, for files, a digest
    of its content and its modification time."""
    found = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            if os.path.islink(path):
                found[path] = ("link", os.readlink(path))
            elif os.path.isdir(path):
                found[path] = ("folder",)
            else:
                found[path] = ("file", hashlib.sha256(Path(path).read_bytes()).hexdigest(),
                               os.stat(path).st_mtime_ns)
    return found


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict:
    """The hostile corpus, a folder outside it that its links point into, and empty
    working, home and temporary folders."""
    root = tmp_path_factory.mktemp("hostile")
    src, outside = root / "corpus", root / "outside"
    texts = sorted(p for p in FIXTURES.iterdir() if p.suffix != ".html")
    for n, name in enumerate(HOSTILE):
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_bytes(texts[n % len(texts)].read_bytes())
    outside.mkdir()
    (outside / "target.md").write_bytes(texts[0].read_bytes())
    (src / "link.md").symlink_to(outside / "target.md")
    (src / "back.md").symlink_to(Path("..") / "outside" / "target.md")
    (src / "linked folder").symlink_to(outside, target_is_directory=True)
    for folder in ("work", "home", "tmp"):
        (root / folder).mkdir()
    return {"root": root, "src": src}


def run(corpus: dict, *args) -> subprocess.CompletedProcess:
    env = dict(os.environ, HOME=str(corpus["root"] / "home"), TMPDIR=str(corpus["root"] / "tmp"))
    done = subprocess.run([sys.executable, "-m", "checker", *map(str, args)],
                          cwd=corpus["root"] / "work", env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return done


def test_hostile_names_write_nothing_outside_the_outputs_named(corpus):
    root, src = corpus["root"], str(corpus["src"])  # absolute: a whole-path id looks so
    work = root / "work"
    before = snapshot(root)
    run(corpus, "check", src, "--rules", RULES, "--format", "html", "--fail-on", "never",
        "--output", work / LONG_OUTPUT, "--jobs", 2)
    run(corpus, "extract", src, "--format", "json", "--output", work / "claims.json",
        "--jobs", 1)
    for _ in range(2):  # the second run reuses the history and cleans up after the first
        nightly = run(corpus, "nightly", src, "--out", work / "reports", "--rules", RULES,
                      "--triage", work / "triage.yaml", "--jobs", 1)
    draft = run(corpus, "draft", DRAFT, "--against", src, "--rules", RULES, "--format", "json",
                "--fail-on", "never", "--index", work / "index" / "claims.sqlite",
                "--output", work / "draft.json", "--jobs", 1)
    assert draft.stdout == ""
    run(corpus, "draft", DRAFT, "--against", src, "--rules", RULES, "--fail-on", "never",
        "--jobs", 1)  # the default index: .checker/ in the working folder
    reports = sorted(p for p in (work / "reports").iterdir() if p.is_dir())
    finding = json.loads((reports[-1] / "report.json").read_text(encoding="utf-8"))["findings"][0]
    run(corpus, "triage", finding["id"], "--status", "dismissed", "--note", "n", "--by", "Desk",
        "--out", work / "reports", "--triage", work / "triage.yaml")

    named = [work / LONG_OUTPUT, work / "claims.json", work / "reports", work / "triage.yaml",
             work / "index", work / "draft.json", work / ".checker"]
    after = snapshot(root)
    new = sorted(p for p in after.keys() - before.keys()
                 if not any(p == str(n) or p.startswith(f"{n}/") for n in named))
    assert new == []
    assert {p: after.get(p) for p in before} == before  # the corpus and outside untouched
    assert (work / "reports" / "index.html").is_file() and "run " in nightly.stdout

    documents = json.loads((work / "claims.json").read_text(encoding="utf-8"))["documents"]
    ids = {d["id"] for d in documents}
    assert {i for i in HOSTILE.values() if i} <= ids
    assert str(corpus["src"] / "dup") in ids  # the id that looks absolute
    assert not ids & {"linked folder/target"}  # links to folders are not followed
    newest = json.loads((reports[-1] / "report.json").read_text(encoding="utf-8"))
    assert {d["id"] for d in newest["documents"]} == ids


@pytest.mark.parametrize("command", ["check", "nightly"])
def test_a_file_name_that_is_not_utf8_is_skipped_or_read(tmp_path, command):
    src = tmp_path / "corpus"
    src.mkdir()
    for path in FIXTURES.iterdir():
        (src / path.name).write_bytes(path.read_bytes())
    with open(os.fsencode(src) + b"/caf\xe9.txt", "wb") as fh:
        fh.write((FIXTURES / "000-slidstvo-foreign-prisoners.txt").read_bytes())
    args = {"check": ["--fail-on", "never"],
            "nightly": ["--out", tmp_path / "out", "--triage", tmp_path / "triage.yaml"]}
    done = subprocess.run([sys.executable, "-m", "checker", command, str(src), "--rules",
                           str(RULES), "--jobs", "1", *map(str, args[command])],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "caf\ufffd.txt: the file name is not valid UTF-8; rename the file (skipped)" \
        in done.stderr


def test_links_in_the_out_folder_named_like_a_killed_run_s_leftovers_are_left_alone(tmp_path):
    """A nightly run removes the partial and unfinished report folders that killed runs
    left; a symbolic link with such a name is no run's, and removing through it would
    reach outside ``--out``. It stays, what it points to stays, and the run completes."""
    src, out, outside = tmp_path / "src", tmp_path / "out", tmp_path / "outside"
    src.mkdir()
    for path in FIXTURES.iterdir():
        (src / path.name).write_bytes(path.read_bytes())
    outside.mkdir()
    (outside / "keep.txt").write_text("keep", encoding="utf-8")
    args = [sys.executable, "-m", "checker", "nightly", str(src), "--out", str(out), "--rules",
            str(RULES), "--jobs", "1", "--triage", str(tmp_path / "triage.yaml")]
    subprocess.run(args, cwd=tmp_path, capture_output=True, check=True, timeout=300)
    with History(out / "history.sqlite") as history:  # a run killed after its rename
        killed = history.begin(utc_now(), taken={p.name for p in out.iterdir()})
    links = [out / killed, out / ".2026-01-01T00-00-00Z.partial"]
    for link in links:
        link.symlink_to(outside, target_is_directory=True)
    before = snapshot(tmp_path)
    done = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert all(link.is_symlink() for link in links)
    kept = {p: v for p, v in before.items() if not p.startswith(f"{out}/")}
    after = snapshot(tmp_path)
    assert {p: after.get(p) for p in kept} == kept
