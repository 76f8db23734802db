"""checker.claims.entities: countries from names and demonyms, people from names, and the
entities in scope of a claim."""
from __future__ import annotations

import pytest

from checker.claims import entities

from conftest import claim_for, claims_of, make_doc


def places(text: str) -> list[tuple[str, str, str, str | None]]:
    return [(text[m.start:m.end], m.type, m.name, m.code) for m in entities.places(text)]


def people(text: str) -> list[tuple[str, str]]:
    doc = make_doc(text)
    mentions = entities.people(text, doc.spans, entities.places(text))
    return [(text[m.start:m.end], m.name) for m in mentions]


def test_demonym_nepalese_is_nepal():
    assert places("Nepalese recruits arrived.") == [("Nepalese", "country", "Nepal", "NPL")]


def test_north_korean_and_dprk_are_north_korea():
    assert places("North Korean troops and DPRK officials met.") == [
        ("North Korean", "country", "North Korea", "PRK"),
        ("DPRK", "country", "North Korea", "PRK")]


def test_republic_of_togo_is_one_mention_of_togo():
    assert places("The Republic of Togo sent envoys.") == [
        ("Republic of Togo", "country", "Togo", "TGO")]


def test_indian_ocean_is_no_place():
    assert places("Ships crossed the Indian Ocean.") == []


def test_indian_alone_is_india():
    assert places("Indian nationals left.") == [("Indian", "country", "India", "IND")]


@pytest.mark.parametrize("possessive", ["'s", "\u2019s"])
def test_possessive_is_not_part_of_the_place(possessive):
    assert places(f"Kenya{possessive} envoy left.") == [("Kenya", "country", "Kenya", "KEN")]


def test_place_names_inside_longer_words_are_not_places():
    assert places("Omanis, Togolese and Chadians; but not Romania's Germanium.") == [
        ("Omanis", "country", "Oman", "OMN"), ("Togolese", "country", "Togo", "TGO"),
        ("Chadians", "country", "Chad", "TCD"), ("Romania", "country", "Romania", "ROU")]


def test_title_and_rank_are_dropped_from_a_person_name():
    assert people("Brigadier General Dmitry Usov spoke on Monday.") == [
        ("Dmitry Usov", "Dmitry Usov")]


@pytest.mark.parametrize("ending", ["'s", "\u2019s", "'", "\u2019"])
def test_a_possessive_or_closing_quote_is_not_part_of_a_person_name(ending):
    assert people(f"Volodymyr Zelensky{ending} office and Kim Jong Un{ending} plans.") == [
        ("Volodymyr Zelensky", "Volodymyr Zelensky"), ("Kim Jong Un", "Kim Jong Un")]


def test_a_name_after_a_possessive_word_is_still_found():
    assert people("The President's Adviser Mykhailo Podolyak spoke.") == [
        ("Mykhailo Podolyak", "Mykhailo Podolyak")]


def test_a_later_bare_surname_is_linked_to_the_full_name():
    assert people("Brigadier General Dmitry Usov spoke on Monday. Later Usov left.") == [
        ("Dmitry Usov", "Dmitry Usov"), ("Usov", "Dmitry Usov")]


def test_a_bare_surname_speaker_is_credited_under_the_full_name():
    claims = claims_of("Brigadier General Dmitry Usov spoke on Monday. "
                       "Usov said 45 prisoners were held.")
    assert [(c.text, c.attribution) for c in claims] == [("45", "Dmitry Usov")]


def test_claim_entities_come_from_the_counted_phrase():
    c = claim_for(claims_of("Police detained two Chinese citizens near the port."), "two")
    assert (c.value, c.unit, c.entities) == (
        2, "citizens", [{"type": "country", "name": "China", "code": "CHN"}])


def test_claim_entities_dedupe_demonym_and_name_of_one_country():
    c = claim_for(claims_of("Some 30 Nepalese recruits came from Nepal last week."), "30")
    assert c.entities == [{"type": "country", "name": "Nepal", "code": "NPL"}]


def test_each_figure_gets_the_places_of_its_own_phrase():
    claims = claims_of("The camp holds 12 Kenyan citizens and 7 Ghanaian citizens.")
    assert [(c.text, c.entities) for c in claims] == [
        ("12", [{"type": "country", "name": "Kenya", "code": "KEN"}]),
        ("7", [{"type": "country", "name": "Ghana", "code": "GHA"}])]


def test_the_names_read_from_gender_guessers_file_are_its_detectors_names():
    """``dictionary_names`` reads the data file itself for speed; a new gender-guesser
    release that reads it otherwise must not change who counts as a person quietly."""
    from gender_guesser.detector import Detector

    assert entities.dictionary_names() == set(Detector(case_sensitive=True).names)
