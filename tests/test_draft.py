"""``checker draft``: planted errors flagged with the source that contradicts them, clean
drafts pass, and the claim index is refreshed incrementally.

The drafts and their answer key are in fixtures/drafts (expected.yaml): each planted
error's line, exact quote, kind and a contradicting source.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from checker import draft as draft_module
from checker import ruleset as rulesets
from checker import store as store_module
from checker.cli import main
from checker.draft import check_draft

from conftest import REPO

DRAFTS = REPO / "fixtures" / "drafts"
KEY = yaml.safe_load((DRAFTS / "expected.yaml").read_text(encoding="utf-8"))["drafts"]
KINDS = {"outdated": "outdated", "period": "period", "conflict": "conflict",
         "name": "name-variant", "unsupported": "unsupported"}
RULES = str(REPO / "rules")


def draft(*args: str):
    return CliRunner().invoke(main, ["draft", *args])


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict:
    """Each fixture draft checked once through the CLI: (exit code, JSON report)."""
    index = tmp_path_factory.mktemp("index") / "index.sqlite"
    out = {}
    for name, entry in KEY.items():
        result = draft(str(DRAFTS / name), "--against", str(REPO / entry["against"]),
                       "--rules", RULES, "--format", "json", "--index", str(index))
        assert result.exit_code in (0, 1), result.output
        out[name] = result.exit_code, json.loads(result.stdout)
    return out


def _planted(name: str):
    return [pytest.param(name, item, id=f"{name}:{item['line']}:{item['kind']}")
            for item in KEY[name]["planted"]]


@pytest.mark.parametrize("name,item", [p for name in KEY for p in _planted(name)])
def test_each_planted_error_is_flagged_with_the_source_that_contradicts_it(reports, name, item):
    _, report = reports[name]
    draft_id = report["documents"][0]["id"]
    hits = [f for f in report["findings"] if f["kind"] == KINDS[item["kind"]]
            and any(c["doc"] == draft_id and c["line"] == item["line"] and c["text"] == item["quote"]
                    for c in f["claims"])]
    assert hits, f"{item} not flagged; findings: {[f['message'] for f in report['findings']]}"
    if "source" in item:
        assert any(c["doc"] == item["source"] for f in hits for c in f["claims"])


@pytest.mark.parametrize("name", sorted(KEY))
def test_exit_code_and_no_alarm_beyond_the_planted_errors(reports, name):
    code, report = reports[name]
    entry = KEY[name]
    assert code == (1 if entry["fail"] else 0)
    draft_id = report["documents"][0]["id"]
    planted = {(i["line"], i["quote"]) for i in entry["planted"]}
    for finding in report["findings"]:
        own = {(c["line"], c["text"]) for c in finding["claims"] if c["doc"] == draft_id}
        assert own, "a draft's findings all cite the draft"
        if finding["severity"] != "info":
            assert own & planted, f"false alarm: {finding['message']}"


def test_the_draft_is_the_document_with_role_draft_dated_today(reports):
    _, report = reports["planted-fighters.md"]
    first = report["documents"][0]
    assert first["role"] == "draft" and first["published_from"] == "today"
    assert all(d["role"] == "source" for d in report["documents"][1:])
    assert {c["doc"] for c in report["claims"]} == {first["id"]}
    cited = {c["doc"] for f in report["findings"] for c in f["claims"]}
    assert cited == {d["id"] for d in report["documents"]}


def test_compiler_style_output_in_a_real_process(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "checker", "draft", str(DRAFTS / "planted-fighters.md"),
         "--against", str(REPO / "fixtures" / "sources"), "--rules", RULES,
         "--index", str(tmp_path / "index.sqlite")],
        capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    lines = run.stdout.splitlines()
    error = next(i for i, line in enumerate(lines) if ": error: " in line)
    assert lines[error].startswith(f"{DRAFTS / 'planted-fighters.md'}:18:")
    assert lines[error].endswith("[figure-conflict]")
    assert '"6,162"' in lines[error + 1] or '"6 162"' in lines[error + 1]
    assert lines[error + 1].startswith("    0")
    assert run.stderr == ""


def test_fail_on_never_and_warning(tmp_path):
    args = [str(DRAFTS / "planted-flood.md"), "--against",
            str(REPO / "fixtures" / "stories" / "river-flood" / "sources"), "--rules", RULES,
            "--index", str(tmp_path / "i.sqlite")]
    assert draft(*args, "--fail-on", "never").exit_code == 0
    clean = [str(DRAFTS / "clean-flood.md"), *args[1:]]
    assert draft(*clean, "--fail-on", "info").exit_code == 0


def test_html_report_of_a_draft(tmp_path):
    out = tmp_path / "draft.html"
    result = draft(str(DRAFTS / "planted-flood.md"), "--against",
                   str(REPO / "fixtures" / "stories" / "river-flood" / "sources"),
                   "--rules", RULES, "--index", str(tmp_path / "i.sqlite"),
                   "--format", "html", "--output", str(out), "--fail-on", "never")
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "Nowiki" in page and "1 380" in page


def test_several_drafts_in_text_for_pre_commit(tmp_path):
    result = draft(str(DRAFTS / "clean-fighters.md"), str(DRAFTS / "planted-fighters.md"),
                   "--against", str(REPO / "fixtures" / "sources"), "--rules", RULES,
                   "--index", str(tmp_path / "i.sqlite"))
    assert result.exit_code == 1
    assert "clean-fighters.md" not in result.stdout and "planted-fighters.md:18:" in result.stdout
    result = draft(str(DRAFTS / "clean-fighters.md"), str(DRAFTS / "planted-fighters.md"),
                   "--against", str(REPO / "fixtures" / "sources"), "--format", "json",
                   "--index", str(tmp_path / "i.sqlite"))
    assert result.exit_code == 2 and "takes one draft" in result.output


@pytest.mark.parametrize("content,message", [
    (b"\x00\x01\x02binary", "binary file"),
    (b"", "empty file"),
    (b"caf\xe9 au lait", "not valid UTF-8"),
])
def test_a_bad_draft_is_one_line_and_exit_2(tmp_path, content, message):
    bad = tmp_path / "bad.md"
    bad.write_bytes(content)
    result = draft(str(bad), "--against", str(REPO / "fixtures" / "sources"),
                   "--index", str(tmp_path / "i.sqlite"))
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and str(bad) in result.output and message in result.output


def test_missing_sources_are_exit_2(tmp_path):
    result = draft(str(DRAFTS / "clean-flood.md"), "--against", str(tmp_path / "nowhere"),
                   "--index", str(tmp_path / "i.sqlite"))
    assert result.exit_code == 2 and "nowhere" in result.output


def test_an_index_that_is_not_sqlite_is_exit_2(tmp_path):
    index = tmp_path / "index.sqlite"
    index.write_text("not a database, just text " * 100)
    result = draft(str(DRAFTS / "clean-flood.md"), "--against",
                   str(REPO / "fixtures" / "stories" / "river-flood" / "sources"),
                   "--index", str(index))
    assert result.exit_code == 2 and str(index) in result.output


@pytest.fixture()
def corpus(tmp_path) -> Path:
    folder = tmp_path / "sources"
    shutil.copytree(REPO / "fixtures" / "stories" / "river-flood" / "sources", folder)
    return folder


def _refresh(index: Path, corpus: Path) -> store_module.Scan:
    with store_module.Store(index) as store:
        return store.refresh([str(corpus)])


def test_the_index_re_extracts_only_new_and_changed_files(tmp_path, corpus):
    index = tmp_path / "index.sqlite"
    files = sorted(p for p in corpus.iterdir() if p.is_file())
    first = _refresh(index, corpus)
    assert (first.extracted, first.reused) == (len(files), 0)
    again = _refresh(index, corpus)
    assert (again.extracted, again.reused) == (0, len(files))
    with files[0].open("a", encoding="utf-8") as fh:
        fh.write("\nBy 8 March, 1 500 people had been evacuated, the service said.\n")
    (corpus / "05-new.txt").write_text("Nine people have died in the flood, police said.\n",
                                       encoding="utf-8")
    changed = _refresh(index, corpus)
    assert (changed.extracted, changed.reused) == (2, len(files) - 1)
    files[0].touch()  # a new mtime, the same content: hashed, not extracted
    touched = _refresh(index, corpus)
    assert touched.extracted == 0


def test_the_same_corpus_named_relatively_and_absolutely_is_one_corpus(tmp_path, corpus,
                                                                       monkeypatch):
    index = tmp_path / "index.sqlite"
    files = sorted(p for p in corpus.iterdir() if p.is_file())
    _refresh(index, corpus.resolve())
    monkeypatch.chdir(corpus.parent)
    relative = _refresh(index, Path(corpus.name))
    assert (relative.extracted, relative.reused) == (0, len(files))
    with store_module.Store(index) as store:
        assert store.db.execute("SELECT COUNT(*) FROM files").fetchone()[0] == len(files)
        store.prune([corpus.name], relative)
        assert store.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == len(files)


def test_a_changed_source_changes_the_draft_findings(tmp_path, corpus):
    index = tmp_path / "index.sqlite"
    ruleset = rulesets.load([Path(RULES)])
    planted = str(DRAFTS / "planted-flood.md")
    before = check_draft(planted, (str(corpus),), ruleset, index)
    assert any(f["kind"] == "outdated" for f in before.findings)
    next(corpus.glob("04-carden-gazette.*")).unlink()
    after = check_draft(planted, (str(corpus),), ruleset, index)
    assert not any(f["kind"] == "outdated" for f in after.findings)
    assert after.corpus == before.corpus - 1


def test_claims_from_the_index_are_the_claims_extraction_makes(tmp_path, corpus):
    from checker.claims.extract import extract_documents
    from checker.documents import load_documents

    index = tmp_path / "index.sqlite"
    _refresh(index, corpus)
    with store_module.Store(index) as store:
        scan = store.refresh([str(corpus)])
        stored_docs, stored = store.load(scan.keys)
    docs, _ = load_documents([str(corpus)])
    _, fresh, _ = extract_documents(docs)
    assert [c.to_json() for c in stored] == [c.to_json() for c in fresh]
    assert [d.to_json() for d in stored_docs] == [d.to_json() for d in docs]
    assert [d.people for d in stored_docs] == [d.people for d in docs]


def test_new_extraction_code_empties_the_index(tmp_path, corpus, monkeypatch):
    index = tmp_path / "index.sqlite"
    _refresh(index, corpus)
    monkeypatch.setattr(store_module, "extractor_version", lambda: "another")
    assert _refresh(index, corpus).reused == 0


@pytest.mark.parametrize("name", [n for n in KEY if KEY[n]["planted"]])
def test_narrowing_a_large_corpus_keeps_the_draft_findings(tmp_path, monkeypatch, name):
    """The lookup that serves large corpora finds what comparing everything finds."""
    ruleset = rulesets.load([Path(RULES)])
    args = (str(DRAFTS / name), (str(REPO / KEY[name]["against"]),), ruleset,
            tmp_path / "index.sqlite")
    whole = check_draft(*args)
    monkeypatch.setattr(draft_module, "WHOLE_CORPUS", 0)
    narrowed = check_draft(*args)
    assert narrowed.compared <= narrowed.corpus
    assert sorted(f["id"] for f in narrowed.findings) == sorted(f["id"] for f in whole.findings)


def test_pre_commit_hook_runs_checker_draft():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "checker-draft")
    assert hook["entry"] == "checker draft" and hook["language"] == "python"
    assert hook["pass_filenames"] is True and "md" in hook["files"]


def test_the_index_keeps_only_the_corpus_as_it_is(tmp_path, corpus):
    index = tmp_path / "index.sqlite"
    ruleset = rulesets.load([Path(RULES)])
    check_draft(str(DRAFTS / "clean-flood.md"), (str(corpus),), ruleset, index)
    files = sorted(p for p in corpus.iterdir() if p.is_file())
    files[0].unlink()
    with files[1].open("a", encoding="utf-8") as fh:
        fh.write("\nBy 9 March, 1 600 people had been evacuated.\n")
    check_draft(str(DRAFTS / "clean-flood.md"), (str(corpus),), ruleset, index)
    with store_module.Store(index) as store:
        counts = [store.db.execute(f"SELECT COUNT(DISTINCT {c}) FROM {t}").fetchone()[0]
                  for t, c in (("files", "path"), ("documents", "key"), ("postings", "doc_key"))]
    assert counts == [len(files) - 1] * 3


def test_a_draft_inside_the_source_folder_is_not_its_own_source(tmp_path, corpus):
    inside = corpus / "draft.md"
    shutil.copy(DRAFTS / "planted-flood.md", inside)
    ruleset = rulesets.load([Path(RULES)])
    outcome = check_draft(str(inside), (str(corpus),), ruleset, tmp_path / "index.sqlite")
    assert outcome.corpus == len(list(corpus.iterdir())) - 1
    assert all(d["role"] == "source" for d in outcome.report["documents"][1:])
    assert any(f["kind"] == "outdated" for f in outcome.findings)


def test_a_draft_named_like_a_source_keeps_its_own_id(tmp_path, corpus):
    same = tmp_path / "01-valley-courier.md"
    shutil.copy(DRAFTS / "planted-flood.md", same)
    ruleset = rulesets.load([Path(RULES)])
    outcome = check_draft(str(same), (str(corpus),), ruleset, tmp_path / "index.sqlite")
    assert outcome.report["documents"][0]["id"] == "draft:01-valley-courier"
    assert any(c["doc"] == "01-valley-courier" for f in outcome.findings for c in f["claims"])
