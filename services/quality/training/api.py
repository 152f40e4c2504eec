"""Training API: function profiles, onboarding, training plans and records (with
certificates), register files and readiness, peer review, matrix and coverage."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint

from services.kernel.auth.access import current_principal, org_api
from services.kernel.domain import DomainError, NotFoundError
from services.kernel.http import expected_version
from services.quality import schemas as s
from services.quality.api_common import platform, with_etag
from services.quality.training import case_names, overview
from services.quality.training.application import Development
from services.quality.training.view import TrainingView

blp = Blueprint("quality_training", __name__, url_prefix="/api/v1/orgs/<org>/quality",
                description="Scholing, registers en intercollegiale toetsing")


def _app(org: Any) -> Development:
    return platform().app(Development, org.id)


def _jobcoach(org: Any, user_id: UUID) -> UUID:
    if not any(c["user_id"] == str(user_id) for c in overview.jobcoaches(platform(), org.id)):
        raise NotFoundError("Jobcoach niet gevonden")
    return user_id


def _own() -> UUID:
    principal = current_principal()
    if principal.user_id is None:
        raise NotFoundError("Alleen voor een medewerker")
    return principal.user_id


@blp.route("/function-profiles")
class FunctionProfilesResource(MethodView):
    @org_api("quality:read")
    @blp.response(200, s.FunctionProfileOut(many=True))
    def get(self, org: Any) -> Any:
        """Functieprofielen"""
        return overview.function_profiles(platform(), org.id)

    @org_api("quality:write")
    @blp.arguments(s.FunctionProfileIn)
    @blp.response(201, s.FunctionProfileOut)
    def post(self, data: dict[str, Any], org: Any) -> Any:
        """Leg een functieprofiel vast (vereiste opleiding en trainingen)"""
        profile = _app(org).define_function_profile(**data)
        return with_etag(profile, profile.version, 201)


@blp.route("/training-records")
class TrainingRecordsResource(MethodView):
    @org_api("quality:read")
    @blp.response(200, s.TrainingRowOut(many=True))
    def get(self, org: Any) -> Any:
        """Alle scholing van alle jobcoaches"""
        return platform().view(TrainingView, org.id).training_records()

    @org_api("quality:write")
    @blp.arguments(s.TrainingRecordIn)
    @blp.response(201, s.TrainingRecordOut)
    def post(self, data: dict[str, Any], org: Any) -> Any:
        """Leg een gevolgde scholing vast (uren, ECTS, PE-punten per register)"""
        _jobcoach(org, data["jobcoach_id"])
        record = _app(org).record_training(**data)
        return with_etag(record, record.version, 201)


@blp.route("/training-records/<uuid:record_id>")
class TrainingRecordResource(MethodView):
    @org_api("quality:read")
    @blp.response(200, s.TrainingRecordOut)
    def get(self, org: Any, record_id: UUID) -> Any:
        """Eén scholing"""
        record = _app(org).training_record(record_id)
        return with_etag(record, record.version)


@blp.route("/training-records/<uuid:record_id>/certificate")
class CertificateResource(MethodView):
    @org_api("quality:read")
    def get(self, org: Any, record_id: UUID) -> Any:
        """Het certificaat (gecontroleerd tegen de hash in de vastlegging)"""
        meta, content = _app(org).certificate(record_id)
        return Response(content, mimetype=meta["media_type"], headers={
            "Content-Disposition": f'attachment; filename="{meta["filename"]}"',
            "X-Content-SHA256": meta["sha256"], "X-Content-Type-Options": "nosniff"})

    @org_api("quality:write")
    @blp.response(200, s.TrainingRecordOut)
    def put(self, org: Any, record_id: UUID) -> Any:
        """Voeg het certificaat toe: multipart-veld `file` (PDF, PNG of JPEG, max. 2 MB)"""
        upload = request.files.get("file")
        if upload is None:
            raise DomainError("Stuur het certificaat als multipart-veld 'file'")
        record = _app(org).attach_certificate(record_id, upload.filename or "certificaat",
                                              upload.read(), expected_version=expected_version())
        return with_etag(record, record.version)


@blp.route("/training-plans/<int:year>")
class TrainingPlanResource(MethodView):
    @org_api("quality:read")
    def get(self, org: Any, year: int) -> Any:
        """Opleidingsplan van een jaar"""
        plan = _app(org).training_plan(year)
        return {"year": year, "version": plan.version, "items": list(plan.items.values())}

    @org_api("quality:write")
    @blp.arguments(s.PlanItemIn)
    def post(self, data: dict[str, Any], org: Any, year: int) -> Any:
        """Plan een scholing in het opleidingsplan"""
        plan = _app(org).plan_training(year, uuid4().hex[:12], **data)
        return {"year": year, "version": plan.version, "items": list(plan.items.values())}, 201


@blp.route("/onboarding-programmes", methods=["POST"])
@org_api("quality:write")
@blp.arguments(s.OnboardingProgrammeIn)
def define_programme(data: dict[str, Any], org: Any) -> Any:
    """Leg het inwerkprogramma vast"""
    programme = _app(org).define_onboarding_programme(data["name"], data["steps"])
    return {"id": str(programme.id), "name": programme.name, "steps": programme.steps,
            "revision": programme.revision}, 201


@blp.route("/onboarding/<uuid:employee_id>")
class OnboardingResource(MethodView):
    @org_api("quality:read")
    def get(self, org: Any, employee_id: UUID) -> Any:
        """Inwerk-checklist van een nieuwe medewerker"""
        app = _app(org)
        return app.onboarding(employee_id).progress(app.today())

    @org_api("quality:write")
    @blp.arguments(s.OnboardingStartIn)
    def post(self, data: dict[str, Any], org: Any, employee_id: UUID) -> Any:
        """Start het inwerken van een nieuwe medewerker"""
        app = _app(org)
        onboarding = app.start_onboarding(employee_id, data["programme_id"], data["started_on"])
        return onboarding.progress(app.today()), 201


@blp.route("/onboarding/<uuid:employee_id>/steps", methods=["POST"])
@org_api("quality:write")
@blp.arguments(s.StepDoneIn)
def complete_step(data: dict[str, Any], org: Any, employee_id: UUID) -> Any:
    """Vink een onderdeel van het inwerkprogramma af"""
    app = _app(org)
    onboarding = app.complete_onboarding_step(employee_id, data["step_id"],
                                              current_principal().actor, data["on"])
    return onboarding.progress(app.today())


FILE_COMMANDS = {
    "education": (s.EducationIn, lambda d: lambda f, t: f.record_education(
        d["level"], d["name"], d["completed_on"], t)),
    "diplomas": (s.DiplomaIn, lambda d: lambda f, t: f.record_diploma(
        d["kind"], d["name"], d["year"], t)),
    "practice-start": (s.PracticeStartIn, lambda d: lambda f, t: f.start_practice(d["on"], t)),
    "prior-hours": (s.PriorHoursIn, lambda d: lambda f, t: f.record_prior_hours(
        d["hours"], d["until"], d["description"], t)),
    "registrations": (s.RegistrationIn, lambda d: lambda f, t: f.register(
        d["register"], d["registered_on"], d["expires_on"], d["number"], t)),
    "supervisor": (s.SupervisorIn, lambda d: lambda f, t: f.assign_supervisor(d["supervisor_id"])),
}


def _file_route(path: str, schema: Any, command: Any) -> None:
    def post(data: dict[str, Any], org: Any, jobcoach_id: UUID) -> Any:
        _jobcoach(org, jobcoach_id)
        _app(org).change_register_file(jobcoach_id, command(data))
        return overview.readiness_for(platform(), org.id, jobcoach_id)

    post.__doc__ = f"Registerdossier: {path}"
    post.__name__ = f"register_file_{path.replace('-', '_')}"
    view = blp.response(200, s.ReadinessOut)(post)
    view = blp.arguments(schema)(view)
    view = org_api("quality:write")(view)
    blp.route(f"/register-files/<uuid:jobcoach_id>/{path}", methods=["POST"])(view)


for _path, (_schema, _command) in FILE_COMMANDS.items():
    _file_route(_path, _schema, _command)


@blp.route("/readiness")
class ReadinessAllResource(MethodView):
    @org_api("quality:read")
    @blp.response(200, s.ReadinessOut(many=True))
    def get(self, org: Any) -> Any:
        """Registergereedheid per jobcoach (regels als versie-data)"""
        return overview.readiness_all(platform(), org.id)


@blp.route("/readiness/<uuid:jobcoach_id>")
class ReadinessResource(MethodView):
    @org_api("quality:read")
    @blp.response(200, s.ReadinessOut)
    def get(self, org: Any, jobcoach_id: UUID) -> Any:
        """Registergereedheid en registerdossier van één jobcoach"""
        return overview.readiness_for(platform(), org.id, _jobcoach(org, jobcoach_id))


@blp.route("/me/readiness")
class OwnReadinessResource(MethodView):
    @org_api("directory:read")
    @blp.response(200, s.ReadinessOut)
    def get(self, org: Any) -> Any:
        """Mijn registergereedheid (jobcoach)"""
        return overview.readiness_for(platform(), org.id, _own())


@blp.route("/me/training-records")
class OwnTrainingResource(MethodView):
    @org_api("directory:read")
    @blp.response(200, s.TrainingRowOut(many=True))
    def get(self, org: Any) -> Any:
        """Mijn scholing (jobcoach)"""
        return platform().view(TrainingView, org.id).training_records(str(_own()))


@blp.route("/peer-reviews")
class PeerReviewsResource(MethodView):
    @org_api("quality:read")
    @blp.arguments(s.YearQuery, location="query")
    def get(self, query: dict[str, Any], org: Any) -> Any:
        """Intervisiebijeenkomsten (kalender)"""
        return platform().view(TrainingView, org.id).sessions(query["year"])

    @org_api("quality:write")
    @blp.arguments(s.PeerReviewIn)
    @blp.response(201, s.PeerReviewOut)
    def post(self, data: dict[str, Any], org: Any) -> Any:
        """Leg een intervisiebijeenkomst vast (geanonimiseerde casussen, leerpunten, acties)"""
        for user_id in {*data["participants"], data["facilitator_id"]}:
            _jobcoach(org, user_id)
        case_names.check(platform(), org.id, data["cases"])
        session = _app(org).record_peer_review(**data)
        return with_etag(session, session.version, 201)


@blp.route("/peer-reviews/<uuid:session_id>")
class PeerReviewResource(MethodView):
    @org_api("quality:read")
    @blp.response(200, s.PeerReviewOut)
    def get(self, org: Any, session_id: UUID) -> Any:
        """Eén intervisiebijeenkomst"""
        session = _app(org).peer_review(session_id)
        return with_etag(session, session.version)


@blp.route("/peer-review-coverage/<int:year>")
class CoverageResource(MethodView):
    @org_api("quality:read")
    def get(self, org: Any, year: int) -> Any:
        """Deelname aan intercollegiale toetsing per jobcoach in een jaar, tegen de norm"""
        return overview.peer_review_coverage(platform(), org.id, year)


@blp.route("/training-matrix/<int:year>")
class MatrixResource(MethodView):
    @org_api("quality:read")
    def get(self, org: Any, year: int) -> Any:
        """Scholingsmatrix: vereiste trainingen (functieprofiel) per jobcoach"""
        return overview.training_matrix(platform(), org.id, year)
