"""Pre-publication check: a draft's figures and names against a corpus of sources.

The corpus lives in a claim index (``store.Store``) refreshed on every run, so an
unchanged corpus costs one ``stat`` per file and a changed file is re-extracted alone.
A small corpus is checked whole, exactly as ``checker check`` would check it with the
draft among the sources. A large one is narrowed first to what the draft can be compared
with: for each draft figure, the corpus figures of the same kind that share its value or
its heaviest describing words (newest first, rarest words weighing most), and the
documents naming people whose surnames look like the draft's. The engine then runs on the
draft and those, which keeps a check against ten thousand articles under a second.

The findings are those citing the draft (DESIGN.md); the report's documents are the draft
and the sources its findings cite.
"""
from __future__ import annotations

import math
import os
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from .claims.extract import extract_documents
from .claims.model import Claim
from .documents import Document, as_draft, load_document
from .engine import check, citing
from .engines import Engine
from .errors import DocumentError
from .kinds.name_variant import may_be_same_person, surname_keys
from .measures import claim_terms, unit_class
from .report import model
from .ruleset import RuleSet
from .store import POSTED_TERMS, Store, value_term

DEFAULT_INDEX = ".checker/index.sqlite"
WHOLE_CORPUS = 3000  # claims: a corpus this small is compared whole
PER_FIGURE = 12  # corpus figures compared with each draft figure
PER_TERM = 400  # postings read per word, newest documents first
PER_SPELLING = 10  # documents read per spelling of a surname like the draft's


@dataclass
class DraftCheck:
    report: dict
    findings: list[dict]
    texts: dict[str, str]  # the text of each document in the report, for the HTML page
    compared: int  # corpus documents the draft was compared with
    corpus: int  # documents in the corpus


def check_draft(path: str, against: tuple[str, ...], ruleset: RuleSet,
                index: str | Path, engine: Engine | None = None) -> DraftCheck:
    """Check one draft file against the documents under ``against``; ``engine`` extracts
    the sources the index does not know yet."""
    file = Path(path)
    draft = as_draft(load_document(file, file.stem))
    _, draft_claims, problems = extract_documents([draft])
    if problems:
        raise DocumentError(problems[0].split(": ", 1)[-1], path=path)
    with Store(index) as store:
        scan = store.refresh(against, engine=engine)
        store.prune(against, scan)
        itself = os.path.realpath(file)
        keys = [k for k, p in zip(scan.keys, scan.paths)
                if os.path.basename(p) != file.name or os.path.realpath(p) != itself]
        if store.claim_count(keys) > WHOLE_CORPUS:
            documents, claims = _related(store, keys, draft, draft_claims)
        else:
            documents, claims = store.load(keys)
    if draft.id in {d.id for d in documents}:
        _rename(draft, draft_claims, f"draft:{draft.id}")
    # Sources first: alignment is greedy, and the draft should join the measures the
    # sources make rather than shape them.
    result = check([*documents, draft], [*claims, *draft_claims], ruleset)
    findings = citing(result.findings, {draft.id})
    cited = {c["doc"] for f in findings for c in f["claims"]}
    shown = [draft, *(d for d in documents if d.id in cited)]
    report = model.build(shown, draft_claims, findings, skipped=scan.skipped,
                         copies={d: g for d, g in result.copies.items() if d in cited},
                         inferred={d: v for d, v in result.inferred.items() if d in cited})
    return DraftCheck(report, findings, {d.id: d.text for d in shown}, len(documents), len(keys))


def _rename(draft: Document, claims: list[Claim], doc_id: str) -> None:
    """A draft whose name is also a source's gets an id of its own."""
    draft.id = doc_id
    for claim in claims:
        claim.id = f"{doc_id}:{claim.start}"
        claim.doc = doc_id


def _related(store: Store, keys: list[int], draft: Document,
             draft_claims: list[Claim]) -> tuple[list[Document], list[Claim]]:
    """The corpus documents and figures a draft can be compared with (module docstring)."""
    allowed = set(keys)
    wanted: dict[int, set[int]] = defaultdict(set)  # document key -> claim indexes
    for claim, bag in zip(draft_claims, claim_terms(draft_claims)):
        for doc_key, index in _similar(store, claim, bag, allowed):
            wanted[doc_key].add(index)
    # Documents in corpus order, not by storage key: an index refreshed night after night
    # numbers documents differently from one built anew, and must give the same findings.
    order = {key: i for i, key in enumerate(keys)}
    documents, claims = [], []
    for key, doc, found in store.records(sorted(wanted, key=order.__getitem__)):
        documents.append(doc)
        claims.extend(found[i] for i in sorted(wanted[key]))
    people_only = _namesakes(store, draft, allowed) - set(wanted)
    documents.extend(doc for _, doc, _ in store.records(sorted(people_only, key=order.__getitem__),
                                                         claims=False))
    return documents, claims


def _similar(store: Store, claim: Claim, bag: Counter, allowed: set[int]) -> list[tuple[int, int]]:
    """The ``PER_FIGURE`` corpus figures most like one draft figure: same kind of figure,
    scored by the draft's weight of each shared word times its rarity, plus a bonus for
    the same value; ties go to newer documents, then by document id, never by where the
    index happened to store them."""
    unit = unit_class(claim)
    terms = [t for t, _ in bag.most_common(POSTED_TERMS)]
    by_value = value_term(claim) if claim.value is not None else None
    scores: Counter = Counter()
    published: dict[tuple[int, int], str] = {}
    total = max(len(allowed), 1)
    for term in terms + ([by_value] if by_value else []):
        # Read from the index postings_term alone, in its order: it holds each posting's
        # document id for the ties, so no join and no sort (they were half of a draft
        # check's time at 10k articles).
        rows = store.db.execute(
            "SELECT doc_key, claim, published FROM postings WHERE term = ? AND unit = ? "
            "ORDER BY published DESC, doc_id, claim LIMIT ?",
            (term, unit, PER_TERM)).fetchall()
        rows = [r for r in rows if r[0] in allowed]
        if not rows:
            continue
        docs = len({r[0] for r in rows})
        weight = 2.0 if term == by_value else bag[term]
        rarity = math.log(1 + total / docs)
        for doc_key, index, date in rows:
            scores[doc_key, index] += weight * rarity
            published[doc_key, index] = date or ""
    newest_first = sorted(scores, key=lambda k: published[k], reverse=True)
    return sorted(newest_first, key=lambda k: -round(scores[k], 6))[:PER_FIGURE]


def _namesakes(store: Store, draft: Document, allowed: set[int]) -> set[int]:
    """Documents naming people who may be one of the draft's (a spelling in a surname
    block of theirs that name-variant could join): up to ``PER_SPELLING`` newest per
    spelling, so every spelling is represented."""
    found: set[int] = set()
    names = {m.name for m in draft.people}
    for block in sorted({block for name in names for block in surname_keys(name)}):
        spellings = [s for (s,) in store.db.execute(
            "SELECT DISTINCT spelling FROM names WHERE block = ?", (block,))
            if any(may_be_same_person(s, name) for name in names)]
        for spelling in spellings:
            rows = store.db.execute(
                "SELECT n.doc_key FROM names n JOIN documents d ON d.key = n.doc_key "
                "WHERE n.block = ? AND n.spelling = ? ORDER BY n.published DESC, d.doc_id",
                (block, spelling))
            docs = [key for (key,) in rows if key in allowed]
            found.update(docs[:PER_SPELLING])
    return found
