"""Stored events name their class by topic (module:qualname). The domain model is split
into helper modules, but the event classes stay in domainmodel.py: every topic ever
stored must still resolve to the same class, or old events stop loading."""

from eventsourcing.utils import get_topic, resolve_topic

from services.trajectories.domainmodel import Trajectory

STORED = (  # every Trajectory event written so far (and classified in privacy/inventory.py)
    "Created", "Reassigned", "IntakeRecorded", "EmployeeProfileRecorded",
    "WorkplaceProfileRecorded", "MatchingRecorded", "PlacementRecorded",
    "FinalReportRecorded", "JobFindingRecorded", "CoachingPlanRecorded",
    "ProgressEvaluated", "ActivityRecorded", "ActivityCorrected", "GrantAdded",
    "ClosingEvaluationRecorded", "Closed", "FollowUpRecorded", "LogSigned",
)


def test_every_stored_topic_still_resolves_to_its_class():
    for name in STORED:
        topic = f"services.trajectories.domainmodel:Trajectory.{name}"
        cls = getattr(Trajectory, name)
        assert resolve_topic(topic) is cls
        assert get_topic(cls) == topic
    assert get_topic(Trajectory) == "services.trajectories.domainmodel:Trajectory"
