"""Turkish-aware casing and transliteration."""

from __future__ import annotations

import pytest

from ingest.turkish import name_case, transliterate, turkish_lower, turkish_upper


def test_turkish_lower_maps_dotless_and_dotted_capitals():
    assert turkish_lower("ISIL") == "ısıl"
    assert turkish_lower("İSMAİL") == "ismail"


def test_turkish_upper_maps_dotted_and_dotless_small_letters():
    assert turkish_upper("ismail ılgın") == "İSMAİL ILGIN"


def test_capital_i_of_a_turkish_name_becomes_dotless():
    assert name_case("ISIL", turkish=True) == "Isıl"


def test_capital_i_of_a_non_turkish_name_keeps_its_dot():
    assert name_case("ISABEL", turkish=False) == "Isabel"
    assert name_case("ILLINOIS", turkish=False) == "Illinois"


def test_dotted_capitals_are_cased_as_turkish_without_being_told():
    assert name_case("İSMAİL") == "İsmail"
    assert name_case("ŞÜKRÜ ÇAĞLAR") == "Şükrü Çağlar"


def test_known_turkish_names_typed_in_ascii_capitals_get_their_dots_back():
    assert name_case("ALI", turkish=True) == "Ali"
    assert name_case("MEHMET ALI YILDIRIM", turkish=True) == "Mehmet Ali Yıldırım"


def test_lower_case_turkish_name_gets_a_dotted_capital():
    assert name_case("ilker", turkish=True) == "İlker"


def test_mixed_case_names_are_kept_as_written():
    assert name_case("McDonald") == "McDonald"
    assert name_case("DeVries") == "DeVries"
    assert name_case("ayşe Gül", turkish=True) == "ayşe Gül"


def test_all_lower_names_are_capitalised():
    assert name_case("john smith", turkish=False) == "John Smith"


@pytest.mark.parametrize(
    ("written", "cased"),
    [
        ("O'NEIL", "O'Neil"),
        ("AYŞE-GÜL", "Ayşe-Gül"),
        ("VAN DER BERG", "van der Berg"),
        ("MCKAY", "McKay"),
        ("  jean   PAUL ", "jean PAUL"),
    ],
)
def test_name_case_handles_apostrophes_hyphens_particles_and_spacing(written, cased):
    assert name_case(written, turkish=False) == cased


@pytest.mark.parametrize(
    ("text", "ascii"),
    [
        ("Şükrü Çağlar", "Sukru Caglar"),
        ("İĞDIR ılık", "IGDIR ilik"),
        ("Straße", "Strasse"),
        ("Øresund Æble Œuvre Łódź", "Oresund AEble OEuvre Lodz"),
        ("José Müller", "Jose Muller"),
    ],
)
def test_transliterate_folds_to_ascii(text, ascii):
    assert transliterate(text) == ascii
