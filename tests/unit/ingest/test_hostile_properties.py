"""Any bytes into the vCard, email and sheet parsers give typed items or a typed error.

The strategies and checks live in ``bench/hypothesis_parsers.py`` (which runs 100k examples);
here each property runs ~200 examples so CI stays fast.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from bench.hypothesis_parsers import Property, properties
from ingest.records import RawRecord, SourceKind
from ingest.storable import storable_item, storable_text

PROPERTIES = {prop.name: prop for prop in properties()}


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    # Module-scoped (hypothesis reruns the body many times within one function-scoped test).
    with tempfile.TemporaryDirectory() as tmp:
        yield Path(tmp)


@pytest.mark.parametrize("name", sorted(PROPERTIES))
def test_parser_gives_typed_items_or_a_typed_error_for_any_bytes(name: str, workdir: Path) -> None:
    prop: Property = PROPERTIES[name]

    @settings(
        max_examples=200,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(prop.strategy)
    def holds(data: bytes) -> None:
        prop.check(data, workdir)

    holds()


def test_nul_characters_are_dropped_and_lone_surrogates_replaced() -> None:
    assert storable_text("John\x00 Smith") == "John Smith"
    assert storable_text("gone\udcefx@y.example") == "gone\ufffdx@y.example"


def test_a_record_without_unstorable_text_is_returned_as_it_is() -> None:
    raw = RawRecord(SourceKind.VCARD, "file://x#card-1", datetime.now(UTC), "a.vcf",
                    {"full_name": "Ayşe"}, {"full_name": "a.vcf card 1 FN"})  # fmt: skip
    assert storable_item(raw) is raw
    dirty = RawRecord(SourceKind.VCARD, "file://x#card-1", datetime.now(UTC), "a.vcf",
                      {"full_name": "Ay\x00şe"}, extra_phones=("0532\udc80",))  # fmt: skip
    cleaned = storable_item(dirty)
    assert isinstance(cleaned, RawRecord)
    assert cleaned.fields == {"full_name": "Ayşe"}
    assert cleaned.extra_phones == ("0532\ufffd",)
