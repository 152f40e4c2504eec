"""Server-side SVG charts for every context's pages (no JavaScript, no CDN).

Text is escaped; sizes are computed here so the SVG renders the same everywhere. Colours
are SVG presentation attributes, not inline styles, so the strict CSP holds. Each chart
carries a <title> and an aria-label; pages put the figures in a table next to it too.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

WIDTH, LABEL, BAR_H, GAP = 640, 260, 18, 10
INK, MUTED, LINE, ACCENT, ALERT = "#1d2630", "#4f5b66", "#d5dbe0", "#0b5c6b", "#8a1f14"


def bars(title: str, rows: list[tuple[str, float | None]], maximum: float,
         threshold: float | None = None, unit: str = "", empty: str = "geen gegevens",
         decimals: int = 2) -> str:
    """One bar per (label, value); an optional dashed threshold line (e.g. UWV 6.5)."""
    plot = WIDTH - LABEL - 60
    height = 40 + len(rows) * (BAR_H + GAP) + 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="18" font-size="15" font-weight="bold" fill="{INK}">'
        f"{escape(title)}</text>",
    ]
    for index, (label, value) in enumerate(rows):
        y = 34 + index * (BAR_H + GAP)
        short = label if len(label) <= 38 else label[:36] + "…"
        parts.append(f'<text x="0" y="{y + 13}" font-size="12" fill="{INK}">'
                     f"<title>{escape(label)}</title>{escape(short)}</text>")
        if value is None:
            parts.append(f'<text x="{LABEL}" y="{y + 13}" font-size="12" fill="{MUTED}">'
                         f"{escape(empty)}</text>")
            continue
        width = max(1.0, plot * min(value, maximum) / maximum) if maximum else 1.0
        parts.append(f'<rect x="{LABEL}" y="{y}" width="{width:.1f}" height="{BAR_H}" '
                     f'fill="{ACCENT}" rx="2"/>')
        parts.append(f'<text x="{LABEL + width + 6:.1f}" y="{y + 13}" font-size="12" '
                     f'fill="{INK}">{value:.{decimals}f}{escape(unit)}</text>')
    if threshold is not None and maximum:
        x = LABEL + plot * threshold / maximum
        parts.append(f'<line x1="{x:.1f}" y1="28" x2="{x:.1f}" y2="{height - 14}" '
                     f'stroke="{ALERT}" stroke-dasharray="4 3" stroke-width="2"/>')
        parts.append(f'<text x="{x + 4:.1f}" y="{height - 4}" font-size="11" fill="{ALERT}">'
                     f"norm {threshold:g}</text>")
    parts.append("</svg>")
    return "".join(parts)


def stack(svgs: list[str], label: str) -> str:
    """Stack several SVGs vertically in one document."""
    heights = [int(svg.split('viewBox="0 0 ', 1)[1].split('"', 1)[0].split()[1]) for svg in svgs]
    total = sum(heights) + 10 * len(svgs)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {total}" '
           f'role="img" aria-label="{escape(label)}" class="chart">']
    y = 0
    for svg, height in zip(svgs, heights, strict=True):
        out.append(f'<g transform="translate(0 {y})">{svg}</g>')
        y += height + 10
    out.append("</svg>")
    return "".join(out)


def _nice(value: float) -> float:
    """The smallest 1, 2 or 5 × 10^n at or above value (a round top for the axis)."""
    if value <= 0:
        return 1.0
    scale = 10 ** math.floor(math.log10(value))
    return next(step * scale for step in (1, 2, 5, 10) if step * scale >= value)


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() or abs(value) >= 100 else f"{value:.1f}"


def line(title: str, labels: Sequence[str], values: Sequence[float | None],
         threshold: float | None = None, unit: str = "", empty: str = "geen gegevens") -> str:
    """A trend over time: one point per label (e.g. month); None leaves a gap."""
    height, left, right, top, bottom = 220, 48, 16, 34, 40
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    known = [v for v in values if v is not None]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="18" font-size="15" font-weight="bold" fill="{INK}">'
        f"{escape(title)}</text>",
    ]
    if not known:
        parts.append(f'<text x="{left}" y="{top + plot_h / 2:.0f}" font-size="13" '
                     f'fill="{MUTED}">{escape(empty)}</text></svg>')
        return "".join(parts)
    top_value = _nice(max([*known, threshold or 0]))
    count = max(1, len(labels) - 1)

    def x(index: int) -> float:
        return left + plot_w * index / count

    def y(value: float) -> float:
        return top + plot_h * (1 - min(value, top_value) / top_value)

    for fraction in (0, 0.5, 1):
        level = top_value * fraction
        parts.append(f'<line x1="{left}" y1="{y(level):.1f}" x2="{WIDTH - right}" '
                     f'y2="{y(level):.1f}" stroke="{LINE}" stroke-width="1"/>')
        parts.append(f'<text x="{left - 6}" y="{y(level) + 4:.1f}" font-size="11" '
                     f'text-anchor="end" fill="{MUTED}">{_number(level)}</text>')
    step = max(1, math.ceil(len(labels) * 60 / plot_w))  # about 60 px per axis label
    for index, label in enumerate(labels):
        if (len(labels) - 1 - index) % step == 0:  # the latest always, evenly spaced
            anchor = "end" if index == len(labels) - 1 and index else "middle"
            parts.append(f'<text x="{x(index):.1f}" y="{height - bottom + 16}" font-size="11" '
                         f'text-anchor="{anchor}" fill="{MUTED}">{escape(label)}</text>')
    segment: list[str] = []
    segments = []
    for index, value in enumerate(values):
        if value is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        segment.append(f"{x(index):.1f},{y(value):.1f}")
    if segment:
        segments.append(segment)
    for points in segments:
        parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{ACCENT}" '
                     'stroke-width="2"/>')
    for index, value in enumerate(values):
        if value is not None:
            parts.append(f'<circle cx="{x(index):.1f}" cy="{y(value):.1f}" r="3" fill="{ACCENT}">'
                         f"<title>{escape(labels[index])}: {_number(value)}{escape(unit)}"
                         "</title></circle>")
    if threshold is not None:
        parts.append(f'<line x1="{left}" y1="{y(threshold):.1f}" x2="{WIDTH - right}" '
                     f'y2="{y(threshold):.1f}" stroke="{ALERT}" stroke-dasharray="4 3" '
                     'stroke-width="2"/>')
        parts.append(f'<text x="{WIDTH - right}" y="{y(threshold) - 4:.1f}" font-size="11" '
                     f'text-anchor="end" fill="{ALERT}">norm {threshold:g}</text>')
    parts.append("</svg>")
    return "".join(parts)


def grid(title: str, columns: Sequence[str], rows: Sequence[tuple[str, Sequence[str]]],
         colours: dict[str, str], legend: dict[str, str]) -> str:
    """A status grid: one row per item, one cell per column, coloured by status key.

    Every cell has a <title> with its status, so the colour is never the only carrier."""
    cell_w = max(18, min(40, (WIDTH - LABEL) // max(1, len(columns))))
    cell_h, top = 22, 40
    height = top + len(rows) * (cell_h + 4) + 44
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="18" font-size="15" font-weight="bold" fill="{INK}">'
        f"{escape(title)}</text>",
    ]
    step = max(1, math.ceil(46 / cell_w))
    for index, column in enumerate(columns):
        if (len(columns) - 1 - index) % step == 0:
            parts.append(f'<text x="{LABEL + index * cell_w + cell_w / 2:.1f}" y="{top - 6}" '
                         f'font-size="11" text-anchor="middle" fill="{MUTED}">'
                         f"{escape(column)}</text>")
    for row_index, (label, cells) in enumerate(rows):
        y = top + row_index * (cell_h + 4)
        short = label if len(label) <= 38 else label[:36] + "…"
        parts.append(f'<text x="0" y="{y + 15}" font-size="12" fill="{INK}">'
                     f"<title>{escape(label)}</title>{escape(short)}</text>")
        for index, status in enumerate(cells):
            parts.append(
                f'<rect x="{LABEL + index * cell_w + 1}" y="{y}" width="{cell_w - 2}" '
                f'height="{cell_h}" rx="2" fill="{colours.get(status, LINE)}">'
                f"<title>{escape(label)}, {escape(columns[index])}: "
                f"{escape(legend.get(status, status))}</title></rect>"
            )
    y = height - 18
    x = 0
    for status, text in legend.items():
        parts.append(f'<rect x="{x}" y="{y - 11}" width="14" height="14" rx="2" '
                     f'fill="{colours.get(status, LINE)}"/>')
        parts.append(f'<text x="{x + 19}" y="{y}" font-size="12" fill="{INK}">'
                     f"{escape(text)}</text>")
        x += 24 + 7 * len(text)
    parts.append("</svg>")
    return "".join(parts)
