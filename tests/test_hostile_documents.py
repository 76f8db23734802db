"""Broken and hostile documents, made by the tests: each is reported on one line naming
the file, skipped, and the rest of the run completes. Never a traceback, never a hang.

A nightly job meets every kind of file a newsroom's folders hold; the promise is that one
bad file costs one line on stderr, not the night's report.
"""
from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker import documents
from checker.cli import main

from conftest import FIXTURES

GOOD = ("000-slidstvo-foreign-prisoners.txt", "001-custody-32-countries.md")
ARTICLE = ("---\npublished: 2024-06-03\noutlet: Test Wire\n---\n"
           "The ministry said 1,204 people were evacuated from Lyon on 2 June.\n")


def _symlink_loop(folder: Path) -> None:
    (folder / "loop-a.txt").symlink_to("loop-b.txt")
    (folder / "loop-b.txt").symlink_to("loop-a.txt")


def _folder_loop(folder: Path) -> None:
    (folder / "nest").mkdir()
    (folder / "nest" / "again").symlink_to("..")


def _fifo(folder: Path) -> None:
    os.mkfifo(folder / "pipe.txt")


# name -> (how to make it in a folder, what stderr says about it; None: it is read)
BAD = {
    "binary": (lambda f: (f / "binary.txt").write_bytes(bytes(range(256)) * 8),
               "binary.txt: binary file, not an article"),
    "empty": (lambda f: (f / "empty.md").write_bytes(b""), "empty.md: empty file"),
    "blank": (lambda f: (f / "blank.txt").write_bytes(b" \n\t\r\n"), "blank.txt: empty file"),
    "invalid utf-8": (lambda f: (f / "broken.txt").write_bytes(
        "Caf\u00e9 owners said 45 shops shut.\n".encode() + b"Then \xc3\x28 more.\n"),
        "broken.txt:2: not valid UTF-8 (byte 0xc3); the file is damaged here"),
    "windows-1252": (lambda f: (f / "legacy.txt").write_bytes(
        "The mayor\u2019s office said 2,300 homes flooded.\n".encode("cp1252")),
        "legacy.txt:1: not valid UTF-8 (byte 0x92); convert it to UTF-8 (from "
        "Windows-1252"),
    "utf-16 without its pair": (lambda f: (f / "cut16.txt").write_bytes(
        "\ufeffOfficials said 12 ".encode("utf-16-le")[:-1]),
        "cut16.txt:1: not valid UTF-16 (byte 0x20); the file is damaged here"),
    "50 MB on one line": (lambda f: (f / "huge.txt").write_bytes(
        b"Officials counted 1,234 cases in Lyon, " * 1_282_052),
        "huge.txt: too large for an article (50.0 MB; the limit is 10 MB)"),
    "deeply nested html": (lambda f: (f / "deep.html").write_text(
        "<html><body>" + "<div>" * 100_000 + "x" + "</div>" * 100_000 + "</body></html>"),
        "deep.html: no article text found in the HTML"),
    "symlink loop": (_symlink_loop, "loop-a.txt: cannot read: Too many levels of symbolic links"),
    "html that is only a script": (lambda f: (f / "script.html").write_text(
        "<html><script>alert('1,000 dead')</script></html>"),
        "script.html: no article text found in the HTML"),
    "front matter that is a list": (lambda f: (f / "list.md").write_text(
        "---\n- a\n- b\n---\nThe ministry said 1,204 people fled.\n"),
        "list.md:2: front matter must be a mapping"),
    "front matter with a bad date": (lambda f: (f / "date.md").write_text(
        "---\ntitle: x\npublished: 2024-13-45\n---\nThe ministry said 1,204 people fled.\n"),
        "date.md:3: front matter: published"),
    "unterminated front matter quote": (lambda f: (f / "quote.md").write_text(
        "---\ntitle: \"open\npublished: 2024-06-03\n---\nThe ministry said 12 people fled.\n"),
        "quote.md:"),
}

# Odd but readable: each is a document, and nothing about it reaches stderr.
ODD = {
    "utf-16 with a BOM": lambda f: (f / "wide.txt").write_bytes(ARTICLE.encode("utf-16")),
    "utf-16 big-endian with a BOM": lambda f: (f / "wide-be.txt").write_bytes(
        b"\xfe\xff" + ARTICLE.encode("utf-16-be")),
    "utf-8 with a BOM": lambda f: (f / "bom.txt").write_bytes(b"\xef\xbb\xbf" + ARTICLE.encode()),
    "one 200 kB sentence": lambda f: (f / "run-on.txt").write_text(" ".join(
        f"in district {i} the agency counted {i * 7 + 3} households" for i in range(4_000))),
    "deeply nested html with text": lambda f: (f / "nested.html").write_text(
        "<html><body><article><p>Police said 45 people were hurt in Lyon.</p>"
        + "<b>" * 50_000 + "x" + "</b>" * 50_000 + "</article></body></html>"),
    "odd figures": lambda f: (f / "odd-figures.txt").write_text(
        "Reports gave 1e308 deaths and 1.8e308 more, -5 people and minus 5 degrees, NaN "
        "cases, inf and Infinity, 1234567890123456789012345678901234567890 dollars, "
        "10^400 people and 0 people.\nThe ministry said -5 people were killed in Lyon "
        "in June, and 5 people were killed in Lyon in June.\n"),
    "a pipe-separated table on one line": lambda f: (f / "table.md").write_text(
        "| city | evacuated |\n|---|---|\n" + "".join(
            f"| Town{i} | {i * 13 + 1:,} |\n" for i in range(2_000))),
}


def _strict_json(text: str):
    """JSON as a browser or jq reads it: NaN and Infinity are not JSON."""
    return json.loads(text, parse_constant=lambda name: pytest.fail(f"{name} in JSON"))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    for name in GOOD:
        (folder / name).write_bytes((FIXTURES / name).read_bytes())
    for make, _ in BAD.values():
        make(folder)
    for make in ODD.values():
        make(folder)
    _folder_loop(folder)
    _fifo(folder)
    return folder


@pytest.fixture(scope="module")
def checked(hostile):
    result = CliRunner().invoke(main, ["check", str(hostile), "--format", "json"])
    return result


def test_the_run_completes_with_the_good_documents(checked):
    assert checked.exit_code in (0, 1), checked.output
    report = _strict_json(checked.stdout)
    ids = {d["id"] for d in report["documents"]}
    assert {Path(g).stem for g in GOOD} <= ids
    assert {"wide", "wide-be", "bom", "run-on", "nested", "odd-figures", "table"} <= ids


@pytest.mark.parametrize("name", sorted(BAD))
def test_each_bad_document_is_one_line_naming_the_file(checked, hostile, name):
    expected = BAD[name][1]
    lines = [line for line in checked.stderr.splitlines() if expected in line]
    assert len(lines) == 1, checked.stderr
    assert lines[0].startswith(f"checker: {hostile}{os.sep}")
    assert lines[0].endswith("(skipped)")


def test_nothing_else_reaches_stderr(checked):
    """Every stderr line is a skipped file: the odd-but-readable ones are quiet, and
    nothing is a traceback or an internal error."""
    lines = checked.stderr.splitlines()
    assert all(line.startswith("checker: ") and line.endswith("(skipped)") for line in lines)
    assert len(lines) == len(BAD) + 1  # loop-b.txt is the second half of the loop
    assert "Traceback" not in checked.output and "internal error" not in checked.output


def test_nightly_and_draft_skip_the_same_files_and_complete(hostile, tmp_path):
    """The nightly job and the pre-publication check read through the claim store, not
    the plain loader: they report the same files, finish, and keep the good ones."""
    out = tmp_path / "out"
    nightly = CliRunner().invoke(main, ["nightly", str(hostile), "--out", str(out),
                                        "--jobs", "1"])
    assert nightly.exit_code == 0, nightly.output
    skipped = [line for line in nightly.stderr.splitlines() if line.endswith("(skipped)")]
    assert len(skipped) == len(BAD) + 1
    assert "Traceback" not in nightly.output
    (run,) = [p for p in out.iterdir() if p.is_dir()]
    report = _strict_json((run / "report.json").read_text(encoding="utf-8"))
    assert len(report["skipped"]) == len(BAD) + 1
    assert {Path(g).stem for g in GOOD} <= {d["id"] for d in report["documents"]}
    draft = CliRunner().invoke(main, ["draft", str(FIXTURES.parent / "drafts" / "clean-fighters.md"),
                                      "--against", str(hostile), "--fail-on", "never",
                                      "--index", str(tmp_path / "index.sqlite")])
    assert draft.exit_code == 0, draft.output
    assert len([line for line in draft.stderr.splitlines()
                if line.endswith("(skipped)")]) == len(BAD) + 1


def test_odd_figures_stay_finite_and_quote_the_file(checked, hostile):
    report = _strict_json(checked.stdout)
    odd = [c for c in report["claims"] if c["doc"] == "odd-figures"]
    assert odd
    text = (hostile / "odd-figures.txt").read_text()
    for claim in odd:
        assert text[claim["start"]:claim["end"]] == claim["text"]
        for key in ("value", "low", "high"):
            assert claim[key] is None or math.isfinite(claim[key])


def test_utf16_offsets_index_the_decoded_text(checked, hostile):
    report = _strict_json(checked.stdout)
    for doc in ("wide", "wide-be"):
        (claim,) = [c for c in report["claims"] if c["doc"] == doc]
        assert claim["text"] == "1,204"
        assert ARTICLE.index("1,204") == claim["start"]


@pytest.mark.parametrize("fmt", ["html", "text", "csv"])
def test_every_format_survives_the_same_folder(hostile, fmt, tmp_path):
    out = tmp_path / f"report.{fmt}"
    result = CliRunner().invoke(main, ["check", str(hostile), "--format", fmt,
                                       "--output", str(out)])
    assert result.exit_code in (0, 1), result.output
    assert out.stat().st_size > 0


def test_a_file_that_vanishes_between_listing_and_reading_is_skipped(tmp_path, monkeypatch):
    """A nightly corpus is written to while the run reads it: a file listed and then
    deleted is one skipped line, in every command that reads a folder."""
    for name in GOOD:
        (tmp_path / name).write_bytes((FIXTURES / name).read_bytes())
    doomed = tmp_path / "doomed.txt"
    listing = documents.document_paths

    def listing_then_delete(paths):
        for path, doc_id in listing(paths):
            if Path(path) == doomed:
                doomed.unlink(missing_ok=True)
            yield path, doc_id

    for module in ("checker.cli", "checker.store"):
        monkeypatch.setattr(f"{module}.document_paths", listing_then_delete)
    runs = {
        "check": ["check", str(tmp_path)],
        "nightly": ["nightly", str(tmp_path), "--out", str(tmp_path / "out"), "--jobs", "1"],
        "draft": ["draft", str(FIXTURES.parent / "drafts" / "clean-fighters.md"), "--against",
                  str(tmp_path), "--index", str(tmp_path / "index.sqlite")],
    }
    for command, args in runs.items():
        doomed.write_text(ARTICLE)
        result = CliRunner().invoke(main, args)
        assert result.exit_code in (0, 1), (command, result.output)
        assert f"{doomed}: cannot read: No such file or directory" in result.stderr, command


def test_an_unreadable_file_is_skipped(tmp_path, monkeypatch):
    """Permission denied, as a file owned by someone else gives (simulated, because the
    tests may run as root, who can read anything)."""
    for name in GOOD:
        (tmp_path / name).write_bytes((FIXTURES / name).read_bytes())
    locked = tmp_path / "locked.txt"
    locked.write_text(ARTICLE)
    real_open = os.open

    def deny(path, *args, **kwargs):
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(documents.os, "open", deny)
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code in (0, 1), result.output
    assert result.stderr.strip() == f"checker: {locked}: cannot read: Permission denied (skipped)"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_a_file_without_read_permission_is_skipped(tmp_path):
    (tmp_path / GOOD[0]).write_bytes((FIXTURES / GOOD[0]).read_bytes())
    locked = tmp_path / "locked.txt"
    locked.write_text(ARTICLE)
    locked.chmod(0)
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code in (0, 1)
    assert f"{locked}: cannot read: Permission denied" in result.stderr


def test_a_named_pipe_given_by_name_does_not_block_the_run(tmp_path):
    """A named pipe opened for reading waits for a writer for ever; the checker must
    never open one the blocking way. A real process, so a hang would show as a timeout."""
    _fifo(tmp_path)
    (tmp_path / "good.txt").write_text(ARTICLE)
    process = subprocess.run([sys.executable, "-m", "checker", "check", str(tmp_path / "pipe.txt"),
                              str(tmp_path / "good.txt")], capture_output=True, text=True,
                             timeout=120)
    assert process.returncode == 0, process.stderr
    assert f"{tmp_path / 'pipe.txt'}: cannot read: a named pipe, not a file" in process.stderr


def _table(count: int) -> str:
    return "---\npublished: 2024-06-30\n---\n" + "\n".join(
        f"In district {i} officials counted {(i * 7919) % 99_991 + 10:,} households on "
        f"{i % 28 + 1} June." for i in range(count))


def test_a_document_with_100000_figures_is_skipped_and_the_rest_checked(tmp_path):
    """A hundred thousand figures with the same words around each is a data dump, not an
    article: it is reported and skipped (lining its figures up with each other would take
    hours), and a long article of a few thousand figures beside it is checked. A real
    process with the pool, as a nightly run would use."""
    (tmp_path / "dump.txt").write_text(_table(100_000))
    (tmp_path / "long.txt").write_text(_table(3_000))
    process = subprocess.run([sys.executable, "-m", "checker", "check", str(tmp_path),
                              "--format", "json", "--jobs", "2"],
                             capture_output=True, text=True, timeout=900)
    assert process.returncode in (0, 1), process.stderr
    assert process.stderr.splitlines() == [
        f"checker: {tmp_path / 'dump.txt'}: 100,000 figures, more than an article holds (the "
        "limit is 5,000); a table or data dump is not checked (skipped)"]
    report = _strict_json(process.stdout)
    assert {c["doc"] for c in report["claims"]} == {"long"}
    assert len(report["claims"]) == 3_000
