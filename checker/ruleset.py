"""Load and validate editors' YAML rules, with file:line:column for every mistake.

A rule file holds one rule (a mapping with ``id``) or ``rules:`` and ``measures:`` lists.
A rule's keys are few and fixed (Vale's way): ``id, kind, severity, description, message,
link, select, params, examples``; its kind's settings go under ``params:`` and are checked
against the kind's declared parameters, so a misspelt key is always an error with a "did
you mean", never silently ignored. Positions come from the YAML parser's node marks.
Every error in every file is collected before anything is reported.
"""
from __future__ import annotations

import datetime as dt
import difflib
import math
import os
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from .claims.model import Claim
from .documents import lone_surrogate
from .errors import CheckerError
from .kinds import KINDS
from .kinds.base import Param
from .messages import MessageError, compile_message, render
from .patterns import PatternTimeout, compile_pattern, search

RULE_KEYS = ("id", "kind", "severity", "description", "message", "link", "select", "params",
             "examples")
REQUIRED = ("id", "kind", "severity", "message")
SEVERITIES = ("error", "warning", "info")
SELECT_KEYS = ("measures", "units", "keywords", "pattern", "entities", "figures")
FIGURE_KINDS = ("count", "percent", "money", "ratio")
MEASURE_KEYS = ("id", "label", "description", "units", "keywords", "pattern", "entities")
EXAMPLE_KEYS = ("name", "sources", "flags", "todo")
SOURCE_KEYS = ("id", "text", "published", "title", "outlet", "url", "format", "role")
SOURCE_FORMATS = ("text", "markdown", "html")
SOURCE_ROLES = ("source", "draft")
TOLERANCE_KEYS = ("absolute", "relative", "rounding")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_MESSAGE = 1000  # characters of a message rendered from its kind's sample data
_TYPE_NAMES = {str: "text", int: "a whole number", float: "a number", bool: "true or false"}
# What would break "one line per mistake" or the terminal showing it: line breaks (YAML
# escapes put them in keys and values), other control characters, and lone surrogates
# (a "\ud800" escape), which cannot even be written out as UTF-8.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


class RuleError(CheckerError):
    """A mistake in a rule file: one line, whatever the file quoted in it holds."""

    def __str__(self) -> str:
        return _UNPRINTABLE.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"),
                                super().__str__())


class RuleErrors(CheckerError):
    """Every mistake found in the rule files, one per line."""

    def __init__(self, errors: list[RuleError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors

    def __str__(self) -> str:
        return self.message


@dataclass
class Selector:
    """Which claims a rule or named measure is about; every given key must match."""

    units: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    pattern: object | None = None
    entities: list[str] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)
    where: str = ""

    def matches(self, claim: Claim, described: str | None = None) -> bool:
        """Whether the claim matches; keywords are looked for in ``described`` (the words
        that describe this figure, see measures.describing_words) when given, else in the
        whole sentence."""
        if self.figures and claim.kind not in self.figures:
            return False
        if self.units and (claim.unit or "").lower() not in self.units:
            return False
        if self.measures and claim.measure not in self.measures:
            return False
        if self.entities:
            names = {n.lower() for e in claim.entities
                     for n in (e.get("name"), e.get("code")) if n}
            if not names & set(self.entities):
                return False
        if self.keywords and not _has_keyword(
                claim.sentence if described is None else described, self.keywords):
            return False
        if self.pattern is not None:
            try:
                return search(self.pattern, claim.sentence)
            except PatternTimeout:
                raise RuleError(f"pattern {self.pattern.pattern!r} took too long on a sentence in "
                                f"document '{claim.doc}'", path=self.where,
                                hint="simplify the pattern (no nested repeats)") from None
        return True

    def empty(self) -> bool:
        return not (self.units or self.keywords or self.pattern is not None or self.entities
                    or self.measures or self.figures)


def _has_keyword(sentence: str, keywords: list[str]) -> bool:
    """Keywords match the start of words: "fight" matches "fighting" and "fighters"."""
    words = re.findall(r"\w+", sentence.lower())
    text = " ".join(words)
    return any(f" {k}" in f" {text}" for k in keywords)


@dataclass
class Example:
    name: str
    sources: list[dict]
    flags: list[str] | None  # None: must not fire
    todo: bool = False
    where: str = ""


@dataclass
class Rule:
    id: str
    kind: str
    severity: str
    message: str
    template: object
    description: str = ""
    link: str | None = None
    select: Selector = field(default_factory=Selector)
    params: dict = field(default_factory=dict)
    examples: list[Example] = field(default_factory=list)
    where: str = ""


@dataclass
class MeasureSpec:
    """An editor's named measure: claims it matches are aligned to it, before automatic
    alignment; that merges synonyms and splits off a narrower measure."""

    id: str
    label: str
    select: Selector
    description: str = ""
    where: str = ""


@dataclass
class RuleSet:
    rules: list[Rule] = field(default_factory=list)
    measures: list[MeasureSpec] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def default_dirs() -> list[Path]:
    """./rules when present (DESIGN.md), else the default pack shipped in the package."""
    local = Path("rules")
    if local.is_dir():
        return [local]
    return [Path(str(resources.files("checker") / "default_rules"))]


def rule_files(dirs: list[Path]) -> list[Path]:
    files: list[Path] = []
    for d in dirs:
        if d.is_file():
            files.append(d)
        elif d.is_dir():  # os.walk, unlike rglob, follows rules/default's link
            files.extend(sorted(Path(root) / name for root, _, names in os.walk(d, followlinks=True)
                                for name in names if name.endswith((".yml", ".yaml"))))
        else:
            raise CheckerError("no such rules folder", path=str(d))
    return files


def load(dirs: list[Path] | None = None) -> RuleSet:
    """Load every rule file under ``dirs``; raise RuleErrors listing every mistake."""
    loader = _Loader()
    for path in rule_files(dirs if dirs is not None else default_dirs()):
        loader.load_file(path)
    loader.check_duplicates()
    if loader.errors:
        raise RuleErrors(loader.errors)
    return loader.ruleset


def _construct(node):
    """The Python value of a scalar node, as yaml.safe_load would build it, or its text
    when that fails: PyYAML's constructors raise whatever their parsing hits, not only
    ConstructorError (2025-13-01 looks like a date: ValueError; ``!!bool x``: KeyError;
    ``!!timestamp x``: AttributeError; ``!!float ''``: IndexError)."""
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, KeyError, AttributeError, IndexError, TypeError):
        return node.value
    finally:
        loader.dispose()


def _blank(node) -> bool:
    """Whether a scalar node holds nothing: ``~``, ``null`` or only white space."""
    if not isinstance(node, yaml.ScalarNode):
        return False
    value = _construct(node)
    return value is None or isinstance(value, str) and not value.strip()


class _Loader:
    def __init__(self):
        self.errors: list[RuleError] = []
        self.ruleset = RuleSet()
        self.path = ""
        self.seen: dict[int, dict] = {}

    # -- positions and errors ---------------------------------------------------------
    def where(self, node) -> str:
        return f"{self.path}:{node.start_mark.line + 1}:{node.start_mark.column + 1}"

    def error(self, node, message: str, hint: str | None = None) -> None:
        line = node.start_mark.line + 1 if node is not None else None
        column = node.start_mark.column + 1 if node is not None else None
        self.errors.append(RuleError(message, path=self.path, line=line, column=column, hint=hint))

    def unknown_keys(self, node, allowed, what: str) -> None:
        for key_node, _ in node.value:
            key = key_node.value
            if isinstance(key_node, yaml.ScalarNode) and key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                hint = (f"did you mean '{close[0]}'? " if close else "") + f"allowed: {', '.join(allowed)}"
                self.error(key_node, f"unknown key '{key}' in {what}", hint)

    def items(self, node) -> dict:
        """A mapping's keys to value nodes; a key written twice is an error (YAML would
        silently keep the last), and so is a key that is a list or mapping (``? [a, b]``),
        each reported once."""
        if not isinstance(node, yaml.MappingNode):
            return {}
        if id(node) in self.seen:
            return self.seen[id(node)]
        out = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(key_node, "a key must be a word, not a list or mapping")
                continue
            if key_node.value in out:
                first = out[key_node.value][0].start_mark
                self.error(key_node, f"duplicate key '{key_node.value}'",
                           f"it is already given at line {first.line + 1}, column {first.column + 1}")
                continue
            out[key_node.value] = (key_node, value_node)
        self.seen[id(node)] = {k: v for k, (_, v) in out.items()}
        return self.seen[id(node)]

    def scalar(self, node, what: str, type_=str):
        if not isinstance(node, yaml.ScalarNode):
            self.error(node, f"{what} must be {_TYPE_NAMES[type_]}")
            return None
        value = _construct(node)
        if type_ is str:
            if isinstance(value, str) and lone_surrogate(value):
                self.error(node, f"{what} is not valid Unicode (a lone surrogate such as "
                                 "\\ud800, from an escape)", "write the character itself")
                return None
            return str(value) if value is not None else None
        if type_ is bool and isinstance(value, bool):
            return value
        if type_ is int and isinstance(value, int) and not isinstance(value, bool):
            return value
        if type_ is float and isinstance(value, (int, float)) and not isinstance(value, bool):
            if math.isnan(value):
                self.error(node, f"{what} must be a number, not {node.value!r}")
                return None
            return float(value)
        self.error(node, f"{what} must be {_TYPE_NAMES[type_]}, not {node.value!r}")
        return None

    def strings(self, node, what: str) -> list[str]:
        if isinstance(node, yaml.ScalarNode):
            value = self.scalar(node, what)
            return [value] if value else []
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, f"{what} must be a list of words")
            return []
        return [v for item in node.value if (v := self.scalar(item, f"each of {what}"))]

    # -- files ------------------------------------------------------------------------
    def load_file(self, path: Path) -> None:
        self.path = str(path)
        self.seen = {}  # keyed by id(): valid only while this file's nodes are alive
        self.ruleset.files.append(self.path)
        try:
            text = path.read_text(encoding="utf-8")
            root = yaml.compose(text)
        except yaml.reader.ReaderError as exc:  # a character YAML does not allow, like NUL
            line = text.count("\n", 0, exc.position) + 1
            column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
            self.errors.append(RuleError(
                f"YAML syntax: character U+{exc.character:04X} is not allowed in YAML",
                path=self.path, line=line, column=column))
            return
        except RecursionError:
            self.errors.append(RuleError("YAML syntax: nested too deeply", path=self.path))
            return
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            self.errors.append(RuleError(f"YAML syntax: {exc.problem or exc.context}", path=self.path,
                                         line=mark.line + 1 if mark else None,
                                         column=mark.column + 1 if mark else None))
            return
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            self.errors.append(RuleError(f"cannot read: {exc}", path=self.path))
            return
        if root is None:
            return
        if not isinstance(root, yaml.MappingNode):
            self.error(root, "a rule file must be a mapping (a rule, or 'rules:' and 'measures:')")
            return
        top = self.items(root)
        if set(top) - {"rules", "measures"} and set(top) & set(RULE_KEYS):
            self.rule(root)
            return
        self.unknown_keys(root, ("rules", "measures"), "a rule file")
        for key, parse in (("rules", self.rule), ("measures", self.measure)):
            node = top.get(key)
            if node is None:
                continue
            if not isinstance(node, yaml.SequenceNode):
                self.error(node, f"'{key}' must be a list")
                continue
            for item in node.value:
                parse(item)

    def measure(self, node) -> None:
        if not isinstance(node, yaml.MappingNode):
            self.error(node, "a measure must be a mapping with id, label and units/keywords/pattern")
            return
        self.unknown_keys(node, MEASURE_KEYS, "a measure")
        fields = self.items(node)
        measure_id = self.identifier(fields.get("id"), node, "measure")
        select = self.selector(node, {k: v for k, v in fields.items() if k in SELECT_KEYS})
        if select.empty() or not (select.units or select.keywords or select.pattern is not None):
            self.error(node, f"measure '{measure_id}' needs units, keywords or a pattern to match claims")
        label = self.scalar(fields["label"], "label") if "label" in fields else measure_id
        self.ruleset.measures.append(MeasureSpec(
            id=measure_id or "", label=label or "", select=select, where=self.where(node),
            description=self.scalar(fields["description"], "description") if "description" in fields else ""))

    def identifier(self, node, parent, what: str) -> str | None:
        if node is None:
            self.error(parent, f"{what} has no 'id'")
            return None
        if _blank(node):
            self.error(node, f"{what} has an empty 'id'", "like 'figure-conflict'")
            return None
        value = self.scalar(node, "id")
        if value and not _ID.match(value):
            self.error(node, f"{what} id '{value}' must be kebab-case", "like 'figure-conflict'")
        return value

    def selector(self, node, fields: dict) -> Selector:
        select = Selector(where=self.where(node))
        for key in ("units", "keywords", "entities", "measures"):
            if key in fields:
                setattr(select, key, [s.lower() for s in self.strings(fields[key], key)])
        if "figures" in fields:
            select.figures = self.strings(fields["figures"], "figures")
            for bad in set(select.figures) - set(FIGURE_KINDS):
                self.error(fields["figures"], f"unknown figure kind '{bad}'",
                           f"allowed: {', '.join(FIGURE_KINDS)}")
        if "pattern" in fields:
            source = self.scalar(fields["pattern"], "pattern")
            if source is not None:
                try:
                    select.pattern = compile_pattern(source)
                    select.where = self.where(fields["pattern"])  # what a timeout names
                except Exception as exc:  # regex.error, with the position in the pattern
                    self.error(fields["pattern"], f"bad regular expression {source!r}: {exc}")
        return select

    def rule(self, node) -> None:
        if not isinstance(node, yaml.MappingNode):
            self.error(node, "a rule must be a mapping with id, kind, severity and message")
            return
        self.unknown_keys(node, RULE_KEYS, "a rule")
        fields = self.items(node)
        for key in REQUIRED:
            if key not in fields:
                self.error(node, f"rule has no '{key}'", f"required: {', '.join(REQUIRED)}")
        for key in ("kind", "severity", "message"):
            if key in fields and _blank(fields[key]):
                self.error(fields[key], f"rule's '{key}' is empty", f"required: {', '.join(REQUIRED)}")
        rule_id = self.identifier(fields["id"], node, "rule") if "id" in fields else "?"
        kind = self.scalar(fields["kind"], "kind") if "kind" in fields else None
        module = KINDS.get(kind) if kind else None
        if kind and module is None:
            close = difflib.get_close_matches(kind, KINDS, n=1)
            self.error(fields["kind"], f"unknown kind '{kind}' in rule '{rule_id}'",
                       (f"did you mean '{close[0]}'? " if close else "") + f"kinds: {', '.join(KINDS)}")
        severity = self.scalar(fields["severity"], "severity") if "severity" in fields else None
        if severity and severity not in SEVERITIES:
            self.error(fields["severity"], f"severity '{severity}' in rule '{rule_id}' is not one of "
                                           f"{', '.join(SEVERITIES)}")
        params = self.params(fields.get("params"), module, rule_id) if module else {}
        message = self.scalar(fields["message"], "message") if "message" in fields else None
        template = None
        if message is not None and module is not None:
            try:
                template = compile_message(message)
                sample = render(template, module.SAMPLE)
                if len(sample) > MAX_MESSAGE:
                    raise MessageError(f"it makes a message of {len(sample):,} characters from "
                                       f"the sample data; a message is a line (at most "
                                       f"{MAX_MESSAGE:,})")
            except MessageError as exc:
                self.error(fields["message"], f"message of rule '{rule_id}': {exc}",
                           "variables of this kind: " + ", ".join(sorted(module.SAMPLE)))
        select = Selector(where=self.where(node))
        if "select" in fields:
            if isinstance(fields["select"], yaml.MappingNode):
                self.unknown_keys(fields["select"], SELECT_KEYS, f"select of rule '{rule_id}'")
                select = self.selector(fields["select"], self.items(fields["select"]))
            else:
                self.error(fields["select"], "select must be a mapping", f"keys: {', '.join(SELECT_KEYS)}")
        examples = self.examples(fields.get("examples"), rule_id)
        self.ruleset.rules.append(Rule(
            id=rule_id, kind=kind or "", severity=severity or "", message=message or "",
            template=template, select=select, params=params, examples=examples,
            description=self.scalar(fields["description"], "description") if "description" in fields else "",
            link=self.scalar(fields["link"], "link") if "link" in fields else None,
            where=self.where(node)))

    def params(self, node, module, rule_id: str) -> dict:
        declared: dict[str, Param] = module.PARAMS
        values = {name: p.default for name, p in declared.items()}
        if node is None:
            return values
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"params of rule '{rule_id}' must be a mapping")
            return values
        self.unknown_keys(node, tuple(declared), f"params of rule '{rule_id}'")
        for name, value_node in self.items(node).items():
            param = declared.get(name)
            if param is None:
                continue
            what = f"params.{name} of rule '{rule_id}'"
            if param.type == "tolerance":
                values[name] = self.tolerance(value_node, f"params.{name}", f"rule '{rule_id}'")
            else:
                type_ = {"int": int, "number": float, "bool": bool}[param.type]
                value = self.scalar(value_node, what, type_)
                if value is not None:
                    values[name] = value
        return values

    def tolerance(self, node, key_path: str, owner: str) -> dict:
        result = {"absolute": 0.0, "relative": 0.0, "rounding": True}
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"{key_path} of {owner} must be a mapping",
                       "like {absolute: 0, relative: 0.02, rounding: true}")
            return result
        self.unknown_keys(node, TOLERANCE_KEYS, f"{key_path} of {owner}")
        for key, value_node in self.items(node).items():
            what = f"{key_path}.{key} of {owner}"
            if key in ("absolute", "relative"):
                value = self.scalar(value_node, what, float)
                if value is not None and value < 0:
                    self.error(value_node, f"{what} cannot be negative")
                elif value is not None:
                    result[key] = value
            elif key == "rounding":
                value = self.scalar(value_node, what, bool)
                if value is not None:
                    result[key] = value
        return result

    def examples(self, node, rule_id: str) -> list[Example]:
        if node is None:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, f"examples of rule '{rule_id}' must be a list")
            return []
        out: list[Example] = []
        for item in node.value:
            if not isinstance(item, yaml.MappingNode):
                self.error(item, "an example must be a mapping with name, sources and flags")
                continue
            self.unknown_keys(item, EXAMPLE_KEYS, f"an example of rule '{rule_id}'")
            fields = self.items(item)
            name = self.scalar(fields["name"], "name") if "name" in fields else None
            if not name:
                self.error(item, f"an example of rule '{rule_id}' has no name")
            flags_node = fields.get("flags")
            if flags_node is None:
                self.error(item, f"example '{name}' of rule '{rule_id}' has no 'flags'",
                           "list the quotes it must flag, or write 'flags: none'")
                flags = None
            elif isinstance(flags_node, yaml.ScalarNode) and flags_node.value == "none":
                flags = None
            else:
                flags = self.strings(flags_node, "flags")
            todo = self.scalar(fields["todo"], "todo", bool) if "todo" in fields else False
            if name and any(e.name == name for e in out):
                self.error(item, f"two examples of rule '{rule_id}' are named '{name}'",
                           "test ids are rule-id::example-name, so names must differ")
            out.append(Example(name=name or "?", sources=self.sources(fields.get("sources"), item),
                               flags=flags, todo=bool(todo), where=self.where(item)))
        return out

    def sources(self, node, parent) -> list[dict]:
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            self.error(node or parent, "an example needs 'sources': a list of {id, text, published}")
            return []
        out = []
        for i, item in enumerate(node.value):
            if not isinstance(item, yaml.MappingNode):
                self.error(item, "a source must be a mapping with id and text")
                continue
            self.unknown_keys(item, SOURCE_KEYS, "an example source")
            fields = self.items(item)
            source = {"id": f"s{i + 1}", "format": "text", "line": item.start_mark.line + 1}
            for key in SOURCE_KEYS:
                if key in fields:
                    source[key] = self.scalar(fields[key], key)
            if not source["id"]:  # given, but null or empty (scalar() reported a list)
                if isinstance(fields["id"], yaml.ScalarNode):
                    self.error(fields["id"], "an example source's id must be some text",
                               "leave 'id' out to have s1, s2, … by position")
                source["id"] = f"s{i + 1}"
            elif source["id"] in (other["id"] for other in out):
                self.error(fields["id"], f"two sources of one example have the id '{source['id']}'")
            if not source.get("text"):
                self.error(item, "an example source has no 'text'")
            if source.get("format") not in SOURCE_FORMATS:
                self.error(fields.get("format", item), f"format must be one of {', '.join(SOURCE_FORMATS)}")
            if source.setdefault("role", "source") not in SOURCE_ROLES:
                self.error(fields["role"], f"role must be one of {', '.join(SOURCE_ROLES)}",
                           "role: draft makes the example a pre-publication check of that text")
            if source.get("published"):
                try:
                    source["published"] = dt.date.fromisoformat(source["published"])
                except ValueError:
                    self.error(fields["published"], f"published {source['published']!r} is not a date",
                               "write it as YYYY-MM-DD")
                    source["published"] = None
            out.append(source)
        return out

    def check_duplicates(self) -> None:
        seen: dict[str, str] = {}
        for rule in self.ruleset.rules + self.ruleset.measures:
            if rule.id in seen and rule.id:
                path, line, column = rule.where.rsplit(":", 2)
                self.errors.append(RuleError(f"duplicate id '{rule.id}'", path=path, line=int(line),
                                             column=int(column), hint=f"first defined at {seen[rule.id]}"))
            seen.setdefault(rule.id, rule.where)
