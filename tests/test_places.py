"""The gazetteer of subdivisions (ISO 3166-2 through pycountry), in every script."""

from __future__ import annotations

import io

import pytest

from socialproj import read, subdivision


@pytest.mark.parametrize(
    ("name", "country", "code"),
    [
        ("Ямбол", None, "BG-28"),
        ("Yambol", "BG", "BG-28"),
        ("Добрич", "BG", "BG-08"),
        ("Силистра", None, "BG-19"),
        ("Dolj", None, "RO-DJ"),
        ("Călărași", "RO", "RO-CL"),  # Moldova has a Călărași too: the country settles it
        ("Струмица", None, "MK-410"),  # the Bulgarian spelling meets the Macedonian one
        ("Štip", None, "MK-211"),
        ("Монтана", "BG", "BG-12"),
    ],
)
def test_a_subdivision_is_found_by_its_name_in_any_script(name, country, code):
    found = subdivision(name, country)
    assert found is not None and found.code == code


@pytest.mark.parametrize(
    ("name", "country"), [("Montana", None), ("София", "BG"), ("Nowhere", None)]
)
def test_a_name_several_subdivisions_share_or_none_has_is_not_guessed(name, country):
    assert subdivision(name, country) is None


def test_news_that_opens_in_a_place_the_gazetteer_knows_has_it_as_a_place():
    text = (
        "В Ямбол изграждат кризисен център по проект „Сигурен дом“ на Община Ямбол, "
        "финансиран по Оперативна програма „Региони в растеж“. "
        "Стойността на проекта е 706 000 лева.\n"
    )
    [news] = read(io.BytesIO(text.encode("utf-8")), "bg-news")
    assert "Ямбол" in [place.name for place in news.locations]


def test_a_capitalised_word_after_v_is_no_place_unless_the_gazetteer_knows_it():
    text = (
        "В Понеделник Община Шабла започна проект „Равни шансове“ по Оперативна "
        "програма „Развитие на човешките ресурси“ на стойност 197 432 лева.\n"
    )
    [news] = read(io.BytesIO(text.encode("utf-8")), "bg-news")
    assert "Понеделник" not in [place.name for place in news.locations]


def test_settlements_of_the_ekatte_register_are_found_in_either_script():
    from socialproj import settlement

    shabla = settlement("Шабла")
    assert (shabla.kind, shabla.latin, shabla.province, shabla.code) == (
        "town",
        "Shabla",
        "BG-08",
        "83017",
    )
    assert settlement("Shabla") == shabla == settlement("ШАБЛА")
    assert settlement("Sofia", "BG").municipality == "Столична"


def test_a_name_many_villages_share_is_not_guessed():
    from socialproj import settlement, settlements

    assert len(settlements("Александрово")) > 1
    assert settlement("Александрово") is None
    assert all(place.kind == "village" for place in settlements("Александрово"))
    assert settlement("Nowhere-on-the-map") is None and settlements("Nowhere") == ()


def test_the_settlement_register_is_whole_and_every_province_is_an_iso_code():
    from socialproj import subdivision
    from socialproj.places import _settlements

    places = {place.code: place for group in _settlements().values() for place in group}
    assert len(places) > 5000
    kinds = {place.kind for place in places.values()}
    assert kinds == {"town", "village", "monastery"}
    assert sum(place.kind == "town" for place in places.values()) > 250
    assert {place.province for place in places.values()} == {f"BG-{n:02}" for n in range(1, 29)}
    assert subdivision("Добрич", "BG").code == places["83017"].province
