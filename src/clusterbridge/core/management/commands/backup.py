"""clusterbridge backup FILE: the whole database and the uploads in one file (core/backup.py)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from clusterbridge.core.backup import BackupError, backup_write


class Command(BaseCommand):
    help = "Write the whole database and the uploaded files into FILE (a .tar.gz archive)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            summary = backup_write(path=file, connection=connection, media_root=Path(settings.MEDIA_ROOT))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{file}: {summary.engine} database, {summary.tables} tables, {summary.rows} rows, "
                          f"{summary.files} uploaded files, {summary.size / 1e6:.1f} MB")
