"""Access export (art. 15/20 AVG): everything held about one client, as machine-readable
JSON and as a readable Dutch PDF.

"Everything" is found generically, so new contexts and fields are included without
changes here: every event of every application of the organisation that belongs to
an aggregate of the client (created with the client's id, or the Client itself),
names the client's id, or carries a value sealed with the client's key. Sealed
values are opened; the BSN never leaves the platform this way.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from uuid import UUID

from services.kernel.domain import NotFoundError
from services.kernel.personal_data import is_sealed
from services.privacy.pdf import Document
from services.privacy.vocabulary import (
    ACCESS_CHANNELS,
    ACCESS_REASONS,
    CONSENT_EVIDENCE,
    OUTCOMES,
    PURPOSES,
    RECIPIENT_KINDS,
    REQUEST_KINDS,
    REQUEST_STATUSES,
)
from services.privacy.walk import BASE_FIELDS

BSN_FIELDS = frozenset({"bsn"})
BSN_NOTE = "Vastgelegd; om veiligheidsredenen niet opgenomen in deze export"
PAGE = 1000


def _mentions(value: Any, client: str) -> bool:
    if is_sealed(value):
        return value["kid"] == client
    if isinstance(value, UUID):
        return str(value) == client
    if isinstance(value, str):
        return value == client
    if isinstance(value, dict):
        return any(_mentions(v, client) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_mentions(v, client) for v in value)
    return False


def client_events(platform: Any, org_id: UUID, client_id: UUID) -> Iterator[tuple[str, Any]]:
    """(application name, event) of everything the organisation holds about the client."""
    from services.catalogue import ORG_APPS

    client = str(client_id)
    for app_class in ORG_APPS:
        app = platform.app(app_class, org_id)
        owned: set[UUID] = {client_id}
        start = 1
        while True:
            notifications = app.recorder.select_notifications(start=start, limit=PAGE)
            for notification in notifications:
                event = app.mapper.to_domain_event(notification)
                fields = {
                    f.name: getattr(event, f.name)
                    for f in dataclasses.fields(event)
                    if f.name not in BASE_FIELDS
                }
                if event.originator_id in owned or (
                    str(fields.get("client_id")) == client and event.originator_version == 1
                ):
                    owned.add(event.originator_id)
                    yield app.name, event
                elif _mentions(fields, client):
                    yield app.name, event
            if len(notifications) < PAGE:
                break
            start = notifications[-1].id + 1


class Opened:
    """Opens sealed values of one client, the key read once (never kept beyond the call)."""

    def __init__(self, keys: Any) -> None:
        self.keys = keys

    def tree(self, value: Any, name: str = "") -> Any:
        if name in BSN_FIELDS and value is not None:
            return BSN_NOTE
        if is_sealed(value):
            return self.keys.open(value)
        if isinstance(value, dict):
            return {k: self.tree(v, k) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.tree(v) for v in value]
        if isinstance(value, datetime | date | UUID):
            return str(value) if not isinstance(value, datetime) else value.isoformat()
        return value


def build(office: Any, client_id: UUID, request_id: UUID | None, channel: str) -> dict[str, Any]:
    """The export as data; the opening is logged first, so the export shows itself."""
    office.check_client(client_id)
    office.log_access(client_id, "privacy.export", "data_subject_request", channel)
    platform, org_id = office.platform, office.org_id
    opened = Opened(office.keys)
    organisation = platform.registry.organisation(org_id)
    actors: dict[str, str] = {}
    data = []
    for app_name, event in client_events(platform, org_id, client_id):
        fields = {
            f.name: opened.tree(getattr(event, f.name), f.name)
            for f in dataclasses.fields(event)
            if f.name not in BASE_FIELDS
        }
        aggregate, _, kind = type(event).__qualname__.rpartition(".")
        data.append(
            {
                "context": app_name,
                "onderdeel": aggregate,
                "gebeurtenis": kind,
                "tijdstip": event.timestamp.isoformat(),
                "door": _actor(platform, event.actor, actors),
                "gegevens": fields,
            }
        )
    record = office.app.client_privacy(client_id)
    consents = [
        {
            "doel": PURPOSES.get(c["purpose"], c["purpose"]),
            "ontvanger": RECIPIENT_KINDS.get(c["recipient_kind"], c["recipient_kind"]),
            "ontvanger_naam": c["recipient_name"],
            "gegeven_op": c["given_on"],
            "vastgelegd_als": CONSENT_EVIDENCE.get(c["evidence"], c["evidence"]),
            "ingetrokken_op": c["withdrawn_on"],
        }
        for c in office.consents(client_id)
    ]
    requests = [
        {
            "soort": REQUEST_KINDS[r["kind"]],
            "status": REQUEST_STATUSES[r["status"]],
            "ontvangen_op": r["received_on"],
            "uiterlijk": r["due_on"],
            "verlengd": r["extended"],
            "afgehandeld_op": r["completed_on"],
            "uitkomst": OUTCOMES.get(r["outcome"] or "", None),
        }
        for r in office.requests_view.requests(office.today(), client_id=client_id)
    ]
    log = [
        {
            "wanneer": a["at"],
            "wie": _actor(platform, a["actor"], actors),
            "wat": a["what"],
            "waarom": ACCESS_REASONS.get(a["why"], a["why"]),
            "kanaal": ACCESS_CHANNELS.get(a["channel"], a["channel"]),
            "ontvanger": RECIPIENT_KINDS.get(a["recipient_kind"] or "", None),
        }
        for a in office.access_log.entries(client_id)
    ]
    policy = office.app.policy()
    return {
        "document": "Inzage in persoonsgegevens (artikel 15 en 20 AVG)",
        "organisatie": {"naam": organisation.name, "kvk": organisation.kvk_number},
        "betrokkene": {
            "client_id": str(client_id),
            "clientnummer": office.client_number(client_id),
        },
        "gemaakt_op": office.now().isoformat(),
        "verzoek_id": str(request_id) if request_id else None,
        "bsn": BSN_NOTE if record is not None and record.bsn else "Niet vastgelegd",
        "toestemmingen": consents,
        "beperking_van_de_verwerking": bool(record and record.restricted),
        "bezwaren": [PURPOSES.get(p, p) for p in (record.objections if record else [])],
        "verzoeken": requests,
        "inzage_en_verstrekkingen": log,
        "verwerkingen": [a["entry"] for a in office.registers.activities()],
        "bewaartermijnen_maanden": dict(policy.retention),
        "gegevens": data,
        "rechten": (
            "U kunt ons vragen gegevens te verbeteren, te wissen of de verwerking te beperken,"
            " en bezwaar maken. U kunt een klacht indienen bij de Autoriteit Persoonsgegevens."
        ),
    }


def _actor(platform: Any, actor: str, cache: dict[str, str]) -> str:
    if actor not in cache:
        kind, _, raw = actor.partition(":")
        label = actor
        try:
            if kind == "user":
                label = f"{platform.registry.user(UUID(raw)).name} (medewerker)"
            elif kind == "client":
                label = f"API-koppeling '{platform.registry.api_client(raw).name}'"
            elif kind == "system" or kind.startswith("system"):
                label = "Jobtrail (automatisch)"
        except (NotFoundError, ValueError):
            pass
        cache[actor] = label
    return cache[actor]


def to_json(export: dict[str, Any]) -> bytes:
    return json.dumps(export, ensure_ascii=False, indent=2, default=str).encode()


def to_pdf(export: dict[str, Any]) -> bytes:
    subject = export["betrokkene"]
    doc = Document(
        export["document"],
        f"{export['organisatie']['naam']}"
        f" - cliënt {subject['clientnummer'] or subject['client_id']}"
        f" - gemaakt op {export['gemaakt_op'][:16].replace('T', ' ')}",
        footer=export["rechten"],
    )
    doc.heading("Burgerservicenummer")
    doc.paragraph(export["bsn"])
    doc.heading("Toestemmingen")
    doc.table(
        ("Doel", "Ontvanger", "Gegeven op", "Ingetrokken op"),
        (
            (
                c["doel"],
                " ".join(filter(None, (c["ontvanger"], c["ontvanger_naam"]))),
                c["gegeven_op"],
                c["ingetrokken_op"] or "",
            )
            for c in export["toestemmingen"]
        ),
    )
    if export["beperking_van_de_verwerking"] or export["bezwaren"]:
        doc.heading("Beperking en bezwaar")
        doc.paragraph(
            "Verwerking beperkt: " + ("ja" if export["beperking_van_de_verwerking"] else "nee")
        )
        for objection in export["bezwaren"]:
            doc.paragraph(f"Bezwaar tegen: {objection}")
    doc.heading("Uw verzoeken")
    doc.table(
        ("Soort", "Status", "Ontvangen", "Uiterlijk", "Afgehandeld"),
        (
            (r["soort"], r["status"], r["ontvangen_op"], r["uiterlijk"], r["afgehandeld_op"] or "")
            for r in export["verzoeken"]
        ),
    )
    doc.heading("Wie uw gegevens inzag of ontving")
    doc.table(
        ("Wanneer", "Wie", "Wat", "Waarom", "Ontvanger"),
        (
            (
                a["wanneer"][:16].replace("T", " "),
                a["wie"],
                a["wat"],
                a["waarom"],
                a["ontvanger"] or "",
            )
            for a in export["inzage_en_verstrekkingen"]
        ),
    )
    doc.heading("Alle vastgelegde gegevens")
    for item in export["gegevens"]:
        doc.paragraph(
            f"{item['tijdstip'][:16].replace('T', ' ')} - {item['context']} / {item['onderdeel']}:"
            f" {item['gebeurtenis']} (door {item['door']})",
            size=9,
            bold=True,
        )
        doc.pairs(_flatten(item["gegevens"]), indent=4)
    return doc.output()


def _flatten(value: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _flatten(inner, f"{prefix}{key}." if isinstance(inner, dict | list) else "")
            if not isinstance(inner, dict | list):
                yield f"{prefix}{key}", inner
    elif isinstance(value, list):
        for n, inner in enumerate(value, 1):
            if isinstance(inner, dict | list):
                yield from _flatten(inner, f"{prefix}{n}.")
            else:
                yield f"{prefix}{n}", inner


def make_export(
    office: Any, client_id: UUID, request_id: UUID | None = None, channel: str = "api"
) -> tuple[dict[str, Any], bytes, bytes, list[dict[str, Any]]]:
    """Build, store (sealed with the client's key) and, for a request, deliver the export."""
    if office.is_erased(client_id):
        from services.kernel.domain import DomainError

        raise DomainError("De gegevens van deze cliënt zijn gewist; er valt niets te exporteren")
    if request_id is not None:
        request = office.app.request(request_id)
        if request.client_id != client_id:
            raise NotFoundError("Verzoek niet gevonden")
    export = build(office, client_id, request_id, channel)
    as_json, as_pdf = to_json(export), to_pdf(export)
    documents = [
        office.documents.save_sealed(client_id, "inzage.json", as_json, "application/json"),
        office.documents.save_sealed(client_id, "inzage.pdf", as_pdf, "application/pdf"),
    ]
    if request_id is not None:

        def deliver(r: Any) -> None:
            for d in documents:
                r.deliver_export(d["document_id"], d["sha256"], d["media_type"])

        office.app.on_request(request_id, deliver)
    return export, as_json, as_pdf, documents
