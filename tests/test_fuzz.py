"""Fuzzing of what hostile or broken input reaches: front matter, rule files, the report.

tests/test_properties.py checks extraction on arbitrary text; this module throws
broken and hostile input at everything around it, because a newsroom's corpus and rule
folder are edited by many hands and an HTML report is opened in a browser:

- front matter (random YAML, broken fences, tags, aliases, impossible dates) gives a
  Document or a one-line ``DocumentError`` naming the file, never a crash that would
  stop a nightly run;
- rule files (mutations of the shipped packs and random YAML) load, or fail with one
  line per mistake naming the file and line, also through the CLI (exit 2, no
  traceback), and a rule that loads runs;
- article text, document names, rule ids and messages full of markup reach the HTML
  report only as text: no element or attribute is made from them, the embedded JSON
  has no raw ``<``, and every document's text reads back exactly; the JSON, CSV and text
  renderers give strict JSON, parseable CSV and one line per finding.

Each test is bounded by example counts from a settings profile: ``fuzz-ci`` under CI
(the whole module in about a minute on two cores), ``fuzz-dev`` otherwise (quicker), or
another named by ``CHECKER_FUZZ_PROFILE`` (``fuzz-long`` for a long run by hand).
fuzz/atheris_target.py fuzzes the document path with coverage guidance, by hand.
"""
from __future__ import annotations

import copy
import csv
import dataclasses
import datetime as dt
import io
import json
import os
import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from unittest import mock

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from checker import ruleset as rulesets
from checker.claims.extract import extract_documents
from checker.cli import main
from checker.documents import document_from_text, read_front_matter
from checker.engine import check
from checker.errors import DocumentError
from checker.report import csv as csv_report
from checker.report import html as html_report
from checker.report import json as json_report
from checker.report import model, view
from checker.report import text as text_report

from conftest import REPO

# --- budget ------------------------------------------------------------------------------

# Relative example counts: each test's count is its weight times the profile's scale, so
# the profiles differ in one number and the tests keep their proportions (cheap ones run
# more examples than ones that go through the whole pipeline or the CLI).
SCALES = {"fuzz-dev": 0.4, "fuzz-ci": 1.0, "fuzz-long": 20.0}
for _name in SCALES:
    settings.register_profile(_name, deadline=None, derandomize=False, print_blob=True,
                              suppress_health_check=[HealthCheck.too_slow,
                                                     HealthCheck.data_too_large])
PROFILE = os.environ.get("CHECKER_FUZZ_PROFILE") or ("fuzz-ci" if os.environ.get("CI")
                                                     else "fuzz-dev")


def budget(examples: int, **overrides) -> settings:
    """Settings for a test worth ``examples`` examples under CI, scaled by the profile."""
    return settings(settings.get_profile(PROFILE),
                    max_examples=max(1, round(examples * SCALES[PROFILE])), **overrides)


def one_line(message: str) -> bool:
    return len(message.splitlines()) == 1


# --- 1. front matter ---------------------------------------------------------------------

def _date(year: int, month: int, day: int, clock: str) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}{clock}"


DATES = st.builds(_date, st.integers(0, 99999), st.integers(0, 13), st.integers(0, 32),
                  st.sampled_from(["", "T10:00:00", "T25:61:00", " 1:00:00.1234567",
                                   "T01:00:00Z", "T01:00:00+99:00", "t21:59:43.10-05:00"]))
# What editors and tools actually leave in front matter, and YAML's sharper corners:
# tags whose constructors fail, aliases, merges, escapes YAML allows but UTF-8 does not.
ODD_SCALARS = st.sampled_from([
    ".nan", ".inf", "-.inf", "~", "null", "true", "no", "0x1F", "0o17", "1_000", "1e400",
    "9" * 5000, "20250101", "2025-W01", "!!int x", "!!int 0x", "!!float ''", "!!bool maybe",
    "!!timestamp x", "!!timestamp 2025-13-45", "!!binary aGVsbG8=", "!!binary '!'",
    "!!python/object:os.system x", "!!set {a, b}", "!!omap [1]", "!local x", "&a 1", "*a",
    "*undefined", '"\\ud800"', '"\\x00"', '"line\\nbreak"', '"\\u2028"', "|\n  block\n  text",
    ">-\n  folded", "[1, [2, [3]]]", "{a: 1, b: {c: 2}}", "'unterminated", '"unterminated',
    "- item", "@reserved", "`tick", "%TAG", "<<: *a", "? complex", "[" * 3000, "{" * 3000,
    "- " * 500 + "x"])
KEYS = st.sampled_from(["title", "outlet", "published", "url", "author", "tags", "Published",
                        "<<", "? [a, b]\n", "? {a: 1}\n", "1", "null", "''", '"\\ud800"',
                        "&k title", "*k", "- title", "published: 2025-01-01\npublished"])
VALUES = st.one_of(DATES, ODD_SCALARS, st.text(max_size=30),
                   st.text(max_size=30).map(json.dumps))
INDENT = st.sampled_from(["", "", "", " ", "  ", "\t", "- "])
SEPARATOR = st.sampled_from([": ", ":", ":\t", ": \n  ", " : "])


@st.composite
def yaml_lines(draw) -> str:
    """A front matter body: key-value lines, most plausible, some broken."""
    lines = []
    for _ in range(draw(st.integers(0, 6))):
        if draw(st.integers(0, 9)) == 0:
            lines.append(draw(st.text(max_size=40)))
        else:
            lines.append(draw(INDENT) + draw(KEYS) + draw(SEPARATOR) + draw(VALUES))
    return draw(st.sampled_from(["\n", "\r\n"])).join(lines)


OPEN = st.sampled_from(["---", "---", "--- ", "---\t", "----", "--- x", " ---"])
CLOSE = st.sampled_from(["---", "---", "--- ", "...", "", "---x"])
NEWLINE = st.sampled_from(["\n", "\n", "\r\n", "\r"])
BODY = st.one_of(st.text(max_size=80),
                 st.sampled_from(["As of June 2025, 6 162 foreigners had signed contracts.",
                                  "Published 14 August 2025\nOver 100 people were held."]))
FRONT_MATTER_TEXT = st.one_of(
    st.text(max_size=200),
    st.builds(lambda o, n1, body, n2, c, n3, rest: o + n1 + body + n2 + c + n3 + rest,
              OPEN, NEWLINE, yaml_lines(), NEWLINE, CLOSE, NEWLINE, BODY))


def _document_or_error(text: str, kind: str = "markdown"):
    """The Document for ``text``, or None when it is refused with a one-line error that
    names the file, as the CLI prints it when it skips the file."""
    path = "story/article.md"
    try:
        doc = document_from_text(text, "article", path, kind)
    except DocumentError as exc:
        assert exc.path == path
        assert one_line(str(exc)) and str(exc).startswith(path + ":"), str(exc)
        return None
    assert doc.text == text and 0 <= doc.body_start <= len(text)
    meta, body_start = read_front_matter(text, path)
    assert set(meta) <= {"title", "outlet", "published", "url"}
    assert body_start == doc.body_start
    return doc


@budget(3000, report_multiple_bugs=False)
@given(FRONT_MATTER_TEXT, st.sampled_from(["markdown", "text"]))
@example("---\npublished: 2025-13-01\n---\nbody", "markdown")
@example("---\npublished: !!bool x\n---\nbody", "text")
@example("---\n" + "[" * 3000 + "\n---\nbody", "markdown")
def test_front_matter_gives_a_document_or_a_one_line_error_naming_the_file(text, kind):
    _document_or_error(text, kind)


PLAIN_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.dates(), st.datetimes(),
    st.text(max_size=20), st.lists(st.sampled_from(["\ud800", "\udfff", "\u2028", "é", "a", " "]),
                                   max_size=4).map("".join),
    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(),
                                                         max_size=2))


@budget(300, report_multiple_bugs=False)
@given(st.dictionaries(st.sampled_from(["title", "outlet", "url", "published", "author"]),
                       PLAIN_VALUES, max_size=4))
@example({"title": dt.date(2025, 8, 14)})
@example({"title": "\ud800"})
def test_front_matter_values_reach_the_json_report_as_text(fields):
    """Whatever well-formed YAML gives each key, the document's fields are text (or the
    publication date) and go into a JSON report written as UTF-8."""
    text = "---\n" + yaml.safe_dump(fields, allow_unicode=False) + "---\nOver 100 people.\n"
    doc = _document_or_error(text)
    if doc is not None:
        json.dumps(doc.to_json(), ensure_ascii=False).encode("utf-8")
        assert all(v is None or isinstance(v, str) for v in (doc.title, doc.outlet, doc.url))


# --- 2. rule files -----------------------------------------------------------------------

PACKS = [REPO / "checker" / "default_rules", REPO / "rules" / "story"]
RULE_FILES = {p.name: p.read_text(encoding="utf-8") for pack in PACKS
              for p in sorted(pack.glob("*.yml"))}
RULE_ERROR = re.compile(r"^(?P<path>[^:]+\.ya?ml)(?::(?P<line>\d+)(?::\d+)?)?: \S")

# Values of every type in every place: what a slip of the keyboard or a wrong tool puts
# into a rule file.
WEIRD = st.deferred(lambda: st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.integers(), st.floats(),
    st.text(max_size=20), st.sampled_from(["", "none", "error", "conflict", "2025-13-01"]),
    st.dates(), st.lists(WEIRD_LEAF, max_size=3),
    st.dictionaries(st.text(max_size=8), WEIRD_LEAF, max_size=3)))
WEIRD_LEAF = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=10))
TEMPLATES = st.lists(st.sampled_from([
    "{{ ", " }}", "{% ", " %}", "{# ", "measure", "sides", "sides[0].stated", "sides[9]",
    "|number", "|upper", "|join(', ')", ".__class__", ".mro()", "range(10**9)", "'a' * 10**9",
    "9**99**99", "'x'|center(10**12)", "1/0", "for s in sides", "endfor", "if", "endif", "x",
    "\n", "'", "<x-evil>", "lipsum", "cycler.__init__.__globals__", "sides|length", "(", ")",
    "{{ measure }}", "{{ sides * 10**6 }}"]), max_size=8).map("".join)
PATTERNS = st.one_of(st.text(max_size=12), st.lists(st.sampled_from([
    "(", ")", "[", "]", "\\", "(a+)+$", "(?<", "\\p{L}", "{1,2", "*", "+?", "(?i)", "\\b",
    "killed", "|", "(?P<x>", "\\1", "(.*)*", "^", "$", "[^]"]), max_size=6).map("".join))


def _paths(node, at=()):
    """Every (path, value) in a loaded YAML document, the document itself first."""
    yield at, node
    items = node.items() if isinstance(node, dict) else (
        enumerate(node) if isinstance(node, list) else ())
    for key, child in items:
        yield from _paths(child, at + (key,))


def _set(node, path, value):
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


def _delete(node, path):
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]


@st.composite
def mutated_rule_file(draw) -> tuple[str, str]:
    """(file name, text): a shipped rule file with one to three structural mutations
    (a key deleted, renamed or added, a value of another type, a broken message,
    pattern or number) and, sometimes, a textual one that breaks the YAML itself."""
    name = draw(st.sampled_from(sorted(RULE_FILES)))
    data = copy.deepcopy(yaml.safe_load(RULE_FILES[name]))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p, _ in _paths(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        op = draw(st.sampled_from(["delete", "retype", "rename", "add", "message", "pattern",
                                   "number"]))
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        if op == "delete":
            _delete(data, path)
        elif op == "retype":
            _set(data, path, draw(WEIRD))
        elif op == "rename" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=12))] = parent.pop(path[-1])
        elif op == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(list(rulesets.RULE_KEYS) + ["bogus", "tolerence"]))] = (
                draw(WEIRD))
        elif op == "message" and isinstance(parent, dict):
            parent["message"] = draw(TEMPLATES)
        elif op == "pattern" and isinstance(parent, dict):
            parent["select"] = {"pattern": draw(PATTERNS)}
        elif op == "number":
            numbers = [p for p, v in _paths(data)
                       if isinstance(v, (int, float)) and not isinstance(v, bool)]
            _set(data, draw(st.sampled_from(numbers)) if numbers else path, draw(st.one_of(
                st.floats(), st.integers(-10**20, 10**20),
                st.sampled_from([0, -1, 1e308, float("nan"), float("inf")]))))
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    if draw(st.integers(0, 3)) == 0:
        text = draw(textual_mutation(text))
    return name, text


@st.composite
def textual_mutation(draw, text: str) -> str:
    """The text with one edit that may break its YAML: a line dropped, doubled (a key
    given twice) or re-indented, a character inserted, the file cut short."""
    lines = text.split("\n")
    at = draw(st.integers(0, max(len(lines) - 1, 0)))
    edit = draw(st.sampled_from(["drop", "double", "indent", "insert", "cut"]))
    if edit == "drop":
        del lines[at]
    elif edit == "double":
        lines.insert(at, lines[at])
    elif edit == "indent":
        lines[at] = draw(st.sampled_from(["\t", " ", "   "])) + lines[at]
    elif edit == "insert":
        line = lines[at]
        col = draw(st.integers(0, len(line)))
        lines[at] = line[:col] + draw(st.sampled_from(
            [":", "- ", "{", "[", "&a ", "*a ", "!!int ", "'", '"', "#", "\x00", "\x85",
             "\u2028", "\ud800", "\t", "? "])) + line[col:]
    else:
        return text[:draw(st.integers(0, len(text)))]
    return "\n".join(lines)


RANDOM_YAML = st.one_of(
    st.text(max_size=120),
    st.lists(st.sampled_from(["id: a", "kind: conflict", "severity: error", "message: x",
                              "rules:", "measures:", "- ", "  ", "\t", "{", "}", "[", "]",
                              ": ", "? ", "&a ", "*a", "!!binary x", "---", "...", "\n",
                              "'", '"', "examples:", "params: {tolerance: .nan}", "|"]),
             max_size=30).map("".join))


def _write_rule(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    # A lone surrogate cannot be stored as UTF-8: it arrives as the bytes of one, which
    # the loader must report as not UTF-8.
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    return path


def _assert_loads_or_one_line_errors(folder: Path) -> rulesets.RuleSet | None:
    try:
        return rulesets.load([folder])
    except rulesets.RuleErrors as exc:
        assert exc.errors
        assert str(exc) == "\n".join(str(e) for e in exc.errors)
        for error in exc.errors:
            line = str(error)
            assert one_line(line), line
            line.encode("utf-8")
            match = RULE_ERROR.match(line)
            assert match and Path(match["path"]).parent == folder, line
            assert error.line is None or f"{error.path}:{error.line}" in line
    return None


@budget(400)
@given(mutated_rule_file())
@example(("bad.yml", "[" * 3000))
@example(("bad.yml", "? [a, b]\n: 1\nid: a\n"))
@example(("bad.yml", "id: a\x00\n"))
@example(("bad.yml", 'id: "\\ud800"\nkind: conflict\nseverity: error\nmessage: x\n'))
@example(("bad.yml", "id: a\nkind: ~\nseverity: error\nmessage: x\n"))
@example(("bad.yml", "id: a\nkind: conflict\nseverity: error\nmessage: x\n"
                     "params: {same_period_days: !!int 0x, max_ratio: !!bool x}\n"))
@example(("bad.yml", "id: a\nkind: conflict\nseverity: error\nmessage: \"{{ 'a' * 10**9 }}\"\n"))
@example(("bad.yml", "id: a\nkind: conflict\nseverity: error\n"
                     "message: \"{{ 'x'|center(10**12) }}\"\n"))
def test_mutated_rule_files_load_or_fail_one_line_per_mistake(mutated):
    name, text = mutated
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _write_rule(folder, name, text)
        loaded = _assert_loads_or_one_line_errors(folder)
    if loaded is not None:
        for rule in loaded.rules:
            assert rule.kind in rulesets.KINDS and rule.severity in rulesets.SEVERITIES
            assert rule.id and rule.template is not None


@budget(300)
@given(RANDOM_YAML)
def test_random_yaml_rule_files_load_or_fail_one_line_per_mistake(text):
    with tempfile.TemporaryDirectory() as tmp:
        _write_rule(Path(tmp), "random.yml", text)
        _assert_loads_or_one_line_errors(Path(tmp))


FIXTURE_SOURCES = str(REPO / "fixtures" / "sources")
# (arguments after --rules DIR, the exit codes it may give)
RULE_COMMANDS = [(["check", FIXTURE_SOURCES, "--format", "json"], {0, 1, 2}),
                 (["rules", "test"], {0, 1, 2}), (["rules", "lint"], {0, 2}),
                 (["rules", "list"], {0, 2})]


def _strict_json(text: str):
    """JSON as any strict parser reads it: NaN and Infinity are not JSON."""
    def reject(constant):
        raise ValueError(f"{constant} is not JSON")
    return json.loads(text, parse_constant=reject)


@budget(100)
@given(st.lists(mutated_rule_file(), min_size=1, max_size=3), st.sampled_from(RULE_COMMANDS))
def test_cli_with_mutated_rules_exits_0_1_or_2_with_located_one_line_errors(mutated, command):
    """The whole shipped pack with some files mutated (a file given twice under another
    name duplicates its ids): a rule mistake is exit 2 with ``checker: file:line: …``
    lines and no traceback; rules that load run, and a check's JSON is strict."""
    args, codes = command
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, text in RULE_FILES.items():
            _write_rule(folder, name, text)
        for i, (name, text) in enumerate(mutated):
            _write_rule(folder, name if i == 0 else f"copy{i}-{name}", text)
        if args[0] == "rules":
            args = args + ["--rules", tmp]
        else:
            args = args[:2] + ["--rules", tmp] + args[2:]
        result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.exception)
    assert result.exit_code in codes, (result.exit_code, result.output)
    assert "Traceback" not in result.output and "internal error" not in result.stderr, (
        result.stderr)
    assert result.exit_code != 2 or result.stderr
    for line in result.stderr.splitlines():  # lint lists rules' problems unprefixed
        assert line.startswith("checker: ") or args[:2] == ["rules", "lint"], line
        assert RULE_ERROR.match(line.removeprefix("checker: ")), line
    if args[0] == "check" and result.exit_code in (0, 1):
        report = _strict_json(result.stdout)
        assert report["documents"]


# --- 3 and 4. the report, HTML and the other formats -------------------------------------

# Text an attacker or an unlucky copy-paste could put in an article, a file name, a rule id
# or a message. "<x-evil" and "x-evil-attr" are markers no report contains of its own, and
# 7919*7907 = 62615533 is what a template that evaluated article text would print.
HOSTILE = st.sampled_from([
    "<x-evil>", "<x-evil onerror=alert(1)>", "</x-evil>", "</script><x-evil>",
    "</textarea><x-evil>", "</title><x-evil>", "<!--", "-->", "<![CDATA[", "]]>", '"', "'",
    '" onerror="x-evil-attr', "' onerror='x-evil-attr", "` onerror=x-evil-attr",
    "<svg onload=x-evil-attr>", "<img src=x onerror=x-evil-attr>", "{{ 7919*7907 }}",
    "{% raw %}", "{% for x in y %}", "{#", "${7919*7907}", "&lt;x-evil&gt;", "&amp;", "&",
    "\\u003cx-evil", "\u202e", "\u200f", "\u2028", "\u2029", "\ufeff", "javascript:alert(1)",
    "\r", "\r\n", "\t", "\x0c", "\x1b[31m"])
SAFE_UNICODE = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")
NOISE = st.one_of(HOSTILE, st.text(SAFE_UNICODE, max_size=8))
EVIL_PRODUCTS = ("62615533", "62,615,533")


DEFAULT_RULES = rulesets.load([REPO / "checker" / "default_rules"])
# The sources of the shipped rules' examples that must fire: article texts known to give
# findings, so hostile text reaches findings, quotes and timelines, not only the document
# section.
FIRING = [e.sources for r in DEFAULT_RULES.rules for e in r.examples if e.flags]


@st.composite
def salted(draw, text: str) -> str:
    """``text`` with hostile or random pieces inserted at a few places."""
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(NOISE) + text[at:]
    return text


@dataclasses.dataclass
class Case:
    """One fuzzed run: documents (id, path, text, kind, meta), the rules' ids and
    message prefixes, the skipped-file lines, and the pages of findings and claims
    written as HTML (small pages push the rest into the embedded JSON)."""

    documents: list
    rule_names: list
    measure_label: str | None
    skipped: list
    pages: tuple[int, int]


@st.composite
def cases(draw) -> Case:
    sources = draw(st.sampled_from(FIRING))
    documents = []
    for i, source in enumerate(sources):
        text = draw(salted(source["text"]))
        kind = draw(st.sampled_from(["text", "text", "markdown", "html"]))
        if kind == "markdown":
            fields = {"title": draw(NOISE), "outlet": draw(NOISE),
                      "url": draw(st.sampled_from(["https://example.org/a?b=1&c=<x-evil>",
                                                   "javascript:alert(1)", "http://x\" onerror=",
                                                   "//example.org", "HTTPS://EXAMPLE.ORG/"]))}
            text = "---\n" + yaml.safe_dump(fields, allow_unicode=True) + "---\n" + text
        elif kind == "html":
            text = (f"<html><head><title>{draw(NOISE)}</title></head><body><article><p>"
                    f"{text}</p></article></body></html>")
        doc_id = f"{i}" + draw(st.one_of(st.just(""), HOSTILE, st.text(SAFE_UNICODE, max_size=6)))
        documents.append((doc_id, f"{doc_id}.{kind}", text, kind,
                          {"published": source.get("published")}))
    extra = draw(st.lists(st.text(SAFE_UNICODE, min_size=1, max_size=60).map(
        lambda t: "Over 100 people " + t), max_size=2))
    for j, text in enumerate(extra):
        documents.append((f"x{j}", f"x{j}.txt", text, "text", {}))
    rule_names = [(draw(st.one_of(st.just(r.id), HOSTILE, st.text(SAFE_UNICODE, max_size=10))),
                   draw(st.one_of(st.just(""), HOSTILE, st.text(SAFE_UNICODE, max_size=20))))
                  for r in DEFAULT_RULES.rules]
    return Case(documents, rule_names, draw(st.one_of(st.none(), HOSTILE)),
                draw(st.lists(HOSTILE, max_size=2)),
                (draw(st.sampled_from([0, 1, 50])), draw(st.sampled_from([0, 3, 200]))))


@dataclasses.dataclass
class _Said:
    """A message template whose rendering starts with ``text`` exactly as given: an
    editor's literal wording, which must reach the report as text."""

    text: str
    template: object

    def render(self, **data) -> str:
        return self.text + " " + self.template.render(**data)


def _run(case: Case):
    """The report model and texts for a case, through the real pipeline: documents,
    extraction, the engine with the default rules (renamed and reworded), the model."""
    documents = []
    skipped = list(case.skipped)
    for doc_id, path, text, kind, meta in case.documents:
        try:
            documents.append(document_from_text(text, doc_id, path, kind, meta))
        except DocumentError as exc:
            skipped.append(str(exc))
    documents, claims, problems = extract_documents(documents)
    skipped.extend(problems)
    rules = [dataclasses.replace(r, id=name, template=_Said(said, r.template))
             for r, (name, said) in zip(DEFAULT_RULES.rules, case.rule_names)]
    measures = []
    if case.measure_label is not None:
        measures = [rulesets.MeasureSpec(id="m", label=case.measure_label, where="m.yml:1:1",
                                         select=rulesets.Selector(figures=["count"]))]
    result = check(documents, claims, rulesets.RuleSet(rules=rules, measures=measures))
    report = model.build(documents, claims, result.findings, skipped=skipped,
                         measures=result.measures, copies=result.copies,
                         inferred=result.inferred)
    return report, {d.id: d.text for d in documents}


class _Tree(HTMLParser):
    """Elements, attributes and text as a browser's parser sees them: enough to tell
    whether input text became markup, and to read back what the page shows."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list]] = []
        self.open: list[dict] = []
        self.texts: dict[str, list] = {}  # class -> texts of the elements with that class
        self.scripts: dict[str | None, str] = {}

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        if tag in self.VOID:
            return
        element = {"tag": tag, "attrs": dict(attrs), "text": []}
        self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_endtag(self, tag):
        while self.open:
            element = self.open.pop()
            text = "".join(element["text"])
            # A <template>'s content is inert: the skeletons the script clones, not shown.
            if not any(e["tag"] == "template" for e in self.open):
                for name in (element["attrs"].get("class") or "").split():
                    self.texts.setdefault(name, []).append(text)
            if element["tag"] == "script":
                self.scripts[element["attrs"].get("id")] = text
            if self.open:
                self.open[-1]["text"].append(text)
            if element["tag"] == tag:
                return

    def handle_data(self, data):
        if self.open:
            self.open[-1]["text"].append(data)


def _parse(page: str) -> _Tree:
    tree = _Tree()
    tree.feed(page)
    tree.close()
    return tree


def _render_html(report, texts, pages):
    """The page, and the view it places, with these many findings and claims per page."""
    with mock.patch.object(view, "FINDINGS_PAGE", pages[0]), \
            mock.patch.object(view, "CLAIMS_PAGE", pages[1]):
        return html_report.render(report, texts), view.build(report, texts)


# A carriage return in a file name: the CSV reports once wrote it unquoted, splitting a row.
CARRIAGE_RETURN = Case(
    documents=[("0", "0.txt", "Nine people have died in the flood, according to the county "
                "police.", "text", {"published": dt.date(2025, 3, 4)}),
               ("1\r", "1\r.txt", "Nine people have died in the flood, the Marsden Emergency "
                "Service said.", "text", {"published": dt.date(2025, 3, 5)})],
    rule_names=[(r.id, "") for r in DEFAULT_RULES.rules], measure_label=None, skipped=[],
    pages=(0, 0))


@budget(400)
@given(cases())
@example(CARRIAGE_RETURN)
def test_html_report_shows_hostile_input_only_as_text(case):
    report, texts = _run(case)
    page, shown_view = _render_html(report, texts, case.pages)
    data = shown_view["data"]
    page.encode("utf-8")
    assert "<x-evil" not in page and not any(p in page for p in EVIL_PRODUCTS)
    tree = _parse(page)
    for tag, attrs in tree.tags:
        assert not tag.startswith("x-evil"), tag
        for name, value in attrs:
            assert not name.startswith("on") and "x-evil" not in name, (tag, name)
            if name in ("href", "src") and value != "data:,":  # data:, is the blank favicon
                assert value.startswith("#") or re.match(r"https?://", value, re.I), value
    # Each document's text reads back exactly, whatever markup it held.
    shown = tree.texts.get("doc-text", [])
    assert shown == [texts[d["id"]] for d in report["documents"]]
    # Messages and rule ids of the findings written as HTML read back exactly.
    written = shown_view["findings"]
    assert tree.texts.get("message", []) == [f["message"] for f in written]
    assert tree.texts.get("rule", []) == [f["rule"] for f in written]
    # The rest travels as JSON with no raw markup character, and decodes to what the view
    # computed.
    embedded = tree.scripts.get("report-data")
    assert (embedded is None) == (data is None)
    if embedded is not None:
        assert not set(embedded) & set("<>&\u2028\u2029")
        assert _strict_json(embedded) == json.loads(json.dumps(data))


@budget(200)
@given(cases())
@example(CARRIAGE_RETURN)
def test_json_csv_and_text_reports_of_hostile_input_parse_back(case):
    report, _ = _run(case)
    as_json = json_report.render(report)
    as_json.encode("utf-8")
    assert _strict_json(as_json) == json.loads(json.dumps(report))

    # Each claim's document and quote read back from its row, whatever they hold.
    for render, columns, claims in (
            (csv_report.render, csv_report.CLAIM_COLUMNS, report["claims"]),
            (csv_report.render_findings, csv_report.FINDING_COLUMNS + csv_report.CLAIM_COLUMNS,
             [c for f in report["findings"] for c in f["claims"]])):
        table = list(csv.reader(io.StringIO(render(report))))
        assert table[0] == list(columns)
        rows = [dict(zip(columns, row)) for row in table[1:]]
        assert [(r["doc"], r["text"]) for r in rows] == [(c["doc"], c["text"]) for c in claims]

    as_text = text_report.render_findings(report)
    assert as_text.splitlines()[-1].startswith(f"{len(report['findings'])} findings")
    for finding in report["findings"]:
        assert f"{finding['severity']}: {finding['message']} [{finding['rule']}]\n" in as_text
