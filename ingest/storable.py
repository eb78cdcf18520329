"""Making parsed items storable: no NUL characters, no unpaired surrogates in any string.

Hostile or damaged bytes reach the parsers' output as text: a NUL inside a vCard name, an
undecodable byte kept as a surrogate escape in a bounce address. PostgreSQL refuses NUL in
text and no database driver encodes a lone surrogate, so such a value would fail the store's
transaction on every retry (a poison file). Parsers pass each item through ``storable_item``
as they yield it: NULs are dropped, lone surrogates become U+FFFD. Items without either (the
normal case) come back unchanged after one regex scan.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from ingest.records import ParsedItem

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def is_storable(text: str) -> bool:
    """Whether ``text`` has neither a NUL nor a lone surrogate (``UNSTORABLE`` finds nothing).

    A few times cheaper than the regex on every row of a file: NUL is a ``memchr``, ASCII text
    cannot hold a surrogate, and strict UTF-8 encoding fails on surrogates and nothing else.
    """
    if "\x00" in text:
        return False
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def storable_text(text: str) -> str:
    """``text`` without NUL characters and with lone surrogates replaced by U+FFFD."""
    if is_storable(text):
        return text
    return UNSTORABLE.sub(lambda m: "" if m.group() == "\x00" else "\ufffd", text)


def storable_item(item: ParsedItem) -> ParsedItem:
    """``item`` with every string (also inside dicts and tuples) made storable."""
    changes: dict[str, Any] = {}
    for field in dataclasses.fields(item):
        value = getattr(item, field.name)
        cleaned = _clean(value)
        if cleaned is not value:
            changes[field.name] = cleaned
    return dataclasses.replace(item, **changes) if changes else item


def _clean(value: Any) -> Any:
    """A cleaned copy of ``value``, or ``value`` itself when nothing needed cleaning."""
    if isinstance(value, str):
        cleaned = storable_text(value)
        return value if cleaned == value else cleaned
    if isinstance(value, dict):
        if is_storable("".join(map(str, (*value.keys(), *value.values())))):
            return value
        return {storable_text(str(k)): _clean(v) for k, v in value.items()}
    if isinstance(value, tuple):
        items = tuple(_clean(v) for v in value)
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _clean(getattr(value, f.name)) for f in dataclasses.fields(value)}
        changed = {k: v for k, v in fields.items() if v is not getattr(value, k)}
        return dataclasses.replace(value, **changed) if changed else value
    return value
