"""Lead scoring: signals, Turkish title matching, ratings, explain, config rules, decisions."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pipeline.scoring import (
    DEFAULT_RULES,
    Decision,
    LeadFacts,
    ScoringRules,
    decide,
    explain,
    score_lead,
    score_many,
)
from pipeline.scoring_text import fold


def _by_rule(facts: LeadFacts, rules: ScoringRules = DEFAULT_RULES) -> dict[str, int]:
    return {c.rule: c.points for c in score_lead(facts, rules).contributions}


def _title_points(title: str) -> int | None:
    return _by_rule(LeadFacts(title=title, source="other")).get("title")


HOT_LEAD = LeadFacts(
    email="ayse.demir@anadolumakine.com.tr",
    phone="+90 212 555 01 01",
    company="Anadolu Makine A.Ş.",
    title="Genel Müdür",
    country="TR",
    source="email",
    interests_matched=1,
    quantity_total=20,
)


# --- email domain -----------------------------------------------------------------------------


def test_corporate_domain_earns_points_with_the_domain_in_the_reason() -> None:
    contributions = score_lead(LeadFacts(email="ayse@anadolumakine.com.tr")).contributions
    assert [(c.rule, c.points, c.reason) for c in contributions] == [
        ("email.corporate", 15, "corporate email domain anadolumakine.com.tr (+15)"),
        ("source", 0, "source manual (+0)"),
    ]


def test_free_mail_domain_earns_no_corporate_points() -> None:
    assert _by_rule(LeadFacts(email="Ayse.Demir@GMAIL.com")) == {"email.free_mail": 0, "source": 0}
    assert _by_rule(LeadFacts(email="x@yandex.com.tr"))["email.free_mail"] == 0


def test_invalid_email_is_a_negative_signal_and_not_a_domain_signal() -> None:
    points = _by_rule(LeadFacts(email="ayse@anadolumakine", email_valid=False))
    assert points == {"email.invalid": -20, "source": 0}


def test_competitor_domain_and_its_subdomains_count_against_the_lead() -> None:
    rules = ScoringRules(competitor_domains=frozenset({"RakipMakine.com.tr"}))
    assert _by_rule(LeadFacts(email="a@rakipmakine.com.tr"), rules)["email.competitor"] == -50
    assert _by_rule(LeadFacts(email="a@mail.rakipmakine.com.tr"), rules)["email.competitor"] == -50
    assert "email.competitor" not in _by_rule(LeadFacts(email="a@notrakipmakine.com.tr"), rules)


def test_bounced_address_counts_against_the_lead() -> None:
    points = _by_rule(LeadFacts(email="ayse@anadolumakine.com.tr", undeliverable=True))
    assert points["email.undeliverable"] == -15


# --- job title --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title", ["Genel Müdür", "GENEL MÜDÜR", "Genel Müdürü", "genel mudur", "GENEL  MUDURU"]
)
def test_turkish_general_manager_matches_however_it_is_written(title: str) -> None:
    assert _title_points(title) == 25


@pytest.mark.parametrize(
    ("title", "points"),
    [
        ("Satın Alma Müdürü", 20),
        ("SATINALMA MÜDÜRÜ", 20),
        ("Satın Alma Müdürlüğü", 20),
        ("Genel Müdür Yardımcısı", 20),
        ("Yönetim Kurulu Başkanı", 25),
        ("Kurucu Ortak", 25),
        ("İhracat Şefi", 10),
        ("Makine Mühendisi", 10),
        ("Stajyer", -5),
    ],
)
def test_turkish_titles_score_by_seniority(title: str, points: int) -> None:
    assert _title_points(title) == points


@pytest.mark.parametrize(
    ("title", "points"),
    [
        ("CEO", 25),
        ("Managing Director", 25),
        ("Purchasing Manager", 20),
        ("Director of Operations", 20),
        ("Head of Engineering", 20),
        ("Sales Manager", 10),
        ("Summer Intern", -5),
    ],
)
def test_english_titles_score_by_seniority(title: str, points: int) -> None:
    assert _title_points(title) == points


def test_longest_title_phrase_wins_without_double_counting() -> None:
    contributions = score_lead(LeadFacts(title="Purchasing Manager", source="x")).contributions
    assert [(c.rule, c.points) for c in contributions] == [("title", 20)]
    assert "matches 'purchasing manager'" in contributions[0].reason


def test_title_words_must_start_a_word_and_take_only_known_suffixes() -> None:
    assert _title_points("Sefer Planlama") is None  # "şef" is not "sefer"
    assert _title_points("Geceo Sorunu") is None  # "ceo" inside a word
    assert _title_points("Receptionist") is None


def test_fold_transliterates_turkish_letters_and_dotted_capital_i() -> None:
    assert (
        fold("  İSTANBUL Şişli  ÇAĞLAYAN Ömür Ünal ılık ")
        == "istanbul sisli caglayan omur unal ilik"
    )


# --- other signals ----------------------------------------------------------------------------


def test_contact_interest_and_context_signals_each_add_their_points() -> None:
    facts = LeadFacts(
        company="Anadolu Makine",
        phone="+90 532 123 45 67",
        interests_matched=3,
        quantity_total=40,
        budget_mentioned=True,
        source="vcard",
        inquiries=3,
        country="TR",
    )
    assert _by_rule(facts) == {
        "company": 10,
        "phone.valid": 10,
        "interest": 20,  # 3 x 10 capped at 20
        "quantity": 10,
        "budget": 10,
        "source": 8,
        "repeat": 10,  # two inquiries after the first, 5 each
        "country": 5,
    }


def test_present_but_invalid_phone_earns_less_than_a_valid_one() -> None:
    assert _by_rule(LeadFacts(phone="123", phone_valid=False)) == {
        "phone.unverified": 3,
        "source": 0,
    }


def test_country_outside_the_targets_earns_nothing() -> None:
    assert "country" not in _by_rule(LeadFacts(country="DE"))
    assert _by_rule(LeadFacts(country="tr"))["country"] == 5


def test_spam_words_are_found_in_turkish_and_english_text_once() -> None:
    facts = LeadFacts(text="SEO Hizmeti ve backlink paketleri! Bahisler, KREDİ, kredi")
    spam = [c for c in score_lead(facts).contributions if c.rule == "spam"]
    assert len(spam) == 1
    assert spam[0].points == -30
    assert spam[0].reason == (
        "spam words in the text: 'seo hizmeti', 'backlink', 'bahis', 'kredi' (-30)"
    )


def test_spam_words_do_not_match_inside_other_words() -> None:
    facts = LeadFacts(text="Akreditasyon belgeli ürünler için teklif rica ederiz.")
    assert "spam" not in _by_rule(facts)


# --- totals, ratings, explain -----------------------------------------------------------------


def test_hot_lead_sums_its_contributions() -> None:
    score = score_lead(HOT_LEAD)
    assert (score.value, score.rating, score.version) == (95, "Hot", "default-1")


def test_score_is_clamped_to_zero_and_a_hundred() -> None:
    rules = ScoringRules(competitor_domains=frozenset({"rakip.com"}))
    low = score_lead(LeadFacts(email="a@rakip.com", title="stajyer", text="casino"), rules)
    assert (low.value, low.raw) == (0, -85)
    loaded = LeadFacts(
        email="a@b.com.tr",
        phone="1",
        company="c",
        title="CEO",
        country="TR",
        source="email",
        interests_matched=5,
        quantity_total=1,
        budget_mentioned=True,
        inquiries=9,
    )
    assert (score_lead(loaded).value, score_lead(loaded).raw) == (100, 130)


@pytest.mark.parametrize(
    ("company_points", "rating"), [(69, "Warm"), (70, "Hot"), (39, "Cold"), (40, "Warm")]
)
def test_rating_boundaries_are_inclusive(company_points: int, rating: str) -> None:
    rules = ScoringRules.from_mapping({"version": "t-1", "points": {"company": company_points}})
    score = score_lead(LeadFacts(company="Anadolu Makine", source="manual"), rules)
    assert (score.value, score.rating) == (company_points, rating)


def test_explain_lists_largest_effects_first_and_the_total_last() -> None:
    rules = ScoringRules(competitor_domains=frozenset({"rakip.com"}))
    facts = LeadFacts(email="a@rakip.com", title="Genel Müdür", company="Rakip", source="sheet")
    assert explain(score_lead(facts, rules)) == [
        "competitor email domain rakip.com (-50)",
        "job title 'Genel Müdür' matches 'genel mudur' (+25)",
        "company given (+10)",
        "source sheet (+5)",
        "total 0: Cold (sum -10, clamped to 0-100; rules default-1)",
    ]


def test_explain_total_names_the_rules_version() -> None:
    assert explain(score_lead(HOT_LEAD))[-1] == "total 95: Hot (rules default-1)"


def test_score_many_matches_scoring_one_by_one() -> None:
    batch = [HOT_LEAD, LeadFacts(email="x@gmail.com"), LeadFacts()]
    assert score_many(batch) == [score_lead(f) for f in batch]


# --- rules from config ------------------------------------------------------------------------


def test_rules_from_mapping_carry_their_version_into_every_score() -> None:
    rules = ScoringRules.from_mapping({"version": "2026-11-1", "hot_threshold": 90})
    score = score_lead(HOT_LEAD, rules)
    assert (score.version, score.rating) == ("2026-11-1", "Hot")
    assert score_lead(LeadFacts(company="x", title="CEO", source="email"), rules).rating == "Warm"


def test_mapping_tables_merge_onto_defaults_and_lists_replace_them() -> None:
    rules = ScoringRules.from_mapping(
        {
            "version": "v2",
            "titles": {"Satın Alma Uzmanı": 18},
            "source_weights": {"email": 12},
            "free_mail_domains": ["firma-mail.com"],
        }
    )
    assert _by_rule(LeadFacts(title="SATIN ALMA UZMANI", source="email"), rules) == {
        "title": 18,
        "source": 12,
    }
    assert rules.source_weights["vcard"] == 8
    assert _by_rule(LeadFacts(email="a@gmail.com", source="x"), rules) == {"email.corporate": 15}


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"version": "v", "hot_treshold": 80}, "scoring.hot_treshold is not a known scoring key"),
        ({"hot_threshold": 80}, "scoring.version is required"),
        ({"version": "v", "hot_threshold": "high"}, "scoring.hot_threshold must be an integer"),
        ({"version": "v", "hot_threshold": True}, "scoring.hot_threshold must be an integer"),
        ({"version": "v", "spam_words": "casino"}, "scoring.spam_words must be a list"),
        ({"version": "v", "points": {"company": "ten"}}, "scoring.points.company must be an"),
        ({"version": "v", "points": {"compnay": 5}}, "scoring.points.compnay is not a known"),
        ({"version": "v", "titles": {"ceo": 2.5}}, "scoring.titles.ceo must be an integer"),
        ({"version": "v", "warm_threshold": 80}, "scoring.warm_threshold must not exceed"),
        ({"version": "v", "qualify_threshold": 101}, "scoring.qualify_threshold must be between"),
        ({"version": " "}, "scoring.version must be a non-empty string"),
    ],
)
def test_bad_config_raises_a_value_error_naming_the_key(
    section: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message.replace(".", r"\.")):
        ScoringRules.from_mapping(section)


# --- decisions --------------------------------------------------------------------------------


def test_hot_reachable_lead_is_qualified() -> None:
    assert decide(HOT_LEAD, score_lead(HOT_LEAD)) is Decision.QUALIFY


def test_invalid_email_and_no_phone_cannot_be_contacted() -> None:
    facts = LeadFacts(email="ayse@@anadolu", email_valid=False, title="Genel Müdür")
    assert decide(facts, score_lead(facts)) is Decision.DISQUALIFY_CANNOT_CONTACT


def test_invalid_email_and_invalid_phone_cannot_be_contacted() -> None:
    facts = LeadFacts(email="ayse@", email_valid=False, phone="12", phone_valid=False)
    assert decide(facts, score_lead(facts)) is Decision.DISQUALIFY_CANNOT_CONTACT


def test_bounced_address_and_no_phone_cannot_be_contacted_even_when_hot() -> None:
    facts = replace(HOT_LEAD, phone="", undeliverable=True, budget_mentioned=True, inquiries=2)
    score = score_lead(facts)
    assert (score.value, score.rating) == (85, "Hot")
    assert decide(facts, score) is Decision.DISQUALIFY_CANNOT_CONTACT


def test_bounced_address_with_a_phone_stays_open() -> None:
    facts = LeadFacts(email="a@b.com", undeliverable=True, phone="+90 532 123 45 67")
    assert decide(facts, score_lead(facts)) is Decision.KEEP_OPEN


def test_middling_reachable_lead_stays_open() -> None:
    facts = LeadFacts(email="mehmet@gmail.com", company="Yılmaz Tekstil", title="Uzman")
    score = score_lead(facts)
    assert (score.value, score.rating) == (20, "Cold")
    assert decide(facts, score) is Decision.KEEP_OPEN


def test_qualify_threshold_comes_from_the_rules() -> None:
    rules = ScoringRules.from_mapping({"version": "v", "qualify_threshold": 96})
    assert decide(HOT_LEAD, score_lead(HOT_LEAD, rules), rules) is Decision.KEEP_OPEN
