"""Shared helpers for the checker test suite."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from checker.claims.extract import extract
from checker.documents import Document
from checker.furniture import content_spans

FIXTURES = Path(__file__).parent.parent / "fixtures" / "sources"
REPO = Path(__file__).parent.parent
CONTRACT_CLAIM_KEYS = {"id", "doc", "text", "start", "end", "sentence", "value", "low", "high",
                       "unit", "measure", "period", "qualifier", "attribution", "entities"}
CONTRACT_DOCUMENT_KEYS = {"id", "path", "title", "outlet", "url", "published", "published_from"}


def _as_date(published):
    if published is None or isinstance(published, dt.date):
        return published
    return dt.date.fromisoformat(published)


def make_doc(text: str, published=None, doc_id: str = "doc") -> Document:
    """A Document the way ``load_document`` builds one for a plain-text file without front
    matter: content spans from the furniture filter, the published date given."""
    spans, detected = content_spans(text, 0)
    published = _as_date(published)
    return Document(id=doc_id, path=f"{doc_id}.txt", text=text, body_start=0,
                    title=detected.get("title"), outlet=detected.get("outlet"),
                    published=published, published_from="metadata" if published else None,
                    spans=spans)


def claims_of(text: str, published=None):
    """Claims extracted from ``text``, checked for the evidence invariant on the way."""
    doc = make_doc(text, published)
    claims = extract(doc)
    for c in claims:
        assert doc.text[c.start:c.end] == c.text
    return claims


def only_claim(text: str, published=None):
    claims = claims_of(text, published)
    assert len(claims) == 1, [(c.text, c.value) for c in claims]
    return claims[0]


def claim_for(claims, text: str):
    """The single claim whose evidence text is ``text``."""
    found = [c for c in claims if c.text == text]
    assert len(found) == 1, [(c.text, c.value) for c in claims]
    return found[0]


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES
