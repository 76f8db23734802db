"""The claim: one figure with everything needed to compare it, and its evidence span."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from operator import attrgetter


@dataclass(slots=True)
class Claim:
    """A figure as DESIGN.md's JSON contract describes it (``to_json``). With slots: a
    100k-article archive has over a million claims, each 208 bytes so, 304 with a dict."""

    id: str
    doc: str
    text: str
    start: int
    end: int
    line: int
    column: int
    sentence: str
    value: int | float
    low: int | float | None
    high: int | float | None
    unit: str | None
    kind: str
    qualifier: str | None
    period: dict | None
    period_text: str | None
    attribution: str | None
    entities: list[dict] = field(default_factory=list)
    measure: str | None = None
    rate: str | None = None
    # Where the sentence starts in the document, so alignment can weigh words by their
    # distance from the figure; and the label when the figure is a list item ("Nepal").
    sentence_start: int = 0
    list_item: str | None = None

    def __reduce__(self):
        """Pickled as its field values in order, not as a dict of them: every claim passes
        through a pickle from a worker to the parent process, and a tuple unpickles about
        twice as fast, in the one process all results cross."""
        return _from_values, (_values(self),)

    def __getitem__(self, key: str):
        """A claim also reads as its JSON object (``to_json``): findings cite the claims
        themselves (``finding["claims"]``), not a copy of each one's JSON, which at 100k
        articles was a million dicts, a gigabyte, held through the check and the report.
        Whatever reads a finding reads its claims as JSON would give them back
        (``History.findings``), and ``cited`` makes them JSON for writing."""
        if key in _KEYS:
            return getattr(self, key)
        raise KeyError(key)

    def get(self, key: str, default=None):
        return getattr(self, key) if key in _KEYS else default

    def to_json(self) -> dict:
        return {"id": self.id, "doc": self.doc, "text": self.text, "start": self.start,
                "end": self.end, "sentence": self.sentence, "value": self.value,
                "low": self.low, "high": self.high, "unit": self.unit,
                "measure": self.measure, "period": self.period, "qualifier": self.qualifier,
                "attribution": self.attribution, "entities": self.entities,
                "kind": self.kind, "period_text": self.period_text, "rate": self.rate,
                "line": self.line, "column": self.column, "list_item": self.list_item,
                "sentence_start": self.sentence_start}


_KEYS = frozenset(f.name for f in fields(Claim))  # to_json's keys
_values = attrgetter(*(f.name for f in fields(Claim)))


def cited(findings: list[dict], known: dict[int, dict]) -> list[dict]:
    """The findings with each claim they cite as its JSON object, made once per claim
    and kept in ``known`` by the claim's ``id()`` (the caller holds the claims meanwhile).
    A check's findings cite the claims themselves (``engine``); one read back from the
    nightly history cites JSON already, and is returned as it is."""
    def json_of(claim: Claim) -> dict:
        made = known.get(id(claim))
        if made is None:
            made = known[id(claim)] = claim.to_json()
        return made

    return [f if all(type(c) is dict for c in f["claims"]) else
            dict(f, claims=[c if type(c) is dict else json_of(c) for c in f["claims"]])
            for f in findings]


def _from_values(values: tuple) -> Claim:
    return Claim(*values)
