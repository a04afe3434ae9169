"""clusterbridge import-indicators FILE [--dry-run] [--indicator CODE] [--source TEXT]: simple CSV or
SDMX-CSV (specs/indicators.md), all or nothing; exit 2 on errors."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from clusterbridge.indicators.imports import values_import


class Command(BaseCommand):
    help = "Import indicator values (simple CSV or SDMX-CSV); all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--indicator", default="", help="the catalogue code of an SDMX dataset's values")
        parser.add_argument("--source", default="", help="the source to record when the file names none")

    def handle(self, *args, file, dry_run=False, indicator="", source="", **options):
        result = values_import(Path(file).read_bytes(), indicator=indicator.upper(), source=source, dry_run=dry_run)
        report(self, result, dry_run=dry_run)


def report(command, result, *, dry_run: bool = False, kept: str = "") -> None:
    """What an import did, or its errors and exit 2 (all or nothing: then nothing was written)."""
    if result.errors:
        for error in result.errors[:200]:
            command.stderr.write(error)
        command.stderr.write(f"{len(result.errors)} errors; nothing was imported{kept}")
        sys.exit(2)
    command.stdout.write(f"{'would import' if dry_run else 'imported'}: {result.created} new, {result.replaced} "
                         f"replaced (history kept), {result.unchanged} unchanged, {result.missing} without a value")
