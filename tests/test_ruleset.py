"""The rule loader: every mistake an editor can make in a rule file is one line,
``file:line:column: what is wrong; hint``, and every mistake of every file is reported.

Most cases are a table (yamllint/sqlfluff style): a bad rule file and the exact lines it
must produce. Each file is written to ``tmp_path`` and loaded with ``ruleset.load``.
"""
from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from checker import ruleset
from checker.kinds import KINDS

from conftest import REPO

DEFAULT_PACK = REPO / "rules" / "default"
README = REPO / "rules" / "README.md"

# A valid rule; the table's cases add to or change it. Line 4 is the message.
BASE = """\
id: casualty-conflict
kind: conflict
severity: error
message: "{{ measure }}: {{ sides[0].stated }} or {{ sides[1].stated }}"
"""

EXAMPLE_SOURCE = """\
examples:
  - name: two-counts
    sources:
      - id: a
        published: {published}
        text: "As of 3 March, 14 people were killed in the flood."
    flags: none
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def errors_of(*folders: Path) -> list[str]:
    """The lines loading these folders reports (failing the test when it loads)."""
    with pytest.raises(ruleset.RuleErrors) as info:
        ruleset.load(list(folders))
    lines = [str(e) for e in info.value.errors]
    assert str(info.value) == "\n".join(lines)
    return lines


# (id naming the behaviour, rule file, the exact lines; {file} is the rule file's path)
BAD_FILES = [
    pytest.param(
        "id: casualty-conflict\nkind: conflict\n  severity: error\n",
        ["{file}:3:11: YAML syntax: mapping values are not allowed here"],
        id="yaml-syntax-error-names-the-line-and-column"),
    pytest.param(
        "id: casualty-conflict\n\tkind: conflict\n",
        ["{file}:2:1: YAML syntax: found character '\\t' that cannot start any token"],
        id="a-tab-for-indentation-is-a-yaml-syntax-error"),
    pytest.param(
        "- id: casualty-conflict\n  kind: conflict\n",
        ["{file}:1:1: a rule file must be a mapping (a rule, or 'rules:' and 'measures:')"],
        id="top-level-list-is-not-a-rule-file"),
    pytest.param(
        "rules:\n  id: casualty-conflict\n",
        ["{file}:2:3: 'rules' must be a list"],
        id="rules-key-must-hold-a-list"),
    pytest.param(
        "rulez: []\n",
        ["{file}:1:1: unknown key 'rulez' in a rule file; did you mean 'rules'? "
         "allowed: rules, measures"],
        id="misspelt-top-level-key-suggests-rules"),
    pytest.param(
        BASE.replace("severity:", "serverity:"),
        ["{file}:3:1: unknown key 'serverity' in a rule; did you mean 'severity'? allowed: id, "
         "kind, severity, description, message, link, select, params, examples",
         "{file}:1:1: rule has no 'severity'; required: id, kind, severity, message"],
        id="misspelt-rule-key-suggests-severity-and-severity-is-then-missing"),
    pytest.param(
        BASE.replace("kind: conflict", "kind: conflcit"),
        ["{file}:2:7: unknown kind 'conflcit' in rule 'casualty-conflict'; did you mean "
         "'conflict'? kinds: conflict, period, update, total, name-variant, attribution"],
        id="unknown-kind-suggests-the-closest-kind"),
    pytest.param(
        BASE + "params:\n  tolerence: {absolute: 2}\n",
        ["{file}:6:3: unknown key 'tolerence' in params of rule 'casualty-conflict'; did you "
         "mean 'tolerance'? allowed: tolerance, respect_qualifiers, same_period_days"],
        id="misspelt-param-names-the-line-and-suggests-the-key"),
    pytest.param(
        BASE + "params:\n  same_period_days: seven\n",
        ["{file}:6:21: params.same_period_days of rule 'casualty-conflict' must be a int, "
         "not 'seven'"],
        id="string-for-an-int-param"),
    pytest.param(
        BASE + "params:\n  same_period_days: 7.5\n",
        ["{file}:6:21: params.same_period_days of rule 'casualty-conflict' must be a int, "
         "not '7.5'"],
        id="fraction-for-an-int-param"),
    pytest.param(
        BASE + "params:\n  respect_qualifiers: sometimes\n",
        ["{file}:6:23: params.respect_qualifiers of rule 'casualty-conflict' must be a bool, "
         "not 'sometimes'"],
        id="word-for-a-bool-param"),
    pytest.param(
        BASE.replace("kind: conflict", "kind: name-variant").replace(
            BASE.splitlines()[3], 'message: "{{ prevailing }}"') + "params:\n  min_similarity: high\n",
        ["{file}:6:19: params.min_similarity of rule 'casualty-conflict' must be a number, "
         "not 'high'"],
        id="word-for-a-number-param"),
    pytest.param(
        BASE + "params:\n  tolerance: [2, 0.05]\n",
        ["{file}:6:14: params.tolerance of rule 'casualty-conflict' must be a mapping; like "
         "{absolute: 0, relative: 0.02, rounding: true}"],
        id="list-for-tolerance"),
    pytest.param(
        BASE + "params:\n  tolerance: {relative: -0.05}\n",
        ["{file}:6:25: params.tolerance of rule 'casualty-conflict'.relative cannot be negative"],
        id="negative-relative-tolerance"),
    pytest.param(
        BASE + "params:\n  tolerance: {relative: 5%}\n",
        ["{file}:6:25: params.tolerance of rule 'casualty-conflict'.relative must be a number, "
         "not '5%'"],
        id="percent-sign-in-relative-tolerance"),
    pytest.param(
        BASE + "params:\n  tolerance: {absolut: 2}\n",
        ["{file}:6:15: unknown key 'absolut' in params.tolerance of rule 'casualty-conflict'; "
         "did you mean 'absolute'? allowed: absolute, relative, rounding"],
        id="misspelt-tolerance-key-suggests-absolute"),
    pytest.param(
        BASE + "params: 2\n",
        ["{file}:5:9: params of rule 'casualty-conflict' must be a mapping"],
        id="params-must-be-a-mapping"),
    pytest.param(
        BASE.replace("severity: error", "severity: fatal"),
        ["{file}:3:11: severity 'fatal' in rule 'casualty-conflict' is not one of error, "
         "warning, info"],
        id="bad-severity-lists-the-severities"),
    pytest.param(
        "id: casualty-conflict\nkind: conflict\n",
        ["{file}:1:1: rule has no 'severity'; required: id, kind, severity, message",
         "{file}:1:1: rule has no 'message'; required: id, kind, severity, message"],
        id="missing-required-keys-are-each-reported"),
    pytest.param(
        BASE.replace("id: casualty-conflict", "id: Casualty_Conflict"),
        ["{file}:1:5: rule id 'Casualty_Conflict' must be kebab-case; like 'figure-conflict'"],
        id="non-kebab-id"),
    pytest.param(
        BASE + "select:\n  pattern: '(killed|dead'\n",
        ["{file}:6:12: bad regular expression '(killed|dead': missing ) at position 12"],
        id="bad-regular-expression-in-select-pattern"),
    pytest.param(
        BASE + "select:\n  figures: [count, percentage]\n",
        ["{file}:6:12: unknown figure kind 'percentage'; allowed: count, percent, money, ratio"],
        id="unknown-figure-kind-in-select"),
    pytest.param(
        BASE + "select:\n  keyword: [killed]\n",
        ["{file}:6:3: unknown key 'keyword' in select of rule 'casualty-conflict'; did you mean "
         "'keywords'? allowed: measures, units, keywords, pattern, entities, figures"],
        id="misspelt-select-key-suggests-keywords"),
    pytest.param(
        BASE + "select: killed\n",
        ["{file}:5:9: select must be a mapping; keys: measures, units, keywords, pattern, "
         "entities, figures"],
        id="select-must-be-a-mapping"),
    pytest.param(
        BASE.replace("{{ measure }}", "{{ mesure }}"),
        ["{file}:4:10: message of rule 'casualty-conflict': UndefinedError: 'mesure' is "
         "undefined; variables of this kind: measure, period, sides"],
        id="message-with-an-unknown-variable-fails-at-load"),
    pytest.param(
        BASE.replace("{{ measure }}", "{{ measure }"),
        ["{file}:4:10: message of rule 'casualty-conflict': unexpected '}'; variables of this "
         "kind: measure, period, sides"],
        id="message-with-a-template-syntax-error-fails-at-load"),
    pytest.param(
        BASE.replace("{{ measure }}", "{{ measure | nummber }}"),
        ["{file}:4:10: message of rule 'casualty-conflict': No filter named 'nummber'.; "
         "variables of this kind: measure, period, sides"],
        id="message-with-an-unknown-filter-fails-at-load"),
    pytest.param(
        BASE + "examples:\n  - name: two-counts\n    sources:\n      - id: a\n"
               "        text: \"As of 3 March, 14 people were killed.\"\n",
        ["{file}:6:5: example 'two-counts' of rule 'casualty-conflict' has no 'flags'; list the "
         "quotes it must flag, or write 'flags: none'"],
        id="example-without-flags"),
    pytest.param(
        BASE + "examples:\n  - name: two-counts\n    flags: none\n",
        ["{file}:6:5: an example needs 'sources': a list of {id, text, published}"],
        id="example-without-sources"),
    pytest.param(
        BASE + "examples:\n  - name: two-counts\n    source: []\n    flags: none\n",
        ["{file}:7:5: unknown key 'source' in an example of rule 'casualty-conflict'; did you "
         "mean 'sources'? allowed: name, sources, flags, todo",
         "{file}:6:5: an example needs 'sources': a list of {id, text, published}"],
        id="misspelt-example-key-suggests-sources"),
    pytest.param(
        BASE + EXAMPLE_SOURCE.format(published="3 March 2025"),
        ["{file}:9:20: published '3 March 2025' is not a date; write it as YYYY-MM-DD"],
        id="source-with-a-published-date-in-words"),
    pytest.param(
        BASE + EXAMPLE_SOURCE.format(published="2025-03-04T10:00:00"),
        ["{file}:9:20: published '2025-03-04 10:00:00' is not a date; write it as YYYY-MM-DD"],
        id="source-with-a-published-time-not-a-date"),
    pytest.param(
        BASE + EXAMPLE_SOURCE.format(published="2025-03-04").replace(
            "        text:", "        format: pdf\n        text:"),
        ["{file}:10:17: format must be one of text, markdown, html"],
        id="source-with-an-unknown-format"),
    pytest.param(
        "measures:\n  - id: flood-deaths\n    label: flood deaths\n",
        ["{file}:2:5: measure 'flood-deaths' needs units, keywords or a pattern to match claims"],
        id="measure-that-matches-nothing"),
]


@pytest.mark.parametrize("text, expected", BAD_FILES)
def test_bad_rule_file_is_one_line_per_mistake_with_file_line_column(tmp_path, text, expected):
    path = tmp_path / "rule.yml"
    path.write_text(text, encoding="utf-8")
    assert errors_of(tmp_path) == [line.replace("{file}", str(path)) for line in expected]


# -- what the table cannot say --------------------------------------------------------------

def test_misspelt_param_names_the_line_and_suggests_the_key(tmp_path):
    path = write(tmp_path, "casualties.yml", BASE + (
        "params:\n"
        "  same_period_days: 3\n"
        "  tolerence: {absolute: 2}\n"))
    [line] = errors_of(tmp_path)
    assert line.startswith(f"{path}:7:3: unknown key 'tolerence'")
    assert "did you mean 'tolerance'?" in line
    assert line.endswith("allowed: tolerance, respect_qualifiers, same_period_days")


@pytest.mark.parametrize("message, reached", [
    ("{{ sides.__class__.__mro__ }}", "access to attribute '__class__' of 'list' object is unsafe"),
    ("{{ ''.__class__.__subclasses__() }}", "access to attribute '__class__' of 'str' object is unsafe"),
    ("{{ measure.__class__.__base__.__subclasses__() }}",
     "access to attribute '__class__' of 'str' object is unsafe"),
])
def test_message_reaching_for_python_internals_is_an_error_at_load(tmp_path, message, reached):
    path = write(tmp_path, "evil.yml", BASE.replace(BASE.splitlines()[3], f'message: "{message}"'))
    assert errors_of(tmp_path) == [
        f"{path}:4:10: message of rule 'casualty-conflict': SecurityError: {reached}.; "
        "variables of this kind: measure, period, sides"]


def test_message_template_never_changes_the_data_it_is_rendered_with(tmp_path):
    """The load-time test render runs in the immutable sandbox: a template that tries to
    change its data is refused before the call runs, so the kind's sample is intact."""
    sample = KINDS["conflict"].SAMPLE
    before = repr(sample)
    write(tmp_path, "evil.yml", BASE.replace(
        BASE.splitlines()[3], 'message: "{{ sides.pop() }}{{ sides[0].update(docs=1) }}"'))
    [line] = errors_of(tmp_path)
    assert "SecurityError: access to attribute 'pop' of 'list' object is unsafe" in line
    assert repr(sample) == before


def test_duplicate_ids_across_two_files_say_where_the_first_is(tmp_path):
    first = write(tmp_path, "a.yml", BASE)
    second = write(tmp_path, "b.yml", "# the same rule again\n" + BASE)
    assert errors_of(tmp_path) == [
        f"{second}:2:1: duplicate id 'casualty-conflict'; first defined at {first}:1:1"]


def test_a_measure_and_a_rule_cannot_share_an_id(tmp_path):
    path = write(tmp_path, "story.yml", """\
        measures:
          - id: casualty-conflict
            label: flood deaths
            keywords: [killed]
        rules:
          - id: casualty-conflict
            kind: conflict
            severity: error
            message: "{{ measure }}"
        """)
    assert errors_of(tmp_path) == [
        f"{path}:2:5: duplicate id 'casualty-conflict'; first defined at {path}:6:5"]


def test_every_error_of_every_file_is_collected(tmp_path):
    a = write(tmp_path, "a.yml", BASE.replace("kind: conflict", "kind: conflcit").replace(
        "severity: error", "severity: fatal"))
    b = write(tmp_path, "b.yml", "id: flood-deaths\nkind: [conflict\n")
    assert errors_of(tmp_path) == [
        f"{a}:2:7: unknown kind 'conflcit' in rule 'casualty-conflict'; did you mean "
        "'conflict'? kinds: conflict, period, update, total, name-variant, attribution",
        f"{a}:3:11: severity 'fatal' in rule 'casualty-conflict' is not one of error, "
        "warning, info",
        f"{b}:3:1: YAML syntax: expected ',' or ']', but got '<stream end>'",
    ]


def test_errors_in_separate_folders_are_all_reported(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    a = write(one, "a.yml", BASE.replace("severity: error", "severity: fatal"))
    b = write(two, "b.yml", BASE.replace("id: casualty-conflict", "id: Flood"))
    lines = errors_of(one, two)
    assert [line.split(": ")[0] for line in lines] == [f"{a}:3:11", f"{b}:1:5"]


def test_a_missing_rules_folder_is_named(tmp_path):
    with pytest.raises(ruleset.CheckerError) as info:
        ruleset.load([tmp_path / "nope"])
    assert str(info.value) == f"{tmp_path / 'nope'}: no such rules folder"


# -- files that must load -------------------------------------------------------------------

def _ids(folder: Path) -> list[str]:
    return [yaml.safe_load(p.read_text())["id"] for p in sorted(folder.glob("*.yml"))]


def test_the_default_pack_loads_cleanly():
    loaded = ruleset.load([DEFAULT_PACK])
    assert [r.id for r in loaded.rules] == _ids(DEFAULT_PACK)
    assert {r.kind for r in loaded.rules} == set(KINDS)
    assert all(r.description and r.examples and r.template for r in loaded.rules)


def test_the_packaged_default_pack_is_used_when_there_is_no_rules_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    loaded = ruleset.load()
    assert [r.id for r in loaded.rules] == _ids(DEFAULT_PACK)


def test_the_repository_rules_with_the_story_pack_load_cleanly():
    loaded = ruleset.load([REPO / "rules"])
    ids = [r.id for r in loaded.rules]
    assert set(_ids(DEFAULT_PACK)) < set(ids)
    assert "fighters-killed-update" in ids
    assert [m.id for m in loaded.measures] == ["foreign-fighters-killed",
                                              "foreign-fighters-countries"]


def _readme_block(containing: str) -> str:
    blocks = re.findall(r"^( *)```yaml\n(.*?)^\1```", README.read_text(encoding="utf-8"),
                        re.MULTILINE | re.DOTALL)
    [block] = [textwrap.dedent(text) for _, text in blocks if containing in text]
    return block


def test_the_readme_casualty_conflict_example_loads_cleanly_and_its_examples_pass(tmp_path):
    from checker import ruletest

    write(tmp_path, "casualties.yml", _readme_block("id: casualty-conflict"))
    loaded = ruleset.load([tmp_path])
    [rule] = loaded.rules
    assert (rule.id, rule.kind, rule.severity) == ("casualty-conflict", "conflict", "error")
    assert rule.select.keywords == ["killed", "dead", "died"]
    assert rule.params["tolerance"] == {"absolute": 2.0, "relative": 0.0, "rounding": True}
    assert [(e.name, e.flags) for e in rule.examples] == [("two-counts", ["14", "19"]),
                                                          ("close-enough", None)]
    assert ruletest.lint(loaded) == []
    assert [(o.id, o.passed) for o in ruletest.run(loaded)] == [
        ("casualty-conflict::two-counts", True), ("casualty-conflict::close-enough", True)]


def test_the_readme_named_measure_example_loads_cleanly(tmp_path):
    write(tmp_path, "measures.yml", _readme_block("measures:"))
    [measure] = ruleset.load([tmp_path]).measures
    assert (measure.id, measure.label) == ("foreign-fighters-killed", "foreign fighters killed")


def test_an_empty_rule_file_is_allowed(tmp_path):
    write(tmp_path, "empty.yml", "# nothing yet\n")
    assert ruleset.load([tmp_path]).rules == []


# -- known gaps (strict xfail: they flip to a failure the day they are fixed) ---------------

@pytest.mark.xfail(strict=True, reason=(
    "ruleset._construct catches only yaml ConstructorError, but PyYAML's timestamp "
    "constructor raises a plain ValueError for 2025-13-01 / 2025-02-30 (they match the "
    "timestamp regex): load() crashes instead of collecting a RuleError, and the CLI prints "
    "'internal error: ValueError: month must be in 1..12' with no file name"))
@pytest.mark.parametrize("published", ["2025-13-01", "2025-02-30"])
def test_source_with_an_impossible_calendar_date_is_a_rule_error(tmp_path, published):
    path = write(tmp_path, "rule.yml", BASE + EXAMPLE_SOURCE.format(published=published))
    assert errors_of(tmp_path) == [
        f"{path}:9:20: published '{published}' is not a date; write it as YYYY-MM-DD"]


@pytest.mark.xfail(strict=True, reason=(
    "a key written twice in one mapping is silently resolved to the last value "
    "(_Loader.items builds a dict from the node pairs), against the module's promise that "
    "no key is silently ignored; yamllint calls this key-duplicates"))
def test_a_key_written_twice_is_an_error(tmp_path):
    path = write(tmp_path, "rule.yml", BASE + "severity: warning\n")
    assert errors_of(tmp_path) == [f"{path}:5:1: duplicate key 'severity' in a rule"]


@pytest.mark.xfail(strict=True, reason=(
    "a one-rule file is recognised only by its 'id' key; without it the file is read as a "
    "rules:/measures: file and the editor gets \"unknown key 'kind' in a rule file; "
    "allowed: rules, measures\" for every rule key, never \"rule has no 'id'\""))
def test_a_rule_file_without_an_id_says_the_rule_has_no_id(tmp_path):
    path = write(tmp_path, "rule.yml", BASE.replace("id: casualty-conflict\n", ""))
    assert errors_of(tmp_path) == [
        f"{path}:1:1: rule has no 'id'; required: id, kind, severity, message"]


# -- a pattern that would never finish must not hang a run ----------------------------------

SLOW_RULE = """\
id: slow-pattern
kind: conflict
severity: error
message: "{{ measure }}"
select:
  pattern: '(a+)+$'
"""


@pytest.fixture
def catastrophic(tmp_path):
    rules = tmp_path / "rules"
    docs = tmp_path / "docs"
    rules.mkdir()
    docs.mkdir()
    rule = write(rules, "slow.yml", SLOW_RULE)
    (docs / "flood.txt").write_text(
        "As of 3 March, 14 people were killed " + "a" * 5000 + "b\n", encoding="utf-8")
    expected = (f"checker: {rule}:6:3: pattern '(a+)+$' took too long on a sentence of flood; "
                "simplify the pattern (no nested repeats)")
    return rules, docs, expected


def test_a_catastrophic_pattern_ends_quickly_with_one_line_naming_the_rule_file(
        catastrophic, tmp_path):
    """Through CliRunner on checker.cli.main, in a child process so that a regression
    (a hang) fails this test after 60 s instead of blocking the suite."""
    rules, docs, expected = catastrophic
    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from checker.cli import main\n"
        "result = CliRunner().invoke(main, ['check', '--rules', sys.argv[1], sys.argv[2]])\n"
        "sys.stdout.write(result.stdout)\n"
        "sys.stderr.write(result.stderr)\n"
        "sys.exit(result.exit_code)\n")
    done = subprocess.run([sys.executable, "-c", script, str(rules), str(docs)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines() == [expected]


def test_a_catastrophic_pattern_ends_quickly_from_the_real_command(catastrophic, tmp_path):
    rules, docs, expected = catastrophic
    done = subprocess.run([sys.executable, "-m", "checker", "check", "--rules", str(rules),
                           str(docs)], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines() == [expected]
