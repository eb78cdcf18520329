"""Content lines -> cards: where each vCard begins and ends, including in broken files.

- Cards are numbered 1, 2, ... in the order their ``BEGIN:VCARD`` appears (the number is part of
  the card's ``source_ref``, so it must not depend on anything but the file's bytes).
- A ``BEGIN:VCARD`` inside an open card starts a nested card (legacy 2.1 files, AGENT); the outer
  card resumes after the inner ``END:VCARD``. The same rule recovers a card whose ``END`` is
  missing: it stays open, the next cards nest in it and it ends at the end of the file.
- Properties before an ``END:VCARD`` that had no ``BEGIN:VCARD`` form a card of their own.
- ``BEGIN``/``END`` of other components (VCALENDAR, ...) are ordinary lines and are ignored.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ingest.vcard_lines import ContentLine

MAX_DEPTH = 32  # deeper nesting is garbage; the extra BEGINs are ignored


@dataclass(slots=True)
class Card:
    """The content lines of one card, without its BEGIN/END lines."""

    number: int
    start: int  # physical line number where the card begins
    lines: list[ContentLine] = field(default_factory=list)
    closed: bool = False  # END:VCARD was seen
    begun: bool = True  # False when the file lacked the BEGIN:VCARD


def _is_vcard(value: bytes) -> bool:
    return value.strip().upper() == b"VCARD"


def split_cards(lines: Iterable[ContentLine]) -> Iterator[Card]:
    """Group content lines into cards; a card is yielded when it ends (inner cards first)."""
    open_cards: list[Card] = []
    loose: list[ContentLine] = []  # properties outside any card
    count = 0
    for line in lines:
        name = line.name
        if name == "BEGIN" and _is_vcard(line.value):
            loose = []
            if len(open_cards) < MAX_DEPTH:
                count += 1
                open_cards.append(Card(count, line.number))
        elif name == "END" and _is_vcard(line.value):
            if open_cards:
                card = open_cards.pop()
                card.closed = True
                yield card
            elif any(item.name for item in loose):
                count += 1
                yield Card(count, loose[0].number, loose, closed=True, begun=False)
                loose = []
        elif open_cards:
            open_cards[-1].lines.append(line)
        else:
            loose.append(line)
    yield from open_cards
