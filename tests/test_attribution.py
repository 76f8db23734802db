"""checker.claims.attribution: who a figure is credited to."""
from __future__ import annotations

import pytest

from checker.claims import attribution

from conftest import claims_of

HQ = "Coordination Headquarters for the Treatment of Prisoners of War"


def credits(text: str, published=None) -> list[tuple[str, str | None]]:
    return [(c.text, c.attribution) for c in claims_of(text, published)]


def test_according_to_stops_before_in_a_response_to():
    sentence = (f"According to the {HQ} in a response to Slidstvo.Info, 40 people were held.")
    assert attribution.in_sentence(sentence) == HQ


def test_according_to_at_the_end_of_the_sentence_credits_the_figure():
    assert credits(f"Some 40 people were held, according to the {HQ} "
                   "in a response to Slidstvo.Info.") == [("40", HQ)]


def test_told_cnn_credits_the_speaker_not_the_outlet():
    assert attribution.in_sentence("Olena Kovalenko told CNN that 40 people were held.") == \
        "Olena Kovalenko"
    assert credits("Olena Kovalenko told CNN that 40 people were held.") == [
        ("40", "Olena Kovalenko")]


def test_said_credits_the_named_speaker():
    assert credits("Petro Shevchenko said 12 buses had left.") == [("12", "Petro Shevchenko")]


def test_source_line_credits_figures_without_their_own_source():
    text = ("Over 40 people were held in March.\n"
            "Olena Kovalenko said 12 of them were freed.\n"
            "Some 55 people were moved in April.\n"
            "Source: Regional Ombudsman Office\n")
    assert credits(text) == [("40", "Regional Ombudsman Office"),
                             ("12", "Olena Kovalenko"),
                             ("55", "Regional Ombudsman Office")]


def test_source_line_is_read_by_itself():
    assert attribution.source_line("Body.\nSource: Regional Ombudsman Office\n") == \
        "Regional Ombudsman Office"


def test_he_said_is_the_last_person_credited():
    assert credits("Petro Shevchenko said 40 people were held. Later he said 45 were "
                   "freed.") == [("40", "Petro Shevchenko"), ("45", "Petro Shevchenko")]


def test_pronoun_skips_people_named_but_not_credited():
    text = ("Olena Kovalenko said 40 people were held. Then Petro Shevchenko arrived. "
            "He said 45 people were freed.")
    assert credits(text) == [("40", "Olena Kovalenko"), ("45", "Olena Kovalenko")]


def test_pronoun_with_nobody_credited_before_is_no_attribution():
    assert credits("He said 45 people were freed.") == [("45", None)]


def test_a_back_reference_sentence_credits_the_figures_before_it():
    assert credits("Some 40 people were held.\nThe figures were provided by the Red Cross.") == [
        ("40", "Red Cross")]


def test_a_figure_with_no_source_has_no_attribution():
    assert credits("Some 40 ferries sailed on Monday.") == [("40", None)]


@pytest.mark.parametrize("sentence", [
    "It said 40 people were held.",
    "This said 40 people were held.",
])
def test_non_sources_are_not_credited(sentence):
    assert attribution.in_sentence(sentence) is None


def test_a_group_of_officials_is_a_speaker():
    assert credits("Kenyan officials said 12 recruits returned home.") == [
        ("12", "Kenyan officials")]
