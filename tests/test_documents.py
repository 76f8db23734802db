"""checker.documents: reading .txt/.md/.html into Documents, metadata and its provenance,
offsets into the whole file, and unreadable files as DocumentErrors naming the path."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.claims.extract import extract
from checker.documents import load_document, load_documents
from checker.errors import DocumentError


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def load(path: Path):
    return load_document(path, path.stem)


def metadata(doc) -> dict:
    return {"title": doc.title, "outlet": doc.outlet, "url": doc.url,
            "published": doc.published, "published_from": doc.published_from}


# --- metadata ----------------------------------------------------------------------------

FRONT_MATTER = ('---\ntitle: "Harbour sees record traffic"\noutlet: Coastal Gazette\n'
                'published: 2025-08-15\nurl: https://gazette.example/harbour\n---\n'
                'As of June 2025, 6 162 ships had docked at the harbour.\n')


def test_front_matter_gives_metadata_and_offsets_index_the_whole_file(tmp_path):
    path = write(tmp_path, "harbour.md", FRONT_MATTER)
    doc = load(path)
    assert metadata(doc) == {"title": "Harbour sees record traffic", "outlet": "Coastal Gazette",
                             "url": "https://gazette.example/harbour",
                             "published": dt.date(2025, 8, 15), "published_from": "metadata"}
    assert doc.text == FRONT_MATTER
    assert doc.body_start == FRONT_MATTER.index("As of")
    claims = extract(doc)
    assert [(c.text, c.start, c.end) for c in claims] == [
        ("6 162", FRONT_MATTER.index("6 162"), FRONT_MATTER.index("6 162") + 5)]
    file_text = path.read_bytes().decode("utf-8-sig")
    assert all(file_text[c.start:c.end] == c.text for c in claims)


def test_front_matter_figures_are_not_claims(tmp_path):
    text = '---\ntitle: "Over 500 ships in 2025"\npublished: 2025-08-15\n---\nQuiet day.\n'
    assert extract(load(write(tmp_path, "quiet.md", text))) == []


def test_leading_date_label_is_a_text_publication_date(tmp_path):
    doc = load(write(tmp_path, "a.txt",
                     "date 2025-08-14 Over 100 ships from 32 ports are waiting.\n"))
    assert (doc.published, doc.published_from) == (dt.date(2025, 8, 14), "text")
    assert [c.text for c in extract(doc)] == ["100", "32"]


def test_dotted_date_line_is_a_text_publication_date(tmp_path):
    doc = load(write(tmp_path, "b.txt", "17.05.2025.\n\nSome 40 ferries sailed in 2024.\n"))
    assert (doc.published, doc.published_from) == (dt.date(2025, 5, 17), "text")


def test_byline_day_and_month_takes_the_latest_year_mentioned(tmp_path):
    text = ("Anna Yaryna \u2014 19 November, 14:12\n\n"
            "In 2024, 40 ferries sailed. In 2025, 80 ferries sailed.\n")
    doc = load(write(tmp_path, "c.txt", text))
    assert (doc.published, doc.published_from) == (dt.date(2025, 11, 19), "inferred")
    assert [c.text for c in extract(doc)] == ["40", "80"]


@pytest.mark.parametrize("line", ["February 12, 2026 | 3 min read", "12 February 2026 · 4 mins read",
                                  "By Jane Doe, 12 February 2026", "By Jane Doe | February 12, 2026, 10:14 AM",
                                  "Updated: Thursday, 12 February 2026"])
def test_a_date_line_with_a_byline_weekday_or_reading_time_is_the_publication_date(tmp_path, line):
    doc = load(write(tmp_path, "g.txt", f"Ferries idle\n\n{line}\n\nSome 40 ferries sailed.\n"))
    assert (doc.published, doc.published_from) == (dt.date(2026, 2, 12), "text")
    assert [c.text for c in extract(doc)] == ["40"]


@pytest.mark.parametrize("dateline, published, how", [
    ("ODESA, 12 February 2026 (PNA) - ", dt.date(2026, 2, 12), "text"),
    ("ODESA, Feb. 12 (PNA) \u2013 ", dt.date(2025, 2, 12), "inferred"),
    ("ODESA, February 12, 2026 \u2014 ", dt.date(2026, 2, 12), "text"),
    ("ODESA (PNA) \u2014 ", None, None)])
def test_a_wire_dateline_dates_the_article_not_its_figures(tmp_path, dateline, published, how):
    doc = load(write(tmp_path, "w.txt", f"Ferries idle\n\n{dateline}Some 40 ferries sailed in 2025.\n"))
    assert (doc.published, doc.published_from) == (published, how)
    [claim] = extract(doc)
    assert (claim.text, claim.sentence) == ("40", "Some 40 ferries sailed in 2025.")


@pytest.mark.parametrize("line", ["NATO - the alliance sent 40 ferries.",
                                  "The plan, June 4 - 40 ferries sailed."])
def test_a_line_like_a_dateline_but_without_a_capital_place_and_date_is_kept(tmp_path, line):
    doc = load(write(tmp_path, "n.txt", f"{line}\n"))
    assert [c.sentence for c in extract(doc)] == [line]


def test_photo_caption_date_is_not_the_publication_date(tmp_path):
    text = ("A ferry captain talking to reporters in Odesa, April 14, 2025. "
            "(Source: Getty Images)\n\nMore than 100 ferries are idle.\n")
    doc = load(write(tmp_path, "d.txt", text))
    assert (doc.published, doc.published_from) == (None, None)
    assert [c.text for c in extract(doc)] == ["100"]


def test_a_date_inside_a_sentence_is_not_the_publication_date(tmp_path):
    doc = load(write(tmp_path, "e.txt", "On 3 March 2025 the port handled 40 ferries.\n"))
    assert (doc.published, doc.published_from) == (None, None)


def test_no_date_anywhere_leaves_published_unknown(tmp_path):
    doc = load(write(tmp_path, "f.txt", "Some 40 ferries sailed.\n"))
    assert metadata(doc) == {"title": None, "outlet": None, "url": None, "published": None,
                             "published_from": None}


def test_utf8_bom_is_dropped_and_offsets_index_the_text_without_it(tmp_path):
    path = write(tmp_path, "bom.txt", b"\xef\xbb\xbfOver 100 ferries are idle.\n")
    doc = load(path)
    assert doc.text == "Over 100 ferries are idle.\n"
    assert [(c.text, c.start, c.end) for c in extract(doc)] == [("100", 5, 8)]


def test_document_id_from_folder_is_relative_path_without_extension(tmp_path):
    write(tmp_path, "top.txt", "Some 40 ferries sailed.\n")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "inner.md", "Some 50 ferries sailed.\n")
    docs, errors = load_documents([str(tmp_path)])
    assert errors == []
    assert sorted(d.id for d in docs) == ["sub/inner", "top"]


def test_document_id_of_a_file_given_directly_is_its_stem(tmp_path):
    path = write(tmp_path, "only-one.txt", "Some 40 ferries sailed.\n")
    docs, errors = load_documents([str(path)])
    assert ([d.id for d in docs], errors) == (["only-one"], [])


# --- unreadable files --------------------------------------------------------------------

def test_empty_file_is_a_document_error_naming_the_path(tmp_path):
    path = write(tmp_path, "empty.txt", b"")
    with pytest.raises(DocumentError) as info:
        load(path)
    assert info.value.path == str(path)
    assert str(path) in str(info.value)


def test_whitespace_only_file_is_empty(tmp_path):
    path = write(tmp_path, "blank.txt", b"  \n\n\t\n")
    with pytest.raises(DocumentError, match="empty"):
        load(path)


def test_binary_file_is_a_document_error_naming_the_path(tmp_path):
    path = write(tmp_path, "binary.txt", b"GIF89a\x00\x01\x02 some bytes")
    with pytest.raises(DocumentError) as info:
        load(path)
    assert info.value.path == str(path)
    assert str(path) in str(info.value)


def test_invalid_utf8_is_a_document_error_naming_path_and_line(tmp_path):
    path = write(tmp_path, "latin1.txt", "line one\nline two\nCaf\u00e9 three\n".encode("latin-1"))
    with pytest.raises(DocumentError) as info:
        load(path)
    assert (info.value.path, info.value.line) == (str(path), 3)
    assert str(info.value).startswith(f"{path}:3: ")


def test_bad_yaml_front_matter_is_a_document_error_with_a_line(tmp_path):
    path = write(tmp_path, "bad.md", "---\ntitle: a: b\n  - c\n---\nSome 40 ferries sailed.\n")
    with pytest.raises(DocumentError) as info:
        load(path)
    assert (info.value.path, info.value.line) == (str(path), 2)
    assert str(info.value).startswith(f"{path}:2: front matter")


def test_a_colon_in_an_unquoted_front_matter_value_is_read_as_a_person_reads_it(tmp_path):
    path = write(tmp_path, "colon.md", "---\ntitle: Dengue outbreak: 12,417 cases\noutlet: Diario"
                                       "\npublished: 2026-03-12\n---\nSome 40 ferries sailed.\n")
    doc = load(path)
    assert (doc.title, doc.outlet, doc.published) == (
        "Dengue outbreak: 12,417 cases", "Diario", dt.date(2026, 3, 12))
    bad_date = write(tmp_path, "date.md", "---\ntitle: A: b\npublished: someday\n---\nText.\n")
    with pytest.raises(DocumentError, match="published 'someday' is not a date") as info:
        load(bad_date)
    assert info.value.line == 3


def test_front_matter_that_is_not_a_mapping_is_a_document_error(tmp_path):
    path = write(tmp_path, "list.md", "---\n- a\n- b\n---\nSome 40 ferries sailed.\n")
    with pytest.raises(DocumentError, match="mapping") as info:
        load(path)
    assert info.value.path == str(path)


def test_bad_published_date_in_front_matter_is_a_document_error(tmp_path):
    path = write(tmp_path, "when.md", "---\npublished: someday\n---\nSome 40 ferries sailed.\n")
    with pytest.raises(DocumentError, match="not a date") as info:
        load(path)
    assert info.value.path == str(path)


def test_bad_published_date_in_front_matter_names_its_line(tmp_path):
    path = write(tmp_path, "when.md",
                 "---\ntitle: Ferries\npublished: someday\n---\nSome 40 ferries sailed.\n")
    with pytest.raises(DocumentError) as info:
        load(path)
    assert info.value.line == 3


@pytest.mark.parametrize(("front", "published"), [
    ("date: 2026-02-13", dt.date(2026, 2, 13)),
    ("date: 2026-02-13T09:00:00+01:00", dt.date(2026, 2, 13)),
    ("date: 2026-02-13\npublished: 2026-02-14", dt.date(2026, 2, 14)),  # published wins
])
def test_a_date_key_in_front_matter_is_the_publication_date_as_hugo_and_jekyll_write_it(
        tmp_path, front, published):
    doc = load(write(tmp_path, "when.md", f"---\n{front}\n---\nSome 40 ferries sailed.\n"))
    assert (doc.published, doc.published_from) == (published, "metadata")


def test_a_bad_date_key_in_front_matter_names_its_key_and_line(tmp_path):
    path = write(tmp_path, "when.md", "---\ntitle: Ferries\ndate: someday\n---\nSome 40 ferries sailed.\n")
    with pytest.raises(DocumentError, match="front matter: date 'someday' is not a date") as info:
        load(path)
    assert info.value.line == 3


def test_folder_with_one_bad_file_returns_the_good_ones_and_one_error(tmp_path):
    write(tmp_path, "a.txt", "Some 40 ferries sailed.\n")
    write(tmp_path, "b.md", "---\ntitle: B\n---\nSome 50 ferries sailed.\n")
    bad = write(tmp_path, "c.txt", b"\x00\x01\x02\x03")
    docs, errors = load_documents([str(tmp_path)])
    assert [d.id for d in docs] == ["a", "b"]
    assert [(type(e), e.path) for e in errors] == [(DocumentError, str(bad))]


def test_files_with_other_extensions_in_a_folder_are_ignored(tmp_path):
    write(tmp_path, "a.txt", "Some 40 ferries sailed.\n")
    write(tmp_path, "image.png", b"\x89PNG\x00\x00")
    write(tmp_path, ".hidden.txt", "Some 50 ferries sailed.\n")
    docs, errors = load_documents([str(tmp_path)])
    assert ([d.id for d in docs], errors) == (["a"], [])


# --- HTML --------------------------------------------------------------------------------

HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Harbour sees 300 new ships | Coastal Gazette</title>
<meta property="og:site_name" content="Coastal Gazette">
<meta property="og:title" content="Harbour sees 300 new ships">
<meta property="article:published_time" content="2024-03-09T10:00:00+00:00">
<link rel="canonical" href="https://gazette.example/harbour-ships">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article>
<h1>Harbour sees 300 new ships</h1>
<p>The port authority said that 300 new ships docked at the harbour in 2023, up from 210 the
year before. Officials expect the number to keep growing through the decade as the new
terminal opens.</p>
<p>According to the harbour master, about 40 of the ships were container vessels, and nearly
90 were fishing boats registered in Norway.</p>
</article>
<footer>&copy; 2024 Coastal Gazette. All rights reserved.</footer>
</body></html>
"""


def test_html_text_is_extracted_with_metadata_from_meta_tags(tmp_path):
    doc = load(write(tmp_path, "harbour.html", HTML))
    assert metadata(doc) == {"title": "Harbour sees 300 new ships", "outlet": "Coastal Gazette",
                             "url": "https://gazette.example/harbour-ships",
                             "published": dt.date(2024, 3, 9), "published_from": "metadata"}
    assert doc.text_source == "extracted"
    assert "<p>" not in doc.text and "Home" not in doc.text
    assert "about 40 of the ships" in doc.text
    claims = extract(doc)
    assert all(doc.text[c.start:c.end] == c.text for c in claims)
    assert {c.value for c in claims} == {300, 210, 40, 90}


def test_html_without_article_text_is_a_document_error(tmp_path):
    path = write(tmp_path, "empty.html", "<html><head><title>x</title></head><body></body></html>")
    with pytest.raises(DocumentError) as info:
        load(path)
    assert info.value.path == str(path)


def test_plain_text_files_say_their_text_source_is_the_file(tmp_path):
    assert load(write(tmp_path, "g.txt", "Some 40 ferries sailed.\n")).text_source == "file"


# --- page furniture ----------------------------------------------------------------------

def test_page_furniture_lines_produce_no_claims(tmp_path):
    text = ("Harbour welcomes ferries from many ports\n"
            "5 min read\n"
            "Advertisement:\n"
            "The port logged 45 arrivals in the spring.\n"
            "Support Coastal Gazette on Patreon! Just $3 a month keeps 20 reporters working.\n"
            "Photo: 12 ferries at dawn\n")
    doc = load(write(tmp_path, "furniture.txt", text))
    assert [(c.text, c.line) for c in extract(doc)] == [("45", 4)]
    assert doc.outlet == "Coastal Gazette"


def test_a_byline_with_a_reading_time_is_furniture_and_an_appeal_to_support_us_names_no_outlet(
        tmp_path):
    text = ("Harbour welcomes ferries\n\nBy Piotr Nowak \u00b7 4 min read\n\n"
            "The port logged 45 arrivals.\n\nBy May, 60 ferries had docked.\n\n"
            "Support us on Patreon\n")
    doc = load(write(tmp_path, "byline.txt", text))
    assert [c.text for c in extract(doc)] == ["45", "60"]
    assert doc.outlet is None


def test_a_headline_repeated_later_produces_its_claims_once(tmp_path):
    text = ("Harbour welcomes 300 new ships from 12 countries\n"
            "By Olena Marchenko\n"
            "Harbour welcomes 300 new ships from 12 countries\n"
            "The port logged 45 arrivals in March.\n")
    doc = load(write(tmp_path, "repeat.txt", text))
    assert doc.title == "Harbour welcomes 300 new ships from 12 countries"
    assert [(c.text, c.line) for c in extract(doc)] == [("300", 1), ("12", 1), ("45", 4)]


FRONT_MATTER_VALUES = ["2025-08-14", "2024-13-45", "2025-08-14T10:00:00Z", "2025-08-14 10:00",
                       "yes", "On", "null", "~", "0x1f", "0o7", "1_000", "1e3", ".inf", ".nan", "-1",
                       "+.5",
                       "1:20:30", "=", "<<", "https://x.example/a?b=1#c", "Title: with colon",
                       "a #comment", '"quoted: text"', "'single ''quoted'''", "é\u00a0x", "\x07",
                       "a\ufeffb", "Kyiv", "12:30", "!", "|#x", ">", "{a?: b}", "[a, b]", "*a",
                       "&a x", "\ufeffx", "a\tb"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["title", "published", "url", "x-y", "é"]),
                          st.sampled_from(["", " ", "  "]),
                          st.lists(st.sampled_from(FRONT_MATTER_VALUES), max_size=3).map(" ".join),
                          st.sampled_from(["", " ", "\t"])), max_size=4))
def test_front_matter_reads_the_same_through_libyaml(lines):
    """The libyaml fast path builds what PyYAML's own parser builds, or the same error."""
    import yaml

    from checker import documents

    source = "".join(f"{key}:{gap}{value}{tail}\n" for key, gap, value, tail in lines)

    def read(load):
        try:
            value = load(source)
        except Exception as exc:  # noqa: BLE001 -- the error is what is compared
            return "error", type(exc).__name__, str(exc)
        return "value", type(value).__name__, repr(value)
    assert read(documents._load_yaml) == read(
        lambda text: yaml.load(text, Loader=documents._FrontMatterLoader))


def test_a_leading_date_label_keeps_its_line_to_itself(tmp_path):
    """A "date 2025-08-14" label before the first paragraph moves its start past the label; its
    end once moved too, by the label's length, so the paragraph ran into the next one and
    "On April 8, 202" made a claim of "202"."""
    path = tmp_path / "dated.txt"
    path.write_text("date 2025-08-14 Most of the 300 detainees came from Central Asia.\n\n"
                    "On April 8, 2025, officials moved 120 of them.\n", encoding="utf-8")
    doc = load_document(path, "dated")
    first = doc.spans[0]
    assert doc.text[first[0]:first[1]] == "Most of the 300 detainees came from Central Asia."
    assert [c.text for c in extract(doc)] == ["300", "120"]
