"""checker.claims.extract end to end on short texts: unit, interval, period, entities and
the JSON contract of a claim."""
from __future__ import annotations

import pytest

from checker.claims.extract import extract
from checker.claims.model import cited

from conftest import CONTRACT_CLAIM_KEYS, claim_for, claims_of, make_doc, only_claim


def summary(c) -> dict:
    return {"text": c.text, "value": c.value, "low": c.low, "high": c.high, "unit": c.unit,
            "period": c.period, "entities": c.entities}


# --- units -------------------------------------------------------------------------------

def test_unit_is_the_head_noun_after_the_figure():
    c = claim_for(claims_of("By March 2025, 6 162 foreigners without Russian citizenship had "
                            "joined the brigade."), "6 162")
    assert summary(c) == {"text": "6 162", "value": 6162, "low": 6162, "high": 6162,
                          "unit": "foreigners", "period": {"start": None, "end": "2025-03-31"},
                          "entities": [{"type": "country", "name": "Russia", "code": "RUS"}]}


def test_a_unit_of_measure_is_no_antecedent():
    claims = claims_of("The train was going at 95 km/h. Of the injured, five remain in hospital; "
                       "the dead include a man of 67.")
    assert [(c.text, c.unit) for c in claims] == [("95", "km"), ("five", None), ("67", None)]


def test_of_them_takes_the_unit_of_the_antecedent():
    claims = claims_of("By March 2025, 6 162 foreigners had joined the brigade. Since then "
                       "6,011 of them have left.")
    assert [(c.text, c.value, c.unit) for c in claims] == [
        ("6 162", 6162, "foreigners"), ("6,011", 6011, "foreigners")]


def test_of_them_followed_by_a_period_takes_that_period():
    claims = claims_of("By March 2025, 6 162 foreigners had joined; the brigade had 6,011 of "
                       "them in 2024.")
    assert [(c.text, c.unit, c.period) for c in claims] == [
        ("6 162", "foreigners", {"start": None, "end": "2025-03-31"}),
        ("6,011", "foreigners", {"start": "2024-01-01", "end": "2024-12-31"})]


def test_an_age_after_a_name_is_no_figure_taking_the_unit_of_an_earlier_one():
    claims = claims_of("The Civic Alliance won 23 of the 55 seats.\n\n"
                       "Mr Novák, 52, said he would open coalition talks.")
    assert [(c.text, c.unit) for c in claims] == [("23", "seats"), ("55", "seats")]


@pytest.mark.parametrize(("sentence", "unit"), [
    ("Measles cases in the province have reached 421, officials said.", "measles cases"),
    ("Health officials said that measles cases in the province have reached 421.", "measles cases"),
    ("The number of people evacuated rose to 3,500 on Monday.", "people"),
    ("Deaths among children rose to 30.", "deaths"),
    ("Measles cases climb to 412 as vaccination lags", "measles cases"),
    ("The death toll rose to 52.", None),  # no plural noun: nothing to count
])
def test_a_count_after_its_subjects_verb_counts_the_subject(sentence, unit):
    assert only_claim(sentence).unit == unit


def test_a_figure_after_a_place_and_a_comma_is_no_age():
    claims = {c.text: c for c in claims_of("Among the 40 prisoners were men from Nepal, 12 of them officers.")}
    assert "12" in claims


def test_of_its_citizens_is_citizens():
    c = only_claim("Last spring Portugal said 17 of its citizens were stranded at the border.")
    assert (c.value, c.unit) == (17, "citizens")


def test_demonym_before_the_noun_is_an_entity_not_part_of_the_unit():
    c = only_claim("Police detained two Chinese citizens near the port.")
    assert summary(c) == {"text": "two", "value": 2, "low": 2, "high": 2, "unit": "citizens",
                          "period": None,
                          "entities": [{"type": "country", "name": "China", "code": "CHN"}]}


def test_percent_and_money_units():
    claims = claims_of("Fares rose 12% and a season pass now costs $ 2,200.")
    assert [(c.text, c.value, c.unit, c.kind) for c in claims] == [
        ("12%", 12, "%", "percent"), ("$ 2,200", 2200, "USD", "money")]


def test_antecedent_is_not_a_count_of_places():
    claims = claims_of("Volunteers came from 32 countries. Some 400 of them stayed.")
    assert [(c.text, c.unit) for c in claims] == [("32", "countries"), ("400", None)]


# --- lists -------------------------------------------------------------------------------

LIST = ("As of May 2, 2025, the registry listed volunteers from these countries:\n"
        "Nepal – nine people\n"
        "Kenya – 14 people\n"
        "Ghana: 3\n")


def test_list_items_take_label_entity_and_lead_in_period():
    claims = claims_of(LIST)
    asof = {"start": None, "end": "2025-05-02"}
    assert [summary(c) for c in claims] == [
        {"text": "nine", "value": 9, "low": 9, "high": 9, "unit": "people", "period": asof,
         "entities": [{"type": "country", "name": "Nepal", "code": "NPL"}]},
        {"text": "14", "value": 14, "low": 14, "high": 14, "unit": "people", "period": asof,
         "entities": [{"type": "country", "name": "Kenya", "code": "KEN"}]},
        {"text": "3", "value": 3, "low": 3, "high": 3, "unit": "people", "period": asof,
         "entities": [{"type": "country", "name": "Ghana", "code": "GHA"}]}]


def test_list_lead_in_period_text_is_carried_too():
    c = claim_for(claims_of(LIST), "nine")
    assert c.period_text == "As of May 2, 2025"


def test_a_single_sentence_with_a_dash_is_not_a_list():
    claims = claims_of("Kenya – a small country – sent 14 observers in March 2024.\n"
                       "Nothing else happened.\n")
    assert [(c.text, c.period) for c in claims] == [
        ("14", {"start": "2024-03-01", "end": "2024-03-31"})]


# --- periods per figure ------------------------------------------------------------------

def test_each_percentage_takes_its_own_year():
    claims = claims_of("The approval rating was 42% in 2024, 9% in 2023.")
    assert [(c.text, c.value, c.unit, c.period) for c in claims] == [
        ("42%", 42, "%", {"start": "2024-01-01", "end": "2024-12-31"}),
        ("9%", 9, "%", {"start": "2023-01-01", "end": "2023-12-31"})]


def test_each_percentage_takes_its_own_year_in_a_longer_series():
    claims = claims_of("Support stood at 61% in 2021, 58% in 2019 and 40% in 2017.")
    assert [(c.value, c.period["start"][:4]) for c in claims] == [
        (61, "2021"), (58, "2019"), (40, "2017")]


def test_a_period_before_the_figure_applies_when_none_follows():
    c = only_claim("In July 2024, 300 ferries sailed.")
    assert (c.period, c.period_text) == ({"start": "2024-07-01", "end": "2024-07-31"},
                                         "In July 2024")


def test_in_month_resolves_against_the_publication_date():
    c = only_claim("The share hit 49% in July.", published="2025-08-14")
    assert c.period == {"start": "2025-07-01", "end": "2025-07-31"}


def test_currently_is_as_of_publication():
    c = only_claim("The camp currently holds 300 prisoners.", published="2025-08-14")
    assert c.period == {"start": None, "end": "2025-08-14"}


def test_currently_without_publication_date_has_no_period():
    c = only_claim("The camp currently holds 300 prisoners.")
    assert c.period is None


def test_dates_in_the_sentence_are_not_figures():
    claims = claims_of("On 3 June 2024 at 14:30 the festival drew 12 thousand visitors.")
    assert [(c.text, c.value, c.unit, c.period) for c in claims] == [
        ("12 thousand", 12000, "visitors", {"start": "2024-06-03", "end": "2024-06-03"})]


def test_a_figure_takes_the_period_of_its_own_clause():
    claims = claims_of("By March 2025, 6 162 foreigners had joined, while 6,011 had joined in "
                       "2024.")
    assert [(c.text, c.period) for c in claims] == [
        ("6 162", {"start": None, "end": "2025-03-31"}),
        ("6,011", {"start": "2024-01-01", "end": "2024-12-31"})]


def test_a_period_later_in_the_clause_applies_when_none_precedes():
    c = only_claim("42% of voters backed the plan in 2024.")
    assert c.period == {"start": "2024-01-01", "end": "2024-12-31"}


# --- the claim object --------------------------------------------------------------------

def test_claim_json_has_every_contract_key_with_the_right_values():
    text = "In 2024, some 40 Kenyan ferries sailed, according to Olena Kovalenko.\n"
    doc = make_doc(text, doc_id="ferries")
    [claim] = extract(doc)
    data = claim.to_json()
    assert CONTRACT_CLAIM_KEYS <= set(data)
    assert {k: data[k] for k in CONTRACT_CLAIM_KEYS} == {
        "id": "ferries:14", "doc": "ferries", "text": "40", "start": 14, "end": 16,
        "sentence": "In 2024, some 40 Kenyan ferries sailed, according to Olena Kovalenko.",
        "value": 40, "low": 36, "high": 44, "unit": "ferries", "measure": None,
        "period": {"start": "2024-01-01", "end": "2024-12-31"}, "qualifier": "some",
        "attribution": "Olena Kovalenko",
        "entities": [{"type": "country", "name": "Kenya", "code": "KEN"}]}


def test_a_claim_reads_as_its_json():
    """Findings cite the claims themselves, and whatever reads a finding reads its claims
    as JSON, as it reads a finding loaded from the nightly history."""
    [claim] = claims_of("In 2024, some 40 Kenyan ferries sailed.\n")
    data = claim.to_json()
    assert {key: claim[key] for key in data} == data
    assert claim.get("no such key", "absent") == "absent"
    with pytest.raises(KeyError):
        claim["no such key"]
    [finding] = cited([{"id": "f", "claims": [claim, claim]}], {})
    assert finding["claims"] == [data, data] and finding["claims"][0] is finding["claims"][1]


def test_the_speaker_is_not_an_entity_of_the_figure():
    c = only_claim("Some 40 Kenyan ferries sailed, Olena Kovalenko said.")
    assert (c.attribution, c.entities) == (
        "Olena Kovalenko", [{"type": "country", "name": "Kenya", "code": "KEN"}])


def test_claim_ids_are_unique_within_a_document():
    claims = claims_of("Some 40 ferries, 12 barges and 7 tugs sailed; 3 sank.")
    assert len({c.id for c in claims}) == len(claims) == 4


def test_line_and_column_point_at_the_figure():
    claims = claims_of("First line has none.\nSecond line: 40 ferries.\n")
    assert [(c.text, c.line, c.column) for c in claims] == [("40", 2, 14)]


def test_a_document_without_figures_has_no_claims():
    assert claims_of("Nothing to count here.\n") == []
