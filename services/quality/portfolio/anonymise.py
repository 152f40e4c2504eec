"""Anonymising a portfolio: the names a trajectory knows become roles, then a check.

Noloc returns a portfolio unjudged when a name of the employee or employer is left in.
`Names` holds every name found in the trajectory's personal data (opened from the
sealed values) with the role that replaces it. `replace` rewrites the text the
platform composes from stored data; `find` then checks the WHOLE draft, including
the jobcoach's own reflection, which is never rewritten: a name there is refused.

Matching is case-insensitive, on whole words, and also ignores accents (Zoë = Zoe).
Persons are searched by full name, surname with particles ("de Vries") and every
first or last name part; organisations by full name, name without legal form and
their distinctive words (not "BV", "Bakkerij", "Noord": those are not names).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that are part of names but say nothing on their own.
PARTICLES = _words(
    "de den der des van von vd v.d. het 't ter ten te in op aan uit la le les du da di del"
    " della dos das el al bin ben y zu"
)
LEGAL_FORMS = _words(
    "bv b.v. nv n.v. vof v.o.f. cv c.v. stichting vereniging coöperatie cooperatie ua u.a."
    " holding groep group gmbh ltd inc"
)
# Sector, place and common words: part of many employers' names, never a name themselves.
GENERIC = _words(
    "bakkerij slagerij supermarkt winkel fabriek bedrijf bedrijven kantoor zorg zorggroep"
    " thuiszorg services service diensten dienstverlening techniek logistiek transport bouw"
    " installatie installatietechniek hotel restaurant café cafe horeca centrum school"
    " gemeente nederland holland noord zuid oost west midden nieuw oud groot klein"
    " international internationaal company en and of the het een kwekerij tuincentrum"
    " tuinbouw hoveniers hoveniersbedrijf garage autobedrijf schoonmaak schoonmaakbedrijf"
    " drukkerij magazijn distributie distributiecentrum ziekenhuis verpleeghuis kinderopvang"
    " sportschool apotheek kapsalon timmerfabriek metaal metaalbewerking werkplaats"
    " productie recycling kringloop"
)
# Words of the roles themselves: a name part equal to one would refuse every draft.
ROLE_WORDS = _words(
    "werknemer werkgever werkbegeleider leidinggevende familielid partner vriend vriendin"
    " zorgverlener bedrijfsarts therapeut uitkeringsinstantie betrokkene netwerk jobcoach"
    " opdrachtgever collega"
)
WORD = r"[^\W_]"  # a letter or digit, in any script


def fold(text: str) -> str:
    """Case- and accent-insensitive form for comparing."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True)
class Term:
    text: str  # as found in the personal data
    role: str  # what replaces it in composed text
    source: str  # what it is, for a refusal ("naam van de werknemer")


@dataclass(frozen=True)
class Hit:
    term: Term
    where: str


class Names:
    def __init__(self) -> None:
        self._terms: dict[str, Term] = {}  # folded text -> first term (client before others)

    def __len__(self) -> int:
        return len(self._terms)

    def terms(self) -> list[Term]:
        return list(self._terms.values())

    def _add(self, text: str, role: str, source: str) -> None:
        text = " ".join(text.split()).strip(" ,;:()[]\"'")
        key = fold(text)
        if len(key) < 2 or not re.search(WORD, key) or key.isdigit():
            return
        self._terms.setdefault(key, Term(text, role, source))

    def person(self, name: str | None, role: str, source: str) -> None:
        """Full name, surname with its particles, and every part that is a real name."""
        name = _person_name(name)
        if not name:
            return
        self._add(name, role, source)
        tokens = name.split()
        self._runs(tokens, PARTICLES, role, source)  # "de Vries", "Maria de Vries"
        for token in tokens:
            for part in {token, *token.split("-")}:
                if _letters(part) >= 2 and fold(part) not in PARTICLES | ROLE_WORDS:
                    self._add(part, role, source)

    def organisation(self, name: str | None, role: str, source: str) -> None:
        """Full name, name without legal form, and its distinctive words."""
        name = " ".join((name or "").split())
        if not name:
            return
        self._add(name, role, source)
        tokens = name.split()
        core = [t for t in tokens if fold(t.strip(",.")) not in LEGAL_FORMS]
        self._runs(core, PARTICLES | GENERIC, role, source)  # "De Groene Vallei"
        for token in core:
            for part in {token, *token.split("-")}:
                word = fold(part.strip(",.&'"))
                if (_letters(part) >= 4 and word not in GENERIC | LEGAL_FORMS | PARTICLES
                        | ROLE_WORDS):
                    self._add(part.strip(",.&'"), role, source)

    def _runs(self, tokens: list[str], weak: frozenset[str], role: str, source: str) -> None:
        """Every run of two or more consecutive words with at least one real name word, so
        that "De Groene Vallei" is replaced as one, not word by word."""
        for start in range(len(tokens)):
            for end in range(start + 2, len(tokens) + 1):
                run = tokens[start:end]
                if any(fold(t.strip(",.")) not in weak for t in run):
                    self._add(" ".join(run), role, source)

    def exact(self, value: str | None, role: str, source: str) -> None:
        """Contact data: the whole value only (an e-mail address, a phone number)."""
        if value and len(value.strip()) >= 5:
            self._add(value, role, source)

    # Rewriting and checking ----------------------------------------------------------
    def _pattern(self) -> re.Pattern[str] | None:
        """One pattern over folded text: an optional article ("de", "het": the role brings
        its own) and the longest name first, as whole words."""
        if not self._terms:
            return None
        ordered = sorted(self._terms, key=len, reverse=True)  # the full name before parts
        alternatives = "|".join(r"\s+".join(re.escape(w) for w in t.split()) for t in ordered)
        return re.compile(
            rf"(?:(?<!{WORD})(?:de|het)\s+)?(?<!{WORD})({alternatives})(?!{WORD})"
        )

    def _matches(self, text: str) -> list[tuple[int, int, Term]]:
        """(start, end, term) in the text (NFC), found in its folded form."""
        pattern = self._pattern()
        if pattern is None or not text:
            return []
        folded, origin = _folded(text)
        found = []
        for match in pattern.finditer(folded):
            term = self._terms.get(" ".join(match.group(1).split()))
            if term is not None:
                found.append((origin[match.start()], origin[match.end() - 1] + 1, term))
        return found

    def replace(self, text: str | None, *, capitalise: bool = True) -> str:
        """Text composed from stored data, every known name replaced by its role (with a
        capital at the start of a sentence, unless the text goes inside one)."""
        if not text:
            return ""
        text = unicodedata.normalize("NFC", text)  # indices below are into this form
        out, position = [], 0
        for start, end, term in self._matches(text):
            before = text[:start].rstrip()
            role = term.role
            if (not before and capitalise) or before.endswith((".", "!", "?", ":")):
                role = role[:1].upper() + role[1:]
            out += [text[position:start], role]
            position = end
        return "".join(out) + text[position:]

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of every known name in `text` (NFC indices), without saying which."""
        return [(start, end) for start, end, _ in self._matches(text)]

    def find(self, text: str) -> list[Term]:
        """The known names in `text` (case- and accent-insensitive, whole words)."""
        hits: list[Term] = []
        for _, _, term in self._matches(text):
            if term not in hits:
                hits.append(term)
        return hits

    def check(self, passages: list[tuple[str, str]]) -> list[Hit]:
        """Every (term, where) found in (where, text) passages."""
        return [Hit(term, where) for where, text in passages for term in self.find(text)]


def _folded(text: str) -> tuple[str, list[int]]:
    """The folded text and, per folded character, the index of its original character."""
    text = unicodedata.normalize("NFC", text)
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = fold(char)
        chars.append(folded)
        origin += [index] * len(folded)
    return "".join(chars), origin


def _letters(text: str) -> int:
    return sum(c.isalpha() for c in text)


def _person_name(value: str | None) -> str:
    """"Petra Smit (teamleider)" -> "Petra Smit": the name before a role or remark."""
    name = re.split(r"[(,;/]| - ", value or "", maxsplit=1)[0]
    return " ".join(name.split())
