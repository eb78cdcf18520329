"""Company display names and matching keys."""

from __future__ import annotations

import pytest

from ingest.company import company_key


def test_turkish_legal_form_and_sector_words_are_removed_from_the_key():
    assert company_key("Anadolu Makine San. ve Tic. A.Ş.") == (
        "Anadolu Makine San. ve Tic. A.Ş.",
        "anadolu makine",
    )


@pytest.mark.parametrize("written", ["Acme Ltd", "ACME Limited", "Acme Ltd.", "Acme, Inc.", "acme"])
def test_english_legal_form_variants_share_a_key(written):
    assert company_key(written)[1] == "acme"


def test_transliterated_turkish_spelling_shares_the_key():
    assert company_key("Ağaoğlu İnşaat Ltd. Şti.")[1] == company_key("Agaoglu Insaat Ltd Sti")[1]


@pytest.mark.parametrize(
    "written",
    [
        "Nordsee A/S",
        "Nordsee AS",
        "Nordsee A.S.",
        "Nordsee GmbH & Co. KG",
        "Nordsee L.L.C.",
        "Nordsee B.V.",
    ],
)
def test_dotted_and_slashed_legal_forms_are_recognised(written):
    assert company_key(written)[1] == "nordsee"


def test_a_name_made_only_of_a_legal_word_keeps_that_word():
    assert company_key("Ticaret")[1] == "ticaret"


def test_display_collapses_whitespace_and_keeps_spelling():
    assert company_key("  Boğaziçi   Lojistik  AŞ ") == (
        "Boğaziçi Lojistik AŞ",
        "bogazici lojistik",
    )


def test_empty_company_gives_empty_display_and_key():
    assert company_key("   ") == ("", "")
