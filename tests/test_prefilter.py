"""checker.claims.prefilter: the quick tests may only ever skip text the exact patterns
would not match, so the claims stay the same with them as without them."""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker import textdates
from checker.claims import attribution, extract, numbers, periods, prefilter, sentences
from checker.claims.prefilter import Hint, digit_runs, finditer_at, trie_alternation

SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
# Words the hints look for, pieces of them, and the letters whose case rules differ
# between str.lower and re.IGNORECASE (İ ı ſ K).
PIECES = ["one", "Seven", "TEEN", "ty", "a", "dozen", "twice", "that", "2024", "12", "3",
          "May", "mayor", "year", "month", "last", "January", "Sept.", "Q3", "1999", ":", "10:30",
          "said", "Said", "according", "currently", "to date", "so far", "now", "Source:", "DATA :",
          "these", "this", "the figures", "Mr.", "e.g.", "U.S.", "A.", "St", ".", "_",
          "to", "He", "The Ministry", "officials", "data", "from", "in", "of",
          " ", "  ", "-", ",", ".", "\n", "\u00a0", "x", "É", "İ", "ı", "ſ", "\u212a"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=25).map("".join)


def flat_alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@SETTINGS
@given(st.lists(st.text("abc ", min_size=1, max_size=4), min_size=1, max_size=8, unique=True),
       st.text("abc !", max_size=12))
def test_trie_matches_as_the_longest_first_alternation(words, text):
    tail = r"(?:!|\b)"  # something after the word that may fail, so the match backtracks
    trie = re.compile(f"(?:{trie_alternation(words)}){tail}")
    flat = re.compile(f"(?:{flat_alternation(words)}){tail}")
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in flat.finditer(text)]


@SETTINGS
@given(TEXT)
def test_no_figure_is_skipped(text):
    hi = len(text)
    starts = numbers._figure_starts(text, 0, hi)
    expected = [m.span() for m in numbers.NUMBER_RE.finditer(text, 0, hi)]
    if starts is not None:
        assert [m.span() for m in finditer_at(numbers.NUMBER_RE, text, starts, 0, hi)] == expected


@SETTINGS
@given(TEXT, st.integers(0, 30))
def test_no_period_is_skipped(text, lo):
    lo = min(lo, len(text))
    if periods._BASE.search(text, lo) or periods._TIME.search(text, lo):
        assert periods._MAY_HOLD_PERIOD(text, lo, len(text))


@SETTINGS
@given(TEXT, st.integers(0, 30))
def test_no_attribution_is_skipped(text, lo):
    lo = min(lo, len(text))
    sentence = text[lo:]
    if attribution._ACCORDING.search(sentence) or attribution._SPEAKER.search(sentence):
        assert attribution.may_credit(text, lo, len(text))


@SETTINGS
@given(TEXT)
def test_the_word_index_finds_the_words_a_look_behind_finds(text):
    """The index's pattern takes the character before a word instead of looking behind."""
    lowered = text.lower()
    hints = len(prefilter._HINTS)
    _, hints_of = prefilter._words_pattern(hints)
    behind = re.compile(rf"(?<![a-z])(?:{trie_alternation(hints_of)})")
    expected = sorted((m.start(), n) for m in behind.finditer(lowered) for n in hints_of[m.group()])
    index = prefilter._WordIndex(lowered, hints)
    assert sorted((start, n) for n, starts in enumerate(index.starts) for start in starts) == expected


def test_a_hint_reads_each_document_once_and_answers_by_range():
    hint = Hint(["million"], pattern=r"\d")
    text = "Nothing here. Over a MILLION people. And 40 more."
    assert not hint(text, 0, 13)
    assert hint(text, 14, 35)
    assert hint(text, 36, len(text))
    assert hint.starts(text, 0, len(text)) == [text.index("MILLION")]
    # A letter lowered differently by str.lower and re.IGNORECASE: nothing is ruled out.
    assert hint("no ſuch thing", 0, 13) and hint.starts("no ſuch thing") is None


# Words apart, as sentences write them, and those that attribution reads.
WORDS = st.lists(st.sampled_from(PIECES), max_size=25).map(" ".join)
CREDITS = st.lists(st.sampled_from(["He", "she", "They", "The Ministry", "of", "Defence",
                                    "officials", "Ukrainian", "said", "saidx", "told", "reported",
                                    "according to", "data from", "also", "quickly", ",",
                                    ", who spoke to CNN,", ".", "1", "x", "this", "the figures",
                                    "\u00a0", "on Telegram"]),
                   max_size=12).map(" ".join)


@SETTINGS
@given(st.one_of(TEXT, WORDS, CREDITS), st.integers(0, 30), st.integers(0, 60))
def test_credited_reads_a_sentence_as_in_sentence_does(text, lo, length):
    lo = min(lo, len(text))
    hi = min(len(text), lo + length)
    assert attribution.credited(text, lo, hi) == attribution.in_sentence(text[lo:hi])


@SETTINGS
@given(st.one_of(TEXT, WORDS, CREDITS), st.integers(0, 30))
def test_no_back_reference_source_line_or_currently_is_skipped(text, lo):
    lo = min(lo, len(text))
    rest = text[lo:]
    assert attribution.credits_previous(text, lo, len(text)) == bool(
        attribution._BACK_REFERENCE.search(rest))
    line = attribution._SOURCE_LINE.search(rest)
    assert attribution.source_line(text, lo) == (
        attribution._clean(re.split(r"[,;(]", line.group("src"))[0]) if line else None)
    now = extract._CURRENTLY.search(rest)
    found = extract._currently(text, lo, len(text))
    assert (now and now.group()) == (found and found.group())


@SETTINGS
@given(TEXT, st.integers(0, 30), st.integers(0, 60))
def test_digit_runs_are_where_a_scan_of_the_range_finds_them(text, lo, length):
    lo = min(lo, len(text))
    hi = min(len(text), lo + length)
    runs = digit_runs(text, lo, hi)
    if runs is not None:
        assert runs == [m.start() for m in re.compile(r"\d+").finditer(text, lo, hi)]


def _abbreviation_read_backwards(text: str, lo: int, dot: int) -> bool:
    """sentences._is_abbreviation as it was written first, character by character."""
    end = dot - 1 if dot > lo and text[dot - 1] == "\n" else dot
    start = end
    while start > lo and (text[start - 1] == "." or text[start - 1].isalnum()
                          or text[start - 1] == "_"):
        start -= 1
    word = text[start:end].lower().rstrip(".")
    return start < end and (word in sentences._ABBREVIATIONS
                            or (len(word) == 1 and word.isalpha()))


@SETTINGS
@given(st.lists(st.sampled_from(["Mr", "e.g", "approx", "x", "Smith", "ab.cd.ef.gh.ij", ".", "..",
                                 "_", "1", "é", " ", "\n"]), max_size=12).map("".join),
       st.integers(0, 10))
def test_abbreviations_are_read_as_before(text, lo):
    lo = min(lo, len(text))
    for dot in range(lo, len(text) + 1):
        assert (sentences._is_abbreviation(text, lo, dot)
                == _abbreviation_read_backwards(text, lo, dot))


@SETTINGS
@given(st.lists(st.sampled_from(["No.", "no", "Resolution", "battalion", "art.", "#", "№", "ſ",
                                 "x", "1", " ", "\t", "\u00a0", "\n"]), max_size=12).map("".join))
def test_designations_are_searched_for_from_late_enough(before):
    start = max(0, len(before.rstrip(" \t\u00a0\n")) - numbers._DESIGNATION_SPAN)
    assert (bool(numbers._DESIGNATION_BEFORE.search(before, start))
            == bool(numbers._DESIGNATION_BEFORE.search(before)))


DATE_PIECES = ["by ", "Jane Doe", " — ", "|", "•", "19 November", ", ", "14:12", " ", "\u00a0",
               "2025-08-14", "17.05.2025", ".", ":", ",", "\n", "date ", "Posted ", "x" * 40,
               "3 pm", "7.30 a.m.", "Sept. 3", "–", "May 5", "5", "٣", "A", "m", "y" * 39,
               "by " + "z" * 78, " | 3 min read", "4 mins read", " · ", "Tuesday, "]


@SETTINGS
@given(st.lists(st.sampled_from(DATE_PIECES), max_size=20).map("".join))
def test_date_lines_skip_no_date(head):
    def dated(matches):
        return [m.groupdict() for m in matches
                if textdates._parse_tail(m["date"]) != (None, None)]
    assert dated(textdates._date_lines(head)) == dated(textdates._DATE_LINE.finditer(head))


@SETTINGS
@given(st.lists(st.sampled_from(DATE_PIECES), max_size=20).map("".join))
def test_a_line_with_a_long_prefix_is_no_date_line(line):
    line = line.replace("\n", " ")
    solid = textdates._LAST_SOLID.match(line)
    if solid and textdates._prefix_too_long(line[:max(0, solid.end() - textdates._DATE_SPAN)]):
        assert not textdates._DATE_LINE.match(line)


PERIOD_PIECES = ["2024", "2025-03-01", "1.5.2024", "5", "12", "1st", "21st", "Q3", "the", "The",
                 "first", "6", "six", "months", "quarter", "half", "of", "March", "Sept.", "May",
                 "spring", "early", "mid-", "end", "–", "/", "to", "last", "this", "year",
                 "month", " ", "\n", ",", ".", "x", "%", "per", "$"]


@SETTINGS
@given(st.lists(st.sampled_from(PERIOD_PIECES), max_size=20).map("".join), st.integers(0, 10))
def test_period_forms_grouped_by_first_character_match_as_one_alternation(text, lo):
    flat = re.compile(rf"{periods._START}(?:{periods._forms(*periods._FORMS)})")
    lo = min(lo, len(text))
    assert ([(m.span(), m.lastgroup, m.groupdict()) for m in periods._BASE.finditer(text, lo)]
            == [(m.span(), m.lastgroup, m.groupdict()) for m in flat.finditer(text, lo)])


@SETTINGS
@given(TEXT)
def test_odd_case_letters_are_found_as_the_character_set_finds_them(text):
    assert prefilter._has_odd_case(text) == bool(re.search("[\u0130\u0131\u017f\u212a]", text))


PREFIX_PIECES = ["for", "the", "entirety", "whole", "all", "of", "as", "at", "end", "by", "to",
                 "into", "since", "early", "starting", "in", "from", "between", "and", "up",
                 "THE", "ſince", "x", "2024", " ", "  ", "\n", "\t", "\u00a0", "\u2009", "\x1c",
                 ",", "-"]


@SETTINGS
@given(st.one_of(st.lists(st.sampled_from(PREFIX_PIECES), max_size=16).map("".join),
                 st.lists(st.sampled_from(PREFIX_PIECES), max_size=12).map(" ".join)))
def test_period_prefixes_are_searched_for_from_late_enough(before):
    late = periods._PREFIX.search(before, periods._prefix_from(before))
    anywhere = periods._PREFIX.search(before)
    assert (late and (late.span(), late.lastgroup)) == (anywhere and (anywhere.span(), anywhere.lastgroup))


@pytest.mark.parametrize("before", ["a b c d e for the entirety of the ", "x y z w v u at  the end\u00a0of\n",
                                    "one two three four five six up to "])
def test_the_longest_period_prefixes_start_within_the_words_searched(before):
    match = periods._PREFIX.search(before, periods._prefix_from(before))
    assert match and match.span() == periods._PREFIX.search(before).span()
