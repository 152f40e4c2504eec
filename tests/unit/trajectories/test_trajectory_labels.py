"""Every Dutch label a trajectory page shows is marked for translation (labels.py)."""

import re
from pathlib import Path

from services.trajectories import documents, presenter
from services.trajectories import rules as r
from services.trajectories.clients import RELATIONS

LABELS = Path(__file__).resolve().parents[3] / "services" / "trajectories" / "labels.py"


def marked() -> set[str]:
    source = LABELS.read_text()
    return set(re.findall(r'_l\("([^"]+)"\)', source)) | set(re.findall(r"_l\('([^']+)'\)", source))


def test_every_label_of_the_vocabulary_is_marked_for_translation():
    shown = set()
    for labels in (r.PHASES, r.ALL_ACTIVITY_KINDS, r.MODES, r.PARTICIPANTS, r.JOB_FINDING_KINDS,
                   r.MATCH_DECISIONS, r.GOAL_RESULTS, r.CLOSING_PARTIES, r.END_REASONS,
                   r.ABSENCE_KINDS, RELATIONS, documents.KINDS, presenter.EVENT_LABELS,
                   r.FOLLOW_UP_MONTHS, r.LOG_SIGNERS, r.SIGNING_METHODS):
        shown |= set(labels.values())
    shown.add("Lopend")  # a goal's status before any evaluation (presenter.py)
    for spec in r.STEPS.values():
        shown |= {spec.label, *(f.label for f in spec.fields)}
    source = Path(documents.__file__).read_text()
    for block in re.findall(r"_require\(p, \{(.*?)\}, title\)", source, re.S):
        shown |= set(re.findall(r'^\s*"([^"]+)":', block, re.M))  # parts a document lacks
    assert sorted(shown - marked()) == []
