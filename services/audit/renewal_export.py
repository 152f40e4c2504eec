"""Renewal report exports: CSV (one table, sections in the first column) and a Dutch PDF
with the same content and the charts (fpdf2 renders our SVG)."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from fpdf import FPDF

from services.audit import renewal
from services.audit.pack_export import _latin1


def _date(value: Any) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


def _number(value: float | None) -> str:
    return "geen gegevens" if value is None else f"{value:g}".replace(".", ",")


def to_csv(org: Any, data: dict[str, Any]) -> str:
    buffer = io.StringIO()
    w = csv.writer(buffer, delimiter=";")
    w.writerow(["onderdeel", "onderwerp", "periode", "waarde", "toelichting"])
    w.writerow(["organisatie", org.name, _date(data["today"]), "", "peildatum"])
    for c in data["certificates"]:
        w.writerow(["keurmerk", c["name"], f"{_date(c['certified_on'])} t/m "
                    f"{_date(c['expires_on'])}".strip(" t/m"), c["state"], c["reference"]])
    titles = dict(data["requirements"])
    for column in data["history"]:
        for rid, title in titles.items():
            entry = column["statuses"].get(rid)
            w.writerow(["status eis", title, column["day"].isoformat(),
                        entry["status"] if entry else "geen gegevens", column["source"]])
    for action in data["actions"]:
        w.writerow(["actie", action["title"], _date(action["before"]), action["status"],
                    " | ".join(action["findings"])])
    for h in data["hours"]:
        w.writerow(["urenbevinding", h["name"], f"{h['days']} dagen", f"max {h['max_hours']} uur",
                    ", ".join(h["reasons"])])
    for kpi in data["kpis"]:
        for label, value in zip(data["months"], kpi.values, strict=True):
            w.writerow(["kpi", kpi.title, label, _number(value), kpi.note or kpi.source])
    return buffer.getvalue()


def _svg_for_pdf(svg: str) -> bytes:
    """fpdf2 draws our SVG; it skips <title> (tooltips) and speaks Latin-1 only."""
    svg = re.sub(r"<title>.*?</title>", "", svg)
    return _latin1(svg.replace("\u2026", "...")).encode("utf-8")


class _Report(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", "I", 8)
        self.cell(0, 5, f"Pagina {self.page_no()}", align="C")


def to_pdf(org: Any, data: dict[str, Any]) -> bytes:
    pdf = _Report(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(_latin1(f"Hercertificering {org.name}"))
    pdf.add_page()

    def heading(text: str, size: int = 13) -> None:
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", size)
        pdf.multi_cell(0, 7, _latin1(text), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)

    def line(text: str, height: float = 5) -> None:
        pdf.multi_cell(0, height, _latin1(text), new_x="LMARGIN", new_y="NEXT")

    def chart(svg: str) -> None:
        if pdf.get_y() > 200:
            pdf.add_page()
        pdf.image(io.BytesIO(_svg_for_pdf(svg)), w=175)

    heading(f"Hercertificering: {org.name}", 16)
    line(f"Peildatum {_date(data['today'])}. Cijfers uit de registraties in Jobtrail; "
         "'geen gegevens' betekent dat Jobtrail daar (nog) geen bron voor heeft.")
    heading("Keurmerken")
    for c in data["certificates"]:
        period = (f"{_date(c['certified_on'])} t/m {_date(c['expires_on'])}"
                  if c["expires_on"] else "geen datum vastgelegd")
        left = f", nog {c['days_left']} dagen" if c["days_left"] is not None else ""
        line(f"- {c['name']}: {period} ({c['state']}{left})")
    heading("Nodig voor de hercertificering")
    if not data["actions"]:
        line("Geen eisen met risico of niet voldaan.")
    for action in data["actions"]:
        before = f" (vóór {_date(action['before'])})" if action["before"] else ""
        pdf.set_font("Helvetica", "B", 10)
        line(f"- [{action['status']}] {action['title']}{before}")
        pdf.set_font("Helvetica", "", 9)
        for finding in action["findings"]:
            line(f"    {finding}", 4.5)
        if action["marks"]:
            line(f"    Geldt voor: {', '.join(action['marks'])}", 4.5)
        pdf.set_font("Helvetica", "", 10)
    heading("Status per eis over de tijd")
    chart(renewal.status_chart(data))
    heading("Uren: onaannemelijke dagen per jobcoach")
    if data["hours"]:
        for h in data["hours"]:
            line(f"- {h['name']}: {h['days']} dag(en), hoogste dagtotaal {h['max_hours']} uur, "
                 f"{h['overlaps']} overlap(pen); laatst {h['last_day']} "
                 f"({', '.join(h['reasons'])})")
    else:
        line("Geen onaannemelijke dagen in de afgelopen 12 maanden.")
    heading("Kengetallen per maand")
    for kpi in data["kpis"]:
        if kpi.has_data:
            chart(renewal.kpi_chart(kpi, data["months"]))
        else:
            pdf.set_font("Helvetica", "B", 10)
            line(f"{kpi.title}: geen gegevens")
            pdf.set_font("Helvetica", "", 9)
            line(kpi.note, 4.5)
            pdf.set_font("Helvetica", "", 10)
    return bytes(pdf.output())
