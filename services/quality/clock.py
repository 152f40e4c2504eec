"""The quality context's clock: the kernel's (services/kernel/clock.py)."""

from services.kernel.clock import LOCAL, Clock, FixedClock, SystemClock, today

__all__ = ["LOCAL", "Clock", "FixedClock", "SystemClock", "today"]
