"""The canonical leaf record: round trip, injectivity, strict parsing."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.audit.record import RecordError, decode, encode

texts = st.text(max_size=80)
ints = st.integers(min_value=0, max_value=2**64 - 1)


@given(texts, ints, texts, ints, texts, st.binary(max_size=300))
def test_round_trip(app, notification_id, originator, version, topic, state):
    data = encode(app, notification_id, originator, version, topic, state)
    record = decode(data)
    assert (record.app, record.notification_id, record.originator_id) == (
        app,
        notification_id,
        originator,
    )
    assert (record.originator_version, record.topic, record.state) == (version, topic, state)
    assert record.encode() == data


def test_fields_cannot_shift_into_each_other():
    assert encode("ab", 1, "c", 1, "t", b"") != encode("a", 1, "bc", 1, "t", b"")
    assert encode("a", 1, "o", 1, "t", b"x") != encode("a", 1, "o", 1, "tx", b"")


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d[:-1],  # truncated
        lambda d: d + b"\x00",  # trailing bytes
        lambda d: b"JTR2" + d[4:],  # unknown version
    ],
)
def test_malformed_records_are_refused(mutate):
    with pytest.raises(RecordError):
        decode(mutate(encode("trajectories", 1, "o", 1, "t", b"state")))


@given(texts, st.lists(st.tuples(ints, texts, ints, texts, st.binary(max_size=300)), max_size=20))
def test_batch_leaf_hashes_equal_hashing_each_record(app, records):
    """The projection's hot path hashes exactly the canonical records."""
    from services.audit.merkle import leaf_hash
    from services.audit.record import leaf_hashes

    assert leaf_hashes(app, records) == [leaf_hash(encode(app, *r)) for r in records]
