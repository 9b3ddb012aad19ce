"""`manage.py import_admin_units`: load Vietnam's administrative units, before and after the
reorganization of 1 July 2025, from the snapshots in directory/data/ (see docs/data-sources.md).

    manage.py import_admin_units                      # everything: 63 + 34 provinces, both eras
    manage.py import_admin_units --province 40        # Nghệ An only, both eras
    manage.py import_admin_units --era 2025 --dry-run # what would change in the current units
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from directory.admin_units import ERAS, SnapshotError, import_admin_units


class Command(BaseCommand):
    help = (
        "Import Vietnam's administrative units keyed on their statistics codes: before 1 July 2025 "
        "(provinces, districts, communes of 2023) and from then on (provinces, communes). "
        "A second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--era",
            choices=[*ERAS, "all"],
            default="all",
            help="2023: units before 1 July 2025; 2025: units from then on; all (default): both.",
        )
        parser.add_argument(
            "--province",
            action="append",
            metavar="CODE",
            help=(
                "Only these provinces, by statistics code (repeat or separate with commas: 40,42). "
                "A pre-2025 province also brings the 2025 province it merged into."
            ),
        )
        parser.add_argument("--dry-run", action="store_true", help="Report what would change and save nothing.")

    def handle(self, *args, era: str, province: list[str] | None, dry_run: bool, **options):
        eras = ERAS if era == "all" else (era,)
        provinces = [code for value in province for code in value.split(",") if code.strip()] if province else None
        started = time.monotonic()
        try:
            result, snapshots = import_admin_units(eras, provinces, dry_run=dry_run)
        except (SnapshotError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        for line in result.lines(snapshots):
            self.stdout.write(line)
        verdict = "changed" if result.changed else "already up to date"
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.1f}s: {verdict}."))
