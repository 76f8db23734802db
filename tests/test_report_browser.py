"""The HTML report in headless Chromium, as an editor opens it: findings visible, filters
working, no console errors, and nothing from a hostile article able to run. A large report
writes out only its first page of findings and claims and carries the rest as data: those
are rendered on demand, into the same markup, and filters, paging and links reach them.

Needs Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them). Without
them the tests skip locally and fail under CI, where a skipped browser test would hide a
broken report.
"""
from __future__ import annotations

import copy
import json
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

if not (CHROMIUM and CHROMEDRIVER):
    if os.environ.get("CI"):
        pytest.fail("chromium and chromium-driver are required under CI", pytrace=False)
    pytest.skip("chromium and chromium-driver are not installed", allow_module_level=True)

from selenium import webdriver  # noqa: E402  (only with a browser to drive)
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from checker.documents import load_documents  # noqa: E402
from checker.report import html as html_report  # noqa: E402
from checker.report import view  # noqa: E402
from checker.report.view import CLAIMS_PAGE, FINDINGS_PAGE  # noqa: E402


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--window-size=1300,2400",
                f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def render(sources: Path, out: Path, fmt: str = "html") -> Path:
    """The report as a user makes it: the real command in a subprocess."""
    result = subprocess.run([sys.executable, "-m", "checker", "check", str(sources),
                             "--rules", str(ROOT / "rules"), "--format", fmt,
                             "--output", str(out), "--fail-on", "never"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return out


def console_errors(driver) -> list[str]:
    """Errors, and any word at all from the Content-Security-Policy."""
    return [e["message"] for e in driver.get_log("browser")
            if e["level"] == "SEVERE" or "Content Security Policy" in e["message"]]


def shown_count(driver, element_id: str = "shown-count") -> tuple[int, int]:
    """("N of M findings shown") as (N, M): M counts findings not rendered yet too."""
    text = driver.find_element(By.ID, element_id).text
    match = re.match(r"(\d+) of (\d+) ", text)
    assert match, text
    return int(match[1]), int(match[2])


def visible(driver, css: str) -> list:
    """The elements laid out on screen (not display: none, nor inside such), in one call:
    asking WebDriver about each of hundreds of rows takes seconds."""
    return driver.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0]))"
        ".filter(el => el.getClientRects().length > 0)", css)


@pytest.fixture(scope="module")
def fixture_report(tmp_path_factory):
    return render(ROOT / "fixtures" / "sources", tmp_path_factory.mktemp("report") / "report.html")


def test_the_fixture_report_shows_its_findings_with_highlighted_quotes(browser, fixture_report):
    browser.get(fixture_report.as_uri())
    findings = visible(browser, "#findings article.finding")
    assert findings, "no finding is visible"
    assert findings[0].find_elements(By.CSS_SELECTOR, ".evidence .quote-card mark.fig")
    counts = {e.get_attribute("data-severity-count"): e.text.strip()
              for e in browser.find_elements(By.CSS_SELECTOR, "#counts [data-severity-count]")}
    assert counts["warning"] != "0"
    assert visible(browser, "#timelines figure.timeline svg circle.point")
    claims = shown_count(browser, "claims-count")[1]
    assert claims > 100
    assert len(visible(browser, "#claims tr.claim")) == min(claims, CLAIMS_PAGE)
    shots = ROOT / "reports" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(shots / "fixtures-report.png"))
    assert console_errors(browser) == []


def test_filters_hide_and_show_findings_and_count_them(browser, fixture_report):
    browser.get(fixture_report.as_uri())
    total = shown_count(browser)[1]
    browser.find_element(By.CSS_SELECTOR, "input[name=severity][value=warning]").click()
    shown = visible(browser, "#findings article.finding")
    assert shown and all(f.get_attribute("data-severity") != "warning" for f in shown)
    assert f"{len(shown)} of {total}" in browser.find_element(By.ID, "shown-count").text
    for box in browser.find_elements(By.CSS_SELECTOR, "input[name=severity]:checked"):
        box.click()
    assert visible(browser, "#findings article.finding") == []
    assert browser.find_element(By.ID, "empty").is_displayed()
    for box in browser.find_elements(By.CSS_SELECTOR, "input[name=severity]"):
        box.click()
    assert len(visible(browser, "#findings article.finding")) == min(total, FINDINGS_PAGE)
    assert console_errors(browser) == []


def test_the_search_box_narrows_findings_to_matching_messages(browser, fixture_report):
    browser.get(fixture_report.as_uri())
    total = shown_count(browser)[1]
    browser.find_element(By.ID, "search").send_keys("Usov")
    WebDriverWait(browser, 5).until(lambda d: shown_count(d)[0] < total)
    shown = visible(browser, "#findings article.finding")
    assert shown and all("Usov" in f.text for f in shown)


HOSTILE = """---
title: "<script>window.__pwned = 1</script> Flood toll"
outlet: "<img src=x onerror=\\"window.__pwned = 2\\">"
published: 2025-03-04
url: "javascript:window.__pwned = 3"
---
As of 3 March, 1,204 people had been evacuated, the <b>county</b> said. </textarea><script>window.__pwned = 4</script>
Nine people have died, according to <img src=x onerror="window.__pwned = 5"> police.
"""
HOSTILE_2 = """---
title: "Second source"
published: 2025-03-04
url: "https://example.org/flood?q=<script>"
---
As of 3 March, 1,402 people had been evacuated, the county said.
Nine people have died, according to the emergency service.
"""


def test_a_hostile_article_cannot_run_code_in_the_report(browser, tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "hostile.md").write_text(HOSTILE, encoding="utf-8")
    (sources / "second.md").write_text(HOSTILE_2, encoding="utf-8")
    page = render(sources, tmp_path / "hostile.html")
    html = page.read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in html
    assert "<img src=x onerror" not in html
    assert "</textarea><script>" not in html
    assert 'href="javascript:' not in html.lower()
    browser.get(page.as_uri())
    assert browser.execute_script("return window.__pwned === undefined")
    assert browser.find_elements(By.CSS_SELECTOR, "#findings article.finding")
    assert "<script>window.__pwned = 4</script>" in browser.find_element(By.ID, "documents").text
    assert browser.find_elements(By.CSS_SELECTOR, "a[href^='javascript' i]") == []
    assert browser.find_elements(By.CSS_SELECTOR, "img") == []



# A large report: the fixture report grown by cloning (as benchmarks/report_scale.py does)
# past one page of findings and of claims, plus hostile text that only the data carries.
LARGE_FINDINGS, LARGE_CLAIMS = 320, 500
HOSTILE_ID = "ffffffff0hostile"


class Large(NamedTuple):
    page: Path
    report: dict
    texts: dict[str, str]


def grown(report: dict, findings: int, claims: int) -> dict:
    """The report with findings and claims cloned round-robin from its own: new ids, the
    same evidence. A document gets a web link so that cards show their source link."""
    out = copy.deepcopy(report)
    out["findings"] = []
    for i in range(findings):
        finding = dict(report["findings"][i % len(report["findings"])])
        finding["id"] = f"{finding['id'][:8]}{i:08x}"
        out["findings"].append(finding)
    base = report["claims"]
    out["claims"] = [dict(base[i % len(base)], id=base[i % len(base)]["id"] + f"~{i}")
                     if i >= len(base) else base[i] for i in range(claims)]
    out["documents"][1].update(url="https://example.org/story?a=1&b=2", title="A & B story")
    return out


def with_hostile_data(report: dict) -> dict:
    """A document, a claim and a finding full of markup, sorted after every other finding
    and claim so that only the data carries them."""
    claim = dict(report["claims"][0], id="hostile-data:7", doc="hostile-data", text="1,204",
                 start=0, sentence_start=0, line=3, value=123456789.0, low=None, high=None,
                 sentence='Before </script><script>window.__pwned = 6</script> 1,204 '
                          '<img src=x onerror="window.__pwned = 7"> after.',
                 attribution='zqx <img src=x onerror="window.__pwned = 8">')
    report["claims"].append(claim)
    report["documents"].append({
        "id": "hostile-data", "path": "hostile-data.md", "published": "2025-03-04",
        "published_from": "metadata", "role": "source",
        "title": "<script>window.__pwned = 10</script>",
        "outlet": '<img src=x onerror="window.__pwned = 11">',
        "url": "javascript:window.__pwned = 12"})
    report["findings"].append(dict(
        report["findings"][-1], id=HOSTILE_ID, severity="info", kind="conflict",
        rule="<b>rule</b>", documents=["hostile-data"], independent_sources=1,
        message="<script>window.__pwned = 9</script> zqx figures disagree",
        measure={"label": "\uffff <i>measure</i>",
                 "why": '<img src=x onerror="window.__pwned = 13">'},
        claims=[claim, report["claims"][1]]))
    return report


@pytest.fixture(scope="module")
def large_report(tmp_path_factory):
    """A report of LARGE_FINDINGS + 1 findings and LARGE_CLAIMS + 1 claims, as a page."""
    tmp = tmp_path_factory.mktemp("large")
    sources = ROOT / "fixtures" / "sources"
    report = json.loads(render(sources, tmp / "report.json", "json").read_text(encoding="utf-8"))
    texts = {d.id: d.text for d in load_documents([str(sources)])[0]}
    report = with_hostile_data(grown(report, LARGE_FINDINGS, LARGE_CLAIMS))
    page = tmp / "large.html"
    page.write_text(html_report.render(report, texts), encoding="utf-8")
    return Large(page, report, texts)


def press(driver, button_id: str) -> None:
    """Click a button where it is now: a pointer click can land elsewhere while the page
    still scrolls the list into view after the previous click."""
    driver.execute_script("arguments[0].click()", driver.find_element(By.ID, button_id))


def open_at(driver, page: Path, fragment: str = "") -> None:
    """A fresh load of the page, at ``fragment`` if given, once the report's script is
    done (it marks the root "ready") and the element the fragment names is there.
    ``get`` alone returned while a large page was still being parsed in a few loaded CI
    runs (a list cut off mid-element, a data finding not found)."""
    driver.get("about:blank")
    driver.get(page.as_uri() + (f"#{fragment}" if fragment else ""))
    WebDriverWait(driver, 10).until(lambda d: d.execute_script(
        "return document.readyState === 'complete'"
        " && document.documentElement.classList.contains('ready')"))
    if fragment:
        WebDriverWait(driver, 5).until(lambda d: d.find_elements(By.ID, fragment))


def written(page: Path) -> set[str]:
    """The ids of the findings and claims written into the page as HTML."""
    return set(re.findall(r'<(?:article class="finding[^"]*"|tr class="claim") id="([^"]+)"',
                          page.read_text(encoding="utf-8")))


def test_a_large_report_writes_one_page_and_renders_the_rest_from_data(browser, large_report):
    page, report, _ = large_report
    total = len(report["findings"])
    text = page.read_text(encoding="utf-8")
    assert text.count('<script type="application/json" id="report-data">') == 1
    assert len(written(page)) == FINDINGS_PAGE + CLAIMS_PAGE
    open_at(browser, page)
    assert shown_count(browser) == (total, total)
    written_out = browser.find_elements(By.CSS_SELECTOR, "#finding-list > article.finding")
    assert len(written_out) == FINDINGS_PAGE
    assert len(visible(browser, "#findings article.finding")) == FINDINGS_PAGE
    pages = math.ceil(total / FINDINGS_PAGE)
    for _ in range(pages - 1):
        press(browser, "page-next")
    assert browser.find_element(By.ID, "page-next").get_attribute("disabled")
    assert browser.find_element(By.ID, "page-info").text.startswith(f"Page {pages} of {pages}")
    shown = visible(browser, "#findings article.finding")
    assert len(shown) == total - FINDINGS_PAGE * (pages - 1)
    server = written(page)
    for finding in shown:
        assert finding.get_attribute("id") not in server
        marks = finding.find_elements(By.CSS_SELECTOR, ".evidence .quote-card .quote mark.fig")
        assert marks and all(m.text for m in marks)
    # j/k walk the page; k at its top goes back to the previous page's last finding.
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys("j")
    assert "current" in shown[0].get_attribute("class")
    body.send_keys("k")
    assert browser.find_element(By.ID, "page-info").text.startswith(f"Page {pages - 1} of")
    assert console_errors(browser) == []


def test_findings_and_claims_from_data_are_the_same_markup_as_written_ones(
        browser, large_report, monkeypatch, tmp_path):
    """Every finding and claim row rendered from the data is the element the template
    writes for it: compared with the same report written out in full."""
    page, report, texts = large_report
    monkeypatch.setattr(view, "FINDINGS_PAGE", len(report["findings"]))
    monkeypatch.setattr(view, "CLAIMS_PAGE", len(report["claims"]))
    full = tmp_path / "full.html"
    full.write_text(html_report.render(report, texts), encoding="utf-8")
    assert 'id="report-data"' not in full.read_text(encoding="utf-8")
    assert len(written(full)) == len(report["findings"]) + len(report["claims"])
    elements = """return Array.from(document.querySelectorAll(
        "#finding-list > article.finding, #claims > tbody > tr.claim")).map(el => {
      el = el.cloneNode(true);
      el.removeAttribute("hidden");
      el.classList.remove("current", "filtered");
      return el.outerHTML;
    });"""
    open_at(browser, full)
    expected = browser.execute_script(elements)
    open_at(browser, page)
    browser.execute_script("window.dispatchEvent(new Event('beforeprint'))")
    assert browser.execute_script(elements) == expected
    # and a link to a finding not rendered yet makes it the page's :target
    target = next(f"f-{f['id']}" for f in reversed(report["findings"]))
    open_at(browser, page)
    browser.execute_script("window.location.hash = arguments[0]", target)
    assert browser.find_element(By.ID, target).is_displayed()
    assert browser.execute_script("return document.querySelector(':target').id") == target
    assert console_errors(browser) == []


def test_filters_and_search_cover_findings_only_in_the_data(browser, large_report):
    page, report, _ = large_report
    total = len(report["findings"])
    not_warning = sum(f["severity"] != "warning" for f in report["findings"])
    assert 0 < not_warning < total - FINDINGS_PAGE
    open_at(browser, page)
    browser.find_element(By.CSS_SELECTOR, "input[name=severity][value=warning]").click()
    assert shown_count(browser) == (not_warning, total)
    pages = math.ceil(not_warning / FINDINGS_PAGE)
    for _ in range(pages):
        shown = visible(browser, "#findings article.finding")
        assert shown and all(f.get_attribute("data-severity") != "warning" for f in shown)
        press(browser, "page-next")
    assert len(shown) == not_warning - FINDINGS_PAGE * (pages - 1)
    press(browser, "reset-filters")
    assert shown_count(browser) == (total, total)
    browser.find_element(By.ID, "search").send_keys("zqx")
    WebDriverWait(browser, 5).until(lambda d: shown_count(d)[0] < total)
    shown = visible(browser, "#findings article.finding")
    assert [f.get_attribute("id") for f in shown] == [f"f-{HOSTILE_ID}"]
    assert shown_count(browser) == (1, total)
    assert console_errors(browser) == []


def test_links_open_findings_and_claims_only_in_the_data(browser, large_report):
    page, report, _ = large_report
    ids = written(page)
    beyond = [f"f-{f['id']}" for f in report["findings"] if f"f-{f['id']}" not in ids]
    target = beyond[len(beyond) // 2]
    open_at(browser, page, target)
    finding = browser.find_element(By.ID, target)
    assert finding.is_displayed() and "current" in finding.get_attribute("class")
    assert browser.execute_script("return document.querySelector(':target').id") == target
    assert finding.find_elements(By.CSS_SELECTOR, ".quote-card mark.fig")
    # a figure in a document links to the first finding that cites it, here one in the data
    link = next(a for a in browser.find_elements(By.CSS_SELECTOR, "#documents a.fig-link")
                if a.get_attribute("href").split("#")[1] in beyond
                and a.get_attribute("href").split("#")[1] != target)
    linked = link.get_attribute("href").split("#")[1]
    browser.execute_script("arguments[0].click()", link)
    assert browser.find_element(By.ID, linked).is_displayed()
    # a claim row only in the data, from the URL, and its link to its finding
    open_at(browser, page, "c-hostile-data_7")
    row = browser.find_element(By.ID, "c-hostile-data_7")
    assert row.is_displayed()
    to_finding = row.find_element(By.CSS_SELECTOR, ".c-finding a")
    browser.execute_script("arguments[0].click()", to_finding)
    assert browser.find_element(By.ID, f"f-{HOSTILE_ID}").is_displayed()
    assert console_errors(browser) == []


def test_the_claims_table_sorts_filters_and_counts_rows_in_the_data(browser, large_report):
    page, report, _ = large_report
    total = len(report["claims"])
    open_at(browser, page)
    assert shown_count(browser, "claims-count") == (total, total)
    assert len(visible(browser, "#claims tr.claim")) == CLAIMS_PAGE
    value = browser.find_element(By.CSS_SELECTOR, "#claims button[data-sort-key=value]")
    browser.execute_script("arguments[0].click()", value)
    lowest = min(c["value"] for c in report["claims"] if c.get("value") is not None)
    first = visible(browser, "#claims tr.claim")[0]
    assert float(first.find_elements(By.TAG_NAME, "td")[3].get_attribute("data-sort")) == lowest
    browser.execute_script("arguments[0].click()", value)
    assert visible(browser, "#claims tr.claim")[0].get_attribute("id") == "c-hostile-data_7"
    browser.find_element(By.ID, "claim-search").send_keys("zqx")
    WebDriverWait(browser, 5).until(lambda d: shown_count(d, "claims-count")[0] < total)
    rows = visible(browser, "#claims tr.claim")
    assert [r.get_attribute("id") for r in rows] == ["c-hostile-data_7"]
    assert shown_count(browser, "claims-count") == (1, total)
    assert console_errors(browser) == []


def test_printing_a_large_report_renders_every_finding_and_claim(browser, large_report):
    page, report, _ = large_report
    open_at(browser, page)
    assert browser.find_element(By.ID, "findings-more").get_attribute("hidden") is None
    browser.execute_script("window.dispatchEvent(new Event('beforeprint'))")
    count = "return document.querySelectorAll(arguments[0]).length"
    findings = browser.execute_script(count, "#finding-list > article.finding")
    assert findings == len(report["findings"])
    assert browser.execute_script(count, "#claims > tbody > tr.claim") == len(report["claims"])
    assert browser.find_element(By.ID, "findings-more").get_attribute("hidden") is not None
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        displayed = browser.execute_script(
            "return Array.from(document.querySelectorAll('#finding-list > article.finding'))"
            ".filter(el => getComputedStyle(el).display !== 'none').length")
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert displayed == len(report["findings"])
    assert console_errors(browser) == []


def test_hostile_text_in_the_data_shows_as_text_and_cannot_run(browser, large_report):
    page = large_report.page
    source = page.read_text(encoding="utf-8")
    assert f'id="f-{HOSTILE_ID}"' not in source and HOSTILE_ID in source
    assert "<script>window.__pwned" not in source
    assert "<img src=x onerror" not in source
    assert "__pwned = 12" not in source
    open_at(browser, page, f"f-{HOSTILE_ID}")
    finding = browser.find_element(By.ID, f"f-{HOSTILE_ID}")
    assert finding.is_displayed()

    def text(css: str) -> str:
        return finding.find_element(By.CSS_SELECTOR, css).text

    assert "<script>window.__pwned = 9</script>" in text(".message")
    assert '<img src=x onerror="window.__pwned = 13">' in text(".why")
    assert "</script><script>window.__pwned = 6</script>" in text(".quote-card .quote")
    assert '<img src=x onerror="window.__pwned = 7">' in text(".quote-card .quote")
    assert text(".quote-card .quote mark.fig") == "1,204"
    assert text(".quote-card .card-outlet") == '<img src=x onerror="window.__pwned = 11">'
    assert finding.find_elements(By.CSS_SELECTOR, ".quote-card:first-child .source-link") == []
    open_at(browser, page, "c-hostile-data_7")
    assert "<img src=x" in browser.find_element(By.ID, "c-hostile-data_7").text
    browser.execute_script("window.dispatchEvent(new Event('beforeprint'))")
    assert browser.execute_script("return window.__pwned === undefined")
    assert browser.find_elements(By.CSS_SELECTOR, "img") == []
    assert browser.find_elements(By.CSS_SELECTOR, "a[href^='javascript' i]") == []
    scripts = "body script:not([type='application/json'])"
    assert browser.find_elements(By.CSS_SELECTOR, scripts) == []
    assert console_errors(browser) == []
