"""The HTML report in headless Chromium, as an editor opens it: findings visible, filters
working, no console errors, and nothing from a hostile article able to run.

Needs Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them). Without
them the tests skip locally and fail under CI, where a skipped browser test would hide a
broken report.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

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


def render(sources: Path, out: Path) -> Path:
    """The report as a user makes it: the real command in a subprocess."""
    result = subprocess.run([sys.executable, "-m", "checker", "check", str(sources),
                             "--rules", str(ROOT / "rules"), "--format", "html",
                             "--output", str(out), "--fail-on", "never"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return out


def console_errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def visible(driver, css: str) -> list:
    return [e for e in driver.find_elements(By.CSS_SELECTOR, css) if e.is_displayed()]


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
    assert len(browser.find_elements(By.CSS_SELECTOR, "#claims tr.claim")) > 100
    shots = ROOT / "reports" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(shots / "fixtures-report.png"))
    assert console_errors(browser) == []


def test_filters_hide_and_show_findings_and_count_them(browser, fixture_report):
    browser.get(fixture_report.as_uri())
    total = len(browser.find_elements(By.CSS_SELECTOR, "#findings article.finding"))
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
    assert len(visible(browser, "#findings article.finding")) == min(total, 50)
    assert console_errors(browser) == []


def test_the_search_box_narrows_findings_to_matching_messages(browser, fixture_report):
    browser.get(fixture_report.as_uri())
    browser.find_element(By.ID, "search").send_keys("Usov")
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
