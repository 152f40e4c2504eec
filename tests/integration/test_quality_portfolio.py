"""The Noloc portfolio from a real trajectory, on SQLite and PostgreSQL: the PDF has the
table of contents and every part, no planted name survives, and every missing part,
a wrong length and a name in the jobcoach's own text are refused with reasons."""

import io
import re
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from services.kernel import context
from services.kernel.personal_data import is_sealed
from services.quality.portfolio import annexes, compose, pdf
from services.quality.portfolio.compose import LearningGoal, PortfolioRefusedError, Request
from services.quality.satisfaction import formdefs, links, selfeval
from services.quality.satisfaction.application import Satisfaction

TODAY = date.today()
D = lambda days: TODAY - timedelta(days=days)  # noqa: E731

# Planted names: client, network, supervisor, employer and another employer.
CLIENT = "Marieke Zonneveld"
NETWORK = ("Gerrit Zonneveld", "Ingrid Baarsma")
SUPERVISOR = "Henk Oosterbeek (ploegleider)"
EMPLOYER = "Kwekerij De Groene Vallei B.V."
OTHER_EMPLOYER = "Tuincentrum Bloemenhof"
PLANTED = ["Marieke", "Zonneveld", "Gerrit", "Ingrid", "Baarsma", "Henk", "Oosterbeek",
           "Groene Vallei", "Vallei", "Bloemenhof", "marieke@example.nl"]

SENTENCE = ("Marieke werkt het liefst buiten en in een vast ritme, met duidelijke afspraken over"
            " taken, pauzes en wie zij kan aanspreken als iets anders loopt dan gepland. ")


def build_case(platform, org, coach, *, intake_on=None, steps="all", filler=1):
    """A realistic trajectory of `coach` (Noloc process tasks), names planted in its text."""

    def long(text):  # filler < 0: one word only (a terse case, too short for Noloc)
        return text.split()[0] if filler < 0 else (text + " ") + SENTENCE * filler

    app = platform.trajectories(org.id)
    client = app.register_client({"name": CLIENT, "email": "marieke@example.nl",
                                  "phone": "0612345678"})
    app.add_network_contact(client.id, NETWORK[0], "family", True, D(300))
    app.add_network_contact(client.id, NETWORK[1], "company_doctor", True, D(300))
    t = app.start_trajectory(client.id, "UWV", coach.id)
    app.record_step(t.id, "intake", {
        "held_on": intake_on or D(300),
        "reason": long("Na twee jaar zonder werk wil Marieke weer aan de slag."),
        "question": long("Passend werk vinden en behouden, dichtbij huis."),
        "motivation": "Structuur, collega's en een eigen inkomen.",
        "life_world": "Woont zelfstandig, fietst veel en zorgt voor haar moestuin.",
        "network": "Vader Gerrit Zonneveld helpt met vervoer; Ingrid Baarsma adviseert.",
        "phases_agreed": "Profiel, jobfinding, plaatsing, coaching", "expectations": "Wekelijks",
        "follow_up": "Volgende week profiel", "agreed_in_writing": True,
        "code_of_conduct_discussed": True,
    })
    if steps == "intake":
        return t, client
    app.record_step(t.id, "employee_profile", {
        "motivators": long("Zichtbaar resultaat van haar werk, groei van planten."),
        "values": long("Eerlijkheid en betrouwbaarheid; zij houdt zich aan afspraken."),
        "skills": long("Nauwkeurig, zorgvuldig met materiaal, kan goed alleen werken."),
        "interests": "Tuinieren, natuur, techniek van kassen.",
        "wishes": long("Vaste werktijden overdag, niet meer dan 24 uur per week."),
        "learning_style": long("Leert door voordoen en nadoen, met korte instructies."),
        "needs": long("Duidelijke instructies en een vast aanspreekpunt."),
        "limitations": long("Beperkt belastbaar bij drukte en tijdsdruk."),
        "possibilities": long("Routinematig werk gaat goed, ook buiten."),
        "durable_conditions": long("Vaste werkplek, voorspelbaar rooster."),
        "trajectory_goals": "Duurzaam 24 uur per week werken in het groen.",
        "plan_of_approach": long("Stapsgewijs opbouwen, wekelijks evalueren met Marieke."),
        "agreed_with": "cliënt en UWV", "agreed_on": D(290),
    })
    app.record_job_finding(t.id, "employer_contact", OTHER_EMPLOYER, D(280), "Gebeld")
    app.record_job_finding(t.id, "employer_contact", EMPLOYER, D(270), "Bezoek")
    app.record_job_finding(t.id, "interview_attended", EMPLOYER, D(265), None)
    app.record_step(t.id, "workplace_profile", {
        "employer": EMPLOYER, "employer_known": False,
        "employer_profile": long("De Groene Vallei is een familiebedrijf met 40 medewerkers."),
        "tasks": long("Stekken, oppotten, planten verzorgen in de kas."),
        "working_conditions": long("Warm in de kas, rustig, vaste ploeg."),
        "expected_ksa": long("Nauwkeurig, op tijd, vragen stellen als iets onduidelijk is."),
        "guidance_options": long("Henk Oosterbeek is ploegleider en wil begeleiden."),
        "business_use": long("Ontlast de vaste ploeg in het drukke voorjaar."),
        "support_needed": long("Inwerken met vaste stappen, coaching op de werkplek."),
        "checked_with_client": True,
    })
    if steps == "workplace":
        return t, client
    app.record_matching(
        t.id, long("Taken en tempo passen bij het profiel van Marieke Zonneveld."), "match",
        long("Rustige kas en vaste ploeg sluiten aan bij wat zij nodig heeft."),
        [{"agreement": "Geen kassawerk in het tuincentrum, alleen kaswerk", "owner": "Henk",
          "due": D(250)}], D(255),
    )
    app.record_step(t.id, "placement", {
        "employer": EMPLOYER, "contract": "Arbeidsovereenkomst 1 jaar", "hours_per_week": 24,
        "start_date": D(245), "supervisor": SUPERVISOR,
        "agreements": long("Start met 16 uur, opbouw naar 24 uur in drie maanden."),
    })
    app.record_coaching_plan(
        t.id,
        [{"goal_id": "g1", "description": "Zelfstandig een kasrij stekken",
          "criterion": "Een rij per dag zonder hulp, vier weken lang", "target_date": D(120),
          "owner": "werknemer"},
         {"goal_id": "g2", "description": "Pauzes zelf plannen",
          "criterion": "Drie weken zonder herinnering", "target_date": TODAY + timedelta(20),
          "owner": "Henk Oosterbeek"}],
        long("Wekelijks gesprek met Marieke en maandelijks met Henk; de werkbegeleider leert"
             " instructies in kleine stappen te geven."),
        long("Gerrit helpt met vervoer; Ingrid bewaakt de belastbaarheid."),
        [D(150), D(60), TODAY + timedelta(30)], D(240),
    )
    app.record_evaluation(t.id, D(150), [
        {"goal_id": "g1", "status": "reached"},
        {"goal_id": "g2", "status": "adjusted", "reason": "Meer tijd nodig, zegt Henk",
         "new_target_date": TODAY + timedelta(40)},
    ], "Goede voortgang; Marieke is trots.")
    return app.trajectory(t.id), client


def self_evaluation(platform, org, coach, trajectory_id):
    """The jobcoach's self-evaluation of this case; its explanations name the client."""
    form = formdefs.form("noloc-zelfevaluatie")
    answers = {i.id: (4 if n % 3 == 0 else 3) for n, i in enumerate(form.items)}
    answers["werkplek-b"] = 2
    texts = {i.id: "Marieke leerde de stappen door ze eerst samen te doen."
             for i in form.items if i.explanation}
    selfeval.record(platform, org.id, coach.id, answers, texts, None, trajectory_id)


def feedback(platform, org, coach, trajectory, client, respondents):
    """The 360-degree forms through real single-use links of a campaign."""
    satisfaction = platform.app(Satisfaction, org.id)
    forms = {"werknemer": "noloc-360-werknemer", "werkgever": "noloc-360-werkgever"}
    campaign = satisfaction.start_campaign(
        "Noloc 360", D(200), TODAY, {r: forms[r] for r in respondents})
    satisfaction.register_population(campaign.id, [{
        "trajectory_id": trajectory.id, "client_id": client.id, "jobcoach_id": coach.id,
        "status": "lopend"}], "test")
    for respondent in respondents:
        token = links.invite(platform, org.id, campaign.id, trajectory.id, respondent).token
        form = formdefs.form(forms[respondent])
        links.answer(platform, token, {i.id: 3 for i in form.items} | {form.items[0].id: 4},
                     comment="Fijne samenwerking met Henk en de Groene Vallei.")


REFLECTION = (
    "Mijn sterke punten in dit traject waren het samen opstellen van het werknemersprofiel en"
    " het vasthouden van een vast ritme van evaluaties. De werknemer voelde zich gehoord en"
    " kon zelf de regie nemen bij het kiezen van de werkplek. Mijn uitdaging lag bij het"
    " voorbereiden van het sollicitatiegesprek: daar nam ik te veel over.\n\n"
    "Als ik mijn zelfevaluatie vergelijk met de feedback van de werknemer en de werkgever,"
    " dan zie ik dat beiden mijn bereikbaarheid en mijn contact met de werkgever hoger"
    " waarderen dan ikzelf. De werkgever mist soms advies over regelingen en instrumenten;"
    " dat herken ik, ik ken de subsidieregelingen onvoldoende.\n\n"
    "Daarom formuleer ik drie leerdoelen. Ik bespreek ze in de intervisie en vraag een"
    " collega om mij na drie maanden feedback te geven op mijn voortgang."
)


def goals(n=3):
    return [
        LearningGoal(goal=f"Leerdoel {i}: werkgevers beter adviseren over regelingen",
                     criterion="Drie werkgevers geadviseerd met positieve feedback",
                     target_date=TODAY + timedelta(days=120 + i), way_forward=(
                         "Cursus volgen, casussen inbrengen in de intervisie en een collega"
                         " als maatje vragen"),
                     reality="Ik ken de regelingen nu te weinig",
                     options="Cursus, meelopen met een collega, literatuur")
        for i in range(1, n + 1)
    ]


def draft(platform, org, coach, trajectory_id, reflection=REFLECTION, learning_goals=None):
    request = Request(trajectory_id, reflection, goals() if learning_goals is None
                      else learning_goals)
    return compose.draft(platform, org.id, coach.id, "Anna Jobcoach", request, TODAY)


def refused(platform, org, coach, trajectory_id, **kw):
    with pytest.raises(PortfolioRefusedError) as error:
        draft(platform, org, coach, trajectory_id, **kw)
    return error.value


def test_portfolio_from_a_real_trajectory(any_platform, any_orgs):
    platform = any_platform
    org = any_orgs.create("De Brug")
    coach = any_orgs.member(org, "jobcoach", "Anna Jobcoach")
    with context.acting(org.id, f"user:{coach.id}"):
        trajectory, client = build_case(platform, org, coach)

        # Without the annexes: each one named.
        reasons = " ".join(refused(platform, org, coach, trajectory.id).reasons)
        assert "Bijlage 1" in reasons and "Bijlage 2" in reasons and "Bijlage 3" in reasons
        self_evaluation(platform, org, coach, trajectory.id)
        reasons = refused(platform, org, coach, trajectory.id).reasons
        assert not any("Bijlage 1" in r for r in reasons) and len(reasons) == 2
        feedback(platform, org, coach, trajectory, client, ["werknemer"])
        reasons = refused(platform, org, coach, trajectory.id).reasons
        assert len(reasons) == 1 and "Bijlage 3" in reasons[0] and "werkgever" in reasons[0]
        feedback(platform, org, coach, trajectory, client, ["werkgever"])

        portfolio = draft(platform, org, coach, trajectory.id)
    self_form = annexes.filled_forms(platform, org.id, coach.id, {trajectory.id})[trajectory.id]
    explanations = self_form["self"].explanations
    assert explanations and all(is_sealed(v) for v in explanations.values())  # names the client
    assert 1000 <= portfolio.word_count <= 2500
    markdown = portfolio.markdown()
    document = pdf.render(portfolio)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(document)).pages)
    flat = " ".join(text.split())
    for heading in ("Inhoudsopgave", "1 Situatieschets", "1.1 Werknemersprofiel",
                    "1.2 Werkplekprofiel",
                    "2 Probleemanalyse/kansanalyse in een matchingbeschrijving",
                    "2.1 Matchingbeschrijving", "3 Gekozen aanpak", "3.1 Coachingplan",
                    "4 Toetsing aan competenties: reflectie", "4.1 Zelfevaluatie",
                    "4.2 Evaluatie door de werknemer", "4.3 Evaluatie door de werkgever",
                    "4.4 Reflectieverslag met drie SMART-leerdoelen",
                    "Bijlage 1 Zelfevaluatie profiel jobcoach",
                    "Bijlage 2 360 graden feedback jobcoach door werknemer",
                    "Bijlage 3 360 graden feedback jobcoach door werkgever"):
        assert heading in flat, heading
        assert heading in markdown, heading
    toc = flat[flat.index("Inhoudsopgave"):flat.index("Inhoudsopgave") + 1500]
    assert re.search(r"1\.1 Werknemersprofiel \d+", toc)  # with its page number
    assert re.search(r"Bijlage 3 .* \d+", toc)
    for name in PLANTED:
        assert name.lower() not in flat.lower(), name
        assert name.lower() not in markdown.lower(), name
    assert "de werknemer" in markdown and "de werkgever" in markdown
    assert "de werkbegeleider" in markdown and "een familielid" in markdown
    assert "Leerdoel 3" in flat and "Anna Jobcoach" in flat


def test_refusals_name_every_reason(any_platform, any_orgs):
    platform, orgs = any_platform, any_orgs
    org = orgs.create()
    coach = orgs.member(org, "jobcoach", "Anna Jobcoach")
    with context.acting(org.id, f"user:{coach.id}"):
        trajectory, client = build_case(platform, org, coach)
        self_evaluation(platform, org, coach, trajectory.id)
        feedback(platform, org, coach, trajectory, client, ["werknemer", "werkgever"])
        early, _ = build_case(platform, org, coach, steps="intake")
        halfway, _ = build_case(platform, org, coach, steps="workplace")
        old, _ = build_case(platform, org, coach, intake_on=TODAY.replace(year=TODAY.year - 2))
        brief, _ = build_case(platform, org, coach, filler=-1)
        self_evaluation(platform, org, coach, brief.id)
        feedback(platform, org, coach, brief, client, ["werknemer", "werkgever"])

    reasons = " ".join(refused(platform, org, coach, early.id).reasons)
    for missing in ("werknemersprofiel", "werkplekprofiel", "matchingbeschrijving",
                    "coachingsplan", "Bijlage 1", "Bijlage 2", "Bijlage 3"):
        assert missing in reasons, missing
    reasons = " ".join(refused(platform, org, coach, halfway.id).reasons)
    assert "matchingbeschrijving" in reasons and "coachingsplan" in reasons
    assert "werknemersprofiel" not in reasons and "werkplekprofiel" not in reasons
    assert "ouder" in " ".join(refused(platform, org, coach, old.id).reasons)

    two = refused(platform, org, coach, trajectory.id, learning_goals=goals(2))
    assert two.reasons == ["Formuleer drie SMART-leerdoelen; er zijn er nu 2."]
    past = goals()[:2] + [LearningGoal("Doel", "Meetbaar", D(1), "Met een collega")]
    assert "niet in de toekomst" in refused(platform, org, coach, trajectory.id,
                                            learning_goals=past).reasons[0]
    assert "reflectieverslag ontbreekt" in refused(platform, org, coach, trajectory.id,
                                                    reflection=" ").reasons[0]

    terse = [LearningGoal("Regelingen kennen", "Drie adviezen", TODAY + timedelta(90), "Cursus")
             for _ in range(3)]
    short = refused(platform, org, coach, brief.id, reflection=" ".join(["woord"] * 60),
                    learning_goals=terse)
    assert short.word_count < 1000 and f"{short.word_count} woorden" in short.reasons[0]
    too_long = refused(platform, org, coach, trajectory.id,
                       reflection=REFLECTION + "\n\n" + " ".join(["reflectie"] * 2600))
    assert too_long.word_count > 2500 and "korter" in too_long.reasons[0]

    for slip, source in (("Wat marieke mij leerde", "naam van de werknemer"),
                         ("Ik overlegde met mevrouw Baarsma", "naam uit het netwerk"),
                         ("De ploegleider Oosterbeek was positief", "werkbegeleider"),
                         ("Bij de GROENE VALLEI leerde ik veel", "naam van de werkgever"),
                         ("Eerst belde ik Bloemenhof", "jobfinding")):
        error = refused(platform, org, coach, trajectory.id, reflection=REFLECTION + " " + slip)
        assert len(error.reasons) == 1 and source in error.reasons[0], (slip, error.reasons)
        assert "4.4 Reflectieverslag" in error.reasons[0]
    goal = goals()
    goal[2] = LearningGoal("Beter samenwerken met Zonneveld senior", "Meetbaar",
                           TODAY + timedelta(90), "Met een collega")
    assert "Zonneveld" in refused(platform, org, coach, trajectory.id,
                                  learning_goals=goal).reasons[0]


def test_only_own_trajectories(platform, orgs):
    from services.kernel.domain import NotFoundError

    org = orgs.create()
    anna = orgs.member(org, "jobcoach", "Anna")
    bram = orgs.member(org, "jobcoach", "Bram")
    with context.acting(org.id, f"user:{anna.id}"):
        trajectory, _ = build_case(platform, org, anna, steps="intake")
    with pytest.raises(NotFoundError):
        draft(platform, org, bram, trajectory.id)
    assert compose.overview(platform, org.id, bram.id, TODAY) == []
    [row] = compose.overview(platform, org.id, anna.id, TODAY)
    assert row["trajectory_id"] == trajectory.id and not row["ready"]
