"""``checker triage``: an editor's decision (who, when, why) in a reviewable YAML file,
applied by the next ``checker nightly``: dismissed findings stay out until their
evidence changes, confirmed ones are shown with the decision."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest
import yaml
from click.testing import CliRunner

from checker.cli import main
from checker.history import evidence_digest

from conftest import FIXTURES, REPO

RULES = REPO / "rules"
SUM_DOC = "001-custody-32-countries"  # its parts do not add up to its total


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def newsroom(tmp_path):
    """A folder of the five fixture articles after one nightly run."""
    src = tmp_path / "src"
    shutil.copytree(FIXTURES, src)
    room = {"src": src, "out": tmp_path / "out", "triage": tmp_path / "triage.yaml"}
    run_nightly(room)
    return room


def run_nightly(room) -> dict:
    result = invoke("nightly", room["src"], "--out", room["out"], "--rules", RULES,
                    "--triage", room["triage"])
    assert result.exit_code == 0, result.output
    latest = sorted(p for p in room["out"].iterdir() if p.is_dir())[-1]
    return json.loads((latest / "report.json").read_text(encoding="utf-8"))


def triage(room, fingerprint: str, status: str, note: str, *extra):
    return invoke("triage", fingerprint, "--status", status, "--note", note,
                  "--out", room["out"], "--triage", room["triage"], *extra)


def sum_finding(report: dict) -> dict:
    [finding] = [f for f in report["findings"]
                 if f["kind"] == "total" and f["documents"] == [SUM_DOC]]
    return finding


def test_a_dismissed_finding_stays_out_of_the_next_report(newsroom):
    first = run_nightly(newsroom)
    finding = sum_finding(first)
    result = triage(newsroom, finding["id"][:8], "dismissed", "The parts are a subset.",
                    "--by", "Olena Kovalenko")
    assert result.exit_code == 0, result.output
    entry = yaml.safe_load(newsroom["triage"].read_text(encoding="utf-8"))[finding["id"]]
    assert list(entry) == ["rule", "message", "status", "note", "by", "at", "evidence"]
    assert {k: entry[k] for k in ("rule", "message", "status", "note", "by", "evidence")} == {
        "rule": finding["rule"], "message": finding["message"], "status": "dismissed",
        "note": "The parts are a subset.", "by": "Olena Kovalenko",
        "evidence": evidence_digest(finding)}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", entry["at"])

    later = run_nightly(newsroom)
    assert finding["id"] not in {f["id"] for f in later["findings"]}
    assert later["run"]["hidden"] == [finding["id"]]
    assert later["run"]["counts"]["hidden"] == 1
    again = run_nightly(newsroom)  # and it stays out, neither new nor resolved
    assert finding["id"] not in {f["id"] for f in again["findings"]}
    assert again["run"]["counts"]["new"] == again["run"]["counts"]["resolved"] == 0


def test_a_dismissed_finding_comes_back_when_its_evidence_changes(newsroom):
    finding = sum_finding(run_nightly(newsroom))
    assert triage(newsroom, finding["id"], "dismissed", "Known.").exit_code == 0
    article = newsroom["src"] / f"{SUM_DOC}.md"
    text = article.read_text(encoding="utf-8")
    assert "come from African states" in text
    article.write_text(text.replace("come from African states", "come from states in Africa"),
                       encoding="utf-8")
    report = run_nightly(newsroom)
    back = sum_finding(report)
    assert back["id"] == finding["id"] and back["status"] == "open"
    assert back["triage"]["status"] == "dismissed" and back["triage"]["stale"] is True
    assert report["run"]["hidden"] == []
    page = (newsroom["out"] / report["run"]["id"] / "report.html").read_text(encoding="utf-8")
    assert "dismissed · evidence changed" in page


def test_a_confirmed_finding_is_shown_with_the_decision(newsroom):
    finding = sum_finding(run_nightly(newsroom))
    assert triage(newsroom, finding["id"], "confirmed", "Asked the desk <to fix>.",
                  "--by", "Desk").exit_code == 0
    report = run_nightly(newsroom)
    shown = sum_finding(report)
    assert {k: shown["triage"][k] for k in ("status", "note", "by")} == {
        "status": "confirmed", "note": "Asked the desk <to fix>.", "by": "Desk"}
    assert "stale" not in shown["triage"]
    page = (newsroom["out"] / report["run"]["id"] / "report.html").read_text(encoding="utf-8")
    assert "Confirmed by Desk at " in page and "Asked the desk &lt;to fix&gt;." in page


def test_the_file_is_sorted_by_id_and_a_new_decision_replaces_the_old(newsroom):
    ids = sorted(f["id"] for f in run_nightly(newsroom)["findings"])[:3]
    for fingerprint in reversed(ids):
        assert triage(newsroom, fingerprint, "confirmed", "Real.").exit_code == 0
    assert triage(newsroom, ids[1], "fixed", "Corrected on the site.").exit_code == 0
    text = newsroom["triage"].read_text(encoding="utf-8")
    assert text.startswith("# Triage decisions")
    assert re.findall(r"^([0-9a-f]{16}):$", text, re.M) == ids
    entries = yaml.safe_load(text)
    assert [entries[i]["status"] for i in ids] == ["confirmed", "fixed", "confirmed"]


def test_unknown_ambiguous_and_malformed_ids_exit_2_with_one_line(newsroom):
    run_nightly(newsroom)
    unknown = triage(newsroom, "ffffffffffffffff", "dismissed", "x")
    assert unknown.exit_code == 2
    assert unknown.stderr.splitlines() == [
        f"checker: {newsroom['out'] / 'history.sqlite'}: "
        "no finding 'ffffffffffffffff' in the history"]
    report = json.loads(next(newsroom["out"].glob("2*/report.json")).read_text(encoding="utf-8"))
    firsts = [f["id"][0] for f in report["findings"]]
    shared = next(c for c in firsts if firsts.count(c) > 1)
    ambiguous = triage(newsroom, shared, "dismissed", "x")
    assert ambiguous.exit_code == 2 and "is ambiguous" in ambiguous.stderr
    assert len(ambiguous.stderr.splitlines()) == 1
    bad = triage(newsroom, "not-an-id", "dismissed", "x")
    assert bad.exit_code == 2 and "'not-an-id' is not a finding id" in bad.stderr
    assert not newsroom["triage"].exists()


def test_triage_needs_a_history(tmp_path):
    nowhere = invoke("triage", "abcd", "--status", "fixed", "--note", "x",
                     "--out", tmp_path / "out", "--triage", tmp_path / "t.yaml")
    assert nowhere.exit_code == 2
    assert nowhere.stderr.splitlines() == [
        f"checker: {tmp_path / 'out' / 'history.sqlite'}: no nightly history here; run "
        "`checker nightly` first, or give --out DIR or --db FILE"]
    neither = invoke("triage", "abcd", "--status", "fixed", "--note", "x")
    assert neither.exit_code == 2 and "give --out DIR" in neither.stderr


GOOD = "0123456789abcdef"
BAD_FILES = [
    ("- just\n- a list\n", 1, 1, "a triage file maps finding ids to decisions"),
    (f"{GOOD}:\n  status: dismissed\n  evidence: abc\n  reason: typo\n", 4, 3,
     f"unknown key 'reason' in the decision on {GOOD}; allowed: rule, message, status, "
     "note, by, at, evidence"),
    (f"{GOOD}:\n  status: ignored\n  evidence: abc\n", 2, 11,
     f"status 'ignored' of {GOOD} is not one of confirmed, dismissed, fixed"),
    (f"{GOOD}:\n  note: no status\n  evidence: abc\n", 1, 1,
     f"the decision on {GOOD} has no status"),
    (f"{GOOD}:\n  status: fixed\n  evidence: abc\n{GOOD}:\n  status: fixed\n  evidence: abc\n",
     4, 1, f"finding {GOOD} is triaged twice"),
    ("xyz:\n  status: fixed\n", 1, 1, "'xyz' is not a finding id (16 hex digits)"),
    (f"{GOOD}: dismissed\n", 1, 19, f"the decision on {GOOD} must be a mapping of rule, "
     "message, status, note, by, at, evidence"),
    (f"{GOOD}:\n  status: [fixed]\n", 2, 11, "status must be a single value"),
    (f"{GOOD}:\n  status: 'fixed\n", 3, 1, "not valid YAML: found unexpected end of stream"),
]


@pytest.mark.parametrize("text,line,column,message", BAD_FILES)
def test_a_malformed_triage_file_stops_the_run_naming_file_and_line(tmp_path, text, line,
                                                                      column, message):
    src = tmp_path / "src"
    shutil.copytree(FIXTURES, src)
    bad = tmp_path / "triage.yaml"
    bad.write_text(text, encoding="utf-8")
    result = invoke("nightly", src, "--out", tmp_path / "out", "--rules", RULES,
                    "--triage", bad)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"checker: {bad}:{line}:{column}: {message}"]
    assert not (tmp_path / "out").exists()


def test_the_decider_is_gits_user_name_else_the_login(newsroom, monkeypatch, tmp_path):
    fingerprint = run_nightly(newsroom)["findings"][0]["id"]
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    monkeypatch.setenv("USER", "night-editor")
    assert triage(newsroom, fingerprint, "confirmed", "ok").exit_code == 0
    assert yaml.safe_load(newsroom["triage"].read_text())[fingerprint]["by"] == "night-editor"
    (tmp_path / "no-gitconfig").write_text("[user]\n\tname = Olena Kovalenko\n")
    assert triage(newsroom, fingerprint, "confirmed", "ok").exit_code == 0
    assert yaml.safe_load(newsroom["triage"].read_text())[fingerprint]["by"] == "Olena Kovalenko"


def test_editors_triaging_at_once_all_keep_their_decisions(newsroom):
    ids = [f["id"] for f in run_nightly(newsroom)["findings"]][:4]
    editors = [subprocess.Popen(
        [sys.executable, "-m", "checker", "triage", fingerprint, "--status", "confirmed",
         "--note", f"editor {n}", "--out", str(newsroom["out"]), "--triage",
         str(newsroom["triage"])], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for n, fingerprint in enumerate(ids)]
    for editor in editors:
        _, err = editor.communicate(timeout=120)
        assert editor.returncode == 0, err
    entries = yaml.safe_load(newsroom["triage"].read_text(encoding="utf-8"))
    assert sorted(entries) == sorted(ids)
    assert {entries[i]["note"] for i in ids} == {f"editor {n}" for n in range(4)}
