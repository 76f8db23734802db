"""Qualifiers turn a stated figure into the interval it claims (DESIGN.md)."""
from __future__ import annotations

import pytest

from checker.claims import qualifiers

from conftest import claims_of, only_claim


def interval_of(sentence: str) -> dict:
    c = only_claim(sentence)
    return {"value": c.value, "low": c.low, "high": c.high, "qualifier": c.qualifier,
            "unit": c.unit}


@pytest.mark.parametrize("phrase", ["Over", "More than", "At least", "Just over", "Well over"])
def test_lower_bound_qualifiers_leave_the_top_open(phrase):
    assert interval_of(f"{phrase} 100 prisoners were counted.") == {
        "value": 100, "low": 100, "high": None, "qualifier": phrase.lower(),
        "unit": "prisoners"}


@pytest.mark.parametrize("phrase", ["Nearly", "Almost", "Up to", "Fewer than"])
def test_upper_bound_qualifiers_leave_the_bottom_open(phrase):
    assert interval_of(f"{phrase} 200 prisoners were counted.") == {
        "value": 200, "low": None, "high": 200, "qualifier": phrase.lower(),
        "unit": "prisoners"}


@pytest.mark.parametrize("phrase", ["About", "Around", "Some", "Roughly"])
def test_approximate_qualifiers_allow_ten_percent_either_way(phrase):
    assert interval_of(f"{phrase} 200 prisoners were counted.") == {
        "value": 200, "low": 180, "high": 220, "qualifier": phrase.lower(),
        "unit": "prisoners"}


def test_about_twelve_thousand_holds_11500_but_not_10000():
    c = only_claim("The camp held about 12 thousand prisoners.")
    assert (c.value, c.low, c.high) == (12000, 10800, 13200)
    assert c.low <= 11500 <= c.high
    assert not c.low <= 10000 <= c.high


def test_only_is_exact():
    assert interval_of("Only 12 prisoners were counted.") == {
        "value": 12, "low": 12, "high": 12, "qualifier": "only", "unit": "prisoners"}


def test_no_qualifier_is_exact_with_no_qualifier_recorded():
    assert interval_of("The camp held 100 prisoners.") == {
        "value": 100, "low": 100, "high": 100, "qualifier": None, "unit": "prisoners"}


def test_postfix_or_more_is_a_lower_bound():
    c = only_claim("The camp held 100 or more prisoners.")
    assert (c.value, c.low, c.high, c.qualifier) == (100, 100, None, "or more")


def test_postfix_or_more_keeps_the_counted_thing():
    assert interval_of("The camp held 100 or more prisoners.") == {
        "value": 100, "low": 100, "high": None, "qualifier": "or more", "unit": "prisoners"}


def test_or_more_after_the_counted_thing_is_a_lower_bound():
    assert interval_of("The camp held 100 prisoners or more.") == {
        "value": 100, "low": 100, "high": None, "qualifier": "or more", "unit": "prisoners"}


@pytest.mark.parametrize(("sentence", "kind", "phrase"), [
    ("The camp held 100 prisoners or so.", "approx", "or so"),
    ("The camp held 100 prisoners or fewer.", "upper", "or fewer"),
    ("The camp held 100 or so prisoners.", "approx", "or so"),
    ("The camp held 100 odd prisoners.", "approx", "odd"),
])
def test_a_postfix_qualifier_before_or_after_the_counted_thing(sentence, kind, phrase):
    c = only_claim(sentence)
    assert (c.unit, c.qualifier, (c.low, c.high) == qualifiers.interval(100, kind)) == (
        "prisoners", phrase, True)


@pytest.mark.parametrize("sentence", [
    "The camp held 100 prisoners plus 20 guards.",  # plus adds here
    "The camp held 100 prisoners or more than 50 guards.",  # the second figure's
    "The camp held 100 prisoners, or more by some counts.",  # a clause of its own
])
def test_what_follows_the_counted_thing_qualifies_it_only_as_or_more(sentence):
    first = min(claims_of(sentence), key=lambda c: c.start)
    assert (first.value, first.low, first.high, first.qualifier) == (100, 100, 100, None)


def test_a_qualifier_before_the_figure_wins_over_one_after_the_counted_thing():
    assert interval_of("The camp held nearly 100 prisoners or more.")["qualifier"] == "nearly"


def test_a_range_keeps_its_low_and_high():
    assert interval_of("They counted between 150 and 200 prisoners.") == {
        "value": 150, "low": 150, "high": 200, "qualifier": "range", "unit": "prisoners"}


def test_a_dash_range_keeps_its_low_and_high():
    assert interval_of("150–200 prisoners were counted.") == {
        "value": 150, "low": 150, "high": 200, "qualifier": "range", "unit": "prisoners"}


def test_a_range_with_a_qualifier_keeps_the_range_ends():
    assert interval_of("Up to 150–200 prisoners were counted.") == {
        "value": 150, "low": 150, "high": 200, "qualifier": "up to", "unit": "prisoners"}


def test_a_range_at_the_start_of_a_sentence_keeps_its_low_and_high():
    assert interval_of("Between 150 and 200 prisoners were counted.") == {
        "value": 150, "low": 150, "high": 200, "qualifier": "range", "unit": "prisoners"}


def test_over_100_does_not_conflict_with_150():
    low, high = qualifiers.interval(100, "lower")
    assert (low, high) == (100, None)
    assert low <= 150


def test_nearly_200_does_not_conflict_with_190():
    low, high = qualifiers.interval(200, "upper")
    assert (low, high) == (None, 200)
    assert 190 <= high


def test_a_qualifier_does_not_cross_into_the_previous_sentence():
    claims = {c.text: c for c in claims_of("The tally went up to. 40 prisoners were counted.")}
    assert (claims["40"].low, claims["40"].high, claims["40"].qualifier) == (40, 40, None)


@pytest.mark.parametrize(("sentence", "kind"), [
    ("over 100", "lower"), ("more than 100", "lower"), ("at least 100", "lower"),
    ("nearly 100", "upper"), ("almost 100", "upper"), ("up to 100", "upper"),
    ("fewer than 100", "upper"), ("about 100", "approx"), ("around 100", "approx"),
    ("some 100", "approx"), ("roughly 100", "approx"), ("only 100", "exact"),
    ("100", "exact"),
])
def test_find_classifies_the_phrase_right_before_the_figure(sentence, kind):
    start = sentence.index("100")
    assert qualifiers.find(sentence, start, start + 3, 0)[0].kind == kind
