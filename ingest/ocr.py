"""Tesseract behind a small interface: is it installed, which way is up, and the text as lines.

``read_lines`` runs ``image_to_data`` once and groups Tesseract's words into lines, keeping each
word's confidence (0-100) and the line's height in pixels, because on a business card the
font size is the best hint for which line is the person's name. Tesseract itself is a separate
program (Debian ``tesseract-ocr`` plus language packs); when it is missing every entry point
raises ``UnsupportedInput`` with reason ``ocr-not-available`` and the install command.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import pytesseract
from PIL import Image

from ingest.errors import UnsupportedInput

INSTALL_HINT = "install with: apt-get install tesseract-ocr tesseract-ocr-eng tesseract-ocr-tur"
# Turkish first: with "eng+tur" Tesseract reads "Şahin" as "Sahin"; tur also reads English.
_WANTED_LANGUAGES = ("tur", "eng")
# A card OCRs in 1-3 s; a minute means Tesseract is stuck on a pathological image.
_TIMEOUT_SECONDS = 60
_ROTATE = re.compile(r"Rotate:\s*(\d+)")
_OSD_CONFIDENCE = re.compile(r"Orientation confidence:\s*([\d.]+)")
# Below this OSD confidence the reported rotation is a guess (Tesseract's own docs use ~2).
_MIN_OSD_CONFIDENCE = 2.0
# A horizontal gap wider than this many word heights separates columns (see ``_columns``).
_COLUMN_GAP = 2.0


class OcrFailed(RuntimeError):
    """Tesseract ran but failed on this image (crashed, or took longer than the timeout)."""


@dataclass(frozen=True, slots=True)
class OcrWord:
    """One word as Tesseract read it, with its confidence (0-100)."""

    text: str
    conf: float


@dataclass(frozen=True, slots=True)
class OcrLine:
    """One line of text: its words, 1-based number in reading order, and height in pixels."""

    number: int
    words: tuple[OcrWord, ...]
    height: int

    @property
    def text(self) -> str:
        """The words joined by single spaces."""
        return " ".join(w.text for w in self.words)

    @property
    def conf(self) -> float:
        """Mean word confidence of the line."""
        return sum(w.conf for w in self.words) / len(self.words)


@lru_cache(maxsize=1)
def ocr_languages() -> str:
    """The Tesseract language string to use ("tur+eng"); raises when Tesseract is missing."""
    # Tesseract's OpenMP threads fight each other on a busy machine: one thread per process is
    # 2-3x faster there, and parallelism comes from running several files instead.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        installed = set(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractNotFoundError, OSError) as exc:
        raise UnsupportedInput(
            f"Tesseract OCR is not installed; {INSTALL_HINT}", reason="ocr-not-available"
        ) from exc
    usable = [lang for lang in _WANTED_LANGUAGES if lang in installed]
    if not usable:
        raise UnsupportedInput(
            f"Tesseract has no English or Turkish language data; {INSTALL_HINT}",
            reason="ocr-not-available",
        )
    return "+".join(usable)


def tesseract_available() -> bool:
    """Whether Tesseract and at least one of our languages are installed."""
    try:
        ocr_languages()
    except UnsupportedInput:
        ocr_languages.cache_clear()  # so a later install is noticed without a restart
        return False
    return True


def detect_rotation(image: Image.Image) -> int:
    """Degrees (0, 90, 180, 270) to rotate clockwise so text is upright; 0 when unsure.

    OSD fails on images with little text ("Too few characters"); that is not an error here,
    the image is simply read as it is.
    """
    try:
        report = str(pytesseract.image_to_osd(image, timeout=_TIMEOUT_SECONDS))
    except (pytesseract.TesseractError, RuntimeError):
        return 0
    rotate, confidence = _ROTATE.search(report), _OSD_CONFIDENCE.search(report)
    if rotate is None or confidence is None or float(confidence.group(1)) < _MIN_OSD_CONFIDENCE:
        return 0
    return int(rotate.group(1)) % 360


def read_lines(image: Image.Image, *, psm: int = 3) -> list[OcrLine]:
    """The text lines of ``image`` in Tesseract's reading order, blank words dropped."""
    try:
        data = pytesseract.image_to_data(
            image,
            lang=ocr_languages(),
            config=f"--psm {psm}",
            output_type=pytesseract.Output.DICT,
            timeout=_TIMEOUT_SECONDS,
        )
    except (pytesseract.TesseractError, RuntimeError) as exc:  # RuntimeError: the timeout
        raise OcrFailed(f"Tesseract failed: {exc}") from exc
    grouped: dict[tuple[int, int, int], list[_Box]] = {}
    for i, text in enumerate(data["text"]):
        conf = float(data["conf"][i])
        if conf < 0 or not str(text).strip():
            continue
        key = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        box = _Box(OcrWord(str(text).strip(), conf), int(data["left"][i]), int(data["width"][i]))
        grouped.setdefault(key, []).append(box._replace(height=int(data["height"][i])))
    lines: list[OcrLine] = []
    for key in sorted(grouped):
        for run in _columns(grouped[key]):
            lines.append(OcrLine(len(lines) + 1, tuple(b.word for b in run), _median_height(run)))
    return lines


class _Box(NamedTuple):
    word: OcrWord
    left: int
    width: int
    height: int = 0


def _median_height(boxes: list[_Box]) -> int:
    heights = sorted(b.height for b in boxes)
    return heights[len(heights) // 2]


def _columns(boxes: list[_Box]) -> list[list[_Box]]:
    """A Tesseract line split where a wide gap separates two columns of a card.

    On two-column cards Tesseract often joins "Michael Taylor" on the left with "GSM: +90 ..."
    on the right into one line; a gap of several letter heights is a column gap, not a space.
    """
    runs = [[boxes[0]]]
    gap_limit = _COLUMN_GAP * _median_height(boxes)
    for before, box in zip(boxes, boxes[1:], strict=False):
        if box.left - (before.left + before.width) > gap_limit:
            runs.append([])
        runs[-1].append(box)
    return runs
