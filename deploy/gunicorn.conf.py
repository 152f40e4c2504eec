"""Gunicorn settings for the Jobtrail web process.

    gunicorn --config deploy/gunicorn.conf.py services.wsgi:app

Every value can be set from the environment (see deploy/jobtrail.env.example, section
"Web server"); nothing here is read by the application itself.

Privacy: the access log carries no query string, no referrer path or query, no
Authorization or cookie header and a truncated client address, because personal
data (names in search boxes, OIDC codes, survey tokens) must never reach a log.
"""

from __future__ import annotations

import ipaddress
import os
import re
from typing import Any

from gunicorn import glogging


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def available_cpus() -> int:
    """CPUs this container may use: the cgroup v2 quota, else the affinity mask."""
    try:
        with open("/sys/fs/cgroup/cpu.max") as handle:
            quota, period = handle.read().split()
        if quota != "max":
            return max(1, int(int(quota) / int(period) + 0.5))
    except (OSError, ValueError):
        pass
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


# Socket ---------------------------------------------------------------------------------
bind = [os.environ.get("JOBTRAIL_BIND") or f"0.0.0.0:{_int('PORT', 8000)}"]
# Proxies whose X-Forwarded-* headers are believed (the reverse proxy in front of web).
forwarded_allow_ips = os.environ.get("JOBTRAIL_FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_allow_ips = forwarded_allow_ips

# Processes ------------------------------------------------------------------------------
# 2 x CPUs + 1, capped: every worker process holds its own Platform with a small
# connection pool per (context, organisation), so more workers mean more PostgreSQL
# connections (deploy/README.md, "Pools and connections").
workers = _int(
    "JOBTRAIL_WEB_WORKERS", min(2 * available_cpus() + 1, _int("JOBTRAIL_WEB_WORKERS_MAX", 8))
)
worker_class = "gthread"
# Threads per worker: keep <= JOBTRAIL_POOL_SIZE + 4 (the pool's overflow), so that a
# thread never waits for a connection of the same application.
threads = _int("JOBTRAIL_WEB_THREADS", 4)
# Per-process pools: the app must be created AFTER the fork, in each worker. With
# preload the pools (and the psycopg connections) would be shared by forked children.
preload_app = False
# Recycle workers now and then (bounded memory); the jitter avoids all at once.
max_requests = _int("JOBTRAIL_WEB_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# gunicornc's control socket (gunicorn >= 25.1) would be created under $HOME: not in a
# read-only container. JOBTRAIL_WEB_CONTROL_SOCKET=1 turns it back on.
control_socket_disable = os.environ.get("JOBTRAIL_WEB_CONTROL_SOCKET", "") != "1"

# Timeouts -------------------------------------------------------------------------------
timeout = _int("JOBTRAIL_WEB_TIMEOUT", 30)  # long work goes to RQ jobs, never a request
graceful_timeout = _int("JOBTRAIL_WEB_GRACEFUL_TIMEOUT", 30)
# Longer than the reverse proxy's upstream keep-alive timeout, so that the proxy closes first.
keepalive = _int("JOBTRAIL_WEB_KEEPALIVE", 5)
limit_request_line = 4094
limit_request_fields = 100

# Logging --------------------------------------------------------------------------------
accesslog = os.environ.get("JOBTRAIL_ACCESS_LOG", "-")  # "-" = stdout, for the container
errorlog = "-"
loglevel = os.environ.get("JOBTRAIL_LOG_LEVEL", "info")
# Path only (%(U)s, never %(r)s or %(q)s, which carry the query string); see PrivacyLogger.
access_log_format = (
    '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(f)s" "%(a)s" %({x-request-id}i)s'
)

SAFE_ATOMS = ("h", "l", "u", "t", "m", "U", "H", "s", "b", "B", "f", "a", "T", "D", "M", "L", "p")
UUID = re.compile(r"^[0-9a-fA-F]{8}(-?[0-9a-fA-F]{4}){3}-?[0-9a-fA-F]{12}$")
TOKENISH = re.compile(r"^[A-Za-z0-9_\-.~=+]{20,}$")
REQUEST_ID = re.compile(r"^[A-Za-z0-9_\-.]{1,64}$")


def anonymise_ip(address: str) -> str:
    """IPv4 to its /24, IPv6 to its /48: enough for abuse patterns, not a person."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "-"
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)


def safe_path(path: str | None) -> str:
    """The path with anything that looks like a secret (a capability token) masked.

    UUIDs stay: they are pseudonymous ids that help to follow a request.
    """
    if not path:
        return "-"
    parts = path.split("/")
    return "/".join(
        "<token>" if TOKENISH.match(part) and not UUID.match(part) else part for part in parts
    )


def safe_referrer(referrer: str | None) -> str:
    """Only the origin of the referrer: its path and query may hold personal data."""
    if not referrer or referrer == "-":
        return "-"
    match = re.match(r"^(https?://[^/?#]+)", referrer)
    return match.group(1) if match else "-"


class PrivacyLogger(glogging.Logger):
    """Access log atoms from a whitelist: whatever the format, no header, cookie, query
    string or full client address can be printed."""

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        safe = {key: atoms.get(key, "-") for key in SAFE_ATOMS}
        safe["h"] = anonymise_ip(str(atoms.get("h", "")))
        safe["u"] = "-"  # HTTP Basic user names (client ids) are not needed here
        safe["U"] = safe_path(atoms.get("U"))
        safe["f"] = safe_referrer(atoms.get("f"))
        request_id = str(atoms.get("{x-request-id}i") or "-")
        safe["{x-request-id}i"] = request_id if REQUEST_ID.match(request_id) else "-"
        return safe


logger_class = PrivacyLogger
