"""Trajectories API: every step from intake to closing, hours, grants, timeline and
documents. A jobcoach's token sees and changes only the own caseload; every write
takes If-Match (the ETag) and Idempotency-Key."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint

from services.kernel.auth.access import current_principal, org_api
from services.kernel.domain import DomainError
from services.kernel.http import etag_for, expected_version
from services.kernel.messages import domain_message
from services.trajectories import documents
from services.trajectories import edge as e
from services.trajectories.api_clients import blp as clients_blp
from services.trajectories.api_jobcoaches import blp as jobcoaches_blp
from services.trajectories.api_jobcoaches import regimes_blp
from services.trajectories.caseload import CaseloadView
from services.trajectories.presenter import jsonable, timeline
from services.trajectories.schemas import (
    STEP_SCHEMAS,
    ActivityCorrectionIn,
    ActivityIn,
    ActivityOut,
    AftercareIn,
    CaseloadItemOut,
    CloseIn,
    ClosingEvaluationIn,
    CoachingPlanIn,
    DocumentQueryIn,
    EvaluationIn,
    FollowUpIn,
    FundingGrantIn,
    JobFindingIn,
    LogSignatureIn,
    MatchingIn,
    ReassignIn,
    TimelineItemOut,
    TrajectoryDetailOut,
    TrajectoryIn,
    TrajectoryOut,
)

blp = Blueprint(
    "trajectories",
    __name__,
    url_prefix="/api/v1/orgs/<org>/trajectories",
    description="Trajecten (begeleidingstrajecten): stappen, uren, toekenningen, documenten",
    template_folder="templates",  # the documents' HTML
)
blueprints = (blp, clients_blp, jobcoaches_blp, regimes_blp)


def _with_etag(trajectory: Any, status: int = 200) -> tuple[Any, int, dict[str, str]]:
    return trajectory, status, {"ETag": etag_for(trajectory.version)}


@blp.route("")
class TrajectoriesResource(MethodView):
    @org_api("trajectories:read")
    @blp.response(200, CaseloadItemOut(many=True))
    def get(self, org: Any) -> Any:
        """Open trajecten met de eerstvolgende deadline (een jobcoach: de eigen caseload)"""
        principal = current_principal()
        view = e.platform().view(CaseloadView, org.id)
        return view.caseload(
            None if principal.sees_whole_organisation else principal.user_id,
            e.trajectories(org).today(),
        )

    @org_api("trajectories:write")
    @blp.arguments(TrajectoryIn)
    @blp.response(201, TrajectoryOut)
    def post(self, data: dict[str, Any], org: Any) -> Any:
        """Start een traject"""
        e.check_jobcoach(org, data["responsible_jobcoach"])
        principal = current_principal()
        if (
            not principal.sees_whole_organisation
            and principal.user_id is not None
            and data["responsible_jobcoach"] != principal.user_id
        ):
            raise DomainError("Een jobcoach start trajecten voor de eigen caseload")
        trajectory = e.trajectories(org).start_trajectory(**data)
        return _with_etag(trajectory, 201)


@blp.route("/<uuid:trajectory_id>")
class TrajectoryResource(MethodView):
    @org_api("trajectories:read")
    @blp.response(200, TrajectoryDetailOut)
    def get(self, org: Any, trajectory_id: UUID) -> Any:
        """Eén traject met alle stappen (huidige versie), doelen, uren; versie als ETag"""
        history = e.history_visible(org, trajectory_id)
        answer = jsonable(e.presented(org, history))
        e.log_read(org, history.client_id, "trajectory")
        return answer, 200, {"ETag": etag_for(history.version)}


@blp.route("/<uuid:trajectory_id>/timeline")
class TimelineResource(MethodView):
    @org_api("trajectories:read")
    @blp.response(200, TimelineItemOut(many=True))
    def get(self, org: Any, trajectory_id: UUID) -> Any:
        """Elke gebeurtenis van het traject: wat, wie, wanneer"""
        history = e.history_visible(org, trajectory_id)
        answer = timeline(history.entries, e.names(org))
        e.log_read(org, history.client_id, "trajectory.timeline")
        return answer


@blp.route("/<uuid:trajectory_id>/reassign")
class ReassignResource(MethodView):
    @org_api("trajectories:write")
    @e.guard_trajectory
    @blp.arguments(ReassignIn)
    @blp.response(200, TrajectoryOut)
    def post(self, data: dict[str, Any], org: Any, trajectory_id: UUID) -> Any:
        """Draag het traject warm over aan een andere jobcoach (If-Match: versie)"""
        e.check_jobcoach(org, data["jobcoach"])
        trajectory = e.trajectories(org).reassign(
            trajectory_id, data["jobcoach"], data["handover_note"],
            expected_version=expected_version(),
        )
        return _with_etag(trajectory)


def _step_route(step: str, path: str, title: str) -> None:
    schema = STEP_SCHEMAS[step]

    class StepResource(MethodView):
        @org_api("trajectories:write")
        @e.guard_trajectory
        @blp.arguments(schema)
        @blp.response(200, TrajectoryOut)
        def post(self, data: dict[str, Any], org: Any, trajectory_id: UUID) -> Any:
            trajectory = e.trajectories(org).record_step(
                trajectory_id, step, data, expected_version=expected_version()
            )
            return _with_etag(trajectory)

    StepResource.post.__doc__ = f"{title} vastleggen (elke herziening is een nieuwe gebeurtenis)"
    StepResource.__name__ = f"{step.title().replace('_', '')}Resource"
    blp.route(f"/<uuid:trajectory_id>/{path}", endpoint=f"step_{step}")(StepResource)


for _step, _path, _title in (
    ("intake", "intake", "Intake"),
    ("employee_profile", "employee-profile", "Werknemersprofiel"),
    ("workplace_profile", "workplace-profile", "Werkplekprofiel en taakanalyse"),
    ("placement", "placement", "Plaatsing"),
    ("final_report", "final-report", "Eindverslag"),
):
    _step_route(_step, _path, _title)


@blp.route("/<uuid:trajectory_id>/job-finding")
class JobFindingResource(MethodView):
    @org_api("trajectories:write")
    @e.guard_trajectory
    @blp.arguments(JobFindingIn)
    @blp.response(200, TrajectoryOut)
    def post(self, data: dict[str, Any], org: Any, trajectory_id: UUID) -> Any:
        """Jobfinding-activiteit (werkgever benaderd, sollicitatie, nabespreking)"""
        return _with_etag(e.trajectories(org).record_job_finding(
            trajectory_id, expected_version=expected_version(), **data))


@blp.route("/<uuid:trajectory_id>/matching")
class MatchingResource(MethodView):
    @org_api("trajectories:write")
    @e.guard_trajectory
    @blp.arguments(MatchingIn)
    @blp.response(200, TrajectoryOut)
    def post(self, data: dict[str, Any], org: Any, trajectory_id: UUID) -> Any:
        """Matching: analyse, beredeneerde match of geen match, jobcarving-afspraken"""
        return _with_etag(e.trajectories(org).record_matching(
            trajectory_id, expected_version=expected_version(), **data))


@blp.route("/<uuid:trajectory_id>/coaching-plan")
class CoachingPlanResource(MethodView):
    @org_api("trajectories:write")
    @e.guard_trajectory
    @blp.arguments(CoachingPlanIn)
    @blp.response(200, TrajectoryOut)
    def post(self, data: dict[str, Any], org: Any, trajectory_id: UUID) -> Any:
        """Coachingsplan met SMART-doelen (criterium, streefdatum, eigenaar)"""
        return _with_etag(e.trajectories(org).record_coaching_plan(
            trajectory_id, expected_version=expected_version(), **data))


@blp.route("/<uuid:trajectory_id>/evaluations")
class EvaluationResource(MethodView):
    @org_api("trajectories:write")
    @e.guard_trajectory
    @blp.arguments(EvaluationIn)
    @blp.response(200, TrajectoryOut)
    def post(self, data: dict[str, Any], org: Any, trajectory_id: UUID) -> Any:
        """Voortgangsevaluatie: doelen behaald, niet behaald of bijgesteld (met reden)"""
        return _with_etag(e.trajectories(org).record_evaluation(
            trajectory_id, expected_version=expected_version(), **data))


@blp.route("/<uuid:trajectory_id>/activities")
class ActivitiesResource(MethodView):
    @org_api("trajectories:write")
    @e.guard_trajectory
    @blp.arguments(ActivityIn)
    @blp.response(201, ActivityOut)
    def post(self, data: dict[str, Any], org: Any, trajectory_id: UUID) -> Any:
        """Contactmoment of andere activiteit in minuten, met verantwoording en doel(en)"""
        data["jobcoach"] = _acting_jobcoach(org, data.get("jobcoach"))
        trajectory, warnings = e.trajectories(org).record_activity(
            trajectory_id, data, expected_version=expected_version()
        )
        return {"trajectory": trajectory, "warnings": [domain_message(w) for w in warnings]}, 201, {
            "ETag": etag_for(trajectory.version)
        }


@blp.route("/<uuid:trajectory_id>/aftercare")
class AftercareResource(MethodView):
    @org_api("trajectories:write")
    @e.guard_trajectory
    @blp.arguments(AftercareIn)
    @blp.response(201, TrajectoryOut)
    def post(self, data: dict[str, Any], org: Any, trajectory_id: UUID) -> Any:
        """Nazorgcontact na de afsluiting (als er nazorg is aangeboden), in minuten"""
        data["jobcoach"] = _acting_jobcoach(org, data.get("jobcoach"))
        trajectory = e.trajectories(org).record_aftercare(
            trajectory_id, data, expected_version=expected_version()
        )
        return _with_etag(trajectory, 201)


@blp.route("/<uuid:trajectory_id>/activities/corrections")
class CorrectionsResource(MethodView):
    @org_api("trajectories:write")
    @e.guard_trajectory
    @blp.arguments(ActivityCorrectionIn)
    @blp.response(200, ActivityOut)
    def post(self, data: dict[str, Any], org: Any, trajectory_id: UUID) -> Any:
        """Correctie van een activiteit (nieuwe gebeurtenis; 0 minuten trekt in)"""
        trajectory, warnings = e.trajectories(org).correct_activity(
            trajectory_id, expected_version=expected_version(), **data
        )
        return {"trajectory": trajectory, "warnings": [domain_message(w) for w in warnings]}, 200, {
            "ETag": etag_for(trajectory.version)
        }


@blp.route("/<uuid:trajectory_id>/grants")
class GrantsResource(MethodView):
    @org_api("trajectories:write")
    @e.guard_trajectory
    @blp.arguments(FundingGrantIn)
    @blp.response(201, TrajectoryOut)
    def post(self, data: dict[str, Any], org: Any, trajectory_id: UUID) -> Any:
        """Toekenning van de opdrachtgever: periode, uren, urenregime"""
        trajectory, _ = e.trajectories(org).add_grant(
            trajectory_id, expected_version=expected_version(), **data
        )
        return _with_etag(trajectory, 201)


@blp.route("/<uuid:trajectory_id>/closing-evaluations")
class ClosingEvaluationsResource(MethodView):
    @org_api("trajectories:write")
    @e.guard_trajectory
    @blp.arguments(ClosingEvaluationIn)
    @blp.response(200, TrajectoryOut)
    def post(self, data: dict[str, Any], org: Any, trajectory_id: UUID) -> Any:
        """Eindevaluatie met cliënt, werkgever of opdrachtgever"""
        return _with_etag(e.trajectories(org).record_closing_evaluation(
            trajectory_id, expected_version=expected_version(), **data))


@blp.route("/<uuid:trajectory_id>/close")
class CloseResource(MethodView):
    @org_api("trajectories:write")
    @e.guard_trajectory
    @blp.arguments(CloseIn)
    @blp.response(200, TrajectoryOut)
    def post(self, data: dict[str, Any], org: Any, trajectory_id: UUID) -> Any:
        """Traject afsluiten: reden, nazorg (vraagt een eindverslag)"""
        return _with_etag(e.trajectories(org).close_trajectory(
            trajectory_id, expected_version=expected_version(), **data))


@blp.route("/<uuid:trajectory_id>/follow-ups")
class FollowUpsResource(MethodView):
    @org_api("trajectories:write")
    @e.guard_trajectory
    @blp.arguments(FollowUpIn)
    @blp.response(201, TrajectoryOut)
    def post(self, data: dict[str, Any], org: Any, trajectory_id: UUID) -> Any:
        """Follow-up na 6 of 12 maanden: werkt de cliënt nog? (ook na afsluiting;
        een tweede follow-up voor dezelfde termijn is een herziening)"""
        return _with_etag(e.trajectories(org).record_follow_up(
            trajectory_id, expected_version=expected_version(), **data), 201)


@blp.route("/<uuid:trajectory_id>/log-signatures")
class LogSignaturesResource(MethodView):
    @org_api("trajectories:write")
    @e.guard_trajectory
    @blp.arguments(LogSignatureIn)
    @blp.response(201, TrajectoryOut)
    def post(self, data: dict[str, Any], org: Any, trajectory_id: UUID) -> Any:
        """Ondertekening van het logboek van een toekenningsperiode (cliënt; werkgever of
        werkbegeleider): voorwaarde voor een vervolgaanvraag"""
        return _with_etag(e.trajectories(org).sign_log(
            trajectory_id, expected_version=expected_version(), **data), 201)


def _document_route(kind: str) -> None:
    class DocumentResource(MethodView):
        @org_api("trajectories:read")
        @e.guard_trajectory
        @blp.arguments(DocumentQueryIn, location="query")
        @blp.response(200)
        def get(self, query: dict[str, Any], org: Any, trajectory_id: UUID) -> Any:
            trajectory = e.history_visible(org, trajectory_id)
            what = f"trajectory.document.{kind}"
            if query["format"] == "json":  # what is missing, and medical terms found
                answer = e.document_check(org, trajectory, kind, query["first"], query["last"])
                e.log_read(org, trajectory.client_id, what)
                return answer
            e.require_sharing(org, trajectory, kind)
            doc = e.document(org, trajectory, kind, query["first"], query["last"])
            e.log_read(org, trajectory.client_id, what, "export" if query["format"] == "pdf"
                       else None)
            return e.document_response(doc, query["format"])

    DocumentResource.get.__doc__ = (
        f"{documents.KINDS[kind]} als PDF of HTML (format=pdf|html; format=json: klaar om te"
        " versturen? ontbrekende onderdelen en medische termen)"
    )
    DocumentResource.__name__ = f"Document{kind.title()}Resource"
    blp.route(f"/<uuid:trajectory_id>/documents/{kind}", endpoint=f"document_{kind}")(
        DocumentResource
    )


for _kind in documents.KINDS:
    _document_route(_kind)


def _acting_jobcoach(org: Any, requested: UUID | None) -> UUID:
    """Hours are the acting jobcoach's own; a whole-organisation role names the jobcoach."""
    principal = current_principal()
    if not principal.sees_whole_organisation:
        if requested not in (None, principal.user_id) or principal.user_id is None:
            raise DomainError("Een jobcoach registreert alleen de eigen uren")
        return principal.user_id
    if requested is None:
        raise DomainError("Geef aan welke jobcoach de activiteit uitvoerde")
    e.check_jobcoach(org, requested)
    return requested
