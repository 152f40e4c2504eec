"""Every event field and every read-model column is classified; personal client data is
stored sealed. Adding a field without classifying it in services/privacy/inventory.py
fails here."""

from __future__ import annotations

import dataclasses

from eventsourcing.utils import get_topic

from services.catalogue import ORG_APPS, PLATFORM_APPS, VIEWS
from services.kernel.personal_data import is_sealed
from services.privacy import inventory
from services.privacy.walk import all_events, event_fields, view_columns
from tests.integration.test_privacy_scenario import plant

APPS = PLATFORM_APPS + ORG_APPS
CATEGORIES = {
    inventory.IDENTIFYING,
    inventory.CONTACT,
    inventory.SPECIAL,
    inventory.FREE_TEXT,
    inventory.NONE,
}


def test_every_event_field_is_classified():
    events = dict(all_events(APPS))
    assert len(events) > 50, "the walk should find the events of every context"
    missing = [
        f"{topic}.{name}"
        for topic, event_class in events.items()
        for name in event_fields(event_class)
        if inventory.field_for(topic, name) is None
    ]
    assert not missing, (
        "Classify these event fields in services/privacy/inventory.py EVENTS "
        f"(identifying, contact, special, free_text or none): {missing}"
    )
    stale = [
        f"{topic}.{name}"
        for topic, fields in inventory.EVENTS.items()
        for name in fields
        if topic not in events or name not in event_fields(events[topic])
    ]
    assert not stale, f"inventory entries for fields that no longer exist: {stale}"


def test_every_view_column_is_classified():
    seen, missing = set(), []
    for view_classes in VIEWS.values():
        for view_class in view_classes:
            for table, column in view_columns(view_class):
                seen.add(f"{view_class.name}.{table}")
                if inventory.column_for(view_class.name, table, column) is None:
                    missing.append(f"{view_class.name}.{table}.{column}")
    assert not missing, f"Classify these columns in inventory.COLUMNS: {missing}"
    assert set(inventory.COLUMNS) <= seen, set(inventory.COLUMNS) - seen


def test_classifications_are_well_formed():
    for fields in [*inventory.EVENTS.values(), *inventory.COLUMNS.values()]:
        for spec in fields.values():
            assert spec.category in CATEGORIES
            assert spec.holder in ("-", "client", "staff", "org")
            assert not (spec.category == inventory.NONE and spec.holder == "client")


def test_known_gaps_are_listed_with_their_owner():
    """Client data stored unsealed is a bug: each gap stays visible until fixed."""
    assert {(t.rsplit(":", 1)[-1], f) for t, f, _ in inventory.gaps()} == set()


def _sealed_somewhere(value) -> bool:
    if is_sealed(value):
        return True
    if isinstance(value, dict):
        return any(_sealed_somewhere(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_sealed_somewhere(v) for v in value)
    return False


def test_personal_fields_are_stored_sealed_in_example_events(any_platform, any_orgs):
    """Example events from the canary scenario: every field classified as sealed client
    data is None, sealed, or a structure of sealed values, and no canary is in the clear."""
    planted = plant(any_platform, any_orgs)
    checked, problems = set(), []
    for app_class in ORG_APPS:
        app = any_platform.app(app_class, planted.org.id)
        for notification in app.recorder.select_notifications(start=1, limit=100_000):
            event = app.mapper.to_domain_event(notification)
            topic = get_topic(type(event))
            for f in dataclasses.fields(event):
                spec = inventory.field_for(topic, f.name)
                value = getattr(event, f.name)
                if spec is None or not spec.must_be_sealed or not spec.sealed or value is None:
                    continue
                checked.add(f"{topic}.{f.name}")
                if not _sealed_somewhere(value):
                    problems.append(f"{topic}.{f.name} is not sealed")
            clear = repr([getattr(event, f.name) for f in dataclasses.fields(event)])
            problems += [
                f"{topic}: canary '{k}' in the clear"
                for k, v in planted.canaries.items()
                if v in clear
            ]
    assert not problems, problems
    expected = {
        "services.trajectories.clients:Client.Created.contact",
        "services.trajectories.clients:Client.SupportNeedDescribed.limitations",
        "services.trajectories.clients:Client.NetworkContactAdded.name",
        "services.trajectories.domainmodel:Trajectory.IntakeRecorded.data",
        "services.privacy.requests:DataSubjectRequest.Created.requester",
        "services.privacy.requests:DataSubjectRequest.Extended.reason",
        "services.privacy.subjects:ClientPrivacy.ConsentGiven.recipient_name",
        "services.privacy.subjects:ClientPrivacy.BsnRecorded.bsn",
        "services.quality.satisfaction.domainmodel:SurveyCampaign.Exempted.reason",
    }
    assert expected <= checked, expected - checked


def test_plain_client_data_views_are_rebuilt_on_erasure():
    """No view holds client data unsealed today; if one ever does, erasure rebuilds it."""
    assert inventory.views_with_plain_client_data() == set()
