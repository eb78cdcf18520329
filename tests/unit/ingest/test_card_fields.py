"""Reading card fields from OCR lines (no Tesseract needed: the lines are built by hand)."""

from __future__ import annotations

from ingest.card_fields import clean, read_card
from ingest.card_spelling import dotted_capitals, looks_turkish, repair_name
from ingest.ocr import OcrLine, OcrWord


def lines(*rows: str | tuple[str, int] | tuple[str, int, float]) -> list[OcrLine]:
    """OCR lines from text, optionally with a height (default 30) and a confidence (default 95)."""
    built = []
    for number, row in enumerate(rows, start=1):
        text, height, conf = (row, 30, 95.0) if isinstance(row, str) else (*row, 95.0)[:3]
        words = tuple(OcrWord(w, float(conf)) for w in str(text).split())
        built.append(OcrLine(number, words, int(height)))
    return built


def values(*rows: str | tuple[str, int] | tuple[str, int, float]) -> dict[str, str]:
    return {name: found.value for name, found in read_card(lines(*rows)).found.items()}


def test_a_turkish_card_gives_every_field() -> None:
    got = values(
        ("Çiğdem Şahin", 46),
        "Satın Alma Müdürü",
        ("Anadolu Makine San. ve Tic. A.Ş.", 36),
        "Tel: +90 212 555 12 34",
        "GSM: +90 532 123 45 67",
        "E-posta: cigdem.sahin@anadolumakine.com.tr",
        "www.anadolumakine.com.tr",
        "Atatürk Cad. No:12",
        "34710 Kadıköy/İstanbul",
    )
    assert got == {
        "full_name": "Çiğdem Şahin",
        "title": "Satın Alma Müdürü",
        "company": "Anadolu Makine San. ve Tic. A.Ş.",
        "phone": "+90 212 555 12 34",
        "mobile": "+90 532 123 45 67",
        "email": "cigdem.sahin@anadolumakine.com.tr",
        "website": "www.anadolumakine.com.tr",
        "street": "Atatürk Cad. No:12",
        "city": "İstanbul",
        "postcode": "34710",
    }


def test_company_without_legal_suffix_is_found_by_the_email_domain() -> None:
    got = values(("NORTHWIND", 50), ("John Smith", 40), "john@northwind.io")
    assert got["company"] == "NORTHWIND"
    assert got["full_name"] == "John Smith"


def test_name_matching_the_email_wins_over_a_larger_slogan() -> None:
    got = values(("Quality Parts", 60), ("Emma Taylor", 30), "emma.taylor@parts.example.com")
    assert got["full_name"] == "Emma Taylor"


def test_the_tallest_name_like_line_is_the_name_when_nothing_else_tells() -> None:
    got = values(("Hasan Demir", 48), ("Kadir Koç", 24), "info@example.com")
    assert got["full_name"] == "Hasan Demir"


def test_fax_numbers_are_not_phones() -> None:
    got = values("Faks: +90 212 555 12 35", "Tel: +90 212 555 12 34")
    assert got["phone"] == "+90 212 555 12 34"


def test_two_numbers_on_one_line_are_phone_and_extra_phone() -> None:
    card = read_card(lines("T: 0212 555 12 34 / 0216 444 55 66"))
    assert card.found["phone"].value == "0212 555 12 34"
    assert card.extra_phones == ["0216 444 55 66"]


def test_a_postcode_and_door_number_are_not_a_phone() -> None:
    got = values("Cumhuriyet Mah. 1203 Sok. No:5", "06510 Çankaya/Ankara")
    assert "phone" not in got
    assert got["city"] == "Ankara"
    assert got["postcode"] == "06510"


def test_spaces_around_the_at_sign_are_closed() -> None:
    assert values("ayse @ example.com.tr")["email"] == "ayse@example.com.tr"


def test_a_copyright_sign_read_for_at_is_repaired() -> None:
    assert values("E: ayse©example.com")["email"] == "ayse@example.com"


def test_email_domain_is_lower_cased_but_the_local_part_is_kept() -> None:
    assert values("Mail: Ali.Veli@Example.COM")["email"] == "Ali.Veli@example.com"


def test_english_titles_are_recognised() -> None:
    assert values("Head of Procurement")["title"] == "Head of Procurement"


def test_title_lines_are_never_taken_for_names() -> None:
    got = values(("Genel Müdür", 50), ("Burak Yıldız", 30))
    assert got["full_name"] == "Burak Yıldız"
    assert got["title"] == "Genel Müdür"


def test_stray_marks_at_line_ends_are_removed() -> None:
    assert clean("_ Satış Temsilcisi *") == "Satış Temsilcisi"
    assert clean("“ Acme Ltd.") == "Acme Ltd."


def test_field_confidence_comes_from_the_words_of_the_value() -> None:
    row = OcrLine(1, (OcrWord("E-posta:", 20.0), OcrWord("ali@example.com", 88.0)), 30)
    card = read_card([row])
    assert card.found["email"].conf == 88.0
    assert card.found["email"].line == 1


def test_a_bare_domain_is_a_website_but_a_legal_form_is_not() -> None:
    got = values("example.com.tr", "Delta Tic.Ltd.Şti.")
    assert got["website"] == "example.com.tr"
    assert got["company"] == "Delta Tic.Ltd.Şti."


def test_lines_of_stray_marks_are_ignored() -> None:
    assert values("|||", "~ .", ("Ali Kaya", 40)) == {"full_name": "Ali Kaya"}


def test_turkish_letters_ocr_dropped_are_restored_on_a_turkish_card() -> None:
    got = values(("Huseyin Agaoglu", 40), "Tel: +90 212 555 12 34", "Ihracat Uzmanı")
    assert got["full_name"] == "Hüseyin Ağaoğlu"
    assert got["title"] == "İhracat Uzmanı"


def test_names_in_capitals_get_turkish_capitals_back() -> None:
    assert repair_name("SUKRU ERDOGAN", turkish=True) == "ŞÜKRÜ ERDOĞAN"


def test_on_a_foreign_card_only_the_dot_of_a_capital_i_is_restored() -> None:
    assert repair_name("Ismail Erdogan", turkish=False) == "Ismail Erdogan"
    assert dotted_capitals("Ismail Erdogan") == "İsmail Erdogan"


def test_names_that_really_start_with_a_dotless_i_are_kept() -> None:
    assert repair_name("Işıl Irmak", turkish=True) == "Işıl Irmak"
    assert repair_name("Ian Smith", turkish=True) == "Ian Smith"


def test_a_card_is_turkish_by_letters_domain_or_phone() -> None:
    assert looks_turkish("Satın Alma", "", [])
    assert looks_turkish("", "ali@firma.com.tr", [])
    assert looks_turkish("", "", ["+90 532 123 45 67"])
    assert not looks_turkish("Sales Manager", "john@acme.com", ["+44 20 7946 0958"])


def test_a_short_legal_form_counts_only_at_the_end_of_a_line() -> None:
    got = values("Quality as standard", "Nordic Steel AS")
    assert got["company"] == "Nordic Steel AS"


def test_a_plus_read_as_four_is_repaired_when_only_the_plus_form_is_valid() -> None:
    assert values("Tel: 490 212 530 16 10")["phone"] == "+90 212 530 16 10"
    assert values("Tel: 4-90 212 470 85 33")["phone"] == "+90 212 470 85 33"


def test_a_number_really_starting_with_four_is_kept() -> None:
    assert values("Tel: 444 12 34")["phone"] == "444 12 34"


def test_an_at_sign_read_as_a_letter_is_repaired_from_the_cards_website() -> None:
    got = values("E-posta: michael.milleremarmaragida.de", "www.marmaragida.de")
    assert got["email"] == "michael.miller@marmaragida.de"
    assert got["website"] == "www.marmaragida.de"


def test_a_space_ocr_put_into_the_domain_is_closed() -> None:
    assert values("E-posta: ismail@bluewavesystems. net")["email"] == "ismail@bluewavesystems.net"


def test_a_capital_dotted_i_read_as_lower_case_still_makes_a_name() -> None:
    assert values(("ipek Ağaoğlu", 40), "Head of Procurement")["full_name"] == "İpek Ağaoğlu"


def test_a_city_beside_a_foreign_postcode_is_found() -> None:
    assert values("221 Baker Street", "London NW1 6XE, UK")["city"] == "London"


def test_a_plus_read_as_hash_or_dash_is_repaired() -> None:
    assert values("GSM: #90 549 717 38 44")["mobile"] == "+90 549 717 38 44"
    assert values("Tel: -90 212 235 44 83")["phone"] == "+90 212 235 44 83"


def test_the_at_repair_tolerates_a_misread_letter_in_the_domain() -> None:
    got = values("E-posta: iyilmazebosphorüslojistik.de", "www.bosphoruslojistik.de")
    assert got["email"] == "iyilmaz@bosphoruslojistik.de"


def test_a_speck_read_as_a_full_stop_after_a_name_is_dropped() -> None:
    assert values(("Michael Koç.", 40))["full_name"] == "Michael Koç"


def test_an_email_domain_one_letter_off_the_cards_website_is_corrected() -> None:
    got = values("burak.koc@kuzeyeneyji.com", "www.kuzeyenerji.com")
    assert got["email"] == "burak.koc@kuzeyenerji.com"


def test_a_different_email_domain_is_not_touched() -> None:
    assert values("burak@gmail.com", "www.kuzeyenerji.com")["email"] == "burak@gmail.com"
    assert values("ali@example.com", "www.example.com.tr")["email"] == "ali@example.com"
