"""Container health checks (stdlib + the project's own dependencies only; no curl in the image).

    python /app/healthcheck.py http http://127.0.0.1:8000/healthz  # web: the process answers
    python /app/healthcheck.py http http://web:8000/readyz  # projections: read side caught up
    python /app/healthcheck.py worker  # an RQ worker of this container is registered
    python /app/healthcheck.py scheduler  # rq's cron scheduler of this container beats

Exit status 0 = healthy, 1 = not. Prints one short line (never response bodies with data).
"""

from __future__ import annotations

import os
import socket
import sys
import urllib.error
import urllib.request


def check_http(url: str, timeout: float = 3.0) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (fixed URL)
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError as error:
        print(f"{url}: {type(error).__name__}")
        return 1
    print(f"{url}: {status}")
    return 0 if status == 200 else 1


def check_worker() -> int:
    """Healthy when an RQ worker started in this container (same hostname) is registered;
    RQ drops a worker whose heartbeat stops, so a hung worker turns unhealthy."""
    import redis
    from rq import Worker

    try:
        connection = redis.from_url(os.environ["REDIS_URL"], socket_timeout=3)
        workers = Worker.all(connection=connection)
    except (KeyError, redis.RedisError) as error:
        print(f"worker: {type(error).__name__}")
        return 1
    here = socket.gethostname()
    mine = [w for w in workers if w.hostname == here]
    print(f"worker: {len(mine)} registered on {here}")
    return 0 if mine else 1


def check_scheduler(stale_after: float = 180.0) -> int:
    """Healthy when rq's cron scheduler started in this container (its name begins with
    the hostname) sent a heartbeat lately; it beats at least once a minute."""
    import time

    import redis
    from rq import cron_scheduler_registry

    try:
        connection = redis.from_url(os.environ["REDIS_URL"], socket_timeout=3)
        beats = connection.zrange(cron_scheduler_registry.get_registry_key(), 0, -1,
                                  withscores=True)
    except (KeyError, redis.RedisError) as error:
        print(f"scheduler: {type(error).__name__}")
        return 1
    here = socket.gethostname()
    fresh = [name for name, at in beats
             if name.decode().startswith(f"{here}:") and time.time() - at < stale_after]
    print(f"scheduler: {len(fresh)} beating on {here}")
    return 0 if fresh else 1


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "http":
        return check_http(argv[1])
    if argv == ["worker"]:
        return check_worker()
    if argv == ["scheduler"]:
        return check_scheduler()
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
