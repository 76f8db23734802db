"""Properties that must hold for any input: extraction never raises, every claim's text is
the slice of the document at its offsets (also through the CLI and the file on disk), and
numbers written any supported way parse back to their value."""
from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker import ruleset
from checker.claims.extract import extract, extract_documents
from checker.documents import document_from_text
from checker.engine import check
from checker.claims.numbers import parse_number
from checker.cli import main

from conftest import make_doc

ALPHABET = "0123456789abcxyzAMJT ,.%$–\n\u00a0\u2009" + "ofinthe"
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

SMALL = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
         "fourteen fifteen sixteen seventeen eighteen nineteen").split()
TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()


def words(n: int) -> str:
    """0..99 as English words, hyphenated the usual way ("twenty-one")."""
    if n < 20:
        return SMALL[n]
    tens, ones = divmod(n, 10)
    return TENS[tens - 2] + ("-" + SMALL[ones] if ones else "")


def check_offsets(text: str, published=None) -> list:
    doc = make_doc(text, published)
    claims = extract(doc)
    for c in claims:
        assert doc.text[c.start:c.end] == c.text
        assert 0 <= c.start < c.end <= len(doc.text)
        assert c.low is None or c.high is None or c.low <= c.high
    spans = sorted((c.start, c.end) for c in claims)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:])), spans
    return claims


# --- (a) arbitrary text ------------------------------------------------------------------

@SETTINGS
@given(st.text(alphabet=ALPHABET, max_size=300),
       st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31))))
def test_extract_never_raises_and_quotes_exactly_on_arbitrary_text(text, published):
    check_offsets(text, published)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_extract_never_raises_on_any_unicode(text):
    check_offsets(text)


# --- (b) realistic fragments -------------------------------------------------------------

QUALIFIERS = st.sampled_from(["", "over ", "more than ", "at least ", "nearly ", "almost ",
                              "up to ", "about ", "around ", "some ", "only ", "fewer than "])
UNITS = st.sampled_from(["people", "foreign citizens", "countries", "%", " per cent",
                         "prisoners of war", "Nepalese recruits", "of them", "or more people",
                         "", "soldiers from Kenya", "weeks"])
PERIODS = st.sampled_from(["", " in July", " as of June 2025", " by May 2, 2025",
                           " for the whole of 2024", " in 2023–2024", " for the whole of last year",
                           " since early 2022", " in the first nine months of 2025",
                           " from April 2023 to the end of May 2024", " in January of this year"])
SEPARATOR = st.sampled_from([",", " ", "\u00a0", "\u2009", ""])
JOINERS = st.sampled_from([". ", ", ", "\n", " and ", "; ", " — ", "\n- ", "\nNepal – "])
LEADS = st.sampled_from(["", "As of June 2025, ", "According to the Ministry, ",
                         "Olena Kovalenko said ", "In 2025, as of 1 October, ", "He said "])


@st.composite
def formatted_number(draw) -> str:
    kind = draw(st.sampled_from(["digits", "words", "scale", "money", "decimal"]))
    if kind == "words":
        return words(draw(st.integers(0, 99)))
    n = draw(st.integers(0, 10**7))
    digits = f"{n:,}".replace(",", draw(SEPARATOR))
    if kind == "scale":
        return f"{draw(st.integers(1, 999))} {draw(st.sampled_from(['thousand', 'million']))}"
    if kind == "money":
        return draw(st.sampled_from(["$", "$ ", "€", "£"])) + digits
    if kind == "decimal":
        return f"{draw(st.integers(0, 99))}.{draw(st.integers(0, 9))}"
    return digits


@st.composite
def fragment(draw) -> str:
    unit = draw(UNITS)
    sep = "" if unit.startswith(("%", " ")) or not unit else " "
    return (draw(LEADS) + draw(QUALIFIERS) + draw(formatted_number()) + sep + unit
            + draw(PERIODS))


@st.composite
def article(draw) -> str:
    parts = draw(st.lists(fragment(), min_size=1, max_size=6))
    out = parts[0]
    for part in parts[1:]:
        out += draw(JOINERS) + part
    return out + draw(st.sampled_from(["", ".", ".\n", "\nSource: Regional Office\n"]))


@SETTINGS
@given(article(), st.one_of(st.none(), st.dates(dt.date(2020, 1, 1), dt.date(2026, 12, 31))))
def test_extract_quotes_exactly_on_realistic_text(text, published):
    claims = check_offsets(text, published)
    for c in claims:
        assert c.sentence in text
        if c.period is not None:
            assert set(c.period) == {"start", "end"}


# --- (c) numbers parse back --------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.integers(0, 10**12), st.sampled_from([",", " ", "\u00a0", "\u2009", ""]))
def test_grouped_integers_parse_back(n, sep):
    assert parse_number(f"{n:,}".replace(",", sep)) == n


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 99))
def test_number_words_parse_back(n):
    assert parse_number(words(n)) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 999), st.sampled_from([("thousand", 10**3), ("million", 10**6),
                                             ("billion", 10**9)]))
def test_integer_times_scale_word_parses_back(n, scale):
    word, factor = scale
    assert parse_number(f"{n} {word}") == n * factor


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 99), st.integers(1, 9),
       st.sampled_from([("million", 10**6), ("billion", 10**9)]))
def test_decimal_times_scale_word_parses_back(whole, tenth, scale):
    word, factor = scale
    assert parse_number(f"{whole}.{tenth} {word}") == (whole * 10 + tenth) * factor // 10


# --- (d) through the CLI and a file on disk ----------------------------------------------

@settings(max_examples=40, deadline=None)
@given(st.one_of(st.text(alphabet=ALPHABET, min_size=1, max_size=300), article()),
       st.booleans())
def test_cli_json_offsets_index_the_file_as_decoded(text, bom):
    if not text.strip(" \t\n\r\u00a0\u2009"):
        text = "x" + text  # an empty file is an error by design (tested in test_cli.py)
    raw = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "article.txt"
        path.write_bytes(raw)
        result = CliRunner().invoke(main, ["extract", str(path), "--format", "json"])
        assert result.exit_code == 0, result.output
        report = json.loads(result.stdout)
    file_text = raw.decode("utf-8-sig")
    assert [d["id"] for d in report["documents"]] == ["article"]
    for claim in report["claims"]:
        assert file_text[claim["start"]:claim["end"]] == claim["text"]


RULES = ruleset.load([Path(__file__).resolve().parent.parent / "rules"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(article(), st.one_of(st.none(), st.dates(dt.date(2024, 1, 1),
                                                                    dt.date(2026, 12, 31)))),
                min_size=1, max_size=4))
def test_check_never_raises_and_every_finding_quotes_exactly(articles):
    docs = [document_from_text(text, f"d{i}", f"d{i}.txt", meta={"published": published})
            for i, (text, published) in enumerate(articles)]
    docs, claims, _ = extract_documents(docs)
    texts = {d.id: d.text for d in docs}
    for finding in check(docs, claims, RULES).findings:
        assert finding["severity"] in ("error", "warning", "info")
        for claim in finding["claims"]:
            assert texts[claim["doc"]][claim["start"]:claim["end"]] == claim["text"]


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(), _JSON_VALUES | st.lists(_JSON_VALUES, max_size=5), max_size=6),
       st.sampled_from([None, 2]))
def test_json_report_in_pieces_is_json_dumps(report, indent):
    """The report written piece by piece (how large reports reach their file) has the
    bytes one ``json.dumps`` would give."""
    from checker.report import json as json_report

    assert json_report.render(report, indent) == json.dumps(
        report, ensure_ascii=False, indent=indent) + "\n"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=20), st.text(max_size=20), st.text(max_size=80)),
                min_size=1, max_size=6))
def test_evidence_digest_is_unchanged_by_its_faster_encoding(quotes):
    """Triage decisions are kept against this digest: it must stay the SHA-256 of the
    sorted ``json.dumps`` of each quote, as earlier versions computed it."""
    import hashlib

    from checker.history import evidence_digest

    finding = {"claims": [{"doc": d, "text": t, "sentence": s} for d, t, s in quotes]}
    lines = sorted({json.dumps([d, t, s], ensure_ascii=False) for d, t, s in quotes})
    assert evidence_digest(finding) == hashlib.sha256("\n".join(lines).encode()).hexdigest()
