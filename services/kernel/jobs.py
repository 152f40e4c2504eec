"""Background jobs with RQ; inline when no Redis is configured (the embedded default).

Jobs carry ids only (never personal data) and re-enter the acting context of the
organisation and actor that caused them.
"""

from __future__ import annotations

import logging
from typing import Any
from uuid import UUID

from services.kernel import context
from services.kernel.settings import Settings

log = logging.getLogger(__name__)

QUEUE_NAME = "jobtrail"
RETRY_INTERVALS = [2, 10, 60]


class Jobs:
    def __init__(self, settings: Settings, platform: Any) -> None:
        self.settings = settings
        self.platform = platform  # used when running inline
        self._queue: Any = None

    @property
    def inline(self) -> bool:
        return not self.settings.redis_url

    @property
    def queue(self) -> Any:
        if self._queue is None:
            import redis
            from rq import Queue

            connection = redis.from_url(self.settings.redis_url, socket_timeout=2)
            self._queue = Queue(QUEUE_NAME, connection=connection)
        return self._queue

    def enqueue(
        self,
        function: str,
        org_id: UUID | None,
        *ids: str,
        coalesce: bool = False,
        job_id: str | None = None,
    ) -> str | None:
        """Run `function(*ids)` as the current actor for org_id: queued, or inline.

        `coalesce`: while such a job is still waiting, another request for it is dropped
        (a catch-up after every command would otherwise queue thousands of copies).
        `job_id`: a unique id to follow the job by (RQ does not de-duplicate on it).
        Returns the job id, or None when it ran inline, was coalesced, or Redis was
        unreachable (the sweeper then does the work later: Redis down delays, never loses).
        """
        acting = context.current()
        args = (function, str(org_id) if org_id else None, acting.actor, *ids)
        if self.inline:
            execute(self.platform, *args)
            return None
        from rq import Retry

        try:
            connection = self.queue.connection
            if coalesce and not connection.set(pending_key(*args), 1, nx=True, ex=PENDING_TTL):
                return None
            job = self.queue.enqueue(
                run,
                *args,
                job_id=job_id,
                retry=Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS),
                result_ttl=3600,
                failure_ttl=7 * 24 * 3600,
            )
        except Exception as error:  # redis down: the command has committed anyway
            log.warning("could not enqueue %s: %s", function, type(error).__name__)
            return None
        return job.id


_platform: Any = None


def worker_platform() -> Any:
    """One Platform per worker process, built from the environment."""
    global _platform
    if _platform is None:
        from services.catalogue import Platform

        _platform = Platform(Settings.from_env())
    return _platform


PENDING_TTL = 300  # seconds; a lost job's marker expires and the sweeper covers the gap


def pending_key(function: str, org_id: str | None, actor: str, *ids: str) -> str:
    return ":".join(("jobtrail:pending", function, org_id or "platform", *ids))


def run(function: str, org_id: str | None, actor: str, *ids: str) -> Any:
    """Entry point of every RQ job. Clears the coalescing marker BEFORE working, so a
    command committed while the job runs queues a fresh job rather than being missed."""
    from rq import get_current_job

    job = get_current_job()
    if job is not None:
        job.connection.delete(pending_key(function, org_id, actor, *ids))
    return execute(worker_platform(), function, org_id, actor, *ids)


def execute(platform: Any, function: str, org_id: str | None, actor: str, *ids: str) -> Any:
    """Resolve "module:function", re-enter the acting context, call it with the platform."""
    module_name, _, name = function.partition(":")
    module = __import__(module_name, fromlist=[name])
    with context.acting(UUID(org_id) if org_id else None, actor):
        return getattr(module, name)(platform, *ids)


def report_progress(done: int, total: int, message: str = "") -> None:
    """Store progress in the current RQ job's meta (no-op when running inline)."""
    from rq import get_current_job

    job = get_current_job()
    if job is not None:
        job.meta["progress"] = {"done": done, "total": total, "message": message}
        job.save_meta()
