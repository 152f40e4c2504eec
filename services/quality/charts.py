"""Server-side SVG charts (no JavaScript, no CDN): horizontal bars with labels.

Text is escaped; sizes are computed here so the SVG renders the same everywhere.
"""

from __future__ import annotations

from html import escape
from typing import Any

WIDTH, LABEL, BAR_H, GAP = 640, 260, 18, 10


def bars(title: str, rows: list[tuple[str, float | None]], maximum: float,
         threshold: float | None = None, unit: str = "") -> str:
    """One bar per (label, value); an optional dashed threshold line (e.g. UWV 6.5)."""
    plot = WIDTH - LABEL - 60
    height = 40 + len(rows) * (BAR_H + GAP) + 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        '<text x="0" y="18" font-size="15" font-weight="bold" fill="#1d2630">'
        f"{escape(title)}</text>",
    ]
    for index, (label, value) in enumerate(rows):
        y = 34 + index * (BAR_H + GAP)
        short = label if len(label) <= 38 else label[:36] + "…"
        parts.append(f'<text x="0" y="{y + 13}" font-size="12" fill="#1d2630">'
                     f"<title>{escape(label)}</title>{escape(short)}</text>")
        if value is None:
            parts.append(f'<text x="{LABEL}" y="{y + 13}" font-size="12" fill="#4f5b66">'
                         "geen antwoorden</text>")
            continue
        width = max(1.0, plot * min(value, maximum) / maximum)
        parts.append(f'<rect x="{LABEL}" y="{y}" width="{width:.1f}" height="{BAR_H}" '
                     'fill="#0b5c6b" rx="2"/>')
        parts.append(f'<text x="{LABEL + width + 6:.1f}" y="{y + 13}" font-size="12" '
                     f'fill="#1d2630">{value:.2f}{escape(unit)}</text>')
    if threshold is not None:
        x = LABEL + plot * threshold / maximum
        parts.append(f'<line x1="{x:.1f}" y1="28" x2="{x:.1f}" y2="{height - 14}" '
                     'stroke="#8a1f14" stroke-dasharray="4 3" stroke-width="2"/>')
        parts.append(f'<text x="{x + 4:.1f}" y="{height - 4}" font-size="11" fill="#8a1f14">'
                     f"norm {threshold:g}</text>")
    parts.append("</svg>")
    return "".join(parts)


def report_chart(report: dict[str, Any]) -> str:
    """All forms of an annual report in one SVG: per form its mean score or section means."""
    charts = []
    for form in report["forms"]:
        if form["threshold"] is not None:
            rows = [(form["title"], form["mean_score"])]
            maximum = 10.0
        else:
            rows = [(section["title"], section["mean"]) for section in form["sections"]]
            maximum = 4.0
        charts.append(bars(f"{form['title']} (n={form['responses']})", rows, maximum,
                           form["threshold"]))
    if not charts:
        return bars(f"Klanttevredenheid {report['year']}: nog geen antwoorden", [], 1.0)
    return _stack(charts)


def _stack(svgs: list[str]) -> str:
    """Stack several SVGs vertically in one document."""
    heights = [int(svg.split('viewBox="0 0 ', 1)[1].split('"', 1)[0].split()[1]) for svg in svgs]
    total = sum(heights) + 10 * len(svgs)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {total}" '
           'role="img" aria-label="Klanttevredenheid" class="chart">']
    y = 0
    for svg, height in zip(svgs, heights, strict=True):
        out.append(f'<g transform="translate(0 {y})">{svg}</g>')
        y += height + 10
    out.append("</svg>")
    return "".join(out)
