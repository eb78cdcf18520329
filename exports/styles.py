"""The look of every style key a layout uses, as plain data (the writer builds the objects).

Keeping looks here keeps ``layout`` free of presentation detail and ``xlsx`` free of decisions:
a layout says "this is a table header", this table says what a table header looks like.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

INK = "1F2937"
MUTED = "6B7280"
ACCENT = "1F4E79"
HEADER_FILL = "DCE6F1"


@dataclass(frozen=True)
class StyleSpec:
    """Font, fill, border and alignment of a cell."""

    bold: bool = False
    italic: bool = False
    size: float = 10
    color: str = INK
    fill: str | None = None
    border: str = "none"  # none | box | bottom | top | double-top
    halign: str = "general"  # general | left | right | center
    valign: str = "top"
    wrap: bool = False


STYLES: Mapping[str, StyleSpec] = MappingProxyType(
    {
        "title": StyleSpec(bold=True, size=20, color=ACCENT, valign="center"),
        "seller-name": StyleSpec(bold=True, size=12, halign="right"),
        "seller": StyleSpec(size=9, color=MUTED, halign="right"),
        "label": StyleSpec(bold=True, size=9, color=MUTED),
        "text": StyleSpec(),
        "strong": StyleSpec(bold=True, size=11),
        "info-label": StyleSpec(size=9, color=MUTED, halign="right"),
        "info": StyleSpec(bold=True, halign="right"),
        "th": StyleSpec(bold=True, fill=HEADER_FILL, border="box", valign="center", wrap=True),
        "th-num": StyleSpec(
            bold=True, fill=HEADER_FILL, border="box", halign="right", valign="center", wrap=True
        ),
        "td": StyleSpec(border="box"),
        "td-wrap": StyleSpec(border="box", wrap=True),
        "td-num": StyleSpec(border="box", halign="right"),
        "total-label": StyleSpec(halign="right"),
        "total": StyleSpec(halign="right"),
        "tax-base": StyleSpec(size=9, italic=True, color=MUTED, halign="right"),
        "grand-label": StyleSpec(bold=True, size=12, halign="right", border="double-top"),
        "grand": StyleSpec(bold=True, size=12, halign="right", border="double-top"),
        "notes-label": StyleSpec(bold=True, border="bottom"),
        "note": StyleSpec(size=9, wrap=True),
        "report-title": StyleSpec(bold=True, size=16, color=ACCENT),
        "section": StyleSpec(bold=True, size=11, color=ACCENT, border="bottom"),
    }
)
