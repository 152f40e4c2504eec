"""`jobtrail privacy …` commands (registered on the main group in services/cli.py)."""

from __future__ import annotations

import json
from typing import Any

import click


def register(main: click.Group, platform_factory: Any, friendly: Any) -> None:
    from services.privacy.bsn import install_log_redaction

    install_log_redaction()  # CLI and RQ worker processes: no BSN in any log line

    @main.group()
    def privacy() -> None:
        """Privacy: bewaartermijnen, termijnbewaking, sleutelonderhoud."""

    def _org(platform: Any, slug: str) -> Any:
        return platform.registry.organisation_by_slug(slug)

    @privacy.command("retention")
    @click.option("--org", "org_slug", required=True, help="Slug van de organisatie")
    @click.option("--dry-run", is_flag=True, help="Alleen rapporteren, niets wissen")
    @click.option("--json", "as_json", is_flag=True, help="Rapport als JSON")
    @friendly
    def retention_cmd(org_slug: str, dry_run: bool, as_json: bool) -> None:
        """Wis wat volgens het bewaarbeleid aan de beurt is, en rapporteer."""
        from services.kernel import context
        from services.privacy import retention
        from services.privacy.office import PrivacyOffice

        platform = platform_factory()
        org = _org(platform, org_slug)
        with context.acting(org.id, "cli:privacy-retention"):
            report = retention.run(PrivacyOffice(platform, org.id), dry_run=dry_run)
        if as_json:
            click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            for line in report.lines():
                click.echo(line)
        platform.close()
        if report.errors:
            raise SystemExit(1)

    @privacy.command("daily")
    @click.option("--org", "org_slug", help="Alleen deze organisatie")
    @friendly
    def daily_cmd(org_slug: str | None) -> None:
        """Dagelijkse taak per organisatie (RQ-job, of direct zonder REDIS_URL): verlopen
        termijnen vastleggen en het bewaarbeleid toepassen. Zet dit in cron."""
        from uuid import UUID

        from services.kernel import context

        platform = platform_factory()
        orgs = [
            o
            for o in platform.directory.organisations()
            if org_slug is None or o["slug"] == org_slug
        ]
        for org in orgs:
            with context.acting(UUID(org["org_id"]), "system:privacy-daily"):
                job = platform.jobs.enqueue(
                    "services.privacy.jobs:daily",
                    UUID(org["org_id"]),
                    coalesce=True,
                )
            click.echo(f"{org['slug']}: {'job ' + job if job else 'uitgevoerd'}")
        platform.close()

    @privacy.command("compact-keys")
    @click.option("--org", "org_slug", required=True)
    @friendly
    def compact_keys_cmd(org_slug: str) -> None:
        """Herschrijf de sleuteltabel (VACUUM FULL, als eigenaar) na wissen."""
        from services.kernel.jobs import execute

        platform = platform_factory()
        org = _org(platform, org_slug)
        click.echo(
            execute(
                platform, "services.privacy.jobs:compact_subject_keys", str(org.id), "cli:privacy"
            )
        )
        platform.close()
