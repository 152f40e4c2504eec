"""Jobcoaches API: caseload with deadlines, day totals across all clients with the
implausibility signal, absence and bulk handover; funding regimes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint

from services.kernel.auth.access import current_principal, org_api
from services.kernel.domain import DomainError, NotFoundError
from services.trajectories import edge as e
from services.trajectories.caseload import CaseloadView
from services.trajectories.schemas import (
    AbsenceIn,
    AbsenceOut,
    BulkHandoverIn,
    BulkHandoverOut,
    CaseloadItemOut,
    DayOut,
    PeriodQueryIn,
    RegimeIn,
    RegimeOut,
)
from services.trajectories.workday import WorkdayView

blp = Blueprint(
    "trajectory_jobcoaches",
    __name__,
    url_prefix="/api/v1/orgs/<org>/jobcoaches",
    description="Jobcoaches: caseload, dagtotalen over alle cliënten, afwezigheid, overdracht",
)
regimes_blp = Blueprint(
    "funding_regimes",
    __name__,
    url_prefix="/api/v1/orgs/<org>/funding-regimes",
    description="Urenregimes per opdrachtgever en periode (percentage van de werkuren)",
)


def _period(org: Any, query: dict[str, Any]) -> tuple[Any, Any]:
    today = e.trajectories(org).today()
    last = query["last"] or today
    first = query["first"] or last - timedelta(days=30)
    if last < first or (last - first).days > 366:
        raise DomainError("Periode: 'from' vóór 'to', hoogstens een jaar")
    return first, last


@blp.route("/days")
class AllDaysResource(MethodView):
    @org_api("trajectories:read")
    @blp.arguments(PeriodQueryIn, location="query")
    @blp.response(200, DayOut(many=True))
    def get(self, query: dict[str, Any], org: Any) -> Any:
        """Dagtotalen per jobcoach over alle cliënten (een jobcoach: de eigen)"""
        principal = current_principal()
        coach = None if principal.sees_whole_organisation else principal.user_id
        return e.platform().view(WorkdayView, org.id).days(coach, *_period(org, query))


@blp.route("/<uuid:user_id>/caseload")
class CaseloadResource(MethodView):
    @org_api("trajectories:read")
    @e.guard_jobcoach
    @blp.response(200, CaseloadItemOut(many=True))
    def get(self, org: Any, user_id: UUID) -> Any:
        """Caseload van een jobcoach: open trajecten, deadlines, achterstallige evaluaties"""
        return e.platform().view(CaseloadView, org.id).caseload(
            user_id, e.trajectories(org).today()
        )


@blp.route("/<uuid:user_id>/days")
class DaysResource(MethodView):
    @org_api("trajectories:read")
    @e.guard_jobcoach
    @blp.arguments(PeriodQueryIn, location="query")
    @blp.response(200, DayOut(many=True))
    def get(self, query: dict[str, Any], org: Any, user_id: UUID) -> Any:
        """Dagtotalen van deze jobcoach over alle cliënten, met signaal bij onwaarschijnlijke
        dagen (meer dan 10 uur, overlappende contactmomenten)"""
        return e.platform().view(WorkdayView, org.id).days(user_id, *_period(org, query))


@blp.route("/<uuid:user_id>/absences")
class AbsencesResource(MethodView):
    @org_api("trajectories:read")
    @e.guard_jobcoach
    @blp.response(200, AbsenceOut(many=True))
    def get(self, org: Any, user_id: UUID) -> Any:
        """Geregistreerde afwezigheid"""
        return e.platform().view(CaseloadView, org.id).absences(user_id)

    @org_api("trajectories:write")
    @e.guard_jobcoach
    @blp.arguments(AbsenceIn)
    @blp.response(201, AbsenceOut)
    def post(self, data: dict[str, Any], org: Any, user_id: UUID) -> Any:
        """Afwezigheid registreren (soort, geen medische reden)"""
        _, absence_id = e.trajectories(org).register_absence(
            user_id, data["kind"], data["first_day"], data["last_day"], data["note"]
        )
        return {"absence_id": absence_id, "jobcoach_id": str(user_id), "kind": data["kind"],
                "first_day": data["first_day"].isoformat(),
                "last_day": data["last_day"].isoformat() if data["last_day"] else None}, 201


@blp.route("/<uuid:user_id>/handover")
class HandoverResource(MethodView):
    @org_api("trajectories:write")
    @e.guard_jobcoach
    @blp.arguments(BulkHandoverIn)
    @blp.response(200, BulkHandoverOut)
    def post(self, data: dict[str, Any], org: Any, user_id: UUID) -> Any:
        """De hele open caseload warm overdragen (bij afwezigheid of vertrek)"""
        e.check_jobcoach(org, data["to"])
        if data["to"] == user_id:
            raise DomainError("Kies een andere jobcoach")
        app = e.trajectories(org)
        if data["absence_id"] and not any(
            a["absence_id"] == data["absence_id"] for a in app.absences(user_id).absences
        ):
            raise NotFoundError("Afwezigheid niet gevonden")
        ids = [r["trajectory_id"] for r in
               e.platform().view(CaseloadView, org.id).open_trajectories(user_id)]
        moved = app.hand_over_caseload(
            ids, data["to"], data["handover_note"], user_id, data["absence_id"]
        )
        return {"reassigned": [t.id for t in moved]}


@regimes_blp.route("")
class RegimesResource(MethodView):
    @org_api("trajectories:read")
    @regimes_blp.response(200, RegimeOut(many=True))
    def get(self, org: Any) -> Any:
        """Ingestelde urenregimes"""
        return e.trajectories(org).regimes().regimes

    @org_api("trajectories:write")
    @regimes_blp.arguments(RegimeIn)
    @regimes_blp.response(200, RegimeOut(many=True))
    def post(self, data: dict[str, Any], org: Any) -> Any:
        """Urenregime instellen, bv. UWV 'standaard' 10% vanaf een datum"""
        return e.trajectories(org).set_regime(**data).regimes
