"""Anonymising the portfolio: every planted name is found, roles replace them, and
ordinary words that merely look like names are left alone."""

from services.quality.portfolio.anonymise import Names
from services.quality.portfolio.model import Portfolio, Section, count_words


def names():
    n = Names()
    n.person("Jan-Willem van der Berg", "de werknemer", "naam van de werknemer")
    n.person("Zoë de Vries", "een familielid", "naam uit het netwerk")
    n.person("Petra Smit (teamleider)", "de werkbegeleider", "naam van de werkbegeleider")
    n.organisation("Bakkerij Jansen B.V.", "de werkgever", "naam van de werkgever")
    n.organisation("Fietsfabriek Noord", "een andere werkgever", "jobfinding")
    n.exact("jw.berg@example.nl", "[e-mailadres]", "e-mailadres")
    return n


PLANTED = {
    "Ik sprak met Jan-Willem over zijn rooster.": "naam van de werknemer",
    "Willem had het zwaar.": "naam van de werknemer",
    "Meneer VAN DER BERG belde.": "naam van de werknemer",
    "Berg was op tijd.": "naam van de werknemer",
    "Zoe kwam mee naar het gesprek.": "naam uit het netwerk",  # accent left out
    "mevrouw de vries hielp": "naam uit het netwerk",
    "Petra gaf uitleg.": "naam van de werkbegeleider",
    "Smit was tevreden.": "naam van de werkbegeleider",
    "Bij Jansen werkt hij nu.": "naam van de werkgever",
    "bakkerij jansen bv is groot": "naam van de werkgever",
    "Eerst Fietsfabriek gebeld.": "jobfinding",
    "Mail: JW.Berg@example.nl": "e-mailadres",
}
INNOCENT = [
    "In januari begon hij in de bakkerij, in het noorden van de stad.",
    "De werkgever en de teamleider waren tevreden over de vrieskist.",
    "Hij werkt bij een fabriek; bergen werk, smitten geen.",
    "Vries en dooi: de planten bleven goed.",  # part of a surname after a particle? no:
]


def test_every_planted_name_is_found():
    n = names()
    for text, source in PLANTED.items():
        hits = n.find(text)
        assert hits and hits[0].source == source, (text, hits)


def test_ordinary_words_are_not_names():
    n = names()
    for text in INNOCENT[:3]:
        assert n.find(text) == [], text
    assert [h.text for h in n.find(INNOCENT[3])] == ["Vries"]  # a surname stays a name


def test_replace_uses_roles_and_leaves_nothing_to_find():
    n = names()
    text = ("Jan-Willem van der Berg start bij Bakkerij Jansen B.V. De werkbegeleider Petra"
            " Smit (teamleider) en zus Zoë de Vries helpen. Eerder belde hij de Fietsfabriek"
            " Noord. Contact: jw.berg@example.nl.")
    replaced = n.replace(text)
    assert replaced == (
        "De werknemer start bij de werkgever De werkbegeleider de werkbegeleider"
        " (teamleider) en zus een familielid helpen. Eerder belde hij een andere werkgever."
        " Contact: [e-mailadres]."
    )
    assert n.find(replaced) == []
    for text in PLANTED:
        assert n.find(n.replace(text)) == [], text


def test_word_count_is_the_main_text_only():
    main = Section("1", "Situatieschets", 0).p("Een twee drie.").kv("Label", "vier vijf")
    annex = Section("Bijlage 1", "Formulier", 0, main=False).p("zes zeven acht negen")
    portfolio = Portfolio("Titel", [("Jobcoach", "Anna")], [main, annex])
    assert portfolio.word_count == 6  # "Label" counts, the annex and headings do not
    assert portfolio.part_counts() == [("1 Situatieschets", 6)]
    assert count_words("SMART-doel van 24 uur, cliënt's werk") == 6
    markdown = portfolio.markdown()
    assert "## Inhoudsopgave" in markdown and "- Bijlage 1 Formulier" in markdown
