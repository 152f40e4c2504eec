"""The Dutch citizen service number (BSN): validation and redaction.

A BSN is 9 digits passing the "11-proef": 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 is a
multiple of 11 (and not 0). The platform stores one only when the organisation has
switched BSN on with a recorded legal basis, sealed with the client's own key, and
keeps it out of logs, URLs, exports and job payloads (see redaction below).
"""

from __future__ import annotations

import logging
import re

NINE_DIGITS = re.compile(r"(?<!\d)\d{9}(?!\d)")
WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
REDACTED = "[BSN verwijderd]"


def normalise(text: str) -> str:
    return re.sub(r"[\s.\-]", "", text)


def is_valid_bsn(text: str) -> bool:
    digits = normalise(text)
    if not (len(digits) == 9 and digits.isdigit()):
        return False
    total = sum(int(d) * w for d, w in zip(digits, WEIGHTS, strict=True))
    return total != 0 and total % 11 == 0


def contains_bsn(text: str) -> bool:
    return any(is_valid_bsn(m.group()) for m in NINE_DIGITS.finditer(text))


def redact(text: str) -> str:
    """Replace every 9-digit number that passes the 11-proef (false positives are cheap)."""
    return NINE_DIGITS.sub(lambda m: REDACTED if is_valid_bsn(m.group()) else m.group(), text)


_installed = False


def install_log_redaction() -> None:
    """Redact BSNs from every log record of this process, whichever handler writes it.

    A record factory sees every record a logger emits (handlers added later, by
    gunicorn or RQ, included), so no handler can be forgotten.
    """
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args, **kwargs):  # type: ignore[no-untyped-def]
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the logging module's business
            return record
        if NINE_DIGITS.search(message) and contains_bsn(message):
            record.msg, record.args = redact(message), ()
        return record

    logging.setLogRecordFactory(factory)
    _installed = True
