"""How big the HTML report gets and how fast it renders and opens, up to 10,000 findings.

A measurement, not a test. The fixture corpus is checked once; its report is then grown
to each size by cloning findings (new ids, same evidence), which is what a large nightly
report looks like to the renderer and the browser. For each size it prints the render
time (Jinja2), the file size, and, when Debian's chromium and chromedriver are present,
the time headless Chromium takes until the page is loaded and its script has paginated.

    python benchmarks/report_scale.py                    # 100, 1,000, 10,000 findings
    python benchmarks/report_scale.py --sizes 10000 --no-browser
"""
from __future__ import annotations

import argparse
import copy
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from click.testing import CliRunner

from checker.cli import main as cli
from checker.documents import load_documents
from checker.report import html

ROOT = Path(__file__).resolve().parent.parent


def fixture_report() -> tuple[dict, dict[str, str]]:
    sources = ROOT / "fixtures" / "sources"
    result = CliRunner().invoke(cli, ["check", str(sources), "--rules", str(ROOT / "rules"),
                                      "--format", "json", "--fail-on", "never"])
    if result.exit_code != 0:
        sys.exit(f"checker failed: {result.output}")
    documents, _ = load_documents([str(sources)])
    return json.loads(result.output), {d.id: d.text for d in documents}


def grown(report: dict, size: int) -> dict:
    """The report with ``size`` findings, cloned round-robin from its own."""
    out = copy.copy(report)
    base = report["findings"]
    out["findings"] = []
    for i in range(size):
        finding = dict(base[i % len(base)])
        finding["id"] = f"{finding['id'][:8]}{i:08x}"
        out["findings"].append(finding)
    return out


def open_time(path: Path) -> float | None:
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver_path):
        return None
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        start = time.perf_counter()
        driver.get(path.as_uri())  # returns once the load event has fired
        driver.execute_script("return document.getElementById('shown-count').textContent")
        return time.perf_counter() - start
    finally:
        driver.quit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    report, texts = fixture_report()
    print(f"base: {len(report['findings'])} findings, {len(report['claims'])} claims, "
          f"{len(report['documents'])} documents")
    print(f"{'findings':>9} | {'render s':>8} | {'size MB':>7} | {'open s':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            data = grown(report, size)
            start = time.perf_counter()
            page = html.render(data, texts)
            render_s = time.perf_counter() - start
            path = Path(tmp) / f"report-{size}.html"
            path.write_text(page, encoding="utf-8")
            opened = None if args.no_browser else open_time(path)
            print(f"{size:>9,} | {render_s:>8.2f} | {len(page.encode()) / 1e6:>7.2f} | "
                  f"{'–' if opened is None else f'{opened:.2f}':>6}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
