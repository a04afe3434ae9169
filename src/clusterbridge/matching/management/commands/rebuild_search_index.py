import time

from django.core.management.base import BaseCommand

from clusterbridge.matching.services import search_documents_refresh


class Command(BaseCommand):
    help = "Analyse every organisation again for partner search (after a glossary or taxonomy change)."

    def add_arguments(self, parser):
        parser.add_argument("--stale", action="store_true", help="only profiles changed since their analysis")

    def handle(self, *args, **options):
        started = time.monotonic()

        def progress(done, total):
            self.stdout.write(f"\r{done}/{total}", ending="")
            self.stdout.flush()

        n = search_documents_refresh(everything=not options["stale"], progress=progress)
        self.stdout.write(f"\n{n} organisations analysed in {time.monotonic() - started:.1f} s")
