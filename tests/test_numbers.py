"""checker.claims.numbers: reading a figure written any way, and telling figures from
years, ages, ordinals, list numbering and model names."""
from __future__ import annotations

import pytest

from checker.claims.numbers import parse_number, scan

from conftest import claims_of


def figures(text: str) -> list[dict]:
    """Everything ``scan`` reports for ``text`` as one sentence, nothing masked."""
    return [{"text": text[f.start:f.end], "value": f.value, "unit": f.unit, "kind": f.kind,
             "high_value": f.high_value}
            for f in scan(text, 0, len(text), lambda a, b: False)]


# --- parse_number ------------------------------------------------------------------------

@pytest.mark.parametrize(("written", "value"), [
    ("6 162", 6162),
    ("16,894", 16894),
    ("6\u00a0162", 6162),
    ("6\u2009162", 6162),
    ("6\u202f162", 6162),
    ("1,234,567", 1234567),
    ("12 thousand", 12000),
    ("1 million", 1000000),
    ("1.5 billion", 1500000000),
    ("nine", 9),
    ("twenty-one", 21),
    ("a dozen", 12),
    ("2.5", 2.5),
])
def test_parse_number_reads_every_supported_spelling(written, value):
    parsed = parse_number(written)
    assert parsed == value
    assert type(parsed) is type(value)


def test_parse_number_rejects_text_that_is_not_a_number():
    with pytest.raises(ValueError, match="not a number"):
        parse_number("several")


# --- scan: what is a figure --------------------------------------------------------------

def test_percent_sign_is_a_percent_figure():
    assert figures("Turnout reached 49% overall.") == [
        {"text": "49%", "value": 49, "unit": "%", "kind": "percent", "high_value": None}]


def test_per_cent_in_words_is_a_percent_figure():
    assert figures("Turnout reached 49 per cent overall.") == [
        {"text": "49 per cent", "value": 49, "unit": "%", "kind": "percent", "high_value": None}]


def test_dollar_sign_with_a_space_is_usd_money():
    assert figures("Each ticket cost $ 2,200 in the end.") == [
        {"text": "$ 2,200", "value": 2200, "unit": "USD", "kind": "money", "high_value": None}]


def test_dollar_sign_without_a_space_is_usd_money():
    assert figures("Each ticket cost $2,200 in the end.") == [
        {"text": "$2,200", "value": 2200, "unit": "USD", "kind": "money", "high_value": None}]


def test_euro_sign_with_a_scale_word_is_eur_money_scaled():
    assert figures("The fund received €5 million last week.") == [
        {"text": "€5 million", "value": 5000000, "unit": "EUR", "kind": "money",
         "high_value": None}]


def test_word_range_one_to_two_is_one_figure_with_a_high_value():
    assert figures("Repairs take one to two weeks.") == [
        {"text": "one to two", "value": 1, "unit": None, "kind": "count", "high_value": 2}]


def test_digit_range_with_en_dash_keeps_both_ends_and_the_percent():
    assert figures("Prices rose 10–20% at most shops.") == [
        {"text": "10–20%", "value": 10, "unit": "%", "kind": "percent", "high_value": 20}]


@pytest.mark.parametrize(("text", "figure"), [
    ("Sales of 150-200 million euros.", ("150-200 million euros", 150_000_000, "EUR", "money", 200_000_000)),
    ("A forecast of 16–17 billion euros.", ("16–17 billion euros", 16_000_000_000, "EUR", "money", 17_000_000_000)),
    ("The forecast is €16-17bn.", ("€16-17bn", 16_000_000_000, "EUR", "money", 17_000_000_000)),
    ("Between 5 and 7 million people fled.", ("5 and 7 million", 5_000_000, None, "count", 7_000_000)),
    # 900 million would pass the high end: 900 stays as written
    ("Between 900 and 1.2 million people.", ("900 and 1.2 million", 900, None, "count", 1_200_000)),
])
def test_what_follows_a_ranges_high_end_holds_for_its_low_end_too(text, figure):
    assert [tuple(f.values()) for f in figures(text)] == [figure]


def test_number_words_followed_by_a_noun_are_figures():
    assert figures("Police stopped nine lorries and twenty-one vans.") == [
        {"text": "nine", "value": 9, "unit": None, "kind": "count", "high_value": None},
        {"text": "twenty-one", "value": 21, "unit": None, "kind": "count", "high_value": None}]


def test_spaced_thousands_and_scale_words_are_single_figures():
    assert figures("Officials counted 6 162 forms and 12 thousand letters.") == [
        {"text": "6 162", "value": 6162, "unit": None, "kind": "count", "high_value": None},
        {"text": "12 thousand", "value": 12000, "unit": None, "kind": "count",
         "high_value": None}]


# --- scan: what is not a figure ----------------------------------------------------------

@pytest.mark.parametrize("text", [
    "The fleet grew in 2024 by a lot.",                # a year
    "Nikolai Zhuravlyov, 43, said the road was shut.",  # an age after a name
    "The courier is 22 years old now.",                 # an age in words
    "A 26-year-old driver was fined.",                  # a hyphenated age
    "The team finished 3rd this season.",               # an ordinal
    "The 46th brigade moved north.",                    # an ordinal
    "They offered a one-time payment.",                 # "one-time"
    "It is one of the most visited towns.",             # "one of the most"
    "An Su-34 crossed the border.",                     # a model designation
    "1. Foo bar baz",                                   # list numbering at line start
    "Thousands of residents left the valley.",          # no stated figure
    "thousands of residents left the valley.",
])
def test_not_a_figure(text):
    assert figures(text) == []


def test_list_numbering_is_skipped_but_figures_after_it_are_kept():
    assert figures("2. Some 40 buses were late.") == [
        {"text": "40", "value": 40, "unit": None, "kind": "count", "high_value": None}]


def test_model_designation_is_skipped_but_the_count_of_jets_is_kept():
    assert figures("Two Su-34 jets flew over.") == [
        {"text": "Two", "value": 2, "unit": None, "kind": "count", "high_value": None}]


def test_years_and_dates_are_not_claims_in_extraction():
    # Dates are masked by the caller (claims.periods.find), so test them end to end.
    claims = claims_of("On 14 April 2025 the depot received 40 crates, and in 2024 it "
                       "received 35 crates.")
    assert [(c.text, c.value, c.unit) for c in claims] == [("40", 40, "crates"),
                                                            ("35", 35, "crates")]


def test_dotted_and_iso_dates_and_clock_times_are_not_claims():
    claims = claims_of("At 14:30 on 17.05.2025 the ferry carried 212 passengers; the next "
                       "sailing is on 2025-05-18.")
    assert [(c.text, c.value, c.unit) for c in claims] == [("212", 212, "passengers")]


def test_a_year_followed_by_people_is_a_count():
    assert figures("Some 2000 people marched.") == [
        {"text": "2000", "value": 2000, "unit": None, "kind": "count", "high_value": None}]


def test_pronoun_one_after_the_next_is_not_a_figure():
    claims = claims_of("The ferry carried 212 passengers; the next one left at noon.")
    assert [(c.text, c.value) for c in claims] == [("212", 212)]


def test_digit_strings_beyond_a_quintillion_are_not_figures_and_do_not_break_a_check():
    from checker.claims.extract import extract_documents
    from checker.documents import document_from_text
    from checker.engine import check
    from checker import ruleset

    huge = "9" * 400
    docs = [document_from_text(f"As of 3 March, {huge} people and 41 cases were counted.", "a", "a.txt"),
            document_from_text("As of 3 March, 12 people and 40 cases were counted.", "b", "b.txt")]
    docs, claims, _ = extract_documents(docs)
    assert [c.text for c in claims if c.doc == "a"] == ["41"]
    check(docs, claims, ruleset.load())
