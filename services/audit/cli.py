"""`jobtrail audit …`: checkpoints, export for the offline verifier, verification."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from services.kernel import context


def _platform() -> Any:
    from services.cli import _platform as platform

    return platform()


def _orgs(platform: Any, slug: str | None, every: bool) -> list[Any]:
    if every:
        from projections.runtime import sweep

        sweep(platform)
        return [
            platform.registry.organisation_by_slug(o["slug"])
            for o in platform.directory.organisations()
        ]
    if not slug:
        raise click.UsageError("geef --org <slug> of --all")
    return [platform.registry.organisation_by_slug(slug)]


def _log(platform: Any, org: Any) -> Any:
    from services.audit.trail import AuditLog

    return AuditLog(platform, org.id)


@click.group("audit")
def audit() -> None:
    """Auditlog: checkpoints, export en controle."""


@audit.command("checkpoint")
@click.option("--org", "slug", help="Slug van de organisatie")
@click.option("--all", "every", is_flag=True, help="Alle organisaties (voor cron)")
def checkpoint(slug: str | None, every: bool) -> None:
    """Sign a checkpoint of the log's current head (if it moved)."""
    from services.cli import friendly

    @friendly
    def run() -> None:
        platform = _platform()
        for org in _orgs(platform, slug, every):
            with context.acting(org.id, "cli:audit"):
                latest = _log(platform, org).checkpoint()
            size = latest["tree_size"] if latest else 0
            click.echo(f"{org.slug}: checkpoint van {size} gebeurtenissen")
        platform.close()

    run()


@audit.command("export")
@click.option("--org", "slug", required=True, help="Slug van de organisatie")
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path))
def export(slug: str, out: Path) -> None:
    """Export records and checkpoints for `jobtrail-verify`."""
    from services.cli import friendly

    @friendly
    def run() -> None:
        platform = _platform()
        org = platform.registry.organisation_by_slug(slug)
        with context.acting(org.id, "cli:audit"):
            log = _log(platform, org)
            summary = log.export(out)
            key = log.vkey()
        click.echo(f"{summary['records']} records en {summary['checkpoints']} checkpoints in {out}")
        click.echo(f"Verificatiesleutel (geef apart aan de auditor): {key}")
        platform.close()

    run()


@audit.command("vkey")
@click.option("--org", "slug", required=True)
def vkey(slug: str) -> None:
    """Print the organisation's verifier key (name+id+key)."""
    platform = _platform()
    click.echo(_log(platform, platform.registry.organisation_by_slug(slug)).vkey())
    platform.close()


@audit.command("verify")
@click.option("--org", "slug", help="Slug van de organisatie")
@click.option("--all", "every", is_flag=True, help="Alle organisaties (voor cron)")
def verify(slug: str | None, every: bool) -> None:
    """Check the stored events against the log and its signed checkpoints."""
    from services.cli import friendly

    @friendly
    def run() -> int:
        platform = _platform()
        failed = 0
        for org in _orgs(platform, slug, every):
            with context.acting(org.id, "system:audit-verify"):
                result = _log(platform, org).verify()
            state = "OK" if result.ok else "FOUT"
            click.echo(
                f"{state}: {org.slug}: {result.tree_size} gebeurtenissen, "
                f"{result.checkpoints} checkpoints"
            )
            for problem in result.problems:
                click.echo(f"  - {problem}")
            failed += not result.ok
        platform.close()
        return failed

    if run():
        raise SystemExit(1)


@audit.command("snapshot")
@click.option("--org", "slug", help="Slug van de organisatie")
@click.option("--all", "every", is_flag=True, help="Alle organisaties (cron: de 1e van de maand)")
def snapshot(slug: str | None, every: bool) -> None:
    """Keep the requirement status of the month-end just passed (renewal reporting)."""
    from datetime import date

    from services.audit import snapshots
    from services.cli import friendly

    @friendly
    def run() -> None:
        platform = _platform()
        for org in _orgs(platform, slug, every):
            with context.acting(org.id, "cli:audit"):
                day = snapshots.take(platform, org.id, date.today())
            click.echo(f"{org.slug}: status per eis van {day.isoformat()} vastgelegd")
        platform.close()

    run()


@audit.command("rotate-key")
@click.option("--org", "slug", required=True, help="Slug van de organisatie")
def rotate_key(slug: str) -> None:
    """Replace the organisation's checkpoint key (the old public key is kept)."""
    from services.audit.rotation import rotate_key as rotate
    from services.cli import friendly

    @friendly
    def run() -> None:
        platform = _platform()
        org = platform.registry.organisation_by_slug(slug)
        with context.acting(org.id, "cli:audit"):
            done = rotate(platform, org.id)
        click.echo(f"{org.slug}: nieuwe sleutel vanaf boomgrootte {done['tree_size']}")
        click.echo(f"Oude verificatiesleutel: {done['old_vkey']}")
        click.echo(f"Nieuwe verificatiesleutel (geef apart aan de auditor): {done['new_vkey']}")
        platform.close()

    run()
