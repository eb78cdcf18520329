"""Dedupe: blocking, pair scores with reasons, bands, clusters that do not chain, incremental."""

from __future__ import annotations

from pipeline.dedupe import (
    BlockIndex,
    MatchConfig,
    Person,
    blocking_keys,
    dedupe_table,
    find_matches,
)
from pipeline.matching.addresses import is_role_local
from pipeline.matching.nicknames import are_nicknames
from pipeline.matching.person import fold


def person(pid: str, first: str = "", last: str = "", **fields: str) -> Person:
    email = fields.pop("email", "")
    return Person(pid, first, last, email=email, email_key=fields.pop("key", email), **fields)


def together(result, a: str, b: str) -> bool:
    return any(a in c and b in c for c in result.clusters)


def pair(result, a: str, b: str):
    found = [p for p in result.pairs if {p.id_a, p.id_b} == {a, b}]
    return found[0] if found else None


def test_turkish_transliteration_matches():
    assert fold("Şükrü Çağlar") == "sukru caglar"
    assert fold("İSMAİL IŞIK") == "ismail isik"
    result = find_matches(
        [
            person("1", "Şükrü", "Çağlar", phone="+905321112233"),
            person("2", "SUKRU", "CAGLAR", phone="+905321112233"),
        ]
    )
    assert together(result, "1", "2")
    assert pair(result, "1", "2").reasons[:2] == ("same name", "same phone")


def test_english_nickname_matches_formal_name():
    result = find_matches(
        [
            person("1", "Bob", "Smith", phone="+14155550101", company_key="acme"),
            person("2", "Robert", "Smith", phone="+14155550101", company_key="acme"),
        ]
    )
    assert together(result, "1", "2")
    assert "nickname bob~robert" in pair(result, "1", "2").reasons


def test_turkish_short_forms_are_nicknames_but_compound_names_are_not():
    assert are_nicknames("memo", "mehmet")
    assert are_nicknames("huso", "huseyin")
    assert are_nicknames("fatos", "fatma")
    assert not are_nicknames("ali", "alihan")
    assert not are_nicknames("ayse", "aysegul")


def test_nickname_blocks_with_the_formal_initial():
    assert "n:smit|r" in blocking_keys(person("1", "Bob", "Smith"))


def test_swapped_first_and_last_names_match():
    result = find_matches(
        [
            person("1", "Ahmet", "Yılmaz", email="ahmet.yilmaz@anadolu.com.tr"),
            person("2", "Yilmaz", "Ahmet", email="ahmet.yilmaz@anadolu.com.tr"),
        ]
    )
    assert together(result, "1", "2")
    assert "swapped names" in pair(result, "1", "2").reasons


def test_plus_addressing_shares_the_email_key():
    result = find_matches(
        [
            person("1", "Ayşe", "Kaya", email="ayse+expo@acme.com", key="ayse@acme.com"),
            person("2", "Ayse", "Kaya", email="ayse@acme.com"),
        ]
    )
    assert together(result, "1", "2")
    assert "same email" in pair(result, "1", "2").reasons


def test_same_e164_phone_written_differently_upstream_matches():
    result = find_matches(
        [
            person("1", "Elif", "Demir", phone="+902125551234", city="İstanbul"),
            person("2", "Elif", "Demir", phone="+902125551234", city="ISTANBUL"),
        ]
    )
    assert together(result, "1", "2")
    assert {"same phone", "same city"} <= set(pair(result, "1", "2").reasons)


def test_company_suffix_variants_share_the_company_key():
    result = find_matches(
        [
            person("1", "Kemal", "Öztürk", company_key="anadolu makine"),
            person("2", "Kemal", "Ozturk", company_key="anadolu makine"),
        ]
    )
    assert together(result, "1", "2")
    assert "same company" in pair(result, "1", "2").reasons


def test_shared_info_address_with_two_different_people_is_not_merged():
    shared = "info@anadolu.com.tr"
    result = find_matches(
        [person("1", "Ali", "Kaya", email=shared), person("2", "Veli", "Demir", email=shared)]
    )
    assert result.clusters == [["1"], ["2"]]
    assert result.pairs == []
    assert is_role_local("satis") and is_role_local("info2")


def test_chain_through_a_weak_record_does_not_join_different_people():
    a = person("A", "Ahmet", "Yılmaz", email="ahmet@x.com", phone="+905320000001")
    b = person("B", "", "Yılmaz", email="ahmet@x.com", phone="+905320000002")
    c = person("C", "Ayşe", "Yılmaz", phone="+905320000002")
    result = find_matches([a, b, c])
    assert not together(result, "A", "C")
    assert together(result, "A", "B")
    kept_apart = pair(result, "B", "C")
    assert kept_apart.band == "review"
    assert kept_apart.score >= MatchConfig().auto_merge


def test_oversize_block_is_split_by_name_and_counted():
    people = [
        person(str(i), first, "Kaya", phone="+902120000000")
        for i, first in enumerate(["Ali", "Veli", "Can", "Ece", "Nur"])
    ]
    result = find_matches(people, config=MatchConfig(block_cap=3))
    assert result.stats.oversize_blocks >= 1
    assert result.stats.skipped_blocks == 0


def test_oversize_block_of_one_name_is_skipped_and_counted():
    people = [person(str(i), "Mehmet", "Yılmaz", phone="+902120000000") for i in range(5)]
    result = find_matches(people, config=MatchConfig(block_cap=3))
    assert result.stats.skipped_blocks >= 1
    assert result.stats.skipped_memberships >= 5


def test_name_alone_is_a_review_not_a_merge():
    result = find_matches([person("1", "Şükrü", "Çağlar"), person("2", "Sukru", "Caglar")])
    assert result.clusters == [["1"], ["2"]]
    weak = pair(result, "1", "2")
    assert weak.band == "review"
    assert MatchConfig().review <= weak.score < MatchConfig().auto_merge


def test_different_surnames_never_score():
    result = find_matches([person("1", "Ali", "Kaya"), person("2", "Ali", "Kaplan")])
    assert result.pairs == []


def test_new_record_joins_the_stored_customer_first():
    stored = [
        person("c1", "Zeynep", "Arslan", email="zeynep@boga.com.tr"),
        person("c2", "Murat", "Koç", email="murat@boga.com.tr"),
    ]
    index = BlockIndex.build(stored)
    result = find_matches(
        [person("n1", "ZEYNEP", "ARSLAN", email="zeynep@boga.com.tr")], index=index
    )
    assert result.clusters == [["c1", "n1"]]
    assert result.pairs[0].band == "auto"


def test_two_stored_customers_are_never_merged_by_a_new_record():
    stored = [
        person("c1", "Zeynep", "Arslan", email="zeynep@boga.com.tr"),
        person("c2", "Zeynep", "Arslan", phone="+905551112233"),
    ]
    new = [person("n1", "Zeynep", "Arslan", email="zeynep@boga.com.tr", phone="+905551112233")]
    result = find_matches(new, stored)
    assert len(result.clusters) == 1
    assert result.clusters[0][1:] == ["n1"]
    assert sum(c.startswith("c") for c in result.clusters[0]) == 1


def test_dedupe_table_gives_cluster_score_and_reason_per_row():
    rows = [
        person("1", "Şükrü", "Çağlar", email="sukru@acme.com"),
        person("2", "Sukru", "Caglar", email="sukru@acme.com"),
        person("3", "Ali", "Kaya"),
    ]
    table = dedupe_table(rows)
    assert [t[0] for t in table] == ["1", "1", "3"]
    assert table[1][1] > 0.99
    assert table[1][2].startswith("same name; same email")
    assert table[2] == ("3", 0.0, "")


def test_empty_input_gives_empty_result():
    result = find_matches([])
    assert result.clusters == [] and result.pairs == []
