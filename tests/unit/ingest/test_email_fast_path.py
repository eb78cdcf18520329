"""The email fast path agrees with email-validator on generated addresses."""

from __future__ import annotations

import random

import pytest

from ingest.emailaddr import fast_is_valid, library_email

LETTERS = "abcdefxyz0129"
LOCAL_SPECIALS = "._+-'!#%&*/=?^`{|}~"
DOMAIN_SPECIALS = "-."
TLDS = ("com", "com.tr", "de", "co.uk", "io", "x", "c0m", "123", "test", "local", "onion", "a-b")


def _text(rng: random.Random, size: int, specials: str) -> str:
    """Mostly letters and digits, with a special character one time in ten."""
    return "".join(
        rng.choice(specials) if rng.random() < 0.1 else rng.choice(LETTERS) for _ in range(size)
    )


def _label(rng: random.Random) -> str:
    return _text(rng, rng.choice((1, 2, 5, 12, 62, 63, 64)), DOMAIN_SPECIALS)


def _address(rng: random.Random) -> str:
    local = _text(rng, rng.choice((1, 3, 8, 20, 70)), LOCAL_SPECIALS)
    labels = [_label(rng) for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.1:
        labels[0] = "ab--" + labels[0]
    if rng.random() < 0.03:
        labels.append("x" * 250)
    return f"{local}@{'.'.join(labels)}.{rng.choice(TLDS)}"


def _generated(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [_address(rng) for _ in range(count)]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fast_path_verdicts_equal_the_library(seed):
    addresses = _generated(2000, seed)
    decided = [(a, fast_is_valid(a)) for a in addresses]
    mismatches = [
        a for a, verdict in decided if verdict is not None and verdict != library_email(a)[1]
    ]
    assert mismatches == []
    assert sum(v is not None for _, v in decided) > 600  # the comparison really exercised it


def test_fast_path_accepts_plain_addresses_the_library_accepts():
    rng = random.Random(5)
    locals_ = ["ayse", "j.smith", "info", "a+expo"]
    domains = ["x.com.tr", "mail.example.de"]
    addresses = [f"{rng.choice(locals_)}{i}@{rng.choice(domains)}" for i in range(2000)]
    assert all(fast_is_valid(a) is True for a in addresses)
    assert all(library_email(a) == (a, True) for a in addresses[:300])


@pytest.mark.parametrize(
    "address",
    ["a@xn--rnek-7qa.com", "ayşe@örnek.com.tr", '"quoted"@x.com', "a@[127.0.0.1]"],
)
def test_unusual_addresses_are_left_to_the_library(address):
    assert fast_is_valid(address) is None
