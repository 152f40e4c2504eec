"""The privacy context's clock: the kernel's (services/kernel/clock.py)."""

from services.kernel.clock import LOCAL, Clock, SystemClock, today
from services.kernel.clock import FixedClock as FrozenClock

__all__ = ["LOCAL", "Clock", "FrozenClock", "SystemClock", "today"]
