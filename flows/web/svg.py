"""The funnel as an inline SVG bar chart, built on the server (no script, no image request).

Every text is escaped here, so the result can be placed in a page as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 720
LABEL_W = 150
BAR_MAX = 380
ROW_H = 44
BAR_H = 28
COLOURS = ("#1f5f99", "#2a7ab8", "#3a93c9", "#57aad6", "#7cc0e0", "#a3d3ea")


@dataclass(frozen=True)
class Bar:
    """One row of the chart: a label, the count that sets its length, and a caption."""

    label: str
    count: int
    caption: str = ""


def build_funnel_svg(bars: Sequence[Bar], title: str = "Funnel") -> str:
    """An SVG chart with one centred bar per stage, its length proportional to the count."""
    height = ROW_H * max(len(bars), 1) + 16
    top = max((b.count for b in bars), default=0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, bar in enumerate(bars):
        parts.extend(_row(i, bar, top))
    parts.append("</svg>")
    return "\n".join(parts)


def _row(i: int, bar: Bar, top: int) -> list[str]:
    y = 8 + i * ROW_H
    length = 0.0 if top == 0 else max(2.0, BAR_MAX * bar.count / top)
    x = LABEL_W + (BAR_MAX - length) / 2
    mid = y + BAR_H / 2 + 5
    colour = COLOURS[i % len(COLOURS)]
    return [
        f'<text x="{LABEL_W - 10}" y="{mid:.1f}" text-anchor="end" font-size="14" '
        f'font-family="sans-serif" fill="#222">{escape(bar.label)}</text>',
        f'<rect x="{x:.1f}" y="{y}" width="{length:.1f}" height="{BAR_H}" rx="3" '
        f'fill="{colour}"><title>{escape(bar.label)}: {bar.count}</title></rect>',
        f'<text x="{LABEL_W + BAR_MAX / 2:.1f}" y="{mid:.1f}" text-anchor="middle" '
        f'font-size="13" font-family="sans-serif" font-weight="bold" '
        f'fill="{"#fff" if length > 40 else "#222"}">{bar.count}</text>',
        f'<text x="{LABEL_W + BAR_MAX + 12}" y="{mid:.1f}" font-size="12" '
        f'font-family="sans-serif" fill="#444">{escape(bar.caption)}</text>',
    ]
