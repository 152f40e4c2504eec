"""Text for fpdf2's core font (Helvetica, cp1252), shared by every generated PDF.

cp1252 covers Dutch (é, ë, ï, ...). Typographic signs get a plain form and any other
character its closest ASCII letter (or "?"), so no user text can break a document.
"""

from __future__ import annotations

import unicodedata
from typing import Any

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
