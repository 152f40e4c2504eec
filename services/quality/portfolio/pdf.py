"""The portfolio as PDF (fpdf2): title page, table of contents with page numbers (as
Noloc asks), the four mandatory parts, each annex on its own page; PDF bookmarks too.

fpdf2's core font (cp1252) covers Dutch; other characters get their plain form, so no
user text can break generation.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from fpdf import FPDF
from fpdf.fonts import FontFace

from services.kernel.pdf_text import DutchPDF
from services.kernel.pdf_text import pdf_text as plain
from services.quality.portfolio.model import Portfolio, Section


class _PDF(DutchPDF):
    def __init__(self, portfolio: Portfolio) -> None:
        super().__init__(portfolio.title, margin=20)
        self.portfolio = portfolio

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font("Helvetica", "", 8)
        self.set_text_color(100)
        self.cell(0, 5, plain(f"{self.portfolio.title} - concept, geanonimiseerd"),
                  new_x="LMARGIN", new_y="NEXT")
        self.ln(2)
        self.set_text_color(0)


def _toc(pdf: FPDF, outline: list[Any]) -> None:
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, "Inhoudsopgave", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for entry in outline:
        pdf.set_font("Helvetica", "B" if entry.level == 0 else "", 11 if entry.level == 0 else 10)
        indent = 8 * entry.level
        page = str(entry.page_number)
        width = pdf.epw - indent - 12
        pdf.set_x(pdf.l_margin + indent)
        link = pdf.add_link(page=entry.page_number)
        pdf.cell(width, 7, plain(entry.name), link=link)
        pdf.cell(12, 7, page, align="R", new_x="LMARGIN", new_y="NEXT", link=link)


def render(portfolio: Portfolio) -> bytes:
    pdf = _PDF(portfolio)
    if portfolio.drafted_on is not None:  # not the clock: the same draft gives the same file
        pdf.set_creation_date(datetime.combine(portfolio.drafted_on, time(), UTC))
    pdf.add_page()
    pdf.ln(40)
    pdf.set_font("Helvetica", "B", 22)
    pdf.multi_cell(0, 11, plain(portfolio.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 12)
    pdf.multi_cell(0, 7, "Casus uit de eigen beroepspraktijk - concept voor registratie als"
                         " Noloc Erkend Jobcoach", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.set_font("Helvetica", "", 10)
    with pdf.table(col_widths=(35, 65), line_height=6, first_row_as_headings=False,
                   borders_layout="HORIZONTAL_LINES") as table:
        for label, value in portfolio.meta:
            row = table.row()
            row.cell(plain(label), style=FontFace(emphasis="BOLD"))
            row.cell(plain(value))
    pdf.add_page()
    pdf.insert_toc_placeholder(_toc, pages=1)  # this page, filled in at the end; then a break
    for n, section in enumerate(portfolio.sections):
        _section(pdf, section, new_page=not section.main, first=n == 0)
    return bytes(pdf.output())


def _section(pdf: FPDF, section: Section, *, new_page: bool, first: bool) -> None:
    if new_page:  # the parts follow the table of contents; each annex on its own page
        pdf.add_page()
    elif not first:
        pdf.ln(6 if section.level == 0 else 3)
        if pdf.get_y() > pdf.h - 60:  # no heading alone at the foot of a page
            pdf.add_page()
    pdf.start_section(plain(section.heading), level=section.level)
    pdf.set_font("Helvetica", "B", 15 if section.level == 0 else 12)
    pdf.multi_cell(0, 8 if section.level == 0 else 7, plain(section.heading),
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    for block in section.blocks:
        pdf.set_font("Helvetica", "", 10)
        if block[0] == "p":
            pdf.multi_cell(0, 5, plain(block[1]), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif block[0] == "kv":
            pdf.set_font("Helvetica", "B", 10)
            pdf.multi_cell(0, 5, plain(block[1]), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", "", 10)
            pdf.multi_cell(0, 5, plain(block[2]), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif block[0] == "ul":
            for item in block[1]:
                pdf.set_x(pdf.l_margin + 4)
                pdf.multi_cell(0, 5, plain(f"- {item}"), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        else:
            _table(pdf, block[1], block[2])


def _table(pdf: FPDF, headers: list[str], rows: list[list[str]]) -> None:
    size = 9 if len(headers) <= 2 else 8
    pdf.set_font("Helvetica", "", size)
    widths = (80, 20) if len(headers) == 2 else None
    with pdf.table(col_widths=widths, line_height=size / 2 + 0.5,
                   headings_style=FontFace(emphasis="BOLD", fill_color=(230, 230, 230))) as t:
        t.row([plain(h) for h in headers])
        for values in rows:
            t.row([plain(v) for v in values])
    pdf.ln(3)
