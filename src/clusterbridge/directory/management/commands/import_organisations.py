"""clusterbridge import-organisations FILE [--dry-run]

Exit 0 when imported (or valid in a dry run), 2 when the file has errors;
then nothing is written and every error is listed as `row N, column C: problem`.
"""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from clusterbridge.directory.services import organisations_import


class Command(BaseCommand):
    help = "Import organisations from a CSV or Excel file (specs/directory-exchange.md)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check the file, write nothing")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            self.stderr.write(f"file: {path} does not exist")
            sys.exit(2)
        if path.stat().st_size > settings.IMPORT_MAX_BYTES:
            self.stderr.write(f"file: {path} is larger than {settings.IMPORT_MAX_BYTES // (1024 * 1024)} MB")
            sys.exit(2)
        result = organisations_import(data=path.read_bytes(), filename=path.name, dry_run=options["dry_run"])
        if not result.ok:
            for error in result.errors:
                self.stderr.write(error)
            self.stderr.write(f"{len(result.errors)} error(s); nothing was written")
            sys.exit(2)
        verb = "would create" if result.dry_run else "created"
        verb2 = "would update" if result.dry_run else "updated"
        self.stdout.write(f"{verb} {result.created}, {verb2} {result.updated} organisation(s)")
        for change in result.changes or []:
            for name, old, new in change["fields"]:
                self.stdout.write(f"row {change['row']}, {change['external_id']}, {name}: {old!r} → {new!r}")
