"""The phone fast path gives exactly what phonenumbers gives, on generated numbers."""

from __future__ import annotations

import random

import pytest

from ingest.phone import e164, fast_parse, library_e164

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
