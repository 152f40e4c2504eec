"""Privacy API, registers: breaches (art. 33/34), processing activities (art. 30),
policy (retention, backups, BSN), retention runs and erasure certificates."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response, abort

from services.kernel.auth.access import org_api
from services.kernel.http import expected_version
from services.privacy import retention
from services.privacy import schemas as s
from services.privacy.api import _tagged, blp, office


def _breach_out(desk: Any, breach_id: UUID) -> Any:
    desk.app.breach(breach_id)  # 404 for anything else
    row = next(b for b in desk.registers.breaches(desk.now()) if b["breach_id"] == str(breach_id))
    return _tagged(row, row["version"])


@blp.route("/breaches", methods=["GET"])
@org_api("privacy:read")
@blp.response(200, s.BreachOut(many=True))
def list_breaches(org: Any) -> Any:
    """Het register van datalekken, met de meldtermijn van 72 uur"""
    desk = office(org)
    return desk.registers.breaches(desk.now())


@blp.route("/breaches", methods=["POST"])
@org_api("privacy:write")
@blp.arguments(s.BreachIn)
@blp.response(201, s.BreachOut)
def detect_breach(data: dict[str, Any], org: Any) -> Any:
    """Registreer een (mogelijk) datalek zodra het ontdekt is"""
    desk = office(org)
    breach = desk.app.detect_breach(**data)
    body, _, headers = _breach_out(desk, breach.id)
    return body, 201, headers


@blp.route("/breaches/<uuid:breach_id>", methods=["GET"])
@org_api("privacy:read")
@blp.response(200, s.BreachOut)
def get_breach(org: Any, breach_id: UUID) -> Any:
    """Eén datalek"""
    return _breach_out(office(org), breach_id)


def _breach_step(org: Any, breach_id: UUID, command: Any) -> Any:
    desk = office(org)
    desk.app.on_breach(breach_id, command, expected_version())
    return _breach_out(desk, breach_id)


@blp.route("/breaches/<uuid:breach_id>/assess", methods=["POST"])
@org_api("privacy:write")
@blp.arguments(s.AssessIn)
@blp.response(200, s.BreachOut)
def assess_breach(data: dict[str, Any], org: Any, breach_id: UUID) -> Any:
    """Beoordeel het risico: bepaalt of melden bij de AP en informeren nodig is"""
    clients = [str(c) for c in data["affected_clients"]]
    return _breach_step(
        org,
        breach_id,
        lambda b: b.assess(data["risk"], data["assessment"], data["affected_count"], clients),
    )


@blp.route("/breaches/<uuid:breach_id>/report", methods=["POST"])
@org_api("privacy:write")
@blp.arguments(s.ReportIn)
@blp.response(200, s.BreachOut)
def report_breach(data: dict[str, Any], org: Any, breach_id: UUID) -> Any:
    """Leg de melding bij de Autoriteit Persoonsgegevens vast (na 72 uur: met reden)"""
    return _breach_step(
        org,
        breach_id,
        lambda b: b.report_to_ap(data["reported_at"], data["reference"], data["late_reason"]),
    )


@blp.route("/breaches/<uuid:breach_id>/inform", methods=["POST"])
@org_api("privacy:write")
@blp.arguments(s.InformIn)
@blp.response(200, s.BreachOut)
def inform_breach(data: dict[str, Any], org: Any, breach_id: UUID) -> Any:
    """Leg vast dat de betrokkenen zijn geïnformeerd (bij hoog risico)"""
    return _breach_step(
        org, breach_id, lambda b: b.inform_subjects(data["informed_at"], data["how"])
    )


@blp.route("/breaches/<uuid:breach_id>/close", methods=["POST"])
@org_api("privacy:write")
@blp.arguments(s.BreachCloseIn)
@blp.response(200, s.BreachOut)
def close_breach(data: dict[str, Any], org: Any, breach_id: UUID) -> Any:
    """Sluit het datalek met de genomen maatregelen"""
    return _breach_step(org, breach_id, lambda b: b.close(data["closed_at"], data["measures"]))


# Processing register (art. 30) ----------------------------------------------------------
@blp.route("/activities", methods=["GET"])
@org_api("privacy:read")
@blp.response(200, s.ProcessingActivityOut(many=True))
def list_activities(org: Any) -> Any:
    """Het verwerkingsregister (art. 30 AVG)"""
    return office(org).registers.activities()


@blp.route("/activities", methods=["POST"])
@org_api("privacy:write")
@blp.arguments(s.ProcessingActivityIn)
@blp.response(201, s.ProcessingActivityOut)
def register_activity(data: dict[str, Any], org: Any) -> Any:
    """Neem een verwerking op in het register"""
    desk = office(org)
    activity = desk.app.register_activity(data)
    row = next(a for a in desk.registers.activities() if a["activity_id"] == str(activity.id))
    return _tagged(row, activity.version, 201)


@blp.route("/activities/<uuid:activity_id>", methods=["PUT"])
@org_api("privacy:write")
@blp.arguments(s.ProcessingActivityIn)
@blp.response(200, s.ProcessingActivityOut)
def revise_activity(data: dict[str, Any], org: Any, activity_id: UUID) -> Any:
    """Herzie een verwerking (If-Match: versie)"""
    desk = office(org)
    activity = desk.app.on_activity(activity_id, lambda a: a.revise(data), expected_version())
    row = next(a for a in desk.registers.activities(True) if a["activity_id"] == str(activity_id))
    return _tagged(row, activity.version)


@blp.route("/activities/<uuid:activity_id>/retire", methods=["POST"])
@org_api("privacy:write")
@blp.response(200, s.ProcessingActivityOut)
def retire_activity(org: Any, activity_id: UUID) -> Any:
    """Beëindig een verwerking (blijft zichtbaar in de geschiedenis)"""
    desk = office(org)
    today = desk.today().isoformat()
    activity = desk.app.on_activity(activity_id, lambda a: a.retire(today), expected_version())
    row = next(a for a in desk.registers.activities(True) if a["activity_id"] == str(activity_id))
    return _tagged(row, activity.version)


# Policy and retention ----------------------------------------------------------------------
def _policy(desk: Any) -> Any:
    policy = desk.app.policy()
    return {
        "backup_retention_days": policy.backup_retention_days,
        "retention": policy.retention,
        "bsn_enabled": policy.bsn_enabled,
        "bsn_legal_basis": policy.bsn_legal_basis,
    }


@blp.route("/policy", methods=["GET"])
@org_api("privacy:read")
@blp.response(200, s.PolicyOut)
def get_policy(org: Any) -> Any:
    """Bewaartermijnen, bewaartermijn van back-ups en BSN-instelling"""
    return _policy(office(org))


@blp.route("/policy/backup-retention", methods=["PUT"])
@org_api("privacy:write")
@blp.arguments(s.BackupRetentionIn)
@blp.response(200, s.PolicyOut)
def set_backup_retention(data: dict[str, Any], org: Any) -> Any:
    """Hoe lang back-ups bewaard worden (bepaalt de datum op de verklaring van verwijdering)"""
    desk = office(org)
    desk.set_backup_retention(data["days"])
    return _policy(desk)


@blp.route("/policy/retention", methods=["PUT"])
@org_api("privacy:write")
@blp.arguments(s.RetentionRuleIn)
@blp.response(200, s.PolicyOut)
def set_retention(data: dict[str, Any], org: Any) -> Any:
    """Bewaartermijn per soort gegevens (in maanden)"""
    desk = office(org)
    desk.set_retention(data["record_type"], data["months"])
    return _policy(desk)


@blp.route("/policy/bsn", methods=["PUT"])
@org_api("privacy:write")
@blp.arguments(s.BsnPolicyIn)
@blp.response(200, s.PolicyOut)
def enable_bsn(data: dict[str, Any], org: Any) -> Any:
    """Zet BSN-registratie aan, met de wettelijke grondslag"""
    desk = office(org)
    desk.enable_bsn(data["legal_basis"])
    return _policy(desk)


@blp.route("/policy/bsn", methods=["DELETE"])
@org_api("privacy:write")
@blp.response(200, s.PolicyOut)
def disable_bsn(org: Any) -> Any:
    """Zet BSN-registratie uit"""
    desk = office(org)
    desk.disable_bsn()
    return _policy(desk)


@blp.route("/retention/run", methods=["POST"])
@org_api("privacy:write")
@blp.arguments(s.RetentionRunIn)
@blp.response(200)
def run_retention(data: dict[str, Any], org: Any) -> Any:
    """Pas het bewaarbeleid toe (standaard een proefdraai) en rapporteer"""
    return retention.run(office(org), dry_run=data["dry_run"]).as_dict()


@blp.route("/erasures", methods=["GET"])
@org_api("privacy:read")
@blp.response(200)
def list_erasures(org: Any) -> Any:
    """Alle verwijderingen (pseudoniemen, nooit namen)"""
    return office(org).registers.erasures()


@blp.route("/erasures/<uuid:erasure_id>/certificate.<any(pdf, json):fmt>", methods=["GET"])
@org_api("privacy:read")
def erasure_certificate(org: Any, erasure_id: UUID, fmt: str) -> Any:
    """De verklaring van verwijdering als PDF of JSON"""
    content = office(org).documents.certificate(erasure_id, fmt)
    if content is None:
        abort(404, "Verklaring niet gevonden")
    media = "application/pdf" if fmt == "pdf" else "application/json"
    return Response(
        content,
        mimetype=media,
        headers={"Content-Disposition": f'attachment; filename="verklaring-verwijdering.{fmt}"'},
    )


# Rights applied (rectification, lifting an objection) register their routes on `blp` too.
from services.privacy import api_rights  # noqa: E402,F401
