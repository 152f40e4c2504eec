"""Static checks of deploy/ that need no Docker: `python deploy/check.py` (exit 1 on a problem).

- compose.yaml parses as YAML and has the expected services; only `web` publishes ports;
  every Jobtrail service reads the env file and has a healthcheck (migrate excepted);
  no Jobtrail process but migrate gets the owner's env file.
- jobtrail.env.example names every variable that Settings.from_env reads, each with a
  comment above it (the text of Settings.from_env is the source, so a new setting
  without an example line fails here).
- gunicorn.conf.py loads, keeps preload_app False and logs no query string.
"""

from __future__ import annotations

import re
import runpy
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
JOBTRAIL_SERVICES = ("migrate", "web", "worker", "scheduler", "projections")


def check_compose(problems: list[str]) -> None:
    compose = yaml.safe_load((HERE / "compose.yaml").read_text())
    services = compose.get("services", {})
    expected = {"postgres", "redis", *JOBTRAIL_SERVICES}
    if set(services) != expected:
        problems.append(f"compose services {sorted(services)} != {sorted(expected)}")
    if not str(services.get("postgres", {}).get("image", "")).startswith("postgres:15"):
        problems.append("postgres must be postgres:15")
    if not str(services.get("redis", {}).get("image", "")).startswith("redis:7"):
        problems.append("redis must be redis:7")
    for name, service in services.items():
        if service.get("ports") and name != "web":
            problems.append(f"{name} publishes ports; only web may")
        if "healthcheck" not in service and name != "migrate":
            problems.append(f"{name} has no healthcheck")
    for name in JOBTRAIL_SERVICES:
        service = services.get(name, {})
        env_files = service.get("env_file", [])
        if "jobtrail.env" not in env_files:
            problems.append(f"{name} does not read jobtrail.env")
        if "owner.env" in env_files and name != "migrate":
            problems.append(f"{name} gets the owner's password (owner.env)")
    if services.get("web", {}).get("command", [None])[0] != "gunicorn":
        problems.append("web must run gunicorn")
    health = " ".join(
        " ".join(map(str, s.get("healthcheck", {}).get("test", []))) for s in services.values()
    )
    for path in ("/healthz", "/readyz"):
        if path not in health:
            problems.append(f"no healthcheck uses {path}")
    migrate = services.get("migrate", {})
    if migrate.get("command") != ["jobtrail", "db", "init"]:
        problems.append("migrate must run `jobtrail db init`")
    for name in ("web", "worker", "scheduler", "projections"):
        condition = services.get(name, {}).get("depends_on", {}).get("migrate", {})
        if condition.get("condition") != "service_completed_successfully":
            problems.append(f"{name} must start after migrate completed")


def settings_variables() -> list[str]:
    source = (ROOT / "services" / "kernel" / "settings.py").read_text()
    body = source.split("def from_env", 1)[1].split("\n    def ", 1)[0]
    return list(dict.fromkeys(re.findall(r'env\.get\(\s*"([A-Z0-9_]+)"', body)))


def check_env_example(problems: list[str]) -> None:
    lines = (HERE / "jobtrail.env.example").read_text().splitlines()
    defined = {}
    for number, line in enumerate(lines):
        match = re.match(r"^([A-Z0-9_]+)=", line)
        if match:
            defined[match.group(1)] = number
    variables = settings_variables()
    if not variables:
        problems.append("found no env.get(...) in Settings.from_env")
    for name in variables:
        if name not in defined:
            problems.append(f"jobtrail.env.example lacks {name}")
            continue
        above = lines[max(0, defined[name] - 8) : defined[name]]
        comments = " ".join(line for line in above if line.startswith("#"))
        if "NL:" not in comments or "EN:" not in comments:
            problems.append(f"{name} lacks a Dutch (NL:) and English (EN:) comment")


def check_gunicorn(problems: list[str]) -> None:
    config = runpy.run_path(str(HERE / "gunicorn.conf.py"))
    if config.get("preload_app") is not False:
        problems.append("gunicorn preload_app must be False (per-process pools)")
    access_format = config.get("access_log_format", "")
    forbidden = ("%(r)s", "%(q)s", "{cookie}", "{authorization}")
    if any(atom in access_format.lower() for atom in forbidden):
        problems.append("the access log format must not hold the query, cookies or credentials")
    if getattr(config.get("logger_class"), "__name__", "") != "PrivacyLogger":
        problems.append("gunicorn must log through PrivacyLogger")
    if not 1 <= int(config.get("workers", 0)) <= 64:
        problems.append("gunicorn workers out of range")


def main() -> int:
    problems: list[str] = []
    for check in (check_compose, check_env_example, check_gunicorn):
        try:
            check(problems)
        except Exception as error:  # a broken file is a problem, not a crash
            problems.append(f"{check.__name__}: {type(error).__name__}: {error}")
    for problem in problems:
        print(f"deploy: {problem}")
    verdict = "OK" if not problems else f"{len(problems)} problem(s)"
    print(f"deploy: {verdict} ({len(settings_variables())} settings checked)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
