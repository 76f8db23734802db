"""Broken and hostile rule files through the real command: every mistake is one line
naming the file and line, the exit code is 2, nothing runs that should not.

tests/test_ruleset.py pins the loader's exact wording mistake by mistake; this file is the
promise as a user meets it: ``checker check --rules DIR`` in a newsroom's nightly job, with
an editor's mistake in one of the files.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli import main

from conftest import FIXTURES

RULE = """\
id: casualty-conflict
kind: conflict
severity: error
message: "{{ measure }}: {{ sides[0].stated }} or {{ sides[1].stated }}"
"""
MESSAGE_LINE = RULE.splitlines()[3]


# An example with two sources whose ids are filled in. After RULE's four lines, the first
# source's id is on line 8 of the file and the second's on line 10.
_EXAMPLE = """\
examples:
  - name: two counts
    sources:
      - id: {first}
        text: As of June 2025, 6 162 foreigners had signed contracts.
      - id: {second}
        text: By June 2025, 6,612 foreigners had signed contracts.
    flags: [6 162, "6,612"]
"""


def _message(template: str) -> str:
    return RULE.replace(MESSAGE_LINE, f"message: {template}")


# name -> (rule file text, line the error must name, words the error must contain)
HOSTILE = {
    "yaml syntax error": (RULE + "params: {tolerance: [1, 2}\n", 5, "YAML"),
    "tab indentation": (RULE + "params:\n\ttolerance: 1\n", 6, ""),
    "unknown kind": (RULE.replace("kind: conflict", "kind: conflcit"), 2,
                     "did you mean 'conflict'"),
    "unknown key": (RULE + "severty: warning\n", 5, "did you mean 'severity'"),
    "unknown param": (RULE + "params:\n  tolerence: {relative: 0.1}\n", 6,
                      "did you mean 'tolerance'"),
    "severity of the wrong type": (RULE.replace("severity: error", "severity: [error]"), 3,
                                   "severity"),
    "unknown severity": (RULE.replace("severity: error", "severity: fatal"), 3, "severity"),
    "number where a mapping belongs": (RULE + "params:\n  tolerance: lots\n", 6, "tolerance"),
    "id that is a list": (RULE.replace("id: casualty-conflict", "id: [casualty]"), 1, "id"),
    "rule that is a list": ("- 1\n- 2\n", 1, ""),
    "bad regular expression": (RULE + "select:\n  pattern: 'killed (in'\n", 6, "bad regular expression"),
    "message with a syntax error": (_message('"{{ measure "'), 4, "message"),
    "message with an unknown variable": (_message('"{{ measuer }}"'), 4, "measuer"),
    "message reaching for Python internals": (
        _message("\"{{ ''.__class__.__mro__[1].__subclasses__() }}\""), 4, "Python internals"),
    "message reaching for globals": (
        _message('"{{ cycler.__init__.__globals__.os.popen(\'id\').read() }}"'), 4,
        "Python internals"),
    "message including a file": (_message('"{% include \'/etc/passwd\' %}"'), 4,
                                 "may not include"),
    "message importing a module": (_message('"{% import \'os\' as os %}{{ os }}"'), 4,
                                   "may not include"),
    "example source with a null id": (RULE + _EXAMPLE.format(first="null", second="b"), 8,
                                      "id must be some text"),
    "example sources with one id": (RULE + _EXAMPLE.format(first="a", second="a"), 10,
                                    "two sources of one example have the id 'a'"),
    "message with a huge loop": (_message('"{% for i in range(10**9) %}x{% endfor %}"'), 4,
                                 "Range too big"),
}


def _check(rules: Path, *extra: str):
    return CliRunner().invoke(main, ["check", str(FIXTURES), "--rules", str(rules), *extra])


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_each_hostile_rule_is_one_line_with_file_and_line_and_exit_2(tmp_path, name):
    text, line, words = HOSTILE[name]
    path = tmp_path / "rule.yml"
    path.write_text(text, encoding="utf-8")
    result = _check(tmp_path)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines, result.output
    for error in lines:
        assert re.match(rf"checker: {re.escape(str(path))}:\d+(:\d+)?: \S", error), error
    assert any(error.startswith(f"checker: {path}:{line}:") for error in lines), lines
    assert words in result.stderr
    assert "Traceback" not in result.output


def test_duplicate_ids_in_two_files_name_both(tmp_path):
    first, second = tmp_path / "a.yml", tmp_path / "b.yml"
    first.write_text(RULE, encoding="utf-8")
    second.write_text(RULE, encoding="utf-8")
    result = _check(tmp_path)
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"checker: {second}:1:")
    assert str(first) in line


def test_every_broken_file_of_a_folder_is_reported_in_one_run(tmp_path):
    """An editor fixing rules sees every mistake at once, not one per run."""
    for i, name in enumerate(sorted(HOSTILE)):
        (tmp_path / f"rule-{i:02}.yml").write_text(
            HOSTILE[name][0].replace("casualty-conflict", f"rule-{i:02}"), encoding="utf-8")
    result = _check(tmp_path)
    assert result.exit_code == 2
    named = {re.match(r"checker: (.+?\.yml):", line).group(1)
             for line in result.stderr.splitlines()}
    assert named == {str(tmp_path / f"rule-{i:02}.yml") for i in range(len(HOSTILE))}


def test_no_template_can_read_a_file_or_run_a_command(tmp_path):
    """Whatever the sandbox says, the proof is that nothing leaked: no file content and no
    command output anywhere in what the run printed."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-7731", encoding="utf-8")
    rules = tmp_path / "rules"
    rules.mkdir()
    attempts = [
        f"\"{{% include '{secret}' %}}\"",
        f"\"{{{{ lipsum.__globals__['os'].popen('cat {secret}').read() }}}}\"",
        f"\"{{{{ self.__init__.__globals__.__builtins__.open('{secret}').read() }}}}\"",
        f"\"{{{{ namespace.__init__.__globals__['__builtins__']['open']('{secret}').read() }}}}\"",
    ]
    for i, template in enumerate(attempts):
        (rules / f"leak-{i}.yml").write_text(
            _message(template).replace("casualty-conflict", f"leak-{i}"), encoding="utf-8")
    result = _check(rules, "--format", "json")
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == len(attempts)
    assert "TOP-SECRET" not in result.output


def test_a_catastrophic_pattern_in_a_measure_cannot_hang_the_run(tmp_path):
    """``(a+)+$`` against a sentence of a thousand a's (backtracking through 2**1000
    ways): the run ends with one line naming the rule file, in a real process so a hang
    fails the test instead of blocking the suite."""
    rules, docs = tmp_path / "rules", tmp_path / "docs"
    rules.mkdir()
    docs.mkdir()
    rule = rules / "slow.yml"
    rule.write_text("measures:\n  - id: slow\n    label: slow\n    pattern: '(a+)+$'\n",
                    encoding="utf-8")
    (docs / "long.txt").write_text("Officials said 14 people were killed " + "a" * 1000
                                   + "!\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "checker", "check", "--rules", str(rules),
                           str(docs)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"checker: {rule}:4:14: pattern")
    assert "took too long" in line
