"""The hand-written answer keys in fixtures/stories/*/expected.yaml are well formed.

This validates the keys only (story folders, document ids, quotes, kinds); it does not run
the discrepancy engine. Each story folder holds ``sources/`` (the articles) and
``expected.yaml``:

    story: <folder name>
    discrepancies:            # kind, quotes (one per side), docs (one per quote), note,
      - kind: update          # optional equivalent: [{quotes, docs}, ...]
        quotes: ["1,204", "1 380"]
        docs: ["01-valley-courier", "04-carden-gazette"]
    traps: [...]              # quotes, docs, note: must NOT produce a finding
    copies: [[doc, doc], ...] # reprints of one wire story

A document id is the file path relative to ``sources/`` without its extension. Quotes are
exact substrings of the raw file (for HTML: of the file as stored, so no entities inside).
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

STORIES = Path(__file__).resolve().parent.parent / "fixtures" / "stories"
KINDS = {"conflict", "period", "update", "total", "name-variant", "attribution"}
SUFFIXES = {".txt", ".md", ".html"}
STORY_DIRS = sorted(p for p in STORIES.iterdir() if p.is_dir()) if STORIES.is_dir() else []


def _documents(story: Path) -> dict[str, str]:
    sources = story / "sources"
    docs = {}
    for path in sorted(sources.rglob("*")):
        if path.is_file():
            doc_id = path.relative_to(sources).with_suffix("").as_posix()
            assert doc_id not in docs, f"{story.name}: two files share the id {doc_id}"
            docs[doc_id] = path.read_bytes().decode("utf-8-sig")
    return docs


def _key(story: Path) -> dict:
    return yaml.safe_load((story / "expected.yaml").read_text(encoding="utf-8"))


def _entries(key: dict):
    """Every (label, entry-with-quotes-and-docs) in a key, equivalents included."""
    for i, entry in enumerate(key.get("discrepancies") or []):
        yield f"discrepancies[{i}]", entry
        for j, alt in enumerate(entry.get("equivalent") or []):
            yield f"discrepancies[{i}].equivalent[{j}]", alt
    for i, entry in enumerate(key.get("traps") or []):
        yield f"traps[{i}]", entry


def test_there_are_stories():
    assert len(STORY_DIRS) >= 3


@pytest.mark.parametrize("story", STORY_DIRS, ids=lambda p: p.name)
def test_story_folder_has_sources_and_answer_key(story):
    assert (story / "expected.yaml").is_file(), f"{story.name} has no expected.yaml"
    docs = list((story / "sources").rglob("*"))
    files = [p for p in docs if p.is_file()]
    assert len(files) >= 4, f"{story.name}: expected at least 4 articles"
    assert all(p.suffix in SUFFIXES for p in files), [p.name for p in files]
    key = _key(story)
    assert key["story"] == story.name
    assert isinstance(key.get("discrepancies"), list) and key["discrepancies"]
    assert isinstance(key.get("traps"), list)
    assert isinstance(key.get("copies", []), list)


@pytest.mark.parametrize("story", STORY_DIRS, ids=lambda p: p.name)
def test_every_kind_is_known(story):
    for i, entry in enumerate(_key(story)["discrepancies"]):
        assert entry.get("kind") in KINDS, f"{story.name} discrepancies[{i}]: {entry.get('kind')!r}"
        assert entry.get("note"), f"{story.name} discrepancies[{i}] has no note"
    for i, entry in enumerate(_key(story)["traps"]):
        assert "kind" not in entry or entry["kind"] in KINDS, f"{story.name} traps[{i}]"


@pytest.mark.parametrize("story", STORY_DIRS, ids=lambda p: p.name)
def test_every_doc_id_exists(story):
    docs = _documents(story)
    key = _key(story)
    for label, entry in _entries(key):
        for doc_id in entry["docs"]:
            assert doc_id in docs, f"{story.name} {label}: no document {doc_id!r}"
    for group in key.get("copies") or []:
        assert len(group) >= 2, f"{story.name} copies: {group}"
        for doc_id in group:
            assert doc_id in docs, f"{story.name} copies: no document {doc_id!r}"


@pytest.mark.parametrize("story", STORY_DIRS, ids=lambda p: p.name)
def test_every_quote_occurs_in_its_document(story):
    docs = _documents(story)
    for label, entry in _entries(_key(story)):
        quotes, doc_ids = entry["quotes"], entry["docs"]
        assert quotes and all(isinstance(q, str) and q for q in quotes), f"{story.name} {label}"
        assert len(quotes) == len(doc_ids), f"{story.name} {label}: one doc per quote"
        for quote, doc_id in zip(quotes, doc_ids):
            assert quote in docs.get(doc_id, ""), f"{story.name} {label}: {quote!r} not in {doc_id}"


@pytest.mark.parametrize("story", STORY_DIRS, ids=lambda p: p.name)
def test_discrepancies_have_two_sides(story):
    for i, entry in enumerate(_key(story)["discrepancies"]):
        assert len(entry["quotes"]) >= 2, f"{story.name} discrepancies[{i}]"
        if entry["kind"] == "total":
            assert len(set(entry["docs"])) == 1, f"{story.name} discrepancies[{i}]: one document"
        if entry["kind"] != "total":
            assert len(entry["quotes"]) == 2, f"{story.name} discrepancies[{i}]: one quote a side"


def test_every_kind_is_planted_at_least_twice():
    counts = {kind: 0 for kind in KINDS}
    for story in STORY_DIRS:
        for entry in _key(story)["discrepancies"]:
            counts[entry["kind"]] += 1
    assert all(n >= 2 for n in counts.values()), counts
