"""Audit API: the log, checkpoints, proofs, verification status and auditor grants.

Read routes need `audit:read` (staff with that scope, or an auditor with a grant valid
right now: `auditor_checked`); everything that changes something needs `audit:write`,
which the auditor role does not have.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import current_app, g
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from services.audit import schemas as s
from services.audit.access import auditor_checked
from services.audit.application import AuditJournal, AuditorAccess
from services.audit.grants_view import AuditorGrantsView
from services.audit.trail import AuditLog
from services.kernel.auth.access import org_api
from services.kernel.auth.roles import Role
from services.kernel.domain import DomainError, NotFoundError
from services.platform.domainmodel import User

blp = Blueprint(
    "audit",
    __name__,
    url_prefix="/api/v1/orgs/<org>/audit",
    description="Auditlog (Merkle-boom, checkpoints, bewijzen) en toegang voor auditoren",
)


def _platform() -> Any:
    return current_app.extensions["jobtrail"]


def _log(org: Any) -> AuditLog:
    log = AuditLog(_platform(), org.id)
    log.catch_up()  # the log is never behind the events it is asked about
    return log


@blp.route("/log")
class LogResource(MethodView):
    @org_api("audit:read")
    @auditor_checked("log.read")
    @blp.arguments(s.LogQueryIn, location="query")
    @blp.response(200, s.LeafOut(many=True))
    def get(self, query: dict[str, Any], org: Any) -> Any:
        """Bladeren van het auditlog (gebeurtenissen als hash, met filters)"""
        for key in ("since", "until"):
            if key in query:
                query[key] = query[key].astimezone(UTC).isoformat()
        return _log(org).view.leaves(**query)


@blp.route("/checkpoints")
class CheckpointsResource(MethodView):
    @org_api("audit:read")
    @auditor_checked("checkpoints.read")
    @blp.response(200, s.CheckpointOut(many=True))
    def get(self, org: Any) -> Any:
        """Ondertekende checkpoints (C2SP), oudste eerst"""
        return _log(org).view.checkpoints()

    @org_api("audit:write")
    @blp.response(201, s.CheckpointOut)
    def post(self, org: Any) -> Any:
        """Onderteken nu een checkpoint van de huidige boom"""
        checkpoint = AuditLog(_platform(), org.id).checkpoint()
        if checkpoint is None:
            abort(422, message="Het auditlog is nog leeg")
        return checkpoint


@blp.route("/vkey")
class VkeyResource(MethodView):
    @org_api("audit:read")
    @auditor_checked("vkey.read")
    @blp.response(200, s.VkeyOut)
    def get(self, org: Any) -> Any:
        """Verificatiesleutel van dit log (vergelijk hem buiten Jobtrail om)"""
        signer = AuditLog(_platform(), org.id).view.signer()
        return {"vkey": signer.vkey(), "origin": signer.origin}


@blp.route("/proofs/inclusion")
class InclusionResource(MethodView):
    @org_api("audit:read")
    @auditor_checked("proof.inclusion")
    @blp.arguments(s.InclusionQueryIn, location="query")
    @blp.response(200, s.InclusionOut)
    def get(self, query: dict[str, Any], org: Any) -> Any:
        """Inclusiebewijs van één gebeurtenis (formaat van jobtrail-verify --inclusion)"""
        log = _log(org)
        if "leaf_index" in query:
            return log.inclusion(query["leaf_index"], query.get("tree_size"))
        if "app" in query and "notification_id" in query:
            return log.inclusion_of_event(
                query["app"], query["notification_id"], query.get("tree_size")
            )
        abort(422, message="Geef leaf_index, of app en notification_id")


@blp.route("/proofs/consistency")
class ConsistencyResource(MethodView):
    @org_api("audit:read")
    @auditor_checked("proof.consistency")
    @blp.arguments(s.ConsistencyQueryIn, location="query")
    @blp.response(200, s.ConsistencyOut)
    def get(self, query: dict[str, Any], org: Any) -> Any:
        """Consistentiebewijs tussen twee checkpoints (jobtrail-verify --consistency)"""
        return _log(org).consistency(query["size1"], query.get("size2"))


@blp.route("/verification")
class VerificationResource(MethodView):
    @org_api("audit:read")
    @auditor_checked("verification.read")
    @blp.response(200, s.VerificationOut(many=True))
    def get(self, org: Any) -> Any:
        """Uitkomsten van de laatste controles van het log tegen de opslag"""
        return AuditLog(_platform(), org.id).view.verifications()

    @org_api("audit:write")
    @blp.response(201, s.VerificationOut)
    def post(self, org: Any) -> Any:
        """Controleer nu alle opgeslagen gebeurtenissen tegen het log"""
        log = _log(org)
        log.verify()
        return log.view.verifications(limit=1)[0]


# Grants ----------------------------------------------------------------------------------


def _grant_row(grant: Any) -> dict[str, Any]:
    return {
        "grant_id": str(grant.id),
        "auditor_id": str(grant.auditor_id),
        "mark": grant.mark,
        "valid_from": grant.valid_from.isoformat(),
        "valid_until": grant.valid_until.isoformat(),
        "revoked": grant.revoked,
    }


@blp.route("/grants")
class GrantsResource(MethodView):
    @org_api("audit:write")
    @blp.response(200, s.GrantOut(many=True))
    def get(self, org: Any) -> Any:
        """Auditoren met toegang tot deze organisatie"""
        return _platform().view(AuditorGrantsView).of_organisation(org.id)

    @org_api("audit:write")
    @blp.arguments(s.GrantIn)
    @blp.response(201, s.GrantOut)
    def post(self, data: dict[str, Any], org: Any) -> Any:
        """Geef een externe auditor leestoegang voor een periode en één keurmerk"""
        return _grant_row(grant_auditor(org, **data))


@blp.route("/grants/revoke")
class RevokeResource(MethodView):
    @org_api("audit:write")
    @blp.arguments(s.RevokeIn)
    @blp.response(200, s.GrantOut)
    def post(self, data: dict[str, Any], org: Any) -> Any:
        """Trek de toegang van een auditor in (meteen van kracht)"""
        user_id = data["auditor_id"]
        platform = _platform()
        access = platform.apps.get(AuditorAccess)
        if access.grant_of(user_id, org.id) is None:
            raise NotFoundError("Geen toegang voor deze auditor")
        grant = access.revoke(user_id, org.id)
        platform.registry.update(user_id, User, lambda u: u.revoke_membership(org.id))
        platform.app(AuditJournal, org.id).record("grant.revoked", grant=grant.id, auditor=user_id)
        return _grant_row(grant)


def grant_auditor(
    org: Any, auditor_email: str, mark: str, valid_from: datetime, valid_until: datetime
) -> Any:
    """Grant (or renew) access, make the auditor a member with the auditor role (so the
    usual sign-in and tokens work), and journal it in the organisation's trail."""
    platform = _platform()
    registry = platform.registry
    try:
        auditor = registry.user_by_email(auditor_email)
    except NotFoundError:
        raise DomainError("Er is geen gebruiker met dit e-mailadres") from None
    role = auditor.role_in(org.id)
    if role is not None and role != Role.AUDITOR:
        raise DomainError("Een medewerker van de organisatie kan niet ook auditor zijn")
    grant = platform.apps.get(AuditorAccess).grant(
        auditor.id, org.id, mark, valid_from, valid_until
    )
    if role is None:
        registry.grant_membership(auditor.id, org.id, Role.AUDITOR)
    platform.app(AuditJournal, org.id).record(
        "grant.issued",
        grant=grant.id,
        auditor=auditor.id,
        mark=mark,
        valid_from=valid_from.isoformat(),
        valid_until=valid_until.isoformat(),
    )
    return grant


# Evidence packs -----------------------------------------------------------------------------


def _period(data: dict[str, Any]) -> tuple[Any, Any]:
    """Default: the last 12 months up to today."""
    from datetime import date, timedelta

    end = data.get("end") or date.today()
    start = data.get("start") or end - timedelta(days=365)
    if start > end:
        abort(422, message="Het begin van de meetperiode ligt na het einde")
    return start, end


def _check_mark(mark: str) -> None:
    grant = g.get("audit_grant")
    if grant is not None and grant.mark != mark:
        abort(404)


@blp.route("/evidence")
class EvidenceResource(MethodView):
    @org_api("audit:read")
    @auditor_checked("evidence.read")
    @blp.arguments(s.EvidenceQueryIn, location="query")
    @blp.response(200)
    def get(self, query: dict[str, Any], org: Any) -> Any:
        """Bewijs per eis voor één keurmerk en meetperiode (standaard: 12 maanden)"""
        from services.audit.evidence import build_pack

        _check_mark(query["mark"])
        start, end = _period(query)
        return build_pack(_platform(), org, query["mark"], start, end)


@blp.route("/evidence/exports")
class ExportsResource(MethodView):
    @org_api("audit:read")
    @auditor_checked("evidence.export")
    @blp.arguments(s.ExportIn)
    @blp.response(202, s.ExportOut)
    def post(self, data: dict[str, Any], org: Any) -> Any:
        """Maak een bewijsdossier (PDF, JSON, CSV, ondertekend manifest) op de achtergrond.

        Ook een auditor mag dit: het leest alleen, en het verzoek staat in het journaal."""
        import uuid

        _check_mark(data["mark"])
        start, end = _period(data)
        export_id = uuid.uuid4().hex
        _platform().jobs.enqueue(
            "services.audit.jobs:export_evidence_pack",
            org.id,
            data["mark"],
            start.isoformat(),
            end.isoformat(),
            export_id,
            job_id=f"evidence-{export_id}",
        )
        return _export_status(org, export_id)

    @org_api("audit:read")
    @auditor_checked("evidence.status")
    @blp.arguments(s.ExportQueryIn, location="query")
    @blp.response(200, s.ExportOut)
    def get(self, query: dict[str, Any], org: Any) -> Any:
        """Voortgang en bestanden van een bewijsdossier"""
        return _export_status(org, query["export_id"])


@blp.route("/evidence/exports/file")
class ExportFileResource(MethodView):
    @org_api("audit:read")
    @auditor_checked("evidence.download")
    @blp.arguments(s.FileQueryIn, location="query")
    def get(self, query: dict[str, Any], org: Any) -> Any:
        """Download één bestand van een bewijsdossier"""
        from flask import send_file

        from services.audit.jobs import pack_dir

        folder = pack_dir(_platform(), org.id, query["export_id"])
        files = {p.name: p for p in folder.glob("*") if not p.name.startswith(".")}
        if not (folder / ".done").exists() or query["name"] not in files:
            abort(404)
        return send_file(files[query["name"]], as_attachment=True)


def _export_status(org: Any, export_id: str) -> dict[str, Any]:
    from services.audit.jobs import pack_dir

    platform = _platform()
    folder = pack_dir(platform, org.id, export_id)
    if (folder / ".done").exists():
        files = sorted(p.name for p in folder.glob("*") if not p.name.startswith("."))
        return {
            "export_id": export_id,
            "status": "finished",
            "files": files,
            "progress": {"done": 1, "total": 1, "message": "klaar"},
        }
    if platform.jobs.inline:
        abort(404)
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    try:
        job = Job.fetch(f"evidence-{export_id}", connection=platform.jobs.queue.connection)
    except NoSuchJobError:
        abort(404)
    if job.kwargs or (job.args and job.args[1] != str(org.id)):
        abort(404)  # another organisation's job id
    return {
        "export_id": export_id,
        "status": job.get_status().value,  # rq 2+ gives an enum; its str() is "JobStatus.X"
        "progress": job.meta.get("progress") or {},
        "files": [],
    }


# Quality-mark certificates (renewal reporting) ----------------------------------------------


def _certificate_row(mark: str, certificate: Any) -> dict[str, Any]:
    return {
        "mark": mark,
        "certified_on": certificate.certified_on if certificate else None,
        "expires_on": certificate.expires_on if certificate else None,
        "reference": certificate.reference if certificate else "",
    }


@blp.route("/certificates")
class CertificatesResource(MethodView):
    @org_api("audit:read")
    @auditor_checked("certificates.read")
    @blp.response(200, s.CertificateOut(many=True))
    def get(self, org: Any) -> Any:
        """Keurmerken van de organisatie met certificerings- en vervaldatum"""
        grant = g.get("audit_grant")
        found = _platform().app(AuditJournal, org.id).certificates()
        return [
            _certificate_row(mark, certificate)
            for mark, certificate in found.items()
            if grant is None or grant.mark == mark
        ]


@blp.route("/certificates/<mark>")
class CertificateResource(MethodView):
    @org_api("audit:write")
    @blp.arguments(s.CertificateIn)
    @blp.response(200, s.CertificateOut)
    def put(self, data: dict[str, Any], org: Any, mark: str) -> Any:
        """Leg de certificerings- en vervaldatum van één keurmerk vast (of werk ze bij)"""
        certificate = _platform().app(AuditJournal, org.id).set_certificate(mark, **data)
        return _certificate_row(mark, certificate)
