"""clusterbridge import-icp-history FILE [--dry-run]: past agreements, cases and decisions."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from clusterbridge.offsets.services import history_import


class Command(BaseCommand):
    help = "Import an ICP history workbook (sheets agreements, cases, decisions); all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check everything, write nothing")
        parser.add_argument("--user", default="", help="who the records are attributed to (default: first admin)")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        User = get_user_model()
        user = (User.objects.filter(username=options["user"]).first() if options["user"]
                else User.objects.filter(is_superuser=True).order_by("id").first())
        if user is None:
            raise CommandError("name an existing user with --user (the ledger records who wrote each entry)")
        result = history_import(data=path.read_bytes(), by=user, dry_run=options["dry_run"],
                                progress=lambda d, t: self.stderr.write(f"\r{d}/{t}", ending=""))
        self.stderr.write("")
        if not result.ok:
            for error in result.errors[:200]:
                self.stderr.write(error)
            raise CommandError(f"{len(result.errors)} error(s); nothing was written")
        verb = "would import" if result.dry_run else "imported"
        self.stdout.write(f"{verb}: " + ", ".join(f"{n} {k}" for k, n in result.counts.items()))
