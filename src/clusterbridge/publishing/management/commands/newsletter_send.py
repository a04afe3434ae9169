"""clusterbridge newsletter-send LIST [--dry-run]: sends the list's due issue (e.g. weekly-digest)
through the task queue and prints `sent N, skipped M` (specs/newsletter.md)."""

from django.core.management.base import BaseCommand, CommandError

from clusterbridge.core.jobs import JobFailed
from clusterbridge.publishing.sending import newsletter_send


class Command(BaseCommand):
    help = "Send a list's due issue (weekly-digest: last week's) to its subscribers."

    def add_arguments(self, parser):
        parser.add_argument("list", help="the list's name, e.g. weekly-digest")
        parser.add_argument("--dry-run", action="store_true", help="count, send nothing")

    def handle(self, *args, dry_run=False, **options):
        try:
            result = newsletter_send(slug=options["list"], dry_run=dry_run)
        except JobFailed as error:
            raise CommandError("; ".join(error.errors)) from None
        if result["issue"] is None:
            self.stdout.write("nothing to send: nothing was published on this list's topics last week")
        if result.get("waiting"):
            self.stdout.write("still sending in the background (see the newsletters page)")
        line = f"sent {result['sent']}, skipped {result['skipped']}"
        if result.get("failed"):
            line += f", failed {result['failed']}"
        self.stdout.write(line + (" (dry run: nothing was sent)" if dry_run else ""))
