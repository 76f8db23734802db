"""``checker nightly`` as a newsroom runs it: a folder that grows between runs, dated
reports that say what is new, open and resolved, an index of runs, a history that only
re-reads what changed, a lock, and the leftovers of killed runs cleaned up (runs killed
with ``kill -9``: tests/test_durability.py)."""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli import _RunProgress, main
from checker.history import History, run_id, utc_now
from checker.lock import Lock
from checker.nightly import LOCK_NAME

from conftest import FIXTURES, REPO

RULES = REPO / "rules"
FIRST = ["000-slidstvo-foreign-prisoners", "001-custody-32-countries", "002-nearly-200-pows"]
ADDED = ["003-glavkom-international-legion", "004-up-18000-recruited"]
RUN_DIR = re.compile(r"^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ(-\d\d)?$")


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def nightly(src: Path, out: Path, *extra):
    result = invoke("nightly", src, "--out", out, "--rules", RULES,
                    "--triage", out.parent / "triage.yaml", *extra)
    assert result.exit_code == 0, result.output
    return result


def copy_sources(dest: Path, stems: list[str]) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for path in FIXTURES.iterdir():
        if path.stem in stems:
            shutil.copy2(path, dest / path.name)


def runs(out: Path) -> list[str]:
    """The report folders, oldest first."""
    return sorted(p.name for p in out.iterdir() if p.is_dir() and RUN_DIR.match(p.name))


def report(out: Path, run: str) -> dict:
    return json.loads((out / run / "report.json").read_text(encoding="utf-8"))


def check_ids(src: Path) -> set[str]:
    """The finding ids ``checker check`` gives for the same folder: what nightly compares."""
    result = invoke("check", src, "--rules", RULES, "--format", "json", "--fail-on", "never")
    assert result.exit_code == 0, result.output
    return {f["id"] for f in json.loads(result.stdout)["findings"]}


def by_status(rep: dict) -> dict[str, set[str]]:
    statuses: dict[str, set[str]] = {"new": set(), "open": set(), "resolved": set()}
    for finding in rep["findings"]:
        statuses[finding["status"]].add(finding["id"])
    return statuses


@pytest.fixture(scope="module")
def grown(tmp_path_factory):
    """Run 1 on three articles; two more added; run 2; the first article removed; run 3."""
    root = tmp_path_factory.mktemp("grown")
    src, out = root / "src", root / "out"
    copy_sources(src, FIRST)
    first_ids = check_ids(src)
    logs = [nightly(src, out).stderr]
    copy_sources(src, ADDED)
    all_ids = check_ids(src)
    logs.append(nightly(src, out).stderr)
    (src / "000-slidstvo-foreign-prisoners.txt").unlink()
    later_ids = check_ids(src)
    logs.append(nightly(src, out).stderr)
    return {"src": src, "out": out, "runs": runs(out), "logs": logs,
            "ids": [first_ids, all_ids, later_ids]}


def test_first_run_reports_every_finding_as_new(grown):
    first = report(grown["out"], grown["runs"][0])
    assert first["run"]["previous"] is None
    assert by_status(first) == {"new": grown["ids"][0], "open": set(), "resolved": set()}
    assert first["version"] == 1 and {d["id"] for d in first["documents"]} == set(FIRST)


def test_articles_added_between_runs_show_exactly_their_discrepancies_as_new(grown):
    out, (before, after, _) = grown["out"], grown["ids"]
    second = report(out, grown["runs"][1])
    statuses = by_status(second)
    assert statuses == {"new": after - before, "open": after & before,
                        "resolved": before - after}
    new = [f for f in second["findings"] if f["status"] == "new"]
    assert new and all(set(f["documents"]) & set(ADDED) for f in new)
    # every discrepancy among the old articles alone is still open, not new
    for finding in second["findings"]:
        if finding["status"] != "resolved" and not set(finding["documents"]) & set(ADDED):
            assert finding["status"] == "open", finding["message"]
    assert second["run"]["previous"]["id"] == grown["runs"][0]
    assert second["run"]["counts"]["new"] == len(after - before)


def test_a_discrepancy_joined_by_a_new_article_continues_the_old_finding(grown):
    """Dmitry/Dmytro Usov is spelled two ways in 001 and 002; 004 joins it: a new id
    (the evidence changed), linked to the finding it continues."""
    second = report(grown["out"], grown["runs"][1])
    usov = [f for f in second["findings"]
            if f["rule"] == "name-spelling" and "Usov" in f["message"]]
    old = next(f for f in usov if f["status"] == "resolved")
    new = next(f for f in usov if f["status"] == "new")
    assert new["replaces"] == [old["id"]] and old["replaced_by"] == new["id"]
    assert "004-up-18000-recruited" in new["documents"]
    assert "004-up-18000-recruited" not in old["documents"]
    counts = second["run"]["counts"]
    assert counts["continued"] == sum(1 for f in second["findings"] if f.get("replaces"))


def test_a_removed_articles_findings_are_resolved_with_their_old_evidence(grown):
    out, (_, before, after) = grown["out"], grown["ids"]
    third = report(out, grown["runs"][2])
    assert by_status(third)["resolved"] == before - after
    gone = [f for f in third["findings"] if f["status"] == "resolved"]
    sums = [f for f in gone if f["documents"] == ["000-slidstvo-foreign-prisoners"]]
    assert sums and sums[0]["kind"] == "total"
    assert sums[0]["claims"][0]["doc"] == "000-slidstvo-foreign-prisoners"
    assert "000-slidstvo-foreign-prisoners" not in {d["id"] for d in third["documents"]}


def test_only_new_and_changed_files_are_extracted_again(grown):
    counts = [report(grown["out"], r)["run"]["counts"] for r in grown["runs"]]
    assert [(c["extracted"], c["unchanged"]) for c in counts] == [(3, 0), (2, 3), (0, 4)]
    assert "checker: 5/5 documents (2 extracted, 3 unchanged)" in grown["logs"][1]
    assert grown["logs"][2].count("documents (") <= 4  # a few plain lines, not one per file


def test_index_lists_every_run_newest_first_with_counts_and_links(grown):
    index = (grown["out"] / "index.html").read_text(encoding="utf-8")
    listed = re.findall(r'<tr class="run-row" id="run-([^"]+)"', index)
    assert listed == grown["runs"][::-1]
    for run in grown["runs"]:
        assert f'href="{run}/report.html"' in index and f'href="{run}/report.json"' in index
    newest = report(grown["out"], grown["runs"][-1])["run"]["counts"]
    row = index.split(f'id="run-{grown["runs"][-1]}"')[1].split("</tr>")[0]
    assert f'data-count="documents">{newest["documents"]}<' in row
    assert "script" not in index.lower().replace("script-src", "")


def test_the_report_page_leads_with_what_changed_and_marks_each_finding(grown):
    out, second = grown["out"], grown["runs"][1]
    page = (out / second / "report.html").read_text(encoding="utf-8")
    assert page.index('id="changes"') < page.index('id="summary"')
    assert f"What changed since run {grown['runs'][0]}" in page
    findings = re.findall(r'<article class="finding[^>]*data-status="(\w+)"', page)
    assert sorted(findings) == sorted(f["status"] for f in report(out, second)["findings"])
    assert findings == sorted(findings, key=["new", "open", "resolved"].index)  # new first
    assert re.search(r'data-change-count="continued">(\d+)<', page)[1] == str(
        report(out, second)["run"]["counts"]["continued"])


def test_second_run_with_nothing_changed_reports_everything_open(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    copy_sources(src, FIRST + ADDED)
    nightly(src, out)
    started = time.perf_counter()
    result = nightly(src, out)
    elapsed = time.perf_counter() - started
    rep = report(out, runs(out)[-1])
    assert rep["run"]["counts"]["new"] == rep["run"]["counts"]["resolved"] == 0
    assert rep["run"]["counts"]["extracted"] == 0
    assert "5/5 documents (0 extracted, 5 unchanged)" in result.stderr
    print(f"second run, nothing changed, 5 fixtures: {elapsed:.2f} s")


def test_text_from_articles_is_escaped_in_the_nightly_pages(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    for i, count in enumerate((120, 150)):
        (src / f"a{i}.md").write_text(
            f"---\ntitle: '{hostile}'\npublished: 2025-06-0{i + 1}\n---\n"
            f"{hostile} Officials said {count} people were evacuated from Dornfeld {hostile}.\n",
            encoding="utf-8")
    nightly(src, out)
    run = runs(out)[-1]
    for page in (out / run / "report.html", out / "index.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text and "<img src=x" not in text


def test_run_ids_sort_by_time_and_stay_unique_within_a_second():
    moment = utc_now()
    first = run_id(moment, set())
    second = run_id(moment, {first})
    third = run_id(moment, {first, second})
    assert RUN_DIR.match(first) and RUN_DIR.match(second) and RUN_DIR.match(third)
    assert sorted([third, first, second]) == [first, second, third]


def test_a_second_run_while_one_holds_the_lock_exits_2_naming_the_lock(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    copy_sources(src, FIRST)
    with Lock(out / LOCK_NAME):
        busy = subprocess.run([sys.executable, "-m", "checker", "nightly", str(src), "--out",
                               str(out), "--rules", str(RULES)], capture_output=True,
                              text=True, timeout=120, cwd=tmp_path)
    assert busy.returncode == 2
    assert busy.stderr.splitlines() == [
        f"checker: {out / LOCK_NAME}: another nightly run holds this lock (pid {os.getpid()}); "
        "try again when it has finished"]
    assert runs(out) == []
    nightly(src, out)  # the lock is free again
    assert len(runs(out)) == 1


def test_a_database_elsewhere_is_locked_too(tmp_path):
    src, db = tmp_path / "src", tmp_path / "db" / "history.sqlite"
    copy_sources(src, FIRST)
    with Lock(db.with_name("history.sqlite.lock")):
        busy = invoke("nightly", src, "--out", tmp_path / "other", "--db", db, "--rules", RULES)
    assert busy.exit_code == 2 and "history.sqlite.lock: another nightly run" in busy.stderr
    nightly(src, tmp_path / "out", "--db", db)
    assert db.is_file() and not (tmp_path / "out" / "history.sqlite").exists()


def test_leftovers_of_killed_runs_are_removed_and_others_folders_kept(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    copy_sources(src, FIRST)
    nightly(src, out)
    kept = runs(out)
    with History(out / "history.sqlite") as history:  # a run killed after its folder was renamed
        killed = history.begin(utc_now(), taken=set(kept))
    (out / killed).mkdir()
    (out / killed / "report.json").write_text("{", encoding="utf-8")
    (out / ".2026-01-01T00-00-00Z.partial").mkdir()
    (out / ".index.html.x1y2.tmp").write_text("<html", encoding="utf-8")
    (out / "2020-01-01T00-00-00Z").mkdir()  # not this history's: perhaps another --db's
    (out / "notes").mkdir()
    result = nightly(src, out)
    assert "removed" in result.stderr and killed in result.stderr
    assert not (out / killed).exists() and not (out / ".2026-01-01T00-00-00Z.partial").exists()
    assert not (out / ".index.html.x1y2.tmp").exists()
    assert (out / "2020-01-01T00-00-00Z").is_dir() and (out / "notes").is_dir()
    latest = report(out, runs(out)[-1])
    assert latest["run"]["previous"]["id"] == kept[0]  # never the killed run
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f'id="run-{killed}" data-status="interrupted"' in index


def test_bad_input_exits_2_with_one_line_and_records_nothing(tmp_path):
    out = tmp_path / "out"
    missing = invoke("nightly", tmp_path / "nowhere", "--out", out, "--rules", RULES)
    assert missing.exit_code == 2
    assert missing.stderr.splitlines() == [
        f"checker: {tmp_path / 'nowhere'}: no such file or folder"]
    empty = tmp_path / "empty"
    empty.mkdir()
    none = invoke("nightly", empty, "--out", out, "--rules", RULES,
                  "--triage", tmp_path / "triage.yaml")
    assert none.exit_code == 2 and none.stderr.strip().endswith(f"no readable documents in {empty}")
    with History(out / "history.sqlite") as history:
        assert [(r.status, r.error) for r in history.runs()] == [
            ("failed", f"no readable documents in {empty}")]
    assert runs(out) == []


def test_progress_is_a_bar_on_a_terminal(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.delenv("CI", raising=False)
    progress = _RunProgress()
    for done in range(1, 11):
        progress.progress(done, 10, None)
    assert "reading documents" in terminal.getvalue() and "10/10" in terminal.getvalue()


# the nightly report in a browser --------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
ELEMENTS = """return Array.from(document.querySelectorAll("#finding-list > article.finding"))
  .map(el => { el = el.cloneNode(true); el.removeAttribute("hidden");
               el.classList.remove("current", "filtered"); return el.outerHTML; });"""


@pytest.fixture
def browser(tmp_path):
    if not (CHROMIUM and CHROMEDRIVER):
        if os.environ.get("CI"):
            pytest.fail("chromium and chromium-driver are required under CI", pytrace=False)
        pytest.skip("chromium and chromium-driver are not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1300,2000", f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def test_status_badges_and_the_status_filter_work_beyond_the_first_page(grown, tmp_path,
                                                                        browser, monkeypatch):
    """A large nightly report writes its first page of findings as HTML and the rest as
    data: findings rendered from the data are the same markup, status badge, triage and
    lineage included, and the status filter counts and shows them."""
    from selenium.webdriver.common.by import By

    from checker.documents import load_documents
    from checker.report import html as html_report
    from checker.report import view

    base = report(grown["out"], grown["runs"][1])
    decisions = [None, {"status": "confirmed", "note": "Real <b>.", "by": "Desk", "at": "x"},
                 {"status": "dismissed", "note": "", "by": "Ed", "at": "y", "stale": True}]
    findings = []
    for i in range(3 * view.FINDINGS_PAGE):
        finding = dict(base["findings"][i % len(base["findings"])])
        finding["id"] = f"{finding['id'][:8]}{i:08x}"
        if decisions[i % 3]:
            finding["triage"] = decisions[i % 3]
        findings.append(finding)
    big = dict(base, findings=findings)
    documents, _ = load_documents([str(grown["src"])])
    texts = {d.id: d.text for d in documents}
    paged, full = tmp_path / "paged.html", tmp_path / "full.html"
    paged.write_text(html_report.render(big, texts), encoding="utf-8")
    page_size = view.FINDINGS_PAGE  # resolved ones come last: all rendered from the data
    monkeypatch.setattr(view, "FINDINGS_PAGE", len(findings))
    full.write_text(html_report.render(big, texts), encoding="utf-8")

    browser.get(full.as_uri())
    expected = browser.execute_script(ELEMENTS)
    browser.get(paged.as_uri())
    browser.execute_script("window.dispatchEvent(new Event('beforeprint'))")
    assert browser.execute_script(ELEMENTS) == expected

    browser.get(paged.as_uri())
    for box in browser.find_elements(By.CSS_SELECTOR, "input[name=status]"):
        if box.get_attribute("value") != "resolved":
            box.click()
    shown = browser.execute_script(
        "return Array.from(document.querySelectorAll('#finding-list article.finding'))"
        ".filter(el => el.getClientRects().length > 0)"
        ".map(el => [el.dataset.status, el.querySelector('.finding-head .status').textContent])")
    resolved = sum(1 for f in findings if f["status"] == "resolved")
    assert len(shown) == min(resolved, page_size)
    assert all(status == badge == "resolved" for status, badge in shown)
    count = browser.find_element(By.ID, "shown-count").text
    assert count.startswith(f"{resolved} of {len(findings)} findings")
    errors = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
