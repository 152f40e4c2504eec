"""The Trajectories application: one instance per organisation."""

from __future__ import annotations

from uuid import UUID

from services.kernel.store import TenantApplication
from services.trajectories.domainmodel import Trajectory


class Trajectories(TenantApplication):
    name = "trajectories"
    snapshotting_intervals = {Trajectory: 50}  # coaching years grow long histories

    def start_trajectory(
        self, client_id: UUID, commissioner: str, responsible_jobcoach: UUID
    ) -> Trajectory:
        return self.create(Trajectory(client_id, commissioner, responsible_jobcoach))

    def trajectory(self, trajectory_id: UUID) -> Trajectory:
        return self.load(trajectory_id, Trajectory)

    def reassign(
        self,
        trajectory_id: UUID,
        jobcoach: UUID,
        handover_note: str,
        *,
        expected_version: int | None = None,
    ) -> Trajectory:
        return self.update(
            trajectory_id,
            Trajectory,
            lambda t: t.reassign(jobcoach, handover_note),
            expected_version=expected_version,
        )
