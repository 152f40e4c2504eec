"""Readable Dutch PDF documents with fpdf2 (pure Python, no system packages).

The built-in Helvetica covers Latin-1, which is enough for Dutch (é, ë, ï, ...);
anything outside it is replaced rather than dropped silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from fpdf import FPDF

from services.kernel.pdf_text import pdf_text as latin1


class Document:
    def __init__(self, title: str, subtitle: str = "", footer: str = "") -> None:
        self.pdf = FPDF(format="A4")
        self.pdf.set_title(latin1(title))
        self.pdf.set_creator("Jobtrail")
        self.footer = footer
        self.pdf.set_auto_page_break(True, margin=18)
        self.pdf.add_page()
        self.pdf.set_font("Helvetica", "B", 16)
        self.pdf.multi_cell(0, 8, latin1(title), new_x="LMARGIN", new_y="NEXT")
        if subtitle:
            self.pdf.set_font("Helvetica", "", 10)
            self.pdf.multi_cell(0, 5, latin1(subtitle), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(3)

    def heading(self, text: str) -> None:
        self.pdf.ln(2)
        self.pdf.set_font("Helvetica", "B", 12)
        self.pdf.multi_cell(0, 7, latin1(text), new_x="LMARGIN", new_y="NEXT")

    def paragraph(self, text: str, size: int = 10, bold: bool = False) -> None:
        self.pdf.set_font("Helvetica", "B" if bold else "", size)
        self.pdf.multi_cell(0, 5, latin1(text), new_x="LMARGIN", new_y="NEXT")

    def pairs(self, items: Iterable[tuple[str, Any]], indent: float = 0) -> None:
        for label, value in items:
            self.pdf.set_x(self.pdf.l_margin + indent)
            self.pdf.set_font("Helvetica", "B", 9)
            self.pdf.cell(48, 5, latin1(label))
            self.pdf.set_font("Helvetica", "", 9)
            self.pdf.multi_cell(
                0,
                5,
                latin1(value if value not in (None, "") else "-"),
                new_x="LMARGIN",
                new_y="NEXT",
            )

    def table(self, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        if not rows:
            self.paragraph("Geen.", size=9)
            return
        with self.pdf.table(text_align="LEFT", line_height=4.5, first_row_as_headings=True) as t:
            self.pdf.set_font("Helvetica", "", 8)
            t.row([latin1(h) for h in headers])
            for row in rows:
                t.row([latin1(cell) for cell in row])

    def output(self) -> bytes:
        if self.footer:
            self.pdf.ln(4)
            self.paragraph(self.footer, size=8)
        return bytes(self.pdf.output())
