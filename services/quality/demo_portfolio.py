"""Demo: what the demo jobcoach needs to draft a Noloc portfolio, and one stored draft.

The newest of Anna's trajectories that has every mandatory step and is less than two
years old gets her self-evaluation and the employee's and employer's 360-degree forms
(through real single-use links of a campaign); then one draft is generated and recorded
exactly as the portfolio page does it. The reflection and learning goals are demo text
without names, so the anonymisation check passes.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from services.quality import sources
from services.quality.portfolio import annexes, compose, drafts
from services.quality.satisfaction import formdefs, links, selfeval
from services.quality.satisfaction.application import Satisfaction

REFLECTION = (
    "Mijn sterke punten in dit traject waren het samen opstellen van het werknemersprofiel en"
    " het vasthouden van een vast ritme van evaluaties met werknemer en werkgever. De"
    " werknemer voelde zich gehoord en kon zelf de regie nemen bij het kiezen van de"
    " werkplek. Mijn uitdaging lag bij het voorbereiden van het sollicitatiegesprek: daar"
    " nam ik te veel over, waardoor de werknemer minder oefende dan goed voor hem was.\n\n"
    "Als ik mijn zelfevaluatie vergelijk met de feedback van de werknemer en de werkgever,"
    " dan zie ik dat beiden mijn bereikbaarheid en mijn contact met de werkgever hoger"
    " waarderen dan ikzelf. De werkgever mist soms advies over regelingen en instrumenten;"
    " dat herken ik, want ik ken de subsidieregelingen en de no-riskpolis onvoldoende om"
    " een werkgever daar zelfstandig over te adviseren.\n\n"
    "Daarom formuleer ik drie leerdoelen. Ik bespreek ze in de intervisie en vraag een"
    " collega om mij na drie maanden feedback te geven op mijn voortgang. Ik leg in elk"
    " nieuw traject vast welke regelingen ter sprake kwamen en wat de werkgever ermee deed."
)
GOALS = (
    ("Werkgevers zelfstandig adviseren over regelingen en instrumenten",
     "Drie werkgevers geadviseerd, met positieve terugkoppeling in de evaluatie"),
    ("De werknemer zelf laten oefenen voor een sollicitatiegesprek",
     "In twee trajecten een oefengesprek door de werknemer zelf voorbereid"),
    ("Evaluaties met werkgever en werknemer vooraf schriftelijk voorbereiden",
     "Bij vijf evaluaties vooraf een agenda gedeeld en achteraf een verslag"),
)


def seed(platform: Any, org: Any, coach: Any, now: date) -> None:
    rows = compose.overview(platform, org.id, coach.id, now)
    annex_reasons = set(annexes.MISSING.values())
    case = next((r for r in rows if set(r["missing"]) <= annex_reasons), None)
    if case is None:  # the trajectory demo changed: nothing complete to draft from
        return
    trajectory_id: UUID = case["trajectory_id"]
    trajectory, _ = sources.case(platform, org.id, trajectory_id, coach.id)
    _forms(platform, org, coach, trajectory, now)
    try:
        portfolio = compose.draft(platform, org.id, coach.id, coach.name,
                                  demo_request(trajectory_id, now), now)
    except compose.PortfolioRefusedError:
        return  # the page shows why; the demo still has the forms to draft from
    drafts.generate(platform, org.id, coach.id, trajectory_id, portfolio, "pdf")


def demo_request(trajectory_id: UUID, now: date) -> compose.Request:
    """The demo jobcoach's reflection and three SMART learning goals."""
    return compose.Request(trajectory_id, REFLECTION, [
        compose.LearningGoal(goal=goal, criterion=criterion,
                             target_date=now + timedelta(days=90 * n),
                             way_forward="Cursus volgen, casussen inbrengen in de intervisie"
                                         " en een collega als maatje vragen",
                             reality="Ik doe dit nu nog te weinig of te laat",
                             options="Cursus, meelopen met een collega, vakliteratuur")
        for n, (goal, criterion) in enumerate(GOALS, 1)])


def _forms(platform: Any, org: Any, coach: Any, trajectory: Any, now: date) -> None:
    form = formdefs.form(selfeval.FORM_KEY)
    answers = {i.id: (4 if n % 3 == 0 else 3) for n, i in enumerate(form.items)}
    texts = {i.id: "Ik deed dit eerst samen met de werknemer en liet het daarna los."
             for i in form.items if i.explanation}
    selfeval.record(platform, org.id, coach.id, answers, texts, None, trajectory.id)
    satisfaction: Satisfaction = platform.app(Satisfaction, org.id)
    forms = {"werknemer": "noloc-360-werknemer", "werkgever": "noloc-360-werkgever"}
    campaign = satisfaction.start_campaign(
        f"Noloc 360 graden feedback {coach.name}", now - timedelta(days=30), now, forms)
    satisfaction.register_population(campaign.id, [{
        "trajectory_id": trajectory.id, "client_id": trajectory.client_id,
        "jobcoach_id": coach.id, "status": "lopend"}], "demo")
    for respondent, key in forms.items():
        token = links.invite(platform, org.id, campaign.id, trajectory.id, respondent).token
        items = formdefs.form(key).items
        links.answer(platform, token, {i.id: 4 if n % 4 else 3 for n, i in enumerate(items)},
                     comment="Goede samenwerking; duidelijke afspraken en snel bereikbaar.")
