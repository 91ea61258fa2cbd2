"""PDF building blocks shared by document writers: a TrueType font with Vietnamese glyphs
(Liberation Sans, vendored under static/fonts with its licence, so a clean machine needs no
system font) and vector QR codes.

reportlab's built-in fonts (Helvetica...) cannot show Vietnamese; every PDF uses ``FONT``.
"""

from __future__ import annotations

from pathlib import Path

import segno
from reportlab.lib.colors import black
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable

FONTS = Path(__file__).resolve().parent / "static" / "fonts"
FONT = "LiberationSans"
FONT_BOLD = "LiberationSans-Bold"


def register_fonts() -> None:
    """Register the vendored fonts once per process (reportlab keeps a global registry)."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont(FONT, str(FONTS / "LiberationSans-Regular.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONTS / "LiberationSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


class QRCode(Flowable):
    """A QR code drawn as vector squares (sharp at any print size), ``size`` points wide including
    the quiet zone that scanners need."""

    def __init__(self, data: str, size: float, *, error: str = "m") -> None:
        super().__init__()
        self.qr = segno.make_qr(data, error=error)
        self.size = size
        self.width = self.height = size

    def draw(self) -> None:
        quiet = 4  # modules of white border, as the standard asks
        modules = self.qr.symbol_size(scale=1, border=quiet)[0]
        cell = self.size / modules
        canvas = self.canv
        canvas.setFillColor(black)
        for y, row in enumerate(self.qr.matrix):
            x = 0
            while x < len(row):
                if row[x]:
                    run = x
                    while run < len(row) and row[run]:
                        run += 1
                    # One rectangle per run of dark modules: a smaller file, no hairline gaps.
                    canvas.rect(
                        (quiet + x) * cell, self.size - (quiet + y + 1) * cell, (run - x) * cell, cell, stroke=0, fill=1
                    )
                    x = run
                else:
                    x += 1
