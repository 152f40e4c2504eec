"""The mandatory parts of the Noloc portfolio (seed 003, "Verplichte onderdelen"),
composed from the trajectory, the annexed forms and the jobcoach's reflection.

Every text that comes from stored data passes `names.replace` (names become roles);
the jobcoach's reflection and learning goals are taken as written and checked later.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from services.kernel.domain import Notice
from services.quality.portfolio.annexes import open_value
from services.quality.portfolio.model import MAX_WORDS, MIN_WORDS, Portfolio, Section
from services.trajectories import rules as r

REQUIRED_STEPS = {
    "employee_profile": Notice("Situatieschets: het werknemersprofiel ontbreekt in het traject."),
    "workplace_profile": Notice("Situatieschets: het werkplekprofiel ontbreekt in het traject."),
    "matching": Notice(
        "Probleem-/kansanalyse: de matchingbeschrijving ontbreekt in het traject."),
    "coaching_plan": Notice(
        "Gekozen aanpak: het coachingsplan met SMART-doelen ontbreekt in het traject."),
}
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")
INTAKE = ("reason", "question", "motivation", "life_world", "network")
EMPLOYEE = ("motivators", "values", "interests", "wishes", "skills", "possibilities",
            "limitations", "needs", "learning_style", "social_context", "durable_conditions",
            "trajectory_goals", "plan_of_approach")
WORKPLACE = ("employer_profile", "tasks", "working_conditions", "expected_ksa",
             "guidance_options", "business_use", "support_needed")
GOAL_STATUS = {"open": "lopend", "reached": "behaald", "not_reached": "niet behaald",
               "adjusted": "bijgesteld"}


def month(on: date) -> str:
    return f"{MONTHS[on.month - 1]} {on.year}"


def nl(on: date | None) -> str:
    return on.strftime("%d-%m-%Y") if on else ""


def number(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}".replace(".", ",")


class Composer:
    def __init__(self, case: Any, names: Any, keys: Any) -> None:
        self.t = case.trajectory
        self.case = case
        self.names = names
        self.keys = keys

    def text(self, value: Any) -> str:
        return self.names.replace(open_value(self.keys, value) or "")

    def owner(self, value: str) -> str:
        return self.names.replace(value, capitalise=False)

    def fields(self, section: Section, step: str, names: tuple[str, ...]) -> None:
        data = self.t.current(step) or {}
        labels = {f.name: f.label for f in r.STEPS[step].fields}
        for name in names:
            section.kv(labels[name], self.text(data.get(name)))

    # 1 Situatieschets ------------------------------------------------------------------
    def situation(self) -> list[Section]:
        t, case = self.t, self.case
        ending = t.ending
        state = (f"afgesloten in {month(ending['on'])} ({r.END_REASONS[ending['reason']].lower()})"
                 if ending else "nog lopend")
        intro = Section("1", "Situatieschets", 0).p(
            f"De casus komt uit mijn eigen praktijk als jobcoach: een traject in opdracht van"
            f" {t.commissioner}, gestart in {month(case.started_on)} en {state}. Alle namen van"
            " de werknemer, de werkgever en het netwerk zijn vervangen door hun rol."
        )
        employee = Section("1.1", "Werknemersprofiel", 1)
        if t.current("intake"):
            employee.p("Uit de intake:")
            self.fields(employee, "intake", INTAKE)
        employee.p("Het werknemersprofiel, samen met de werknemer opgesteld:")
        self.fields(employee, "employee_profile", EMPLOYEE)
        return [intro, employee, self.workplace()]

    def workplace(self) -> Section:
        t = self.t
        section = Section("1.2", "Werkplekprofiel", 1)
        profile = t.current("workplace_profile") or {}
        if profile.get("employer_known"):
            section.p("Bekende werkplek: de werkgever was al bekend bij de werknemer (latere"
                      " inschakeling van de jobcoach of terugkeer na ziekte).")
        else:
            section.p("Nieuwe werkplek, gevonden via jobfinding." + self.job_finding())
        self.fields(section, "workplace_profile", WORKPLACE)
        if profile.get("checked_with_client"):
            section.p("Het werkplekprofiel is met de werknemer getoetst aan het"
                      " werknemersprofiel.")
        placement = t.current("placement")
        if placement:
            start = placement.get("start_date")
            section.p(
                f"Plaatsing: {self.names.replace(placement.get('contract') or '')}, "
                f"{placement.get('hours_per_week', 0):g} uur per week"
                + (f", gestart in {month(start)}" if isinstance(start, date) else "")
                + "; er is een interne werkbegeleider."
            )
            section.kv("Vastgelegde afspraken", self.text(placement.get("agreements")))
        return section

    def job_finding(self) -> str:
        found = self.t.job_finding
        if not found:
            return ""
        counts: dict[str, int] = {}
        for item in found:
            counts[item["kind"]] = counts.get(item["kind"], 0) + 1
        employers = len({item["employer"].strip().lower() for item in found})
        kinds = ", ".join(f"{n}× {r.JOB_FINDING_KINDS[k].lower()}" for k, n in counts.items())
        return (f" Tijdens de jobfinding zijn {len(found)} activiteiten vastgelegd bij"
                f" {employers} werkgever(s): {kinds}.")

    # 2 Probleem-/kansanalyse ---------------------------------------------------------------
    def matching(self) -> list[Section]:
        m = self.t.current("matching") or {}
        part = Section("2", "Probleemanalyse/kansanalyse in een matchingbeschrijving", 0)
        section = Section("2.1", "Matchingbeschrijving", 1)
        decision = r.MATCH_DECISIONS.get(m.get("decision", ""), "")
        section.p(f"Besluit: {decision.lower()} (vastgelegd op {nl(m.get('decided_on'))}).")
        section.kv("Kansen en knelpunten: capaciteiten van de werknemer tegenover de eisen"
                   " van de werkplek", self.text(m.get("analysis")))
        section.kv("Onderbouwing van het besluit", self.text(m.get("reasons")))
        carving = m.get("job_carving") or []
        if carving:
            section.p("Jobcarving: met de werkgever zijn deze aanpassingen van taken en"
                      " werkplek afgesproken.")
            section.items([
                f"{self.text(a.get('agreement'))} (eigenaar: {self.owner(a['owner'])},"
                f" gereed vóór {nl(a.get('due'))})"
                for a in carving
            ])
        else:
            section.p("Jobcarving: in dit traject zijn geen aanpassingen van taken of werkplek"
                      " afgesproken.")
        return [part, section]

    # 3 Gekozen aanpak --------------------------------------------------------------------
    def approach(self) -> list[Section]:
        t = self.t
        plan = t.current("coaching_plan") or {}
        part = Section("3", "Gekozen aanpak", 0)
        section = Section("3.1", "Coachingplan", 1)
        section.p(f"Het coachingsplan is op {nl(plan.get('agreed_on'))} met de werknemer en de"
                  " werkgever afgesproken. De doelen zijn SMART: elk doel heeft een meetbaar"
                  " criterium, een streefdatum en een eigenaar.")
        goals = list(t.goals.values()) or plan.get("goals", [])
        section.table(
            ["Doel", "Meetbaar criterium", "Streefdatum", "Eigenaar", "Stand"],
            [[self.text(g.get("description")), self.text(g.get("criterion")),
              nl(g.get("target_date")), self.owner(g.get("owner", "")),
              GOAL_STATUS.get(g.get("status", "open"), "")] for g in goals],
        )
        section.kv("Opties en stappen vooruit (Options, Way forward): het actieplan",
                   self.text(plan.get("action_plan")))
        section.kv("Wie doet wat: de rol van de werkgever en het netwerk",
                   self.text(plan.get("network_roles")))
        moments = ", ".join(nl(d) for d in plan.get("evaluation_moments", []))
        section.kv("Evaluatiemomenten", moments)
        evaluations = []
        described = {g["goal_id"]: self.text(g.get("description")) for g in goals}
        for e in t.evaluations:
            results = "; ".join(
                f"{described.get(x['goal_id'], 'doel')}: {GOAL_STATUS.get(x['status'], '')}"
                + (f" ({self.text(x.get('reason'))})" if x.get("reason") else "")
                for x in e["results"]
            )
            summary = self.text(e.get("summary"))
            evaluations.append(f"{nl(e['on'])}: {results}" + (f". {summary}" if summary else ""))
        if evaluations:
            section.p("Zo is geëvalueerd en bijgesteld:")
            section.items(evaluations)
        final = t.current("final_report")
        if final:
            section.kv("Resultaten", self.text(final.get("results")))
            section.kv("Overdracht van de ondersteuning aan de werkgever",
                       self.text(final.get("support_handover")))
        for party, label in (("client", "de werknemer"), ("employer", "de werkgever")):
            closing = t.closing_evaluations.get(party)
            if closing:
                section.kv(f"Eindevaluatie met {label}", self.text(closing.get("summary")))
        return [part, section]

    # 4 Reflectie -------------------------------------------------------------------------
    def reflection(self, request: Any) -> list[Section]:
        part = Section("4", "Toetsing aan competenties: reflectie", 0).p(
            "De reflectie bestaat uit de zelfevaluatie, de evaluatie door de werknemer en door"
            " de werkgever (de ingevulde formulieren staan in de bijlagen) en het"
            " reflectieverslag met drie SMART-leerdoelen."
        )
        forms = self.case.forms
        sections = [part]
        for number, kind, title, who in (
            ("4.1", "self", "Zelfevaluatie", "mijn zelfevaluatie"),
            ("4.2", "employee", "Evaluatie door de werknemer", "de werknemer"),
            ("4.3", "employer", "Evaluatie door de werkgever", "de werkgever"),
        ):
            sections.append(self.form_summary(Section(number, title, 1), forms[kind], who))
        report = Section("4.4", "Reflectieverslag met drie SMART-leerdoelen", 1)
        for paragraph in request.reflection.replace("\r\n", "\n").split("\n\n"):
            report.p(" ".join(paragraph.split()))
        for n, goal in enumerate(request.learning_goals, 1):
            report.p(f"Leerdoel {n} (Goal): {goal.goal.strip()}")
            report.kv("Huidige situatie (Reality)", goal.reality)
            report.kv("Opties (Options)", goal.options)
            report.kv("Aanpak en inzet van mijn omgeving (Way forward)", goal.way_forward)
            report.kv("Meetbaar resultaat", goal.criterion)
            report.kv("Gereed vóór", nl(goal.target_date))
        sections.append(report)
        return sections

    def form_summary(self, section: Section, filled: Any, who: str) -> Section:
        scale = filled.form.scale
        low, high = scale.values[0], scale.values[-1]
        section.p(
            f"Het formulier \"{filled.title}\" (bijlage {filled.number}) is ingevuld op"
            f" {nl(filled.responded_on)}, op een schaal van {low} ({scale.labels.get(low, '')})"
            f" tot {high} ({scale.labels.get(high, '')}). Gemiddelde score van {who}:"
            f" {number(filled.mean())}."
        )
        section.items([f"{title}: gemiddeld {number(mean)}"
                       for title, mean in filled.section_means()])
        items = {i.id: i for i in filled.form.items}
        strong = [items[k].text.rstrip(". ") for k, v in filled.answers.items()
                  if v == high and k in items]
        weak = [items[k].text.rstrip(". ") for k, v in filled.answers.items()
                if isinstance(v, int) and v <= low + 1 and k in items]
        if strong:
            section.p(f"Hoogst gewaardeerd ({high}): " + "; ".join(strong[:3]) + ".")
        if weak:
            section.p(f"Aandachtspunten ({low} of {low + 1}): " + "; ".join(weak[:3]) + ".")
        return section

    # Bijlagen --------------------------------------------------------------------------
    def annex(self, filled: Any) -> Section:
        form = filled.form
        section = Section(f"Bijlage {filled.number}", filled.title, 0, main=False)
        section.p(f"Noloc-formulier \"{form.title}\", versie {form.version}; ingevuld op"
                  f" {nl(filled.responded_on)}.")
        section.p(f"Toelichting antwoordschaal: {' '.join(form.scale.explanation.split())}")
        explanations, comment = filled.opened(self.keys)
        for part in form.sections:
            rows = []
            for item in part.items:
                value = filled.answers.get(item.id)
                label = form.scale.labels.get(value, "") if isinstance(value, int) else ""
                text = f"{item.label}) {item.text}" if item.label else item.text
                rows.append([text, f"{value} {label}".strip() if value is not None else "–"])
            section.table([part.title, "Antwoord"], rows)
            for item in part.items:
                if explanations.get(item.id):
                    section.kv(f"Toelichting bij {part.title}, {item.label or item.id})",
                               self.names.replace(explanations[item.id]))
        if comment:
            section.kv("Opmerking", self.names.replace(comment))
        return section


def compose(case: Any, request: Any, names: Any, keys: Any, jobcoach: str,
            today: date) -> Portfolio:
    c = Composer(case, names, keys)
    sections = [*c.situation(), *c.matching(), *c.approach(), *c.reflection(request)]
    sections += [c.annex(case.forms[kind]) for kind in ("self", "employee", "employer")]
    portfolio = Portfolio(
        title="Portfolio Noloc Erkend Jobcoach",
        meta=[("Jobcoach", jobcoach), ("Datum concept", nl(today)),
              ("Casus", f"gestart in {month(case.started_on)}, geanonimiseerd"),
              ("Omvang hoofdtekst", "")],
        sections=sections,
    )
    portfolio.meta[-1] = ("Omvang hoofdtekst", f"{portfolio.word_count} woorden (Noloc:"
                                               f" {MIN_WORDS} tot {MAX_WORDS})")
    return portfolio
