"""Scanned PDFs rendered to page images with ``pdftoppm`` (Debian ``poppler-utils``).

A scanned card PDF is a picture per page; rendering at 300 dpi gives Tesseract the letter height
it reads best. Pages are rendered one at a time, so a long PDF never holds more than one page
image in memory, and at most ``MAX_PAGES`` pages are read.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ingest.card_image import MAX_PAGES, CardImageError
from ingest.errors import UnsupportedInput

_DPI = 300
_TIMEOUT_SECONDS = 120
_PAGES_LINE = "Pages:"


def _pdftoppm() -> str:
    found = shutil.which("pdftoppm")
    if found is None:
        raise UnsupportedInput(
            "pdftoppm is not installed; install with: apt-get install poppler-utils",
            reason="ocr-not-available",
        )
    return found


def _page_count(pdf: Path) -> int:
    """Pages in the PDF according to ``pdfinfo``; 0 when it cannot tell (then we try page 1)."""
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo is None:
        return 0
    done = subprocess.run(
        [pdfinfo, str(pdf)], capture_output=True, timeout=_TIMEOUT_SECONDS, check=False
    )
    for line in done.stdout.decode("utf-8", "replace").splitlines():
        if line.startswith(_PAGES_LINE):
            value = line.removeprefix(_PAGES_LINE).strip()
            return int(value) if value.isdigit() else 0
    return 0


def _render(tool: str, pdf: Path, page: int, out_dir: Path) -> bytes:
    prefix = out_dir / f"p{page}"
    command = [tool, "-r", str(_DPI), "-gray", "-png", "-f", str(page), "-l", str(page)]
    command += ["-singlefile", str(pdf), str(prefix)]
    try:
        done = subprocess.run(command, capture_output=True, timeout=_TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired as exc:
        message = f"page {page} took too long to render"
        raise CardImageError(message, reason="scan-unreadable") from exc
    image = prefix.with_suffix(".png")
    if done.returncode != 0 or not image.exists():
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[:1]
        raise CardImageError(
            f"pdftoppm could not render page {page}: {' '.join(detail) or 'no output'}",
            reason="scan-unreadable",
        )
    data = image.read_bytes()
    image.unlink()
    return data


def pdf_page_images(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(1-based page number, PNG bytes) for each page of a PDF; raises CardImageError."""
    tool = _pdftoppm()
    with tempfile.TemporaryDirectory(prefix="salesflow-pdf-") as tmp:
        pdf = Path(tmp) / "scan.pdf"
        pdf.write_bytes(data)
        pages = _page_count(pdf) or 1
        for page in range(1, min(pages, MAX_PAGES) + 1):
            yield page, _render(tool, pdf, page, Path(tmp))
