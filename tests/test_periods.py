"""checker.claims.periods: period expressions resolved to {"start", "end"} (DESIGN.md:
start null for a running total "as of"/"by" a date; end the last day of the stated
day, month or year)."""
from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.claims import periods
from checker.cli import main

from conftest import claims_of, claim_for


def found(text: str, published: str | None = None) -> list[tuple[str, dict | None]]:
    pub = dt.date.fromisoformat(published) if published else None
    return [(text[e.start:e.end], e.period) for e in periods.find(text, 0, len(text), pub)[0]]


def test_as_of_month_is_a_running_total_to_the_end_of_that_month():
    assert found("As of June 2025, 6 162 forms were filed.") == [
        ("As of June 2025", {"start": None, "end": "2025-06-30"})]


def test_by_month_is_the_same_as_as_of():
    assert found("By June 2025 the total was 6,612.") == [
        ("By June 2025", {"start": None, "end": "2025-06-30"})]


def test_for_the_whole_of_a_year_is_that_calendar_year():
    assert found("There were 6,011 for the whole of 2024.") == [
        ("for the whole of 2024", {"start": "2024-01-01", "end": "2024-12-31"})]


def test_month_without_a_year_resolves_to_the_latest_such_month_before_publication():
    assert found("The share hit 49% in July.", "2025-08-14") == [
        ("in July", {"start": "2025-07-01", "end": "2025-07-31"})]


def test_month_without_a_year_after_publication_month_is_last_year():
    assert found("The share hit 49% in July.", "2025-03-01") == [
        ("in July", {"start": "2024-07-01", "end": "2024-07-31"})]


def test_month_without_a_year_in_the_publication_month_is_this_year():
    assert found("The share hit 49% in July.", "2025-07-01") == [
        ("in July", {"start": "2025-07-01", "end": "2025-07-31"})]


def test_for_the_whole_of_last_year_resolves_against_publication():
    assert found("The share was 42% for the whole of last year.", "2025-08-14") == [
        ("for the whole of last year", {"start": "2024-01-01", "end": "2024-12-31"})]


@pytest.mark.parametrize("dash", ["–", "-", "—"])
def test_year_range_covers_both_whole_years(dash):
    text = f"In 2023{dash}2024 about 1,000 left."
    assert found(text) == [(f"In 2023{dash}2024", {"start": "2023-01-01", "end": "2024-12-31"})]


def test_year_then_as_of_day_is_from_the_start_of_the_year_to_that_day():
    assert found("In 2025, as of 1 October, 3,388 had left.") == [
        ("In 2025, as of 1 October", {"start": "2025-01-01", "end": "2025-10-01"})]


def test_as_of_a_full_us_style_date():
    assert found("as of May 2, 2025, the list had 26 entries") == [
        ("as of May 2, 2025", {"start": None, "end": "2025-05-02"})]


def test_from_month_to_the_end_of_month_is_one_span():
    assert found("From April 2023 to the end of May 2024, 300 were hired.") == [
        ("From April 2023 to the end of May 2024", {"start": "2023-04-01", "end": "2024-05-31"})]


@pytest.mark.parametrize("between", ["between", "Between"])
def test_between_month_and_month_is_one_span(between):
    text = f"{between} April 2023 and May 2024, 300 were hired."
    assert found(text) == [
        (f"{between} April 2023 and May 2024", {"start": "2023-04-01", "end": "2024-05-31"})]


def test_first_nine_months_of_a_year():
    assert found("Captures in the first nine months of 2025 doubled.") == [
        ("in the first nine months of 2025", {"start": "2025-01-01", "end": "2025-09-30"})]


def test_month_of_this_year_resolves_against_publication():
    assert found("In January of this year 40 arrived.", "2025-05-17") == [
        ("In January of this year", {"start": "2025-01-01", "end": "2025-01-31"})]


def test_since_early_year_is_open_ended():
    assert found("Since early 2022 some 500 enlisted.") == [
        ("Since early 2022", {"start": "2022-01-01", "end": None})]


def test_month_without_a_year_or_publication_date_is_kept_unresolved():
    exprs = periods.find("In May 40 arrived.", 0, len("In May 40 arrived."), None)[0]
    assert [(e.start, e.end, e.resolved, e.period) for e in exprs] == [(0, 6, False, None)]


def test_unresolved_month_gives_the_claim_no_period_but_keeps_its_text():
    c = claim_for(claims_of("In May 40 buses arrived."), "40")
    assert (c.period, c.period_text) == (None, "In May")


@pytest.mark.parametrize(("text", "expected"), [
    ("In the first quarter of 2025 there were 40.",
     ("In the first quarter of 2025", {"start": "2025-01-01", "end": "2025-03-31"})),
    ("In Q3 2024 there were 40.", ("In Q3 2024", {"start": "2024-07-01", "end": "2024-09-30"})),
    ("By the end of 2024 there were 40.",
     ("By the end of 2024", {"start": None, "end": "2024-12-31"})),
    ("In the first half of 2025, 40 joined.",
     ("In the first half of 2025", {"start": "2025-01-01", "end": "2025-06-30"})),
    ("As of 17.05.2025, 40 joined.", ("As of 17.05.2025", {"start": None, "end": "2025-05-17"})),
    ("As of 2025-05-17, 40 joined.", ("As of 2025-05-17", {"start": None, "end": "2025-05-17"})),
    ("On 12 March 2025, 40 joined.",
     ("On 12 March 2025", {"start": "2025-03-12", "end": "2025-03-12"})),
    ("Since 2022, 40 joined.", ("Since 2022", {"start": "2022-01-01", "end": None})),
    ("from 2022 through 2024, 40 joined.",
     ("from 2022 through 2024", {"start": "2022-01-01", "end": "2024-12-31"})),
])
def test_other_common_forms(text, expected):
    assert found(text) == [expected]


def test_a_bare_year_or_month_without_a_preposition_is_not_a_period():
    assert found("The 2024 report listed 40 names; May agreed.") == []


@pytest.mark.parametrize("text", ["The plant ran into 2024 with 40 staff.",
                                  "Washington 2024 had 40 arrests.",
                                  "A Dublin 2024 survey counted 40 homes."])
def test_a_preposition_at_the_end_of_another_word_is_no_preposition(text):
    assert found(text) == []


def test_leap_day_is_valid_and_feb_30_is_not_resolved():
    assert found("As of 29 February 2024, 40 joined.") == [
        ("As of 29 February 2024", {"start": None, "end": "2024-02-29"})]
    assert [p for _, p in found("As of 30 February 2024, 40 joined.")] == [None]


@pytest.mark.parametrize("text", ["Marisol has 12,417 cases so far this year.",
                                  "Marisol has 12,417 cases this year to date."])
def test_so_far_this_year_is_a_running_total_to_the_publication_date(text):
    assert [period for _, period in found(text, "2026-03-12")] == [
        {"start": None, "end": "2026-03-12"}]


@pytest.mark.parametrize("text, end", [
    ("It had 3,950 cases a year ago.", "2025-03-12"),
    ("It had 3,950 in the same period last year.", "2025-03-12"),
    ("It had 300 a month ago.", "2026-02-10"),
    ("It had 300 a week ago.", "2026-03-05")])
def test_a_year_ago_is_a_running_total_then(text, end):
    assert [period for _, period in found(text, "2026-03-12")] == [{"start": None, "end": end}]


def test_a_figure_a_year_ago_does_not_take_this_years_period_before_it():
    c = claim_for(claims_of("Marisol has 12,417 cases so far this year, against 3,950 a year ago.",
                            published="2026-03-12"), "3,950")
    assert c.period == {"start": None, "end": "2025-03-12"}


def test_from_year_to_year_is_a_closed_span():
    assert found("from 2022 to 2024, 40 joined.") == [
        ("from 2022 to 2024", {"start": "2022-01-01", "end": "2024-12-31"})]


def test_between_year_and_year_is_a_closed_span():
    assert found("between 2022 and 2024, 40 joined.") == [
        ("between 2022 and 2024", {"start": "2022-01-01", "end": "2024-12-31"})]


@pytest.mark.parametrize(("text", "published", "expected"), [
    ("Inflation fell to 3.1% in January, from 3.4% the month before.", "2026-02-14",
     [("in January", {"start": "2026-01-01", "end": "2026-01-31"}),
      ("the month before", {"start": "2025-12-01", "end": "2025-12-31"})]),
    ("Prices rose 3.1% in January 2026 from a year earlier.", None,
     [("in January 2026", {"start": "2026-01-01", "end": "2026-01-31"}),
      ("from a year earlier", {"start": "2025-01-01", "end": "2025-01-31"})]),
    ("In 2025, 40 joined, against 35 the year before.", None,
     [("In 2025", {"start": "2025-01-01", "end": "2025-12-31"}),
      ("the year before", {"start": "2024-01-01", "end": "2024-12-31"})]),
    ("Sales rose 4% in March 2025 and 2% the previous month.", "2026-02-12",
     [("in March 2025", {"start": "2025-03-01", "end": "2025-03-31"}),
      ("the previous month", {"start": "2025-02-01", "end": "2025-02-28"})]),
    # with no period before it, "the previous month" is publication's, "the month before" unknown
    ("Prices rose 2% the previous month.", "2026-02-12",
     [("the previous month", {"start": "2026-01-01", "end": "2026-01-31"})]),
    ("Prices rose 2% the month before.", "2026-02-12", [("the month before", None)]),
])
def test_the_month_before_is_the_one_before_the_sentences_last_period(text, published, expected):
    assert found(text, published) == expected


def test_a_figure_the_month_before_takes_that_month_not_the_sentences_other():
    claims = {c.text: c for c in claims_of("Inflation fell to 3.1% in January, from 3.4% the month before.",
                                           dt.date(2026, 2, 14))}
    assert claims["3.1%"].period == {"start": "2026-01-01", "end": "2026-01-31"}
    assert claims["3.4%"].period == {"start": "2025-12-01", "end": "2025-12-31"}


def test_day_range_takes_its_year_from_the_end():
    assert found("From 1 March to 30 April 2025, 40 joined.") == [
        ("From 1 March to 30 April 2025", {"start": "2025-03-01", "end": "2025-04-30"})]


def test_a_range_start_takes_the_ends_year_not_the_publications():
    assert found("From 1 March to 30 April 2025, 40 joined.", "2026-05-01") == [
        ("From 1 March to 30 April 2025", {"start": "2025-03-01", "end": "2025-04-30"})]
    assert found("From December to January 2025, 40 joined.", "2026-05-01") == [
        ("From December to January 2025", {"start": "2024-12-01", "end": "2025-01-31"})]


_RELATIVE = ["Last month 5 men left.", "In the past year 40 men left.", "Last year 40 men left.",
             "Next year 40 men came.", "In December next year, 5 men came.",
             "In March, 4 men came.", "In December last year, 5 men came.",
             "In December this year, 7 men came.", "This year 9 men came.",
             "As of 31 December, 11 men came.", "In January this year 3 men came."]
_EDGE_DATES = st.one_of(st.dates(), st.sampled_from([dt.date.min, dt.date(1, 1, 31), dt.date.max,
                                                      dt.date(9999, 12, 1)]))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(_EDGE_DATES, st.lists(st.sampled_from(_RELATIVE), min_size=1,
                                                 max_size=4)), min_size=2, max_size=3))
def test_a_publication_date_at_the_calendars_edge_checks_and_reports(articles):
    """"Last year" said in year 1 or "next December" in 9999 is a date Python cannot hold,
    and 31 December 9999 has no next day: the period stays unresolved or is labelled from
    the calendar, and the check and every report format go on."""
    for published, said in articles:
        assert claims_of(" ".join(said), published)
    with tempfile.TemporaryDirectory() as folder:
        for n, (published, said) in enumerate(articles):
            Path(folder, f"a{n}.md").write_text(
                f"---\npublished: {published.isoformat()}\n---\n{' '.join(said)}\n")
        for fmt in ("text", "json", "csv", "html"):
            out = Path(folder, f"report.{fmt}")
            result = CliRunner().invoke(main, ["check", folder, "--format", fmt, "--output",
                                               str(out), "--fail-on", "never"])
            assert result.exit_code == 0, result.output
            assert out.stat().st_size
