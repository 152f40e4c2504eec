"""What Jobtrail is made of: the applications per context and their read models.

`Platform` is the process-wide handle the web app, the CLI and the workers share:
settings, the cache of applications per organisation, and their views.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any
from uuid import UUID

from eventsourcing.sqlite import SQLiteDatastore

from projections import audit_actors
from projections.audit_log import AuditTrailView, for_apps
from projections.renewal_facts import (
    FollowUpFactsView,
    PeerReviewFactsView,
    SatisfactionFactsView,
    SurveyCoverageFactsView,
    TrainingPlanFactsView,
    TrajectoryFactsView,
)
from projections.renewal_staff_facts import (
    HandoverFactsView,
    OnboardingFactsView,
    ResponsibleFactsView,
)
from services.audit.application import AuditJournal, AuditorAccess
from services.audit.grants_view import AuditorGrantsView
from services.kernel import provision
from services.kernel.auth.tokens import TokenAuthority
from services.kernel.jobs import Jobs
from services.kernel.personal_data import SubjectKeys, wrapping_key
from services.kernel.settings import Settings
from services.kernel.store import Applications, TenantApplication, schema_for
from services.kernel.views import View
from services.platform.application import Registry
from services.platform.directory import DirectoryView
from services.platform.domainmodel import Organisation
from services.privacy.application import Privacy
from services.privacy.tombstones import backfill_tombstones
from services.privacy.views import AccessLogView, RegistersView, RequestsView
from services.quality.complaints.application import Complaints
from services.quality.complaints.register import ComplaintRegisterView
from services.quality.portfolio.drafts_view import PortfolioDraftsView
from services.quality.satisfaction.application import Satisfaction, SurveyLinks
from services.quality.satisfaction.report import SatisfactionView
from services.quality.training.application import Development
from services.quality.training.view import TrainingView
from services.trajectories.application import Trajectories
from services.trajectories.caseload import CaseloadView
from services.trajectories.clients_view import ClientsView
from services.trajectories.workday import WorkdayView

PLATFORM_APPS: tuple[type[TenantApplication], ...] = (Registry, AuditorAccess, SurveyLinks)
ORG_APPS: tuple[type[TenantApplication], ...] = (
    Trajectories, Complaints, Satisfaction, Development, Privacy, AuditJournal
)
VIEWS: dict[type[TenantApplication], tuple[type[View], ...]] = {
    Registry: (DirectoryView,),
    AuditorAccess: (AuditorGrantsView,),
    Trajectories: (CaseloadView, WorkdayView, ClientsView, TrajectoryFactsView,
                   FollowUpFactsView, HandoverFactsView, ResponsibleFactsView),
    Complaints: (ComplaintRegisterView,),
    Privacy: (RequestsView, AccessLogView, RegistersView),
    Satisfaction: (SatisfactionView, SatisfactionFactsView, SurveyCoverageFactsView),
    Development: (TrainingView, PeerReviewFactsView, TrainingPlanFactsView, PortfolioDraftsView,
                  OnboardingFactsView),
}
# Every application of an organisation feeds its audit log (projections/audit_log.py),
# and the actor kinds of the auditor's trail browser (projections/audit_actors.py).
AUDIT_TRAILS = for_apps(ORG_APPS)
AUDIT_ACTORS = audit_actors.for_apps(ORG_APPS)
for _app_class, _trail in AUDIT_TRAILS.items():
    VIEWS[_app_class] = (*VIEWS.get(_app_class, ()), _trail, AUDIT_ACTORS[_app_class])


class Platform:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.apps = Applications(settings, on_recorded=self.kick_projections)
        self.jobs = Jobs(settings, self)
        self.tokens = TokenAuthority(settings, lambda: self.registry)
        self._views: dict[tuple[type[View], UUID | None], View] = {}
        self._subject_keys: dict[UUID, SubjectKeys] = {}  # SQLite: a file per organisation
        self._wrapping_key = wrapping_key(settings.cipher_key)
        self._lock = threading.Lock()

    # Applications
    @property
    def registry(self) -> Registry:
        return self.apps.get(Registry)

    def app(self, app_class: type[TenantApplication], org_id: UUID) -> TenantApplication:
        app = self.apps.get(app_class, org_id)
        # an app that seals clients' text (keys = None on the class) gets the org's subject keys
        if getattr(app, "keys", False) is None and org_id is not None:
            app.keys = self.subject_keys(org_id)  # type: ignore[attr-defined]
        return app

    def trajectories(self, org_id: UUID) -> Trajectories:
        return self.app(Trajectories, org_id)  # type: ignore[return-value]

    def audit_trails(self, org_id: UUID) -> list[AuditTrailView]:
        """The organisation's audit log, one view per application (all share one tree)."""
        return [self.view(trail, org_id) for trail in AUDIT_TRAILS.values()]  # type: ignore[misc]

    def audit_actors(self, org_id: UUID) -> list[audit_actors.AuditActorsView]:
        """Who acted per stored event, one view per application (all share one table)."""
        return [self.view(view, org_id) for view in AUDIT_ACTORS.values()]  # type: ignore[misc]

    def subject_keys(self, org_id: UUID) -> SubjectKeys:
        """The organisation's per-data-subject keys (crypto-shredding)."""
        if self.settings.is_postgres:  # the org's schema, through its shared pool
            datastore = self.apps.get(ORG_APPS[0], org_id).recorder.datastore  # type: ignore[attr-defined]
            return SubjectKeys(datastore, self._wrapping_key)
        with self._lock:
            keys = self._subject_keys.get(org_id)
            if keys is None:
                keys = self._subject_keys[org_id] = SubjectKeys(
                    self._keys_datastore(org_id), self._wrapping_key
                )
            return keys

    def _keys_datastore(self, org_id: UUID) -> Any:
        directory = self.settings.sqlite_dir / schema_for(org_id)
        directory.mkdir(parents=True, exist_ok=True)
        return SQLiteDatastore(str(directory / "subject_keys.sqlite"), lock_timeout=10)

    # Read models
    def view(self, view_class: type[View], org_id: UUID | None = None) -> View:
        app_class = next(a for a, views in VIEWS.items() if view_class in views)
        key = (view_class, org_id)
        with self._lock:
            view = self._views.get(key)
            if view is None or view.app.closing.is_set():  # its app was evicted from the cache
                if view is not None:
                    view.close()
                view = self._views[key] = view_class(self.apps.get(app_class, org_id))
            return view

    @property
    def directory(self) -> DirectoryView:
        return self.view(DirectoryView)  # type: ignore[return-value]

    def all_views(self) -> Iterator[tuple[UUID | None, View]]:
        """Every (organisation, view) pair, platform views first."""
        for app_class in PLATFORM_APPS:
            for view_class in VIEWS.get(app_class, ()):
                yield None, self.view(view_class)
        for org in self.directory.organisations():
            org_id = UUID(org["org_id"])
            for app_class in ORG_APPS:
                for view_class in VIEWS.get(app_class, ()):
                    yield org_id, self.view(view_class, org_id)

    def kick_projections(self, app: TenantApplication) -> None:
        """After a command: bring this application's views up to date (job or inline)."""
        if VIEWS.get(type(app)):
            self.jobs.enqueue("projections.jobs:catch_up_app", app.org_id, app.name, coalesce=True)

    def views_of(self, app_class: type[TenantApplication], org_id: UUID | None) -> list[View]:
        return [self.view(view_class, org_id) for view_class in VIEWS.get(app_class, ())]

    # Provisioning (owner connection; never run by web or worker processes)
    def provision_platform(self) -> None:
        self._provision(None, PLATFORM_APPS)

    def create_organisation(
        self, name: str, slug: str, kvk_number: str, *, totp_required: bool = True
    ) -> Organisation:
        """Register the organisation and create its schema, tables and views."""
        self.provision_platform()
        org = self.registry.register_organisation(
            name, slug, kvk_number, totp_required=totp_required
        )
        self.provision_organisation(org.id)
        return org

    def provision_organisation(self, org_id: UUID | str) -> None:
        """Bring an existing organisation's schema up to date (new contexts, new views)."""
        org_id = UUID(str(org_id))
        self._provision(org_id, ORG_APPS)
        if not self.settings.is_postgres:
            self.subject_keys(org_id).create_table()
        backfill_tombstones(self, org_id)  # clients erased before tombstones existed

    def _provision(self, org_id: UUID | None, app_classes: tuple[type[TenantApplication], ...]):
        provision.provision(self.settings, org_id, app_classes, pre_grant=self._create_views)

    def _create_views(self, app: TenantApplication) -> None:
        if app.org_id is not None and type(app) is ORG_APPS[0] and self.settings.is_postgres:
            # owner connection: the key table is created before the grants are computed
            SubjectKeys(app.recorder.datastore, b"\0" * 32).create_table()  # type: ignore[attr-defined]
        for view_class in VIEWS.get(type(app), ()):
            view = view_class(app)
            view.create_tables()
            view.close()

    def close(self) -> None:
        for view in self._views.values():
            view.close()
        self._views.clear()
        for keys in self._subject_keys.values():
            keys.datastore.close()
        self._subject_keys.clear()
        self.apps.close()
