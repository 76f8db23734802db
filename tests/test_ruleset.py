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
# EXAMPLE_SOURCE's example again, to append after it (lines 12-17 after BASE + EXAMPLE_SOURCE)
SAME_EXAMPLE_AGAIN = EXAMPLE_SOURCE.split("\n", 1)[1]
DIFFERENT_EXAMPLE_NAMES = "two examples of rule 'casualty-conflict' are named 'two-counts'; " \
    "test ids are rule-id::example-name, so names must differ"


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
         "'conflict'? kinds: conflict, period, update, total, name-variant, attribution, outdated, unsupported"],
        id="unknown-kind-suggests-the-closest-kind"),
    pytest.param(
        BASE + "params:\n  tolerence: {absolute: 2}\n",
        ["{file}:6:3: unknown key 'tolerence' in params of rule 'casualty-conflict'; did you "
         "mean 'tolerance'? allowed: tolerance, respect_qualifiers, same_period_days, max_ratio"],
        id="misspelt-param-names-the-line-and-suggests-the-key"),
    pytest.param(
        BASE + "params:\n  same_period_days: seven\n",
        ["{file}:6:21: params.same_period_days of rule 'casualty-conflict' must be a whole "
         "number, not 'seven'"],
        id="string-for-an-int-param"),
    pytest.param(
        BASE + "params:\n  same_period_days: 7.5\n",
        ["{file}:6:21: params.same_period_days of rule 'casualty-conflict' must be a whole "
         "number, not '7.5'"],
        id="fraction-for-an-int-param"),
    pytest.param(
        BASE + "params:\n  respect_qualifiers: sometimes\n",
        ["{file}:6:23: params.respect_qualifiers of rule 'casualty-conflict' must be true or "
         "false, not 'sometimes'"],
        id="word-for-a-bool-param"),
    pytest.param(
        BASE + "params:\n  same_period_days: [7]\n",
        ["{file}:6:21: params.same_period_days of rule 'casualty-conflict' must be a whole "
         "number"],
        id="list-for-an-int-param"),
    pytest.param(
        BASE + "params:\n  respect_qualifiers: {always: true}\n",
        ["{file}:6:23: params.respect_qualifiers of rule 'casualty-conflict' must be true or "
         "false"],
        id="mapping-for-a-bool-param"),
    pytest.param(
        BASE.replace("severity: error", "severity: [error]"),
        ["{file}:3:11: severity must be text"],
        id="list-for-a-text-key"),
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
        ["{file}:6:25: params.tolerance.relative of rule 'casualty-conflict' cannot be negative"],
        id="negative-relative-tolerance"),
    pytest.param(
        BASE + "params:\n  tolerance: {absolute: -1}\n",
        ["{file}:6:25: params.tolerance.absolute of rule 'casualty-conflict' cannot be negative"],
        id="negative-absolute-tolerance"),
    pytest.param(
        BASE + "params:\n  tolerance: {relative: 5%}\n",
        ["{file}:6:25: params.tolerance.relative of rule 'casualty-conflict' must be a number, "
         "not '5%'"],
        id="percent-sign-in-relative-tolerance"),
    pytest.param(
        BASE + "params:\n  tolerance: {rounding: maybe}\n",
        ["{file}:6:25: params.tolerance.rounding of rule 'casualty-conflict' must be true or "
         "false, not 'maybe'"],
        id="word-for-tolerance-rounding"),
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
        ["{file}:4:10: message of rule 'casualty-conflict': 'mesure' is undefined; variables "
         "of this kind: measure, period, sides"],
        id="message-with-an-unknown-variable-fails-at-load"),
    pytest.param(
        BASE.replace("{{ measure }}", "{{ measure }"),
        ["{file}:4:10: message of rule 'casualty-conflict': unexpected '}'; variables of this "
         "kind: measure, period, sides"],
        id="message-with-a-template-syntax-error-fails-at-load"),
    pytest.param(
        BASE.replace("{{ measure }}", "{{ measure | nummber }}"),
        ["{file}:4:10: message of rule 'casualty-conflict': No filter named 'nummber'; "
         "variables of this kind: measure, period, sides"],
        id="message-with-an-unknown-filter-fails-at-load"),
    pytest.param(
        BASE.replace(BASE.splitlines()[3], 'message: "{{ measure "'),
        ["{file}:4:10: message of rule 'casualty-conflict': unexpected end of template, "
         "expected 'end of print statement'; variables of this kind: measure, period, sides"],
        id="message-with-an-unclosed-tag-ends-without-a-doubled-period"),
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
        BASE + EXAMPLE_SOURCE.format(published="2025-13-01"),
        ["{file}:9:20: published '2025-13-01' is not a date; write it as YYYY-MM-DD"],
        id="source-with-an-impossible-month"),
    pytest.param(
        BASE + EXAMPLE_SOURCE.format(published="2025-02-30"),
        ["{file}:9:20: published '2025-02-30' is not a date; write it as YYYY-MM-DD"],
        id="source-with-an-impossible-day"),
    pytest.param(
        BASE + EXAMPLE_SOURCE.format(published="2025-02-29"),
        ["{file}:9:20: published '2025-02-29' is not a date; write it as YYYY-MM-DD"],
        id="source-with-29-february-outside-a-leap-year"),
    pytest.param(
        BASE + EXAMPLE_SOURCE.format(published="2025-03-04").replace(
            "        text:", "        format: pdf\n        text:"),
        ["{file}:10:17: format must be one of text, markdown, html"],
        id="source-with-an-unknown-format"),
    pytest.param(
        "measures:\n  - id: flood-deaths\n    label: flood deaths\n",
        ["{file}:2:5: measure 'flood-deaths' needs units, keywords or a pattern to match claims"],
        id="measure-that-matches-nothing"),
    # a key written twice: YAML would silently keep the last value; each extra one is a line
    pytest.param(
        BASE + "severity: warning\n",
        ["{file}:5:1: duplicate key 'severity'; it is already given at line 3, column 1"],
        id="rule-key-written-twice-is-one-line-naming-the-first"),
    pytest.param(
        BASE + "severity: warning\nseverity: info\n",
        ["{file}:5:1: duplicate key 'severity'; it is already given at line 3, column 1",
         "{file}:6:1: duplicate key 'severity'; it is already given at line 3, column 1"],
        id="rule-key-written-three-times-is-a-line-per-extra-one"),
    pytest.param(
        "rules: []\nrules: []\n",
        ["{file}:2:1: duplicate key 'rules'; it is already given at line 1, column 1"],
        id="top-level-key-written-twice"),
    pytest.param(
        "rules:\n  - id: casualty-conflict\n    kind: conflict\n    kind: period\n"
        "    severity: error\n    message: \"{{ measure }}\"\n",
        ["{file}:4:5: duplicate key 'kind'; it is already given at line 3, column 5"],
        id="key-written-twice-in-a-rule-of-a-rules-list"),
    pytest.param(
        BASE + "params:\n  same_period_days: 3\n  same_period_days: 4\n",
        ["{file}:7:3: duplicate key 'same_period_days'; it is already given at line 6, column 3"],
        id="param-written-twice"),
    pytest.param(
        BASE + "params:\n  tolerance: {relative: 0.1, relative: 0.2}\n",
        ["{file}:6:30: duplicate key 'relative'; it is already given at line 6, column 15"],
        id="tolerance-key-written-twice-in-a-flow-mapping"),
    pytest.param(
        BASE + "select:\n  keywords: [killed]\n  keywords: [dead]\n",
        ["{file}:7:3: duplicate key 'keywords'; it is already given at line 6, column 3"],
        id="select-key-written-twice"),
    pytest.param(
        BASE + EXAMPLE_SOURCE.format(published="2025-03-04").replace(
            "      - id: a\n", "      - id: a\n        id: b\n"),
        ["{file}:9:9: duplicate key 'id'; it is already given at line 8, column 9"],
        id="source-key-written-twice"),
    pytest.param(
        "measures:\n  - id: flood-deaths\n    label: flood deaths\n    label: deaths\n"
        "    keywords: [killed]\n",
        ["{file}:4:5: duplicate key 'label'; it is already given at line 3, column 5"],
        id="measure-key-written-twice"),
    # two examples of one rule with one name would share the test id rule-id::example-name
    pytest.param(
        BASE + EXAMPLE_SOURCE.format(published="2025-03-04")
        + SAME_EXAMPLE_AGAIN.format(published="2025-03-04"),
        ["{file}:12:5: " + DIFFERENT_EXAMPLE_NAMES],
        id="two-examples-with-one-name"),
    pytest.param(
        BASE + EXAMPLE_SOURCE.format(published="2025-03-04")
        + 2 * SAME_EXAMPLE_AGAIN.format(published="2025-03-04"),
        ["{file}:12:5: " + DIFFERENT_EXAMPLE_NAMES, "{file}:18:5: " + DIFFERENT_EXAMPLE_NAMES],
        id="three-examples-with-one-name-is-a-line-per-extra-one"),
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
    assert line.endswith("allowed: tolerance, respect_qualifiers, same_period_days, max_ratio")


SANDBOX = ("message of rule 'casualty-conflict': templates may only use the message "
           "variables, not Python internals; variables of this kind: measure, period, sides")


@pytest.mark.parametrize("message", [
    "{{ sides.__class__.__mro__ }}",
    "{{ ''.__class__.__subclasses__() }}",
    "{{ measure.__class__.__base__.__subclasses__() }}",
])
def test_message_reaching_for_python_internals_is_an_error_at_load(tmp_path, message):
    path = write(tmp_path, "evil.yml", BASE.replace(BASE.splitlines()[3], f'message: "{message}"'))
    assert errors_of(tmp_path) == [f"{path}:4:10: {SANDBOX}"]


def test_message_template_never_changes_the_data_it_is_rendered_with(tmp_path):
    """The load-time test render runs in the immutable sandbox: a template that tries to
    change its data is refused before the call runs, so the kind's sample is intact."""
    sample = KINDS["conflict"].SAMPLE
    before = repr(sample)
    path = write(tmp_path, "evil.yml", BASE.replace(
        BASE.splitlines()[3], 'message: "{{ sides.pop() }}{{ sides[0].update(docs=1) }}"'))
    assert errors_of(tmp_path) == [f"{path}:4:10: {SANDBOX}"]
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
        "'conflict'? kinds: conflict, period, update, total, name-variant, attribution, outdated, unsupported",
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


def test_duplicate_keys_in_two_files_are_each_reported_against_their_own_file(tmp_path):
    a = write(tmp_path, "a.yml", BASE + "severity: warning\n")
    b = write(tmp_path, "b.yml", BASE.replace("casualty-conflict", "flood-conflict")
              + "kind: period\n")
    assert errors_of(tmp_path) == [
        f"{a}:5:1: duplicate key 'severity'; it is already given at line 3, column 1",
        f"{b}:5:1: duplicate key 'kind'; it is already given at line 2, column 1"]


def test_examples_of_different_rules_may_share_a_name(tmp_path):
    write(tmp_path, "a.yml", BASE + EXAMPLE_SOURCE.format(published="2025-03-04"))
    write(tmp_path, "b.yml", BASE.replace("casualty-conflict", "flood-conflict")
          + EXAMPLE_SOURCE.format(published="2025-03-04"))
    loaded = ruleset.load([tmp_path])
    assert [(r.id, [e.name for e in r.examples]) for r in loaded.rules] == [
        ("casualty-conflict", ["two-counts"]), ("flood-conflict", ["two-counts"])]


def test_a_valid_date_on_29_february_of_a_leap_year_loads(tmp_path):
    import datetime as dt

    write(tmp_path, "rule.yml", BASE + EXAMPLE_SOURCE.format(published="2024-02-29"))
    [rule] = ruleset.load([tmp_path]).rules
    assert rule.examples[0].sources[0]["published"] == dt.date(2024, 2, 29)


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


# -- a rule without an id -------------------------------------------------------------------

@pytest.mark.parametrize("text, position", [
    (BASE.replace("id: casualty-conflict\n", ""), "1:1"),
    ("rules:\n" + textwrap.indent(BASE.replace("id: casualty-conflict\n", ""), "    ")
     .replace("    kind", "  - kind", 1), "2:5"),
], ids=["one-rule-file", "rule-in-a-rules-list"])
def test_a_rule_without_an_id_says_once_that_the_rule_has_no_id(tmp_path, text, position):
    path = write(tmp_path, "rule.yml", text)
    assert errors_of(tmp_path) == [
        f"{path}:{position}: rule has no 'id'; required: id, kind, severity, message"]


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
        "As of 3 March, 14 people were killed " + "a" * 1000 + "b\n", encoding="utf-8")
    expected = (f"checker: {rule}:6:12: pattern '(a+)+$' took too long on a sentence in document "
                "'flood'; simplify the pattern (no nested repeats)")
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
