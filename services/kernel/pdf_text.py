"""Text for fpdf2's core font (Helvetica, cp1252), shared by every generated PDF, and
the A4 page with its "Pagina n van m" footer that the Dutch documents share.

cp1252 covers Dutch (é, ë, ï, ...). Typographic signs get a plain form and any other
character its closest ASCII letter (or "?"), so no user text can break a document.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from fpdf import FPDF

PLAIN = {
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
    "\u2026": "...", "\u2022": "-", "\u00a0": " ", "\u00d7": "x", "\u20ac": "EUR ",
    "\u2192": "->", "\u2265": ">=", "\u2264": "<=",
}


def pdf_text(text: Any) -> str:
    out = []
    for ch in "" if text is None else str(text):
        ch = PLAIN.get(ch, ch)
        try:
            ch.encode("cp1252")
            out.append(ch)
        except UnicodeEncodeError:
            out.append(unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
                       or "?")
    return "".join(out)


class DutchPDF(FPDF):
    """A4 portrait in Dutch, made by Jobtrail, numbered "Pagina n van m" at the foot."""

    def __init__(self, title: str, margin: float = 18) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(margin, 18, margin)
        self.set_title(pdf_text(title))
        self.set_creator("Jobtrail")
        self.set_lang("nl")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(100)
        self.cell(0, 5, f"Pagina {self.page_no()} van {{nb}}", align="C")
        self.set_text_color(0)
