"""The privacy context's aggregates (split by aggregate into modules of their own)."""

from services.privacy.registers import Breach, PrivacyPolicy, ProcessingActivity
from services.privacy.requests import DataSubjectRequest
from services.privacy.subjects import ClientErasure, ClientPrivacy, ReadAccess

AGGREGATES = (
    DataSubjectRequest,
    ClientPrivacy,
    ClientErasure,
    ReadAccess,
    Breach,
    ProcessingActivity,
    PrivacyPolicy,
)
__all__ = [a.__name__ for a in AGGREGATES] + ["AGGREGATES"]
