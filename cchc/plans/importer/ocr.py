"""Scanned PDFs: each page rendered to an image (poppler's ``pdftoppm``) and read by Tesseract with its
Vietnamese model (through ``pytesseract``), one page at a time.

Rendering is bounded (at most 40 pages, the longer side scaled to 2,200 pixels, a time limit per page),
so a PDF bomb — huge pages, thousands of pages, a stream that inflates forever — costs a bounded time
and memory and ends in a clear refusal. Words Tesseract is unsure of are kept with a flag, for the
review screen to mark.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass

from .errors import PlanImportError

MAX_PAGES = 40
PAGE_TIME_LIMIT = 60  # seconds per page, rendering and recognition each
SCALE_TO = 2200  # pixels on the longer side: about 190 dpi on an A4 page
TIME_BUDGET = 40  # seconds of OCR per upload: a web request must end before gunicorn's 60 s timeout
LOW_CONFIDENCE = 60  # Tesseract's word confidence (0-100) below which a word is marked for checking

BLANK = 160  # a page whose darkest pixel is lighter than this has no ink on it

Progress = Callable[[int, int], None]  # (pages done, pages in all)


@dataclass(frozen=True)
class OcrPage:
    number: int
    lines: list[list[tuple[str, bool]]]  # words of each line, with "unsure" flags; [] between paragraphs
    confidence: float  # mean word confidence, 0-100
    seconds: float
    skipped: bool = False  # not read: the time budget of the upload ran out before this page

    def text(self) -> str:
        return "\n".join(fix_marker(" ".join(word for word, _ in line)) for line in self.lines)


# OCR reads the roman numeral of a part as "1II." or "lI.": digits one and small L beside capital I/V/X.
_ROMAN_SLIP_RE = re.compile(r"^(?=[1lI|VX]*[IVX])(?=[IVX]*[1l|])[1lI|VX]{2,4}(?=\.\s)")
# ... and the full stop after an item's number as a comma: "9, Các nội dung tuyên truyền khác".
_ARABIC_COMMA_RE = re.compile(r"^(\d{1,2}),(?=\s+(\w))")


def fix_marker(line: str) -> str:
    """ "1II. TỔ CHỨC THỰC HIỆN" → "III. TỔ CHỨC THỰC HIỆN"; "9, Các nội dung" → "9. Các nội dung";
    "1. Mục đích", "11. ..." and "2024, năm ..." stay."""
    comma = _ARABIC_COMMA_RE.match(line)
    if comma and comma.group(2).isupper():
        line = f"{comma.group(1)}.{line[comma.end() :]}"
    m = _ROMAN_SLIP_RE.match(line)
    if not m or m.group(0).isdigit():
        return line
    return re.sub(r"[1l|]", "I", m.group(0)) + line[m.end() :]


def missing_tools() -> list[str]:
    """The Debian packages OCR still needs on this machine (empty when it can run)."""
    missing = []
    if shutil.which("pdftoppm") is None:
        missing.append("poppler-utils")
    if shutil.which("tesseract") is None:
        missing += ["tesseract-ocr", "tesseract-ocr-vie"]
    else:
        try:
            import pytesseract

            if "vie" not in pytesseract.get_languages(config=""):
                missing.append("tesseract-ocr-vie")
        except Exception:  # noqa: BLE001 - a broken install is a missing one
            missing.append("tesseract-ocr-vie")
    return missing


def read_scanned_pdf(
    data: bytes, page_count: int, progress: Progress | None = None, budget: float | None = TIME_BUDGET
) -> list[OcrPage]:
    """Recognise the text of each page; PlanImportError when OCR is not installed or the scan is too big.

    Pages left when ``budget`` seconds have gone are returned unread (``skipped``), for the review screen
    to show as blocking problems rather than the request running into the server's timeout."""
    if missing_tools():
        raise PlanImportError.of("no_ocr")
    if page_count > MAX_PAGES:
        raise PlanImportError.of("too_many_pages")
    pages = []
    begun = time.monotonic()
    for number in range(1, page_count + 1):
        started = time.monotonic()
        if budget is not None and started - begun > budget:
            pages.append(OcrPage(number, [], 0.0, 0.0, skipped=True))
            continue
        image = render_page(data, number)
        lines, confidence = _recognise(image)
        pages.append(OcrPage(number, lines, confidence, round(time.monotonic() - started, 2)))
        if progress:
            progress(number, page_count)
    return pages


def render_page(data: bytes, number: int, scale_to: int = SCALE_TO, gray: bool = True) -> bytes:
    """PNG of one page of a PDF, the longer side ``scale_to`` pixels; PlanImportError when it cannot be."""
    command = ["pdftoppm", "-f", str(number), "-l", str(number), "-scale-to", str(scale_to), "-png"]
    if gray:
        command.append("-gray")
    try:
        done = subprocess.run(  # noqa: S603 - fixed program and arguments, no shell
            command, input=data, capture_output=True, timeout=PAGE_TIME_LIMIT, check=False
        )
    except subprocess.TimeoutExpired:
        raise PlanImportError.of("too_many_pages") from None
    if done.returncode != 0 or not done.stdout.startswith(b"\x89PNG"):
        raise PlanImportError.of("corrupt")
    return done.stdout


def _recognise(png: bytes) -> tuple[list[list[tuple[str, bool]]], float]:
    import pytesseract
    from PIL import Image

    # Tesseract's OpenMP threads fight each other and the web workers on a small server: one page took
    # 41 s with two threads and 4.8 s with one on the 2-core test machine. Pages are read one by one.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")

    with Image.open(io.BytesIO(png)) as image:
        if image.convert("L").getextrema()[0] > BLANK:  # nothing darker than paper: a blank page
            return [], 0.0
        try:
            data = pytesseract.image_to_data(
                image, lang="vie", output_type=pytesseract.Output.DICT, timeout=PAGE_TIME_LIMIT
            )
        except RuntimeError as err:  # pytesseract's timeout
            raise PlanImportError.of("conversion_timeout") from err
    lines: list[list[tuple[str, bool]]] = []
    confidences = []
    current_key, current_par = None, None
    for k, word in enumerate(data["text"]):
        word = word.strip()
        if not word:
            continue
        conf = float(data["conf"][k])
        par = (data["block_num"][k], data["par_num"][k])
        key = (*par, data["line_num"][k])
        if key != current_key:
            if current_par is not None and par != current_par and lines:
                lines.append([])  # a blank line between paragraphs, as in a text file
            lines.append([])
            current_key, current_par = key, par
        lines[-1].append((word, conf < LOW_CONFIDENCE))
        confidences.append(conf)
    mean = round(sum(confidences) / len(confidences), 1) if confidences else 0.0
    return lines, mean
