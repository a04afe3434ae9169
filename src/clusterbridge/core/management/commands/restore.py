"""clusterbridge restore FILE: a backup back into an empty database and uploads folder (core/backup.py)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from clusterbridge.core.backup import BackupError, restore_read


class Command(BaseCommand):
    help = "Restore FILE (written by `clusterbridge backup`) into the empty database of DATABASE_URL."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            summary = restore_read(path=file, connection=connection, media_root=Path(settings.MEDIA_ROOT))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"restored {file}: {summary.engine} database, {summary.tables} tables, "
                          f"{summary.rows} rows, {summary.files} uploaded files; every count matches the backup")
