"""The audit log's leaf record: a canonical encoding of one stored event record.

Standard library only: the offline verifier imports this module.

A leaf of an organisation's audit tree is SHA-256(0x00 || record), where ``record`` is::

    b"JTR1"                                   magic and format version
    u16 len || application name (UTF-8)      e.g. "trajectories"
    u64 notification id                       position in that application's log
    u16 len || originator id (UTF-8)          str() of the aggregate id
    u64 originator version
    u16 len || topic (UTF-8)                  the event class's topic
    u32 len || state                          the state bytes exactly as the event store
                                              holds them (compressed, then encrypted)

Integers are big-endian and unsigned. Every field is length-prefixed, so no two
different tuples share an encoding. ``state`` is ciphertext: destroying a data
subject's key (crypto-shredding) never changes it, so erasure never breaks the tree.
"""

import hashlib
import struct
from collections.abc import Iterable
from dataclasses import dataclass

MAGIC = b"JTR1"
_pack = struct.pack


class RecordError(ValueError):
    """Bytes that are not a canonical leaf record."""


@dataclass(frozen=True)
class LeafRecord:
    app: str
    notification_id: int
    originator_id: str
    originator_version: int
    topic: str
    state: bytes

    def encode(self) -> bytes:
        return encode(
            self.app, self.notification_id, self.originator_id, self.originator_version,
            self.topic, self.state,
        )

    def metadata(self) -> dict[str, object]:
        """The fields an export shows next to the record (the hash covers them anyway)."""
        return {
            "app": self.app,
            "notification_id": self.notification_id,
            "originator_id": self.originator_id,
            "originator_version": self.originator_version,
            "topic": self.topic,
        }


def encode(
    app: str,
    notification_id: int,
    originator_id: object,
    originator_version: int,
    topic: str,
    state: bytes,
) -> bytes:
    """The canonical record (the projection's hot path: a few packs and one join)."""
    a, o, t = app.encode(), str(originator_id).encode(), topic.encode()
    return b"".join(
        (
            MAGIC,
            _pack(">H", len(a)),
            a,
            _pack(">QH", notification_id, len(o)),
            o,
            _pack(">QH", originator_version, len(t)),
            t,
            _pack(">I", len(state)),
            bytes(state),
        )
    )


def decode(data: bytes) -> LeafRecord:
    """Parse a record strictly: right magic, every length in range, nothing left over."""
    reader = _Reader(data)
    if reader.take(4) != MAGIC:
        raise RecordError("onbekend recordformaat")
    app = reader.text(">H")
    notification_id = reader.integer(">Q")
    originator_id = reader.text(">H")
    originator_version = reader.integer(">Q")
    topic = reader.text(">H")
    state = reader.take(reader.integer(">I"))
    if not reader.at_end():
        raise RecordError("record heeft bytes na de state")
    return LeafRecord(app, notification_id, originator_id, originator_version, topic, state)


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.offset = data, 0

    def take(self, count: int) -> bytes:
        if self.offset + count > len(self.data):
            raise RecordError("record is afgekapt")
        chunk = self.data[self.offset : self.offset + count]
        self.offset += count
        return chunk

    def integer(self, fmt: str) -> int:
        return int(struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0])

    def text(self, length_format: str) -> str:
        try:
            return self.take(self.integer(length_format)).decode("utf-8")
        except UnicodeDecodeError:
            raise RecordError("record bevat geen geldige UTF-8-tekst") from None

    def at_end(self) -> bool:
        return self.offset == len(self.data)


def leaf_hashes(app: str, records: Iterable[tuple[int, str, int, str, bytes]]) -> list[bytes]:
    """SHA-256(0x00 || encode(app, *record)) for many records of one application.

    The projection's hot path: the application prefix is built once, each topic encoded
    once, and every record costs one join and one hash. Same bytes as `encode`."""
    a = app.encode()
    head = b"\x00" + MAGIC + _pack(">H", len(a)) + a
    topics: dict[str, bytes] = {}
    sha256, join = hashlib.sha256, b"".join
    result = []
    for notification_id, originator_id, originator_version, topic, state in records:
        t = topics.get(topic)
        if t is None:
            encoded = topic.encode()
            t = topics[topic] = _pack(">H", len(encoded)) + encoded
        o = originator_id.encode()
        result.append(
            sha256(
                join(
                    (
                        head,
                        _pack(">QH", notification_id, len(o)),
                        o,
                        _pack(">Q", originator_version),
                        t,
                        _pack(">I", len(state)),
                        state,
                    )
                )
            ).digest()
        )
    return result
