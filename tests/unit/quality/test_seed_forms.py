"""The three Noloc forms are exactly the appendices of seed 003: items, sections, scales.

seed_003_appendices.txt is a verbatim copy of seed 003 from '## Bijlagen' to the end.
"""

import re
from pathlib import Path

import pytest

from services.kernel.domain import DomainError
from services.quality.satisfaction.formdefs import NOT_APPLICABLE, all_forms, form

SEED = (Path(__file__).parent / "seed_003_appendices.txt").read_text(encoding="utf-8")
APPENDICES = dict(
    zip(
        ["noloc-zelfevaluatie", "noloc-360-werknemer", "noloc-360-werkgever"],
        re.split(r"^## Bijlage \d: [^\n]*$", SEED, flags=re.M)[1:],
        strict=True,
    )
)


def _table(appendix: str) -> list[tuple[str, list[tuple[str, bool]]]]:
    """(section title, [(row text, has explanation)]) read from the seed's table rows."""
    sections: list[tuple[str, list[tuple[str, bool]]]] = []
    for line in appendix.splitlines():
        cells = line.split("\t")
        if len(cells) != 6:
            continue  # not a row of the answer table
        first = re.sub(r"</?[bi]>", "", cells[0]).strip()
        if first.startswith(("Antwoordschaal", "Eindtermen", "Taken")):
            continue
        if cells[0].startswith("<b>"):
            sections.append((first, []))
        elif first == "Toelichting:":
            text, _ = sections[-1][1][-1]
            sections[-1][1][-1] = (text, True)
        else:
            sections[-1][1].append((first, False))
    return sections


def _rendered(item) -> str:
    return f"{item.label}) {item.text}" if item.label else item.text


@pytest.mark.parametrize("key", APPENDICES)
def test_sections_and_items_are_verbatim(key):
    seed = _table(APPENDICES[key])
    ours = form(key, "2017-01")
    assert [s.title for s in ours.sections] == [title for title, _ in seed]
    for section, (_, rows) in zip(ours.sections, seed, strict=True):
        assert [(_rendered(i), i.explanation == "Toelichting:") for i in section.items] == rows
        assert all(not i.explanation or i.explanation == "Toelichting:" for i in section.items)


def test_item_counts_per_section_as_the_domain_digest_lists():
    counts = {key: [len(s.items) for s in form(key).sections] for key in APPENDICES}
    assert counts == {
        "noloc-zelfevaluatie": [4, 4, 3, 8],
        "noloc-360-werknemer": [3, 2, 6],
        "noloc-360-werkgever": [3, 2, 3, 8],
    }
    explained = [i.id for i in form("noloc-zelfevaluatie").items if i.explanation]
    assert explained == ["coaching-a", "coaching-c"]


@pytest.mark.parametrize("key", APPENDICES)
def test_answer_scales_are_the_seeds(key):
    scale = form(key).scale
    assert scale.values == (1, 2, 3, 4) and scale.not_applicable
    for line in scale.explanation.splitlines():
        assert line in APPENDICES[key]  # the seed's own wording of the scale
    assert scale.not_applicable_label in APPENDICES[key]
    header = re.search(r"Antwoordschaal→</?b?>?\t(.*)$", APPENDICES[key], flags=re.M)
    assert re.sub(r"</?b>", "", header.group(1)).split("\t") == ["1", "2", "3", "4", "n.v.t."]


def test_scale_labels():
    assert form("noloc-zelfevaluatie").scale.labels == {
        1: "onvoldoende", 2: "voldoende", 3: "ruim voldoende", 4: "goed"}
    assert form("noloc-360-werkgever").scale.labels == form("noloc-zelfevaluatie").scale.labels
    assert form("noloc-360-werknemer").scale.labels == {
        1: "helemaal mee oneens", 2: "oneens", 3: "mee eens", 4: "helemaal mee eens"}


def test_intro_stem_and_titles_come_from_the_seed():
    for key, appendix in APPENDICES.items():
        f = form(key)
        assert f.title in SEED and f.subtitle in appendix
        for paragraph in f.intro.split("\n\n"):
            assert paragraph in appendix
        if f.stem:
            assert f"({f.stem})" in appendix


def _all(f, value):
    return {item.id: value for item in f.items}


def test_answers_in_scale_and_not_applicable_are_accepted_and_scored():
    f = form("noloc-360-werknemer")
    answers = {**_all(f, 3), "intake-1": "n.v.t.", "intake-2": 4}
    checked, _ = f.check(answers)
    assert checked["intake-1"] == NOT_APPLICABLE and checked["intake-2"] == 4
    assert f.score(checked) == pytest.approx((3 * 9 + 4) / 10)


@pytest.mark.parametrize("bad", [0, 5, -1, "5", "drie", 3.5, True, None, "", [3]])
def test_out_of_scale_answers_are_refused_in_dutch(bad):
    f = form("noloc-zelfevaluatie")
    with pytest.raises(DomainError, match="moet 1, 2, 3, 4 of n.v.t. zijn|Beantwoord"):
        f.check({**_all(f, 2), "intake-a": bad})


def test_missing_and_unknown_items_and_explanations():
    f = form("noloc-zelfevaluatie")
    partial = _all(f, 2)
    del partial["coaching-h"]
    with pytest.raises(DomainError, match="Beantwoord vraag 19"):
        f.check(partial)
    with pytest.raises(DomainError, match="Onbekende vraag"):
        f.check({**_all(f, 2), "extra": 1})
    with pytest.raises(DomainError, match="geen toelichting"):
        f.check(_all(f, 2), {"intake-a": "tekst"})
    _, texts = f.check(_all(f, 2), {"coaching-a": "Voorbeeld: werkinstructie met foto's"})
    assert texts == {"coaching-a": "Voorbeeld: werkinstructie met foto's"}


def test_uwv_rating_forms_have_a_configurable_scale_and_the_threshold():
    for respondent in ("werknemer", "werkgever"):
        f = form(f"uwv-beoordeling-{respondent}")
        assert f.scale.values == tuple(range(1, 11)) and not f.scale.not_applicable
        assert f.threshold == 6.5 and f.score_item == "algemeen-cijfer"
        checked, _ = f.check({**_all(f, 7), "algemeen-cijfer": "8"})
        assert f.score(checked) == 8.0
        with pytest.raises(DomainError, match="n.v.t. niet"):
            f.check({**_all(f, 7), "algemeen-cijfer": "n.v.t."})
        with pytest.raises(DomainError, match="moet 1, 2, 3, 4, 5, 6, 7, 8, 9 of 10"):
            f.check({**_all(f, 7), "algemeen-cijfer": 11})


def test_every_form_file_parses_and_versions_are_unique():
    keys = [key for key, _ in all_forms()]
    assert len(keys) == len(set(all_forms())) >= 5
