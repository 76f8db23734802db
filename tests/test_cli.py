"""The ``checker`` command line through click's CliRunner and one real subprocess."""
from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli import main

from conftest import CONTRACT_CLAIM_KEYS, CONTRACT_DOCUMENT_KEYS, FIXTURES, REPO

FIXTURE_IDS = ["000-slidstvo-foreign-prisoners", "001-custody-32-countries",
               "002-nearly-200-pows", "003-glavkom-international-legion",
               "004-up-18000-recruited"]


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def fixture_report() -> dict:
    result = CliRunner().invoke(main, ["extract", str(FIXTURES), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_extract_json_on_the_fixtures_follows_the_contract(fixture_report):
    report = fixture_report
    assert report["version"] == 1
    assert sorted(d["id"] for d in report["documents"]) == FIXTURE_IDS
    assert report["findings"] == []
    for doc in report["documents"]:
        assert CONTRACT_DOCUMENT_KEYS <= set(doc)
        assert doc["published_from"] in ("metadata", "text", "inferred", None)
        assert (doc["published"] is None) == (doc["published_from"] is None)
    assert report["claims"]
    ids = {d["id"] for d in report["documents"]}
    for claim in report["claims"]:
        assert CONTRACT_CLAIM_KEYS <= set(claim)
        assert claim["doc"] in ids
        assert claim["period"] is None or set(claim["period"]) == {"start", "end"}


def test_extract_json_offsets_quote_the_fixture_files(fixture_report):
    paths = {d["id"]: Path(d["path"]) for d in fixture_report["documents"]}
    checked = 0
    for claim in fixture_report["claims"]:
        path = paths[claim["doc"]]
        if path.suffix == ".html":
            continue  # offsets index the extracted text (text_source "extracted")
        text = path.read_bytes().decode("utf-8-sig")
        assert text[claim["start"]:claim["end"]] == claim["text"]
        checked += 1
    assert checked > 0


def test_extract_json_publication_dates_of_the_fixtures(fixture_report):
    dates = {d["id"]: (d["published"], d["published_from"]) for d in fixture_report["documents"]}
    assert dates["001-custody-32-countries"] == ("2025-08-15", "metadata")
    assert dates["003-glavkom-international-legion"] == ("2025-05-17", "text")
    assert dates["004-up-18000-recruited"] == ("2025-11-19", "metadata")


def test_extract_csv_has_a_header_and_one_row_per_claim(fixture_report):
    result = run("extract", str(FIXTURES), "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {"doc", "text", "value", "low", "high", "unit", "start", "end"} <= set(rows[0])
    assert len(rows) == len(fixture_report["claims"])
    assert [(r["doc"], int(r["start"]), r["text"]) for r in rows] == [
        (c["doc"], c["start"], c["text"]) for c in fixture_report["claims"]]


def test_extract_text_lines_are_path_line_col(fixture_report):
    result = run("extract", str(FIXTURES), "--format", "text")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    claims = fixture_report["claims"]
    assert len(lines) == len(claims) + 1
    for line, claim in zip(lines, claims):
        m = re.match(r"^(?P<path>.+?\.(?:txt|md|html)):(?P<line>\d+):(?P<col>\d+): ", line)
        assert m, line
        assert (int(m["line"]), int(m["col"])) == (claim["line"], claim["column"])
    assert lines[-1] == f"{len(claims)} claims in 5 documents"


def test_text_is_the_default_format():
    assert run("extract", str(FIXTURES)).stdout == run("extract", str(FIXTURES), "--format",
                                                       "text").stdout


def test_output_file_is_written_and_nothing_is_printed(tmp_path, fixture_report):
    out = tmp_path / "sub" / "claims.json"
    result = run("extract", str(FIXTURES), "--format", "json", "--output", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8")) == fixture_report
    assert [p.name for p in out.parent.iterdir()] == ["claims.json"]  # no temporary left


def test_missing_path_exits_2_with_one_line_naming_it(tmp_path):
    missing = tmp_path / "no-such-folder"
    result = run("extract", str(missing))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [f"checker: {missing}: no such file or folder"]
    assert "Traceback" not in result.output


def test_unknown_format_is_a_usage_error():
    result = run("extract", str(FIXTURES), "--format", "xml")
    assert result.exit_code == 2
    assert "xml" in result.stderr


def test_folder_with_a_binary_file_still_reports_the_good_documents(tmp_path):
    for name in ("000-slidstvo-foreign-prisoners.txt", "001-custody-32-countries.md"):
        (tmp_path / name).write_bytes((FIXTURES / name).read_bytes())
    bad = tmp_path / "zz-binary.txt"
    bad.write_bytes(b"GIF89a\x00\x00\x01\x02")
    result = run("extract", str(tmp_path), "--format", "json")
    assert result.exit_code == 0, result.output
    assert str(bad) in result.stderr
    assert len(result.stderr.splitlines()) == 1
    report = json.loads(result.stdout)
    assert [d["id"] for d in report["documents"]] == ["000-slidstvo-foreign-prisoners",
                                                      "001-custody-32-countries"]
    assert {c["doc"] for c in report["claims"]} == {"000-slidstvo-foreign-prisoners",
                                                    "001-custody-32-countries"}


def test_only_unreadable_files_exit_2(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    result = run("extract", str(bad))
    assert result.exit_code == 2
    assert str(bad) in result.stderr
    assert "Traceback" not in result.output


def test_invalid_utf8_error_names_file_and_line(tmp_path):
    bad = tmp_path / "latin.txt"
    bad.write_bytes("ok\nCaf\u00e9\n".encode("latin-1"))
    result = run("extract", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:2: " in result.stderr


@pytest.mark.parametrize("args", [["--help"], ["extract", "--help"], ["--version"]])
def test_help_and_version_exit_0(args):
    result = run(*args)
    assert result.exit_code == 0
    assert result.stdout.strip()


def _commands() -> list[str]:
    return sorted(main.list_commands(None))


def test_every_command_in_help_is_mentioned_in_the_readme():
    readme = REPO / "README.md"
    if not readme.exists():
        pytest.skip("README.md does not exist yet")
    help_text = run("--help").stdout
    listed = re.findall(r"^  (\S+)\s", help_text.split("Commands:", 1)[1], re.M)
    assert listed == _commands()
    text = readme.read_text(encoding="utf-8")
    assert [c for c in listed if f"checker {c}" not in text] == []


def test_real_subprocess_json_and_exit_codes(tmp_path):
    ok = subprocess.run([sys.executable, "-m", "checker", "extract", str(FIXTURES),
                         "--format", "json"], capture_output=True, text=True, cwd=REPO,
                        timeout=120)
    assert ok.returncode == 0, ok.stderr
    report = json.loads(ok.stdout)
    assert report["version"] == 1
    assert len(report["documents"]) == 5
    assert all(CONTRACT_CLAIM_KEYS <= set(c) for c in report["claims"])

    missing = tmp_path / "nowhere"
    bad = subprocess.run([sys.executable, "-m", "checker", "extract", str(missing)],
                         capture_output=True, text=True, cwd=REPO, timeout=120)
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert bad.stderr.splitlines() == [f"checker: {missing}: no such file or folder"]
