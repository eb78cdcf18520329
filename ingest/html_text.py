"""Plain text from an HTML mail body (stdlib ``html.parser``).

Script, style and head contents are dropped, block elements become line breaks, and quoted
replies (``<blockquote>``, Gmail's ``gmail_quote`` div) are skipped so the previous message of a
thread does not leak into the signature or interest search.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_SKIP = {"script", "style", "head", "title", "blockquote", "noscript", "template"}
_BLOCK = {
    "br", "p", "div", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "pre", "address", "section", "article", "header", "footer", "dd", "dt",
}  # fmt: skip
_VOID = {"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr", "source"}


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._stack: list[str] = []  # open tags whose content we skip

    def _skipping(self) -> bool:
        return bool(self._stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = " ".join(v or "" for k, v in attrs if k == "class")
        quoted = "gmail_quote" in classes or "moz-cite-prefix" in classes
        if tag == "body":
            self._stack.clear()  # an unclosed <head> must not hide the whole body
        if tag not in _VOID and (tag in _SKIP or quoted or self._skipping()):
            self._stack.append(tag)
        if tag in _BLOCK and not self._skipping():
            self.chunks.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self._stack and tag in self._stack:
            # Pop up to the matching tag: unclosed inner tags are common in mail HTML.
            while self._stack and self._stack.pop() != tag:
                pass
        elif tag in _BLOCK and not self._skipping():
            self.chunks.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping():
            self.chunks.append(data)


def html_to_text(html: str) -> str:
    """Render HTML as plain text with one line per block; never raises."""
    collector = _TextCollector()
    try:
        collector.feed(html)
        collector.close()
    except Exception:  # html.parser is lenient, but keep whatever text was collected
        pass
    text = "".join(collector.chunks).replace("\xa0", " ")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
