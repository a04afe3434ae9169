from django.core.management.base import BaseCommand

from clusterbridge.core.translations import compile_catalogues


class Command(BaseCommand):
    help = "Compile the translation catalogues (.po to .mo) without GNU gettext."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true")

    def handle(self, *args, **options):
        written = compile_catalogues(force=options["force"])
        self.stdout.write(f"compiled {len(written)} catalogue(s)")
