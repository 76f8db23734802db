"""Editors' triage decisions: a YAML file meant to live under version control.

``checker triage`` records who decided what about a finding, when and why; ``checker
nightly`` reads the file and applies it. A file rather than rows in the history because a
decision is an editorial act that deserves review like any other change: it diffs line by
line (entries sorted by finding id, fields in a fixed order), it can be reverted, and it
outlives a deleted history database. The history keeps only which decision each run
applied.

A decision holds for the evidence it was made on. The finding id ignores wording (it is a
fingerprint of rule, documents, values and periods), so each entry also records an
evidence digest (``history.evidence_digest``: documents, figures and their sentences).
While the digest matches, a dismissed or fixed finding stays out of the reports and a
confirmed one is shown as confirmed; once the evidence changes, the finding is shown again
with its old decision marked stale, for an editor to look at afresh.

    1289ee06b85b334d:
      rule: figure-update
      message: 'foreign nationals: 16 894 (000-slidstvo...) then 18,000 (004-up...)'
      status: dismissed
      note: The November figure is a different count; both are right.
      by: Olena Kovalenko
      at: '2026-11-23T09:12:44Z'
      evidence: 5be2d1...
"""
from __future__ import annotations

import fcntl
import os
import re
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from .errors import CheckerError
from .history import evidence_digest
from .report.files import write_atomic

DEFAULT_FILE = "triage.yaml"  # in the current folder: where the newsroom's repository is
STATUSES = ("confirmed", "dismissed", "fixed")
HIDING = ("dismissed", "fixed")  # decisions that keep a finding out of the reports
FIELDS = ("rule", "message", "status", "note", "by", "at", "evidence")
REQUIRED = ("status", "evidence")
FINGERPRINT = re.compile(r"^[0-9a-f]{16}$")
HEADER = """\
# Triage decisions on nightly findings, written by `checker triage`; review changes like
# any edit. Keyed by finding id. A dismissed or fixed finding stays out of the nightly
# reports while its evidence (the digest) is unchanged.
"""


@dataclass
class Decision:
    fingerprint: str
    status: str
    evidence: str
    rule: str = ""
    message: str = ""
    note: str = ""
    by: str = ""
    at: str = ""

    def shown(self, stale: bool) -> dict:
        """The ``triage`` object a report attaches to the finding."""
        shown = {"status": self.status, "note": self.note, "by": self.by, "at": self.at}
        return dict(shown, stale=True) if stale else shown


def _error(path: Path, node: yaml.Node, message: str) -> CheckerError:
    return CheckerError(message, path=str(path), line=node.start_mark.line + 1,
                        column=node.start_mark.column + 1)


def _scalar(path: Path, node: yaml.Node, what: str) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise _error(path, node, f"{what} must be a single value")
    return "" if node.tag == "tag:yaml.org,2002:null" else node.value


def load(path: Path) -> dict[str, Decision]:
    """The decisions in ``path`` by finding id; none when it does not exist. Any mistake
    is an error naming the file, line and column."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError:
        raise CheckerError("not valid UTF-8", path=str(path)) from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise CheckerError(f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
                           path=str(path), line=mark.line + 1 if mark else None,
                           column=mark.column + 1 if mark else None) from None
    if root is None:
        return {}
    if not isinstance(root, yaml.MappingNode):
        raise _error(path, root, "a triage file maps finding ids to decisions")
    decisions: dict[str, Decision] = {}
    for key_node, value_node in root.value:
        fingerprint = _scalar(path, key_node, "a finding id")
        if not FINGERPRINT.match(fingerprint):
            raise _error(path, key_node, f"'{fingerprint}' is not a finding id (16 hex digits)")
        if fingerprint in decisions:
            raise _error(path, key_node, f"finding {fingerprint} is triaged twice")
        decisions[fingerprint] = _decision(path, fingerprint, key_node, value_node)
    return decisions


def _decision(path: Path, fingerprint: str, key_node: yaml.Node,
              node: yaml.Node) -> Decision:
    if not isinstance(node, yaml.MappingNode):
        raise _error(path, node, f"the decision on {fingerprint} must be a mapping of "
                                 f"{', '.join(FIELDS)}")
    fields: dict[str, str] = {}
    for k, v in node.value:
        key = _scalar(path, k, "a key")
        if key not in FIELDS:
            raise _error(path, k, f"unknown key '{key}' in the decision on {fingerprint}; "
                                  f"allowed: {', '.join(FIELDS)}")
        fields[key] = _scalar(path, v, key)
    missing = [k for k in REQUIRED if not fields.get(k)]
    if missing:
        raise _error(path, key_node, f"the decision on {fingerprint} has no {missing[0]}")
    if fields["status"] not in STATUSES:
        where = next(v for k, v in node.value if k.value == "status")
        raise _error(path, where, f"status '{fields['status']}' of {fingerprint} is not one "
                                  f"of {', '.join(STATUSES)}")
    return Decision(fingerprint=fingerprint, **fields)


def _block_strings(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    """Notes of several lines as YAML literal blocks: they diff line by line."""
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(str, _block_strings)


def dump(decisions: dict[str, Decision]) -> str:
    """The file's text: entries sorted by finding id, fields in a fixed order."""
    data = {}
    for fingerprint in sorted(decisions):
        fields = asdict(decisions[fingerprint])
        data[fingerprint] = {k: fields[k] for k in FIELDS}
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False) if data else ""
    return HEADER + body


def record(path: Path, decision: Decision) -> None:
    """Add or replace the decision on one finding. Read, change and write happen under
    an exclusive lock on the file, so two editors triaging at once both get their entry;
    the write is atomic (a new file renamed over the old), so a reader never sees half."""
    while True:
        fd = os.open(path, os.O_RDONLY | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if os.fstat(fd).st_ino != os.stat(path).st_ino:
                continue  # replaced while we waited: lock the new file
            decisions = load(path)
            decisions[decision.fingerprint] = decision
            write_atomic(path, dump(decisions))
            return
        except FileNotFoundError:
            continue  # removed while we waited
        finally:
            os.close(fd)


def editor_name() -> str:
    """Who is deciding: git's user.name, as on their commits, else the login name."""
    try:
        name = subprocess.run(["git", "config", "user.name"], capture_output=True, text=True,
                              timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        name = ""
    return name or os.environ.get("USER") or os.environ.get("LOGNAME") or "unknown"


def apply(findings: list[dict], decisions: dict[str, Decision]) -> list[dict]:
    """Each finding with its decision attached as ``triage``: stale when its evidence
    digest no longer matches the one decided on. A new finding that continues triaged
    ones (``replaces``: the same discrepancy with more evidence, hence a new id) shows the
    first such decision, stale, with the id it was ``made_on``."""
    marked = []
    for finding in findings:
        decision = decisions.get(finding["id"])
        if decision is not None:
            stale = decision.evidence != evidence_digest(finding)
            marked.append(dict(finding, triage=decision.shown(stale)))
            continue
        earlier = [decisions[i] for i in finding.get("replaces", []) if i in decisions]
        if earlier:
            marked.append(dict(finding, triage=dict(earlier[0].shown(stale=True),
                                                    made_on=earlier[0].fingerprint)))
        else:
            marked.append(finding)
    return marked


def hidden(finding: dict) -> bool:
    """Dismissed or fixed, and the evidence is still what was decided on."""
    triage = finding.get("triage")
    return bool(triage) and triage["status"] in HIDING and not triage.get("stale")
