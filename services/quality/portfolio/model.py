"""The portfolio as one neutral document: parts, blocks, word count, Markdown.

Rendered to PDF by pdf.py and to editable Markdown here. The main text (parts 1-4)
counts towards Noloc's 1,000-2,500 words; headings, the table of contents and the
annexed forms do not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
MIN_WORDS, MAX_WORDS = 1000, 2500


def count_words(text: str) -> int:
    return len(WORD.findall(text or ""))


@dataclass
class Section:
    number: str  # "1", "1.1", "Bijlage 1"
    title: str
    level: int  # 0: part or annex, 1: its subsection
    main: bool = True  # counts towards the word limit
    blocks: list[tuple[Any, ...]] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title

    def p(self, text: str) -> Section:
        if text and text.strip():
            self.blocks.append(("p", text.strip()))
        return self

    def kv(self, label: str, value: str | None) -> Section:
        if value and str(value).strip():
            self.blocks.append(("kv", label, str(value).strip()))
        return self

    def items(self, values: list[str]) -> Section:
        if values:
            self.blocks.append(("ul", [v for v in values if v]))
        return self

    def table(self, headers: list[str], rows: list[list[str]]) -> Section:
        self.blocks.append(("table", headers, rows))
        return self

    def texts(self) -> list[str]:
        """Every text of the section (not its heading)."""
        out: list[str] = []
        for block in self.blocks:
            if block[0] == "p":
                out.append(block[1])
            elif block[0] == "kv":
                out += [block[1], block[2]]
            elif block[0] == "ul":
                out += block[1]
            else:
                out += [" ".join(row) for row in block[2]]
        return out


@dataclass
class Portfolio:
    title: str
    meta: list[tuple[str, str]]
    sections: list[Section]
    drafted_on: date | None = None  # also the PDF's creation date: same draft, same bytes
    names_checked: int = 0  # names and contact values the anonymisation check looked for

    def main_text(self) -> str:
        return "\n".join(t for s in self.sections if s.main for t in s.texts())

    @property
    def word_count(self) -> int:
        return count_words(self.main_text())

    def part_counts(self) -> list[tuple[str, int]]:
        """Words per mandatory part (with its subsections), to show where to cut or add."""
        counts: list[tuple[str, int]] = []
        for section in self.sections:
            if not section.main:
                continue
            words = count_words("\n".join(section.texts()))
            if section.level == 0 or not counts:
                counts.append((section.heading, words))
            else:
                counts[-1] = (counts[-1][0], counts[-1][1] + words)
        return counts

    def toc(self) -> list[Section]:
        return list(self.sections)

    def passages(self) -> list[tuple[str, str]]:
        """(where, text) of every part and annex. Not the title page: it holds only the
        jobcoach's own name, dates and the word count, composed by the platform."""
        found: list[tuple[str, str]] = []
        for section in self.sections:
            found.append((section.heading, section.title))
            found += [(section.heading, text) for text in section.texts()]
        return found

    def markdown(self) -> str:
        lines = [f"# {self.title}", ""]
        lines += [f"- **{label}:** {value}" for label, value in self.meta]
        lines += ["", "## Inhoudsopgave", ""]
        for section in self.toc():
            indent = "  " * section.level
            lines.append(f"{indent}- {section.heading}")
        for section in self.sections:
            lines += ["", f"{'#' * (section.level + 2)} {section.heading}", ""]
            for block in section.blocks:
                lines += _markdown_block(block)
        return "\n".join(lines).rstrip() + "\n"


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _markdown_block(block: tuple[Any, ...]) -> list[str]:
    if block[0] == "p":
        return [block[1], ""]
    if block[0] == "kv":
        return [f"**{block[1]}:** {block[2]}", ""]
    if block[0] == "ul":
        return [*(f"- {item}" for item in block[1]), ""]
    headers, rows = block[1], block[2]
    return [
        "| " + " | ".join(_cell(h) for h in headers) + " |",
        "|" + "|".join(" --- " for _ in headers) + "|",
        *("| " + " | ".join(_cell(c) for c in row) + " |" for row in rows),
        "",
    ]
