"""PDF rendering of a Document with fpdf2 (pure Python: no system libraries to install).

fpdf2's core font (Helvetica, cp1252) covers Dutch; characters outside it are
replaced by their closest plain form so that no user text can break generation.
"""

from __future__ import annotations

from fpdf import FPDF
from fpdf.fonts import FontFace

from services.kernel.pdf_text import DutchPDF
from services.kernel.pdf_text import pdf_text as _t
from services.trajectories.documents import Document


class _PDF(DutchPDF):
    def __init__(self, doc: Document) -> None:
        super().__init__(doc.title)
        self.doc = doc
        self.set_author(_t(doc.organisation))

    def header(self) -> None:
        self.set_font("Helvetica", "", 8)
        self.set_text_color(100)
        self.cell(0, 5, _t(f"{self.doc.organisation} - {self.doc.title}"), align="L")
        self.cell(0, 5, "Vertrouwelijk", align="R", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)
        self.set_text_color(0)


def render(doc: Document) -> bytes:
    pdf = _PDF(doc)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, _t(doc.title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    _kv(pdf, doc.meta)
    for section in doc.sections:
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 12)
        pdf.multi_cell(0, 7, _t(section.heading), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        for block in section.blocks:
            if block[0] == "p":
                pdf.multi_cell(0, 5, _t(block[1]), new_x="LMARGIN", new_y="NEXT")
                pdf.ln(1)
            elif block[0] == "kv":
                _kv(pdf, block[1])
            else:
                _table(pdf, block[1], block[2])
    pdf.ln(6)
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 6, "Ondertekening", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    with pdf.table(col_widths=[1] * len(doc.signatures), line_height=6) as table:
        table.row([_t(name) for name in doc.signatures])
        table.row(["Datum:\n\nHandtekening:\n\n"] * len(doc.signatures))
    return bytes(pdf.output())


def _kv(pdf: FPDF, rows: list[tuple[str, str]]) -> None:
    pdf.set_font("Helvetica", "", 10)
    with pdf.table(
        col_widths=(35, 65), line_height=5, first_row_as_headings=False,
        borders_layout="HORIZONTAL_LINES",
    ) as table:
        for label, value in rows:
            row = table.row()
            row.cell(_t(label), style=FontFace(emphasis="BOLD"))
            row.cell(_t(value))


def _table(pdf: FPDF, headers: list[str], rows: list[list[str]]) -> None:
    if not rows:
        pdf.multi_cell(0, 5, "Geen gegevens in deze periode.", new_x="LMARGIN", new_y="NEXT")
        return
    size = 10 if len(headers) <= 4 else 8
    pdf.set_font("Helvetica", "", size)
    with pdf.table(line_height=size / 2, headings_style=FontFace(emphasis="BOLD",
                                                               fill_color=(230, 230, 230))) as t:
        t.row([_t(h) for h in headers])
        for values in rows:
            t.row([_t(v) for v in values])
    pdf.set_font("Helvetica", "", 10)
    pdf.ln(1)
