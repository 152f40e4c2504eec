"""Erasing a client: destroy every readable copy, keep the history.

1. refuse while a trajectory is open, unless the officer explicitly decides so;
2. shred the client's key: every sealed value in every event, snapshot, view and
   generated document becomes unreadable at once (the stored bytes, and so the
   Merkle audit log over them, stay exactly as they were);
3. append a PII-free ClientErasure event (who, pseudonym, when, legal basis);
4. rebuild the views that held the client's personal data unsealed (the inventory
   says which), delete the client's generated documents, purge Redis jobs that name
   the client, and compact the key table (PostgreSQL keeps deleted rows in its heap
   pages until VACUUM);
5. write a certificate (JSON + PDF) that says when the last backup holding the key
   expires. Erasing twice is harmless: steps 2 and 4 run again, step 3 is not repeated.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

from services.kernel import context
from services.kernel.domain import DomainError
from services.privacy.pdf import Document
from services.privacy.subjects import ClientErasure
from services.privacy.vocabulary import ERASURE_BASES

log = logging.getLogger(__name__)


class DecisionRequiredError(DomainError):
    """The client has an open trajectory: erasing needs an explicit decision."""


@dataclass
class ErasureOutcome:
    erasure: ClientErasure
    repeated: bool
    documents_deleted: int
    jobs_purged: int
    views_rebuilt: list[str]
    certificate_json: bytes
    certificate_pdf: bytes


def pseudonym(office: Any, client_id: UUID) -> str:
    """The client number when there is one (what auditors already see), else a keyed hash."""
    number = office.client_number(client_id)
    if number:
        return number
    key = hashlib.sha256(f"{office.platform.settings.secret_key}:{office.org_id}".encode()).digest()
    return "P-" + hmac.new(key, str(client_id).encode(), hashlib.sha256).hexdigest()[:10].upper()


def erase_client(
    office: Any,
    client_id: UUID,
    legal_basis: str,
    *,
    open_trajectory_decision: bool = False,
    request_id: UUID | None = None,
) -> ErasureOutcome:
    if legal_basis not in ERASURE_BASES:
        raise DomainError("Onbekende grondslag voor wissen: %(basis)s", basis=legal_basis)
    existing = office.app.erasure(client_id)
    if existing is None:
        office.check_client(client_id)
    open_count = sum(t["open"] for t in office.client_trajectories(client_id))
    if existing is None and open_count and not open_trajectory_decision:
        raise DecisionRequiredError(
            "Deze cliënt heeft %(count)s lopend(e) traject(en). Sluit het traject eerst af,"
            " of bevestig uitdrukkelijk dat u toch wist (open_trajectory_decision).",
            count=open_count,
        )
    name = pseudonym(office, client_id)  # before shredding: the number is not sealed anyway
    return _shred(office, client_id, name, legal_basis, existing, open_count, request_id)


def erase_subject(office: Any, subject_id: UUID, name: str, legal_basis: str) -> ErasureOutcome:
    """Erase a data subject who is not a client (an outside complainant, with a key of
    their own): the same shredding, record and certificate, under the pseudonym `name`."""
    if legal_basis not in ERASURE_BASES:
        raise DomainError("Onbekende grondslag voor wissen: %(basis)s", basis=legal_basis)
    if office.client_number(subject_id) is not None:
        raise DomainError("Dit is een cliënt: wis het cliëntdossier")
    return _shred(office, subject_id, name, legal_basis, office.app.erasure(subject_id), 0, None)


def _shred(
    office: Any,
    client_id: UUID,
    name: str,
    legal_basis: str,
    existing: ClientErasure | None,
    open_count: int,
    request_id: UUID | None,
) -> ErasureOutcome:
    key_existed = office.keys.shred(client_id)
    if existing is None:
        policy = office.app.policy()
        now = office.now()
        expires = (office.today() + timedelta(days=policy.backup_retention_days)).isoformat()
        erasure = office.app.record_erasure(
            ClientErasure(
                client_id,
                name,
                legal_basis,
                now,
                expires,
                str(request_id) if request_id else None,
                key_existed,
                open_count,
                context.current().actor,
            )
        )
    else:
        erasure = existing
    deleted = office.documents.delete_subject(client_id)
    rebuilt = rebuild_personal_views(office)
    purged = purge_jobs(office.platform, client_id)
    office.platform.jobs.enqueue(
        "services.privacy.jobs:compact_subject_keys",
        office.org_id,
        coalesce=True,
    )
    cert_json, cert_pdf = certificate(office, erasure)
    office.documents.save_certificate(erasure.id, cert_pdf, cert_json)
    if request_id is not None and existing is None:
        request = office.app.request(request_id)
        if request.is_open and request.client_id == client_id:
            office.app.on_request(
                request_id, lambda r: r.complete("done", office.today().isoformat())
            )
    log.info("erasure of %s done (repeated: %s)", name, existing is not None)
    return ErasureOutcome(
        erasure, existing is not None, deleted, purged, rebuilt, cert_json, cert_pdf
    )


def rebuild_personal_views(office: Any) -> list[str]:
    """Rebuild every view of the organisation that holds unsealed client data."""
    from projections.runtime import rebuild
    from services.privacy.inventory import views_with_plain_client_data

    names = views_with_plain_client_data()
    rebuilt = []
    for org_id, view in office.platform.all_views():
        if org_id == office.org_id and view.name in names:
            rebuild(view)
            rebuilt.append(view.name)
    return rebuilt


def purge_jobs(platform: Any, client_id: UUID) -> int:
    """Delete every RQ job (queued, scheduled, started, finished or failed) naming the client."""
    if platform.jobs.inline:
        return 0
    from rq.job import Job

    connection = platform.jobs.queue.connection
    needle = str(client_id)
    purged = 0
    for key in connection.scan_iter(match="rq:job:*", count=500):
        job_id = key.decode().removeprefix("rq:job:")
        if ":" in job_id:
            continue  # rq:job:<id>:dependents and similar
        try:
            job = Job.fetch(job_id, connection=connection)
            text = repr((job.args, job.kwargs, job.meta, job.description))
        except Exception:  # unreadable payload: cannot prove it is clean, so remove it
            connection.delete(key)
            purged += 1
            continue
        if needle in text:
            job.delete(remove_from_queue=True)
            purged += 1
    return purged


def certificate(office: Any, erasure: ClientErasure) -> tuple[bytes, bytes]:
    organisation = office.platform.registry.organisation(office.org_id)
    data = {
        "document": "Verklaring van verwijdering (artikel 17 AVG)",
        "organisatie": {"naam": organisation.name, "kvk": organisation.kvk_number},
        "verwijdering_id": str(erasure.id),
        "pseudoniem": erasure.pseudonym,
        "gewist_op": erasure.erased_at.isoformat(),
        "gewist_door": erasure.erased_by,
        "grondslag": {
            "code": erasure.legal_basis,
            "omschrijving": ERASURE_BASES[erasure.legal_basis],
        },
        "verzoek_id": erasure.request_id,
        "sleutel_vernietigd": True,
        "sleutel_bestond": erasure.key_existed,
        "lopende_trajecten_bij_wissen": erasure.open_trajectories,
        "laatste_backup_met_sleutel_verloopt_op": erasure.backup_expires_on,
        "toelichting": (
            "De persoonsgegevens van deze cliënt waren versleuteld met een eigen sleutel per"
            " cliënt. Die sleutel is vernietigd: alle kopieën in gebeurtenissen, overzichten en"
            " documenten zijn daardoor onleesbaar. De gebeurtenissen zelf blijven bestaan (zonder"
            " leesbare persoonsgegevens), zodat de geschiedenis en het auditlog controleerbaar"
            " blijven. Back-ups die de sleutel nog bevatten verlopen uiterlijk op de genoemde"
            " datum; een teruggezette back-up wordt vóór gebruik opnieuw gewist."
        ),
    }
    as_json = json.dumps(data, ensure_ascii=False, indent=2).encode()
    doc = Document(data["document"], f"{organisation.name} (KvK {organisation.kvk_number})")
    doc.pairs(
        [
            ("Verwijdering", data["verwijdering_id"]),
            ("Cliënt (pseudoniem)", data["pseudoniem"]),
            ("Gewist op", data["gewist_op"][:19].replace("T", " ") + " UTC"),
            ("Gewist door", data["gewist_door"]),
            ("Grondslag", data["grondslag"]["omschrijving"]),
            ("Verzoek", data["verzoek_id"] or "-"),
            ("Lopende trajecten", str(data["lopende_trajecten_bij_wissen"])),
            ("Back-ups verlopen op", data["laatste_backup_met_sleutel_verloopt_op"]),
        ]
    )
    doc.heading("Toelichting")
    doc.paragraph(data["toelichting"])
    return as_json, doc.output()
