"""The phone fast path gives exactly what phonenumbers gives, on generated and tricky numbers."""

from __future__ import annotations

import random

import pytest

from ingest.phone import _library_parse, e164, fast_parse, first_number, library_e164, parse_phone

REGIONS = ("TR", "US", "DE", "GB", "FR", "IT", "NL", "CH", "AT", "RU", "BR", "MX", "AR", "IN")
CALLING_CODES = ("90", "1", "49", "44", "33", "39", "31", "41", "43", "7", "55", "52", "54", "91")


def _spaced(digits: str, rng: random.Random) -> str:
    """Digits grouped the ways people write them: spaces, dashes, dots, brackets."""
    out, i = [], 0
    while i < len(digits):
        size = rng.choice((2, 3, 4))
        out.append(digits[i : i + size])
        i += size
    sep = rng.choice((" ", "-", ".", "", " "))
    text = sep.join(out)
    if rng.random() < 0.2 and len(out) > 1:
        text = f"({out[0]}) " + sep.join(out[1:])
    return text


def _generated_numbers(count: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    cases = []
    for _ in range(count):
        region = rng.choice(REGIONS)
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(5, 13)))
        style = rng.random()
        if style < 0.3:
            raw = "+" + rng.choice(CALLING_CODES) + " " + _spaced(digits, rng)
        elif style < 0.4:
            raw = (
                rng.choice(("00", "011", "0011")) + rng.choice(CALLING_CODES) + _spaced(digits, rng)
            )
        elif style < 0.7:
            raw = "0" + _spaced(digits, rng)
        else:
            raw = _spaced(digits, rng)
        cases.append((raw, region))
    return cases


def _realistic_numbers() -> list[tuple[str, str]]:
    """Valid-looking numbers, so that the comparison covers valid results too."""
    rng = random.Random(11)
    cases = []
    for _ in range(1500):
        n = "".join(rng.choice("0123456789") for _ in range(7))
        cases += [
            (f"0212 {n[:3]} {n[3:5]} {n[5:]}", "TR"),
            (f"+90 5{rng.randint(30, 59)} {n}", "TR"),
            (f"(650) {rng.randint(200, 999)}-{n[3:]}", "US"),
            (f"030 {n}", "DE"),
            (f"+44 20 {n[:4]} {n[3:]}", "GB"),
            (f"0{rng.randint(1, 9)} {n[:2]} {n[2:4]} {n[4:6]} {n[5:]}", "FR"),
        ]
    return cases


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fast_path_equals_library_on_generated_numbers(seed):
    cases = _generated_numbers(2000, seed)
    mismatches = [(raw, reg) for raw, reg in cases if e164(raw, reg) != library_e164(raw, reg)]
    assert mismatches == []


def test_fast_path_equals_library_on_realistic_numbers():
    cases = _realistic_numbers()
    mismatches = [(raw, reg) for raw, reg in cases if e164(raw, reg) != library_e164(raw, reg)]
    assert mismatches == []
    valid = sum(e164(raw, reg)[1] for raw, reg in cases)
    assert valid > len(cases) // 2


def test_fast_path_takes_most_simply_written_numbers():
    cases = _realistic_numbers()
    taken = sum(fast_parse(raw, reg) is not None for raw, reg in cases)
    assert taken > 0.9 * len(cases)


@pytest.mark.parametrize(
    "raw",
    [
        "tel:+90-212-555-1234",
        "0212 555 12 34 ext. 12",
        "+90 212 555 12 34 x12",
        "0212 5551234 dahili 5",
    ],
)
def test_numbers_outside_the_fast_path_still_match_the_library(raw):
    assert fast_parse(raw, "TR") is None
    assert e164(raw, "TR") == library_e164(raw, "TR") == ("+902125551234", True)


# Written the ways lead files write them, valid and not: national and international Turkish
# numbers, IDD prefixes, brackets, extensions, stray zeros; codes shared by several regions
# (+1, +44, +7) and regions whose trunk or international prefix is a pattern, not a literal.
TRICKY = [
    ("0212 555 12 34", "TR"),
    ("02125551234", "TR"),
    ("+90 212 555 12 34", "TR"),
    ("0090 212 555 12 34", "TR"),
    ("00 90 212 555 12 34", "TR"),
    ("+90 (212) 555-12-34", "TR"),
    ("0532 111 22 33", "TR"),
    ("0 532 111 22 33", "TR"),
    ("+90 532 111 22 33", "TR"),
    ("90 532 111 22 33", "TR"),
    ("+90 0532 111 22 33", "TR"),
    ("+900 532 111 22 33", "TR"),
    ("+90 212 555 12", "TR"),
    ("0212 555 12 34 ext. 12", "TR"),
    ("+90 212 555 12 34 x12", "TR"),
    ("  0212  555 12 34  ", "TR"),
    ("000 212", "TR"),
    ("+1 650 253 0000", "TR"),
    ("+1 312 000 5000", "TR"),
    ("(650) 253-0000", "US"),
    ("011 90 212 555 12 34", "US"),
    ("+1 416 555 0100", "US"),
    ("+1 268 464 1234", "US"),
    ("+44 20 7946 0000", "GB"),
    ("+44 1534 123456", "GB"),
    ("+7 495 123 45 67", "RU"),
    ("8 495 123 45 67", "RU"),
    ("+7 727 123 4567", "RU"),
    ("011 54 9 11 1234 5678", "AR"),
    ("0 11 1234 5678", "AR"),
    ("+49 30 1234567", "DE"),
    ("030 1234567", "DE"),
    ("+800 1234 5678", "TR"),
    ("12", "TR"),
    ("+", "TR"),
]


@pytest.mark.parametrize(("raw", "region"), TRICKY)
def test_tricky_numbers_get_the_libraries_number_validity_and_region(raw, region):
    assert parse_phone(raw, region) == _library_parse(first_number(raw), region)


def test_most_tricky_numbers_take_the_fast_path():
    taken = [raw for raw, region in TRICKY if fast_parse(raw.strip(), region) is not None]
    assert len(taken) > len(TRICKY) // 2
