"""``checker rules list|lint|test`` and rule errors in ``checker check``, through click's
CliRunner and one real subprocess."""
from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from checker.cli import main

from conftest import REPO

DEFAULT_PACK = REPO / "rules" / "default"
README = REPO / "rules" / "README.md"


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def default_rules() -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(DEFAULT_PACK.glob("*.yml"))]


def readme_rule() -> str:
    """The casualty-conflict rule README.md teaches editors to write."""
    blocks = re.findall(r"^( *)```yaml\n(.*?)^\1```", README.read_text(encoding="utf-8"),
                        re.MULTILINE | re.DOTALL)
    [block] = [textwrap.dedent(text) for _, text in blocks if "id: casualty-conflict" in text]
    return block


def line_of(text: str, start: str) -> int:
    """The 1-based line of ``text`` that starts with ``start`` (after indentation)."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.lstrip().startswith(start))


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# -- rules list -----------------------------------------------------------------------------

def test_rules_list_shows_every_default_rule_id_kind_and_severity():
    result = run("rules", "list", "--rules", DEFAULT_PACK)
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.stdout.splitlines() if not line.startswith(" ")]
    listed = {row[0]: (row[1], row[2]) for row in rows[:-1]}
    rules = default_rules()
    assert listed == {r["id"]: (r["kind"], r["severity"]) for r in rules}
    assert result.stdout.splitlines()[-1] == f"{len(rules)} rules, 0 named measures in {len(rules)} files"


def test_rules_list_gives_each_rule_its_file_line_and_description():
    result = run("rules", "list", "--rules", DEFAULT_PACK)
    lines = result.stdout.splitlines()
    at = lines.index(next(line for line in lines if line.startswith("figure-conflict ")))
    assert lines[at].endswith(f"{DEFAULT_PACK / 'conflict.yml'}:2:1")
    assert lines[at + 1].startswith("    Two sources give different figures")


def test_rules_list_without_a_rules_folder_uses_the_packaged_default_pack(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("rules", "list")
    assert result.exit_code == 0, result.output
    assert {line.split()[0] for line in result.stdout.splitlines()
            if line and not line.startswith(" ")} >= {r["id"] for r in default_rules()}


def test_rules_list_shows_named_measures(tmp_path):
    result = run("rules", "list", "--rules", REPO / "rules" / "story")
    assert result.exit_code == 0, result.output
    assert re.search(r"^foreign-fighters-killed +measure ", result.stdout, re.MULTILINE)
    assert result.stdout.splitlines()[-1] == "1 rules, 2 named measures in 1 files"


# -- rules lint -----------------------------------------------------------------------------

def test_rules_lint_passes_the_default_pack():
    result = run("rules", "lint", "--rules", DEFAULT_PACK)
    assert (result.exit_code, result.stderr) == (0, "")
    n = len(default_rules())
    assert result.stdout == f"{n} rules in {n} files: all valid\n"


def test_rules_lint_passes_the_readme_example(tmp_path):
    write(tmp_path, "casualties.yml", readme_rule())
    result = run("rules", "lint", "--rules", tmp_path)
    assert (result.exit_code, result.stdout) == (0, "1 rules in 1 files: all valid\n")


def test_rules_lint_fails_a_rule_without_an_example_that_must_stay_quiet(tmp_path):
    text = readme_rule()
    text = text[:text.index("  - name: close-enough")]
    path = write(tmp_path, "casualties.yml", text)
    result = run("rules", "lint", "--rules", tmp_path)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        f"{path}:1:1: rule 'casualty-conflict' has no example that must stay quiet (flags: none)"]


def test_rules_lint_lists_every_problem_of_a_bare_rule(tmp_path):
    path = write(tmp_path, "bare.yml",
                 'id: bare-rule\nkind: conflict\nseverity: error\nmessage: "{{ measure }}"\n')
    result = run("rules", "lint", "--rules", tmp_path)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{path}:1:1: rule 'bare-rule' has no example that must fire",
        f"{path}:1:1: rule 'bare-rule' has no example that must stay quiet (flags: none)",
        f"{path}:1:1: rule 'bare-rule' has no description"]


def test_rules_lint_reports_an_invalid_rule_file_as_one_line(tmp_path):
    text = readme_rule().replace("tolerance: {absolute: 2}", "tolerence: {absolute: 2}")
    path = write(tmp_path, "casualties.yml", text)
    result = run("rules", "lint", "--rules", tmp_path)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        f"checker: {path}:{line_of(text, 'tolerence:')}:3: unknown key 'tolerence' in params of rule 'casualty-conflict'; "
        "did you mean 'tolerance'? allowed: tolerance, respect_qualifiers, same_period_days, max_ratio"]


def test_rules_lint_prefixes_every_line_of_an_invalid_rule_file(tmp_path):
    path = write(tmp_path, "casualties.yml", readme_rule().replace(
        "kind: conflict", "kind: conflcit").replace("severity: error", "severity: fatal"))
    result = run("rules", "lint", "--rules", tmp_path)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        f"checker: {path}:2:7: unknown kind 'conflcit' in rule 'casualty-conflict'; did you mean "
        "'conflict'? kinds: conflict, period, update, total, name-variant, attribution, outdated, unsupported",
        f"checker: {path}:3:11: severity 'fatal' in rule 'casualty-conflict' is not one of "
        "error, warning, info"]


def test_rules_lint_reports_a_key_written_twice(tmp_path):
    text = readme_rule().replace("severity: error", "severity: error\nseverity: warning")
    path = write(tmp_path, "casualties.yml", text)
    result = run("rules", "lint", "--rules", tmp_path)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        f"checker: {path}:4:1: duplicate key 'severity'; it is already given at line 3, column 1"]


def test_rules_lint_reports_two_examples_with_one_name(tmp_path):
    text = readme_rule().replace("- name: close-enough", "- name: two-counts")
    path = write(tmp_path, "casualties.yml", text)
    second = [i for i, line in enumerate(text.splitlines(), 1)
              if line.strip() == "- name: two-counts"][1]
    result = run("rules", "lint", "--rules", tmp_path)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        f"checker: {path}:{second}:5: two examples of rule 'casualty-conflict' are named "
        "'two-counts'; test ids are rule-id::example-name, so names must differ"]


# -- rules test -----------------------------------------------------------------------------

def test_rules_test_passes_every_example_of_the_default_pack():
    result = run("rules", "test", "--rules", DEFAULT_PACK)
    assert result.exit_code == 0, result.output
    wanted = [f"{r['id']}::{e['name']}" for r in default_rules() for e in r["examples"]]
    lines = result.stdout.splitlines()
    assert lines[:-1] == [f"ok    {name}" for name in wanted]
    assert lines[-1] == f"{len(wanted)} of {len(wanted)} examples passed"


def test_rules_test_fails_naming_rule_and_example_when_the_flags_are_wrong(tmp_path):
    text = readme_rule().replace('flags: ["14", "19"]', 'flags: ["14", "20"]')
    path = write(tmp_path, "casualties.yml", text)
    result = run("rules", "test", "--rules", tmp_path)
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "FAIL  casualty-conflict::two-counts"
    assert lines[1] == (f"      {path}:{line_of(text, '- name: two-counts')}:5: casualty-conflict::two-counts: wanted flags "
                        "['14', '20'], cited ['14', '19']")
    assert lines[2].startswith("      message: a says 14 but b says 19")
    assert lines[3:] == ["ok    casualty-conflict::close-enough", "1 of 2 examples passed"]


def test_rules_test_fails_a_must_not_fire_example_that_fires(tmp_path):
    write(tmp_path, "casualties.yml", readme_rule().replace(
        "tolerance: {absolute: 2}", "tolerance: {absolute: 0}"))
    result = run("rules", "test", "--rules", tmp_path)
    assert result.exit_code == 1
    assert "FAIL  casualty-conflict::close-enough" in result.stdout.splitlines()
    assert re.search(r"close-enough: wanted no finding, cited \['14', '15'\]", result.stdout)


def test_rules_test_with_rule_runs_only_that_rule():
    result = run("rules", "test", "--rules", DEFAULT_PACK, "--rule", "figure-conflict")
    assert result.exit_code == 0, result.output
    [conflict] = [r for r in default_rules() if r["id"] == "figure-conflict"]
    names = [e["name"] for e in conflict["examples"]]
    assert result.stdout.splitlines() == (
        [f"ok    figure-conflict::{n}" for n in names]
        + [f"{len(names)} of {len(names)} examples passed"])


def test_rules_test_with_rule_ignores_other_rules_failures(tmp_path):
    write(tmp_path, "casualties.yml",
          readme_rule().replace('flags: ["14", "19"]', 'flags: ["14", "20"]'))
    result = run("rules", "test", "--rules", tmp_path, "--rules", DEFAULT_PACK,
                 "--rule", "figure-update")
    assert result.exit_code == 0, result.output
    assert "casualty-conflict" not in result.stdout


def test_a_failing_todo_example_is_reported_as_todo_and_does_not_fail(tmp_path):
    write(tmp_path, "casualties.yml", readme_rule().replace(
        'flags: ["14", "19"]', 'flags: ["14", "20"]\n    todo: true'))
    result = run("rules", "test", "--rules", tmp_path)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "todo  casualty-conflict::two-counts"
    assert "wanted flags ['14', '20'], cited ['14', '19']" in lines[1]
    assert "ok    casualty-conflict::close-enough" in lines
    assert not any(line.startswith("FAIL") for line in lines)
    assert lines[-1] == "1 of 2 examples passed, 1 known gap (todo)"


def test_the_summary_counts_failures_and_todo_gaps_apart(tmp_path):
    write(tmp_path, "casualties.yml", readme_rule().replace(
        'flags: ["14", "19"]', 'flags: ["14", "20"]\n    todo: true').replace(
        "tolerance: {absolute: 2}", "tolerance: {absolute: 0}"))
    result = run("rules", "test", "--rules", tmp_path)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert [line for line in lines if not line.startswith(" ")] == [
        "todo  casualty-conflict::two-counts",
        "FAIL  casualty-conflict::close-enough",
        "0 of 2 examples passed, 1 known gap (todo)"]


def test_a_passing_todo_example_is_reported_ok(tmp_path):
    write(tmp_path, "casualties.yml", readme_rule().replace(
        'flags: ["14", "19"]', 'flags: ["14", "19"]\n    todo: true'))
    result = run("rules", "test", "--rules", tmp_path)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "ok    casualty-conflict::two-counts"
    assert result.stdout.splitlines()[-1] == "2 of 2 examples passed"


@pytest.mark.parametrize("rule_id,message", [
    pytest.param("figure-conflcit", "checker: no rule 'figure-conflcit'; did you mean "
                 "'figure-conflict'?", id="misspelt-with-did-you-mean"),
    pytest.param("zzz", "checker: no rule 'zzz'", id="unknown-and-nothing-close"),
    pytest.param("fighters-killed-update", "checker: no rule 'fighters-killed-update'; did you "
                 "mean 'figure-update'?", id="from-another-folder"),
    pytest.param("", "checker: no rule ''", id="empty"),
])
def test_rules_test_with_a_rule_id_not_in_the_rules_is_an_error(rule_id, message):
    result = run("rules", "test", "--rules", DEFAULT_PACK, "--rule", rule_id)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [message]


# -- rule errors stop `checker check` -------------------------------------------------------

@pytest.fixture
def broken_rules(tmp_path):
    """A rules folder with three mistakes in two files, and a document to check."""
    rules = tmp_path / "rules"
    a = write(rules, "a.yml", "id: flood-deaths\nkind: [conflict\n")
    b = write(rules, "b.yml", readme_rule().replace("severity:", "serverity:"))
    docs = tmp_path / "docs"
    write(docs, "flood.txt", "As of 3 March, 14 people were killed in the flood.\n")
    errors = [
        f"{a}:3:1: YAML syntax: expected ',' or ']', but got '<stream end>'",
        f"{b}:3:1: unknown key 'serverity' in a rule; did you mean 'severity'? allowed: id, "
        "kind, severity, description, message, link, select, params, examples",
        f"{b}:1:1: rule has no 'severity'; required: id, kind, severity, message",
    ]
    return rules, docs, errors


def _one_line_per_error(stderr: str, errors: list[str]) -> None:
    """Every line of stderr is one error with the ``checker: `` prefix."""
    assert "Traceback" not in stderr
    assert stderr.splitlines() == [f"checker: {error}" for error in errors]


def test_check_with_a_broken_rules_folder_exits_2_with_one_line_per_error(broken_rules):
    rules, docs, errors = broken_rules
    result = run("check", "--rules", rules, docs)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.exception is None or isinstance(result.exception, SystemExit)
    _one_line_per_error(result.stderr, errors)


def test_check_with_a_broken_rules_folder_from_the_real_command(broken_rules, tmp_path):
    rules, docs, errors = broken_rules
    done = subprocess.run([sys.executable, "-m", "checker", "check", "--rules", str(rules),
                           str(docs)], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout) == (2, "")
    _one_line_per_error(done.stderr, errors)
