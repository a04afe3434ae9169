"""clusterbridge apply-retention [--dry-run]: removes records older than their retention period
(privacy/retention.py). The daily job does the same; this is for a cron line."""

from django.core.management.base import BaseCommand

from clusterbridge.privacy.retention import RULES, retention_apply


class Command(BaseCommand):
    help = "Remove records older than their retention period (--dry-run: only count them)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what would be removed, remove nothing")

    def handle(self, *args, dry_run=False, **options):
        removed = retention_apply(dry_run=dry_run)
        verb = "would remove" if dry_run else "removed"
        for key, count in removed.items():
            self.stdout.write(f"{key:<24} kept {RULES[key].period:>5} days  {verb} {count}")
