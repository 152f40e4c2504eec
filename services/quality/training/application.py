"""The Development application (one per organisation): training policy, registers, peer review.

Certificates are files under settings.data_dir, named by their SHA-256, which the event
records: the file can be checked against the history at any time.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

from services.kernel.domain import DomainError, NotFoundError
from services.quality.base import QualityApplication
from services.quality.training.domainmodel import (
    FunctionProfile,
    Onboarding,
    OnboardingProgramme,
    TrainingPlan,
    TrainingRecord,
)
from services.quality.training.peerreview import PeerReviewSession
from services.quality.training.portfolio_drafts import PortfolioDraft
from services.quality.training.registers import RegisterFile

MAX_CERTIFICATE_BYTES = 2 * 1024 * 1024
MEDIA_TYPES = {b"%PDF-": "application/pdf", b"\x89PNG\r\n\x1a\n": "image/png",
               b"\xff\xd8\xff": "image/jpeg"}


class Development(QualityApplication):
    name = "development"

    # Function profiles and onboarding -----------------------------------------------------
    def define_function_profile(self, **fields: Any) -> FunctionProfile:
        return self.create(FunctionProfile.define(**fields))

    def revise_function_profile(self, profile_id: UUID, *, expected_version: int | None = None,
                                **fields: Any) -> FunctionProfile:
        return self.update(profile_id, FunctionProfile, lambda p: p.revise(**fields),
                           expected_version=expected_version)

    def define_onboarding_programme(self, name: str, steps: list[dict[str, Any]]):
        return self.create(OnboardingProgramme.define(name, steps))

    def revise_onboarding_programme(self, programme_id: UUID, steps: list[dict[str, Any]]):
        return self.update(programme_id, OnboardingProgramme, lambda p: p.revise(steps))

    def start_onboarding(self, employee_id: UUID, programme_id: UUID,
                         started_on: date | None = None) -> Onboarding:
        programme = self.load(programme_id, OnboardingProgramme)
        on = started_on or self.today()
        if on > self.today():
            raise DomainError("Het inwerken kan niet in de toekomst zijn gestart")
        return self.create(Onboarding(employee_id, programme.id, programme.revision, on,
                                      programme.steps))

    def onboarding(self, employee_id: UUID) -> Onboarding:
        return self.load(Onboarding.create_id(employee_id=employee_id), Onboarding)

    def complete_onboarding_step(self, employee_id: UUID, step_id: str, signed_by: str,
                                 on: date | None = None) -> Onboarding:
        today = self.today()
        return self.update(Onboarding.create_id(employee_id=employee_id), Onboarding,
                           lambda o: o.complete(step_id, on or today, today, signed_by))

    # Training plan and records -----------------------------------------------------------
    def training_plan(self, year: int) -> TrainingPlan:
        assert self.org_id is not None
        plan_id = TrainingPlan.create_id(self.org_id, year)
        try:
            return self.load(plan_id, TrainingPlan)
        except NotFoundError:
            return self.create(TrainingPlan(self.org_id, year))

    def plan_training(self, year: int, item_id: str, **fields: Any) -> TrainingPlan:
        if not 2000 <= year <= 2100:
            raise DomainError("Het jaar van het opleidingsplan klopt niet")
        plan = self.training_plan(year)
        return self.update(plan.id, TrainingPlan, lambda p: p.plan(item_id, **fields))

    def record_training(self, **fields: Any) -> TrainingRecord:
        return self.create(TrainingRecord.record(today=self.today(), **fields))

    def training_record(self, record_id: UUID) -> TrainingRecord:
        return self.load(record_id, TrainingRecord)

    def withdraw_training(self, record_id: UUID, reason: str) -> TrainingRecord:
        return self.update(record_id, TrainingRecord, lambda r: r.withdraw(reason))

    def certificates_dir(self) -> Path:
        owner = self.org_id.hex if self.org_id else "platform"
        return Path(self.settings.data_dir) / "certificates" / owner

    def attach_certificate(self, record_id: UUID, filename: str, content: bytes, *,
                           expected_version: int | None = None) -> TrainingRecord:
        self.training_record(record_id)  # 404 before anything is written
        if not content:
            raise DomainError("Het certificaat is leeg")
        if len(content) > MAX_CERTIFICATE_BYTES:
            raise DomainError("Een certificaat mag hoogstens 2 MB zijn")
        media_type = next((t for magic, t in MEDIA_TYPES.items() if content.startswith(magic)),
                          None)
        if media_type is None:
            raise DomainError("Een certificaat is een PDF-, PNG- of JPEG-bestand")
        digest = hashlib.sha256(content).hexdigest()
        directory = self.certificates_dir()
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / digest
        if not path.exists():  # content-addressed: the same file is stored once
            temporary = path.with_suffix(".tmp")
            temporary.write_bytes(content)
            temporary.replace(path)
        name = Path(filename or "certificaat").name[:200]
        return self.update(
            record_id, TrainingRecord,
            lambda r: r.attach_certificate(name, digest, len(content), media_type),
            expected_version=expected_version,
        )

    def certificate(self, record_id: UUID) -> tuple[dict[str, Any], bytes]:
        """The certificate and its bytes, checked against the hash in the event."""
        record = self.training_record(record_id)
        if record.certificate is None:
            raise NotFoundError("Er is geen certificaat bij deze scholing")
        content = (self.certificates_dir() / record.certificate["sha256"]).read_bytes()
        if hashlib.sha256(content).hexdigest() != record.certificate["sha256"]:
            raise DomainError("Het opgeslagen certificaat komt niet overeen met de vastlegging")
        return record.certificate, content

    # Register files ------------------------------------------------------------------------
    def register_file(self, jobcoach_id: UUID) -> RegisterFile:
        try:
            return self.load(RegisterFile.create_id(jobcoach_id), RegisterFile)
        except NotFoundError:
            return RegisterFile(jobcoach_id)  # empty, not yet saved

    def change_register_file(self, jobcoach_id: UUID, command: Any) -> RegisterFile:
        file_id = RegisterFile.create_id(jobcoach_id)
        try:
            self.load(file_id, RegisterFile)
        except NotFoundError:
            from services.kernel import context

            with context.idempotency(None):
                self.create(RegisterFile(jobcoach_id))
        today = self.today()
        return self.update(file_id, RegisterFile, lambda f: command(f, today))

    # Peer review ---------------------------------------------------------------------------
    def record_portfolio_draft(self, **fields: Any) -> PortfolioDraft:
        return self.create(PortfolioDraft.generated(**fields))

    def record_peer_review(self, **fields: Any) -> PeerReviewSession:
        return self.create(PeerReviewSession.record(today=self.today(), **fields))

    def peer_review(self, session_id: UUID) -> PeerReviewSession:
        return self.load(session_id, PeerReviewSession)

    def cancel_peer_review(self, session_id: UUID, reason: str) -> PeerReviewSession:
        return self.update(session_id, PeerReviewSession, lambda s: s.cancel(reason))
